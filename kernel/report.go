package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/lenslog/lenslog/pkg/params"
	"github.com/lenslog/lenslog/pkg/pdf"
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
	parallel := fs.Int("j", runtime.NumCPU(), "run up to `N` notebooks at the same time (default: the machine's cores)")
	redact := fs.Bool("redact", false, "have the data loaders redact personal data (also when $LENSLOG_REDACT=1); one pseudonym key per run")
	showCode := fs.Bool("code", false, "show the notebooks' code on the pages, for analysts (default: a reader's view, outputs only)")
	printPDF := fs.Bool("pdf", false, "also print each page to a PDF beside it, with headless Chromium")
	var pf paramFlags
	pf.register(fs)
	replay := fs.String("replay", "", "re-run the report in `RUNDIR` pinned to its recorded snapshot, into RUNDIR/replay, and say whether each notebook prints the same")
	var limits jupyter.OutputLimits
	fs.Var(&limits, "max-output", maxOutputUsage)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel report [-out reports] [-j N] [-timeout 10m] [-keep-going] [-redact] [-code] [-pdf] [-max-output LIMITS] [-p name=value]... [-f FILE] [NOTEBOOK...]")
		fmt.Fprintln(stderr, "       go run ./kernel report -replay RUNDIR")
		fmt.Fprintln(stderr, "\nRuns each notebook (default: notebooks/*.ipynb) on a fresh GoNB kernel and writes")
		fmt.Fprintln(stderr, "DIR/NAME.ipynb (executed), DIR/NAME.html (standalone) and DIR/index.html.")
		fmt.Fprintln(stderr, "With parameters, each set writes DIR/<name-value_...>/ and DIR/index.html lists every run.")
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
	if *parallel < 1 {
		return fmt.Errorf("%w: -j %d: want at least 1 notebook at a time", errUsage, *parallel)
	}
	if *replay != "" && (fs.NArg() > 0 || len(pf.given) > 0 || pf.file != "") {
		return fmt.Errorf("%w: -replay takes the report folder alone: its parameters are recorded in it", errUsage)
	}
	sets, err := pf.sets()
	if err != nil {
		return err
	}
	var all [][]job
	if *replay == "" { // parameter mistakes are found before anything is built or started
		paths := fs.Args()
		if len(paths) == 0 {
			root, err := repoRoot()
			if err != nil {
				return err
			}
			if paths, err = defaultNotebooks(root); err != nil {
				return err
			}
		}
		if all, err = prepareAll(paths, sets, stderr); err != nil {
			return err
		}
	}
	t, err := ensureTools(ctx, "", stderr)
	if err != nil {
		return err
	}
	key, err := newRedactKey(redactRequested(*redact))
	if err != nil {
		return err
	}
	cfg := runConfig{tools: t, timeout: *timeout, keepGoing: *keepGoing, redactKey: key, progress: stderr,
		version: lenslogVersion(ctx, t.root)}
	cfg.limits = limits
	cfg.parallel = *parallel
	cfg.showCode = *showCode
	if *replay != "" {
		return replayReport(ctx, cfg, *replay, stdout, stderr)
	}
	withParams := len(sets) > 1 || len(sets[0]) > 0
	failed, total := 0, 0
	for i, jobs := range all {
		n, err := reportSet(ctx, cfg, jobs, *out, sets[i], withParams, stderr)
		if err != nil {
			return err
		}
		failed, total = failed+n, total+len(jobs)
	}
	index, err := writeTopIndex(*out)
	if err != nil {
		return err
	}
	if *printPDF {
		if _, err := pdf.PrintReports(*out, pdf.Options{}); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, index)
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed; see %s", failed, total, index)
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

// reportAll runs the jobs, up to cfg.parallel at a time, each on a kernel
// of its own (its own temporary folder, so GoNB's work files and value
// cache are its own too), and writes each one's executed copy and page into
// out as it finishes, continuing after failures. It returns the index
// entries, in the order of jobs, and the number of failed notebooks; an
// error only for a file it cannot write or an interrupt.
func reportAll(ctx context.Context, cfg runConfig, jobs []job, out string, stderr io.Writer) ([]ipynb.IndexEntry, int, error) {
	var mu sync.Mutex // guards stderr's lines and everything below
	cfg.progress = &lockedWriter{w: cfg.progress, mu: &mu}
	locked := &lockedWriter{w: stderr, mu: &mu}
	names := map[string]bool{}
	unique := make([]string, len(jobs)) // chosen in order, as one at a time would
	for i, j := range jobs {
		unique[i] = uniqueName(j.path, names)
	}
	entries := make([]ipynb.IndexEntry, len(jobs))
	failed := 0
	var slow slowest
	var werr error
	start := time.Now()
	sem := make(chan struct{}, max(cfg.parallel, 1))
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(locked, "[%d/%d] %s\n", i+1, len(jobs), j.path)
		wg.Go(func() {
			defer func() { <-sem }()
			o := runNotebook(ctx, cfg, j)
			e, err := writeReport(o, out, unique[i], cfg.showCode)
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
	slow.print(stderr, len(jobs), time.Since(start))
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
func writeReport(o outcome, out, name string, showCode bool) (ipynb.IndexEntry, error) {
	e := ipynb.IndexEntry{Name: name, Failure: o.failure, NoData: o.noData, Duration: o.duration}
	if o.nb == nil {
		return e, nil
	}
	e.Title = o.nb.Title()
	e.Describe(o.nb)
	if err := writeNotebook(filepath.Join(out, name+".ipynb"), o.nb); err != nil {
		return e, err
	}
	e.Notebook = name + ".ipynb"
	err := writeHTML(filepath.Join(out, name+".html"), func(w io.Writer) error {
		title := e.Title
		if title == "" {
			title = name
		}
		return ipynb.RenderHTML(w, o.nb, ipynb.RenderOptions{Title: title, Failure: o.failure, ShowCode: showCode})
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

// reportSet runs one parameter set's notebooks into its folder (out
// itself for a run without parameters), writes the folder's index, and
// records the run for the top index. It returns the failed notebooks.
func reportSet(ctx context.Context, cfg runConfig, jobs []job, out string, set params.Set, withParams bool, stderr io.Writer) (int, error) {
	dir, title := out, "lenslog reports"
	if withParams {
		dir, title = filepath.Join(out, set.Folder()), "lenslog reports: "+set.String()
		fmt.Fprintf(stderr, "parameters %s -> %s\n", set, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("report: %w", err)
	}
	start := time.Now()
	entries, failed, err := reportAll(ctx, cfg, jobs, dir, stderr)
	if err != nil {
		return 0, err
	}
	given := make([]string, len(set))
	for i, a := range set {
		given[i] = a.Name
	}
	ipynb.MarkIgnored(entries, given)
	if err := writeHTML(filepath.Join(dir, "index.html"), func(w io.Writer) error {
		return ipynb.RenderIndex(w, title, entries)
	}); err != nil {
		return 0, err
	}
	noData := 0
	for _, e := range entries {
		if e.Failure == nil && e.NoData != "" {
			noData++
		}
	}
	return failed, recordRun(out, reportRun{Run: ipynb.Run{Folder: set.Folder(), Parameters: set.String(), Started: start,
		Duration: time.Since(start), Notebooks: len(jobs), Failed: failed, NoData: noData}, Entries: entries}, withParams)
}

// runsFile lists, in a report folder, the runs its index shows.
const runsFile = "runs.json"

// reportRun is one run as runs.json keeps it.
type reportRun struct {
	ipynb.Run
	Entries []ipynb.IndexEntry `json:"entries"`
}

// reportRuns is the content of runs.json: the run with the defaults, and
// the runs with parameters, newest first.
type reportRuns struct {
	Defaults *reportRun  `json:"defaults,omitempty"`
	Runs     []ipynb.Run `json:"runs,omitempty"`
}

// readRuns reads out/runs.json; a missing file is no runs.
func readRuns(out string) (reportRuns, error) {
	var rs reportRuns
	data, err := os.ReadFile(filepath.Join(out, runsFile))
	if errors.Is(err, os.ErrNotExist) {
		return rs, nil
	}
	if err != nil {
		return rs, err
	}
	if err := json.Unmarshal(data, &rs); err != nil {
		return rs, fmt.Errorf("report: %s: %w (delete it to start the list of runs afresh)", filepath.Join(out, runsFile), err)
	}
	return rs, nil
}

// recordRun adds a run to out/runs.json, replacing an earlier run of the
// same folder.
func recordRun(out string, r reportRun, withParams bool) error {
	rs, err := readRuns(out)
	if err != nil {
		return err
	}
	if !withParams {
		rs.Defaults = &r
	} else {
		kept := []ipynb.Run{r.Run}
		for _, x := range rs.Runs {
			if x.Folder != r.Folder {
				kept = append(kept, x)
			}
		}
		rs.Runs = kept
	}
	data, err := json.MarshalIndent(rs, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, runsFile), data, 0o644)
}

// writeTopIndex writes out/index.html: the notebooks of the run with
// defaults and, when there are any, every run with parameters. It returns
// the page's absolute path.
func writeTopIndex(out string) (string, error) {
	rs, err := readRuns(out)
	if err != nil {
		return "", err
	}
	index := filepath.Join(out, "index.html")
	err = writeHTML(index, func(w io.Writer) error {
		var defaults []ipynb.IndexEntry
		if rs.Defaults != nil {
			defaults = rs.Defaults.Entries
		}
		if len(rs.Runs) == 0 {
			return ipynb.RenderIndex(w, "lenslog reports", defaults)
		}
		return ipynb.RenderRunsIndex(w, "lenslog reports", defaults, rs.Runs)
	})
	if err != nil {
		return "", err
	}
	if abs, err := filepath.Abs(index); err == nil {
		index = abs
	}
	return index, nil
}

// replayReport is `report -replay RUNDIR`: it replays every executed
// notebook of the folder into RUNDIR/replay, renders them, and says which
// print the same figures.
func replayReport(ctx context.Context, cfg runConfig, dir string, stdout, stderr io.Writer) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil || len(paths) == 0 {
		return fmt.Errorf("%w: no executed notebooks in %s", errUsage, dir)
	}
	sort.Strings(paths)
	var jobs []job
	for _, p := range paths {
		j, err := prepareReplay(cfg.tools.root, p)
		if err != nil {
			return err
		}
		jobs = append(jobs, j)
	}
	out := filepath.Join(dir, "replay")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var entries []ipynb.IndexEntry
	names := map[string]bool{}
	differ := 0
	for _, j := range jobs {
		sayPins(stderr, j)
		o := runOne(ctx, cfg, j)
		printOutcome(stderr, o)
		e, err := writeReport(o, out, uniqueName(j.path, names), cfg.showCode)
		if err != nil {
			return err
		}
		entries = append(entries, e)
		if o.failure != nil || sayVerdict(stderr, o) != nil {
			differ++
		}
	}
	index := filepath.Join(out, "index.html")
	if err := writeHTML(index, func(w io.Writer) error {
		return ipynb.RenderIndex(w, "lenslog replay of "+dir, entries)
	}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, index)
	if differ > 0 {
		return fmt.Errorf("%d of %d notebooks do not replay the same; see %s", differ, len(jobs), index)
	}
	return nil
}
