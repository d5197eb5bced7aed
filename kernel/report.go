package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/jupyter"
)

func init() {
	register(command{
		name:    "report",
		summary: "run the notebooks and render standalone HTML reports with an index",
		run:     runReport,
	})
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", stderr)
	out := fs.String("out", "reports", "write the reports to `DIR`")
	timeout := fs.Duration("timeout", 10*time.Minute, "time limit for each cell")
	keepGoing := fs.Bool("keep-going", false, "run the remaining cells of a notebook after a cell fails")
	jobs := fs.Int("j", runtime.NumCPU(), "run up to `N` notebooks at the same time (default: the machine's cores)")
	redact := fs.Bool("redact", false, "have the data loaders redact personal data (also when $LENSLOG_REDACT=1); one pseudonym key per run")
	var limits jupyter.OutputLimits
	fs.Var(&limits, "max-output", maxOutputUsage)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel report [-out reports] [-j N] [-timeout 10m] [-keep-going] [-redact] [NOTEBOOK...]")
		fmt.Fprintln(stderr, "\nRuns each notebook (default: notebooks/*.ipynb) on a fresh GoNB kernel and writes")
		fmt.Fprintln(stderr, "DIR/NAME.ipynb (executed), DIR/NAME.html (standalone) and DIR/index.html.")
		fmt.Fprintln(stderr, "Notebooks run -j at a time, each on its own kernel; the index keeps their order.")
		fmt.Fprintln(stderr, "A failing notebook does not stop the others; the exit status is 1 if any failed.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return fmt.Errorf("%w: -timeout must be positive", errUsage)
	}
	if *jobs < 1 {
		return fmt.Errorf("%w: -j %d: want at least 1 notebook at a time", errUsage, *jobs)
	}
	t, err := ensureTools(ctx, "", stderr)
	if err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		if paths, err = defaultNotebooks(t.root); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	key, err := newRedactKey(redactRequested(*redact))
	if err != nil {
		return err
	}
	cfg := runConfig{tools: t, timeout: *timeout, keepGoing: *keepGoing, redactKey: key, progress: stderr}
	cfg.limits = limits
	entries, failed, err := reportAll(ctx, cfg, paths, *out, *jobs, stderr)
	if err != nil {
		return err
	}
	index := filepath.Join(*out, "index.html")
	if err := writeHTML(index, func(w io.Writer) error {
		return ipynb.RenderIndex(w, "lenslog reports", entries)
	}); err != nil {
		return err
	}
	if abs, err := filepath.Abs(index); err == nil {
		index = abs
	}
	fmt.Fprintln(stdout, index)
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed; see %s", failed, len(paths), index)
	}
	return nil
}

// defaultNotebooks lists notebooks/*.ipynb under root, sorted, leaving out
// executed copies written by run (NAME.out.ipynb).
func defaultNotebooks(root string) ([]string, error) {
	all, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range all {
		if !strings.HasSuffix(p, outSuffix) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("report: no notebooks in %s", filepath.Join(root, "notebooks"))
	}
	sort.Strings(paths)
	return paths, nil
}

// reportAll runs the notebooks, up to jobs at a time, each on a kernel of
// its own (its own temporary folder, so GoNB's work files and value cache
// are its own too), and writes each one's executed copy and page into out
// as it finishes, continuing after failures. It returns the index entries,
// in the order of paths, and the number of failed notebooks; an error only
// for a file it cannot write or an interrupt.
func reportAll(ctx context.Context, cfg runConfig, paths []string, out string, jobs int, stderr io.Writer) ([]ipynb.IndexEntry, int, error) {
	var mu sync.Mutex // guards stderr's lines and everything below
	cfg.progress = &lockedWriter{w: cfg.progress, mu: &mu}
	locked := &lockedWriter{w: stderr, mu: &mu}
	names := map[string]bool{}
	unique := make([]string, len(paths)) // chosen in order, as one at a time would
	for i, p := range paths {
		unique[i] = uniqueName(p, names)
	}
	entries := make([]ipynb.IndexEntry, len(paths))
	failed := 0
	var slow slowest
	var werr error
	start := time.Now()
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, path := range paths {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(locked, "[%d/%d] %s\n", i+1, len(paths), path)
		wg.Go(func() {
			defer func() { <-sem }()
			o := runNotebook(ctx, cfg, path)
			e, err := writeReport(o, out, unique[i])
			mu.Lock()
			defer mu.Unlock()
			printOutcome(stderr, o)
			slow.note(o)
			entries[i] = e
			if o.failure != nil {
				failed++
			}
			if err != nil && werr == nil {
				werr = err
			}
		})
	}
	wg.Wait()
	slow.print(stderr, len(paths), time.Since(start))
	if err := cmp.Or(ctx.Err(), werr); err != nil {
		return nil, 0, err
	}
	return entries, failed, nil
}

// runNotebook runs one notebook of a report; tests replace it.
var runNotebook = runOne

// lockedWriter serialises writes to w: the progress lines of notebooks
// that run at the same time.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// slowest tracks the slowest cell of a report, from the timing the runner
// records in each cell's metadata.
type slowest struct {
	path string
	cell int
	took time.Duration
}

// note looks at every cell of an outcome's notebook.
func (s *slowest) note(o outcome) {
	if o.nb == nil {
		return
	}
	for i, c := range o.nb.Cells {
		if d, ok := jupyter.CellDuration(c); ok && d > s.took {
			*s = slowest{path: o.path, cell: i + 1, took: d}
		}
	}
}

// print says how long the whole report took and which cell was slowest.
func (s slowest) print(w io.Writer, notebooks int, total time.Duration) {
	fmt.Fprintf(w, "%d notebooks in %s", notebooks, total.Round(100*time.Millisecond))
	if s.took > 0 {
		fmt.Fprintf(w, "; slowest cell: %s cell %d (%s)", filepath.Base(s.path), s.cell, s.took.Round(10*time.Millisecond))
	}
	fmt.Fprintln(w)
}

// uniqueName returns the notebook's base name, suffixed if already taken.
func uniqueName(path string, taken map[string]bool) string {
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	name := base
	for k := 2; taken[name]; k++ {
		name = fmt.Sprintf("%s-%d", base, k)
	}
	taken[name] = true
	return name
}

// writeReport writes out/name.ipynb and out/name.html for one outcome and
// returns its index entry.
func writeReport(o outcome, out, name string) (ipynb.IndexEntry, error) {
	e := ipynb.IndexEntry{Name: name, Failure: o.failure, Duration: o.duration}
	if o.nb == nil {
		return e, nil
	}
	e.Title = o.nb.Title()
	if err := writeNotebook(filepath.Join(out, name+".ipynb"), o.nb); err != nil {
		return e, err
	}
	e.Notebook = name + ".ipynb"
	err := writeHTML(filepath.Join(out, name+".html"), func(w io.Writer) error {
		title := e.Title
		if title == "" {
			title = name
		}
		return ipynb.RenderHTML(w, o.nb, ipynb.RenderOptions{Title: title, Failure: o.failure})
	})
	if err != nil {
		return e, err
	}
	e.HTML = name + ".html"
	return e, nil
}

// writeHTML renders into a buffer and writes the file.
func writeHTML(path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("render %s: %w", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
