package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	redact := fs.Bool("redact", false, "have the data loaders redact personal data (also when $LENSLOG_REDACT=1); one pseudonym key per run")
	var limits jupyter.OutputLimits
	fs.Var(&limits, "max-output", maxOutputUsage)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel report [-out reports] [-timeout 10m] [-keep-going] [-redact] [NOTEBOOK...]")
		fmt.Fprintln(stderr, "\nRuns each notebook (default: notebooks/*.ipynb) on a fresh GoNB kernel and writes")
		fmt.Fprintln(stderr, "DIR/NAME.ipynb (executed), DIR/NAME.html (standalone) and DIR/index.html.")
		fmt.Fprintln(stderr, "A failing notebook does not stop the others; the exit status is 1 if any failed.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return fmt.Errorf("%w: -timeout must be positive", errUsage)
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
	entries, failed, err := reportAll(ctx, cfg, paths, *out, stderr)
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

// reportAll runs each notebook and writes its executed copy and page into
// out, continuing after failures. It returns the index entries and the
// number of failed notebooks; an error only for a file it cannot write or
// an interrupt.
func reportAll(ctx context.Context, cfg runConfig, paths []string, out string, stderr io.Writer) ([]ipynb.IndexEntry, int, error) {
	var entries []ipynb.IndexEntry
	failed := 0
	names := map[string]bool{}
	var slow slowest
	start := time.Now()
	defer func() { slow.print(stderr, len(paths), time.Since(start)) }()
	for i, path := range paths {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		fmt.Fprintf(stderr, "[%d/%d] %s\n", i+1, len(paths), path)
		o := runOne(ctx, cfg, path)
		printOutcome(stderr, o)
		slow.note(o)
		e, err := writeReport(o, out, uniqueName(path, names))
		if err != nil {
			return nil, 0, err
		}
		if o.failure != nil {
			failed++
		}
		entries = append(entries, e)
	}
	return entries, failed, nil
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
