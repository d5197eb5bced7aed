package report

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
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/jupyter"
	"github.com/lenslog/lenslog/pkg/params"
)

// Notebooks lists notebooks/*.ipynb under root, sorted, leaving out
// executed copies written by run (NAME.out.ipynb).
func Notebooks(root string) ([]string, error) {
	all, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range all {
		if !strings.HasSuffix(p, OutSuffix) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("report: no notebooks in %s", filepath.Join(root, "notebooks"))
	}
	sort.Strings(paths)
	return paths, nil
}

// all runs the jobs, up to r.Parallel at a time, each on a kernel
// of its own (its own temporary folder, so GoNB's work files and value
// cache are its own too), and writes each one's executed copy and page into
// out as it finishes, continuing after failures. It returns the index
// entries, in the order of jobs, and the number of failed notebooks; an
// error only for a file it cannot write or an interrupt.
func (r Runner) all(ctx context.Context, jobs []Job, out string, stderr io.Writer) ([]ipynb.IndexEntry, int, error) {
	var mu sync.Mutex // guards stderr's lines and everything below
	r.Progress = &lockedWriter{w: r.Progress, mu: &mu}
	locked := &lockedWriter{w: stderr, mu: &mu}
	names := map[string]bool{}
	unique := make([]string, len(jobs)) // chosen in order, as one at a time would
	for i, j := range jobs {
		unique[i] = uniqueName(j.Path, names)
	}
	entries := make([]ipynb.IndexEntry, len(jobs))
	failed := 0
	var slow slowest
	var werr error
	start := time.Now()
	sem := make(chan struct{}, max(r.Parallel, 1))
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(locked, "[%d/%d] %s\n", i+1, len(jobs), j.Path)
		wg.Go(func() {
			defer func() { <-sem }()
			o, err := r.runExporting(ctx, j, filepath.Join(out, unique[i]))
			e, werr2 := writeReport(o, out, unique[i], r.ShowCode)
			err = cmp.Or(err, werr2)
			mu.Lock()
			defer mu.Unlock()
			PrintOutcome(stderr, o)
			slow.note(o)
			entries[i] = e
			if o.Failure != nil {
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
func (s *slowest) note(o Outcome) {
	if o.NB == nil {
		return
	}
	for i, c := range o.NB.Cells {
		if d, ok := jupyter.CellDuration(c); ok && d > s.took {
			*s = slowest{path: o.Path, cell: i + 1, took: d}
		}
	}
}

// print says how long the whole report took and which cell was slowest.
func (s slowest) print(w io.Writer, notebooks int, total time.Duration) {
	fmt.Fprintf(w, "%s in %s", format.Counted(notebooks, "notebook", "notebooks"), format.Duration(total))
	if s.took > 0 {
		fmt.Fprintf(w, "; slowest cell: %s cell %d (%s)", filepath.Base(s.path), s.cell, format.Duration(s.took))
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
func writeReport(o Outcome, out, name string, showCode bool) (ipynb.IndexEntry, error) {
	e := ipynb.IndexEntry{Name: name, Failure: o.Failure, NoData: o.NoData, Duration: o.Duration}
	if o.NB == nil {
		return e, nil
	}
	e.Title = o.NB.Title()
	e.Describe(o.NB)
	if err := writeNotebook(filepath.Join(out, name+".ipynb"), o.NB); err != nil {
		return e, err
	}
	e.Notebook = name + ".ipynb"
	err := writeHTML(filepath.Join(out, name+".html"), func(w io.Writer) error {
		title := e.Title
		if title == "" {
			title = name
		}
		return ipynb.RenderHTML(w, o.NB, ipynb.RenderOptions{Title: title, Failure: o.Failure, ShowCode: showCode})
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

// Set runs one parameter set's notebooks into its folder under out (out
// itself for a run without parameters), writes the folder's index, and
// records the run for the top index (see WriteIndex). It returns the
// failed notebooks.
func (r Runner) Set(ctx context.Context, jobs []Job, out string, set params.Set, withParams bool, stderr io.Writer) (int, error) {
	dir, title := out, "lenslog reports"
	if withParams {
		dir, title = filepath.Join(out, set.Folder()), "lenslog reports: "+set.String()
		fmt.Fprintf(stderr, "parameters %s -> %s\n", set, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("report: %w", err)
	}
	start := time.Now()
	entries, failed, err := r.all(ctx, jobs, dir, stderr)
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

// WriteIndex writes out/index.html: the notebooks of the run with
// defaults and, when there are any, every run with parameters. It returns
// the page's absolute path.
func WriteIndex(out string) (string, error) {
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

// ReplayReport is `report -replay RUNDIR`: it replays every executed
// notebook of the folder into RUNDIR/replay, renders them, and says which
// print the same figures.
func (r Runner) ReplayReport(ctx context.Context, dir string, stdout, stderr io.Writer) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil || len(paths) == 0 {
		return ParamError("no executed notebooks in " + dir)
	}
	sort.Strings(paths)
	var jobs []Job
	for _, p := range paths {
		j, err := PrepareReplay(r.Root, p)
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
		o := r.Run(ctx, j)
		PrintOutcome(stderr, o)
		e, err := writeReport(o, out, uniqueName(j.Path, names), r.ShowCode)
		if err != nil {
			return err
		}
		entries = append(entries, e)
		if o.Failure != nil || sayVerdict(stderr, o) != nil {
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

// Report runs every set's jobs into its folder under out (out itself for
// a run without parameters), writes out/index.html and prints its path
// on stdout. It fails when a notebook failed, saying how many.
func (r Runner) Report(ctx context.Context, all [][]Job, sets []params.Set, out string, stdout, stderr io.Writer) error {
	withParams := len(sets) > 1 || len(sets[0]) > 0
	failed, total := 0, 0
	for i, jobs := range all {
		n, err := r.Set(ctx, jobs, out, sets[i], withParams, stderr)
		if err != nil {
			return err
		}
		failed, total = failed+n, total+len(jobs)
	}
	index, err := WriteIndex(out)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, index)
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed; see %s", failed, total, index)
	}
	return nil
}
