package bench

import (
	"context"
	"errors"
	"fmt"
	"github.com/lenslog/lenslog/pkg/format"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Options say what a bench run measures and where. The zero value of
// every field but Self is usable after Check; the kernel's bench command
// fills them from its flags.
type Options struct {
	Rows  int // approximate Web API rows of the sample account, at least 1000
	Rows2 int // a second, larger size to run after Rows; 0 for none
	// StoreRows is a size at which only the store step runs (store → the
	// three analyses, in fresh processes), on a store filled by a real
	// sync and no JSON pages or pandas: the check that 10M rows fit in
	// 1 GiB. 0 for none.
	StoreRows int
	// SliceRows is the size of the Web API Log whose first sync is
	// measured one page after another and in slices, 150 ms a request;
	// 0 for none.
	SliceRows int
	Reps      int    // runs per step; the table shows the best
	Dir       string // folder for the pages, store and pandas frame; "" means a temporary one, removed after
	Keep      bool   // keep the temporary folder (a Dir is always kept)
	Python    string // Python with pandas; "" means DefaultPython
	NoPandas  bool   // run the lenslog side only
	Out       string // also write the report to this file

	// Self is the argv that runs StepMain in a child process: this program
	// and the (hidden) command that calls StepMain, to which the step's
	// flags are appended. Required.
	Self []string
	// Command is how the user asked for this run, quoted in the report.
	Command string
	// Token is the sample server's access token; "" means a random one.
	// Tests set it to look for it in the output.
	Token string

	// The notebook loop's steps (a cell's rebuild, a first sync over a
	// slow link, the whole report) run once, after the sizes.
	//
	// Root is the repository the cell program is built against; "" skips
	// the cell step. CellGoflags is the GOFLAGS the kernel gives cells
	// (the new way; the old ways are a plain go build of this code and of
	// the code of 29 November, cellBaseline).
	Root, CellGoflags string
	// Report is the argv that runs the report command (the kernel program
	// and "report"), to which -j and -out are appended; nil or NoReport
	// skips the report step.
	Report   []string
	NoReport bool
	// Baseline is the RESULTS.md whose table this run is compared with,
	// naming any step more than 20% slower; "" for none.
	Baseline string
}

// DefaultPython is the interpreter the pandas side runs under unless
// Options.Python says otherwise: Debian's, where python3-pandas installs.
const DefaultPython = "/usr/bin/python3"

// Check says what is wrong with o, if anything, as the flag at fault
// would say it; it fills in defaults.
func (o *Options) Check() error {
	switch {
	case o.Rows < 1000:
		return fmt.Errorf("-rows %d: want at least 1000 (one page)", o.Rows)
	case o.Rows2 != 0 && o.Rows2 < 1000:
		return fmt.Errorf("-rows2 %d: want 0 (none) or at least 1000", o.Rows2)
	case o.SliceRows != 0 && o.SliceRows < 1000:
		return fmt.Errorf("-slice-rows %d: want 0 (none) or at least 1000", o.SliceRows)
	case o.StoreRows != 0 && o.StoreRows < 1000:
		return fmt.Errorf("-store-rows %d: want 0 (none) or at least 1000", o.StoreRows)
	case o.Reps < 1:
		return fmt.Errorf("-reps %d: want at least 1", o.Reps)
	case len(o.Self) == 0:
		return errors.New("bench: Options.Self is empty: nothing runs the steps")
	}
	if o.Python == "" {
		o.Python = DefaultPython
	}
	return nil
}

// benchRows are the table's lines, in the order they are measured; the
// sync steps come first because the others read the store.
var benchRows = []benchRow{
	{title: "sync from the local server", ours: "sync", rate: rateRows},
	{title: "re-sync after 1,000 new rows", ours: "resync", target: target{requests: 2}},
	{title: "decode JSON pages → typed table, fresh process", ours: "decode", peer: "encoding/json", peerStep: "decode-json",
		target: target{speedup: 3}, rate: rateBytes},
	{title: "decode JSON pages → typed table, warm process", ours: "decode", peer: "encoding/json", peerStep: "decode-json",
		warm: true, target: target{speedup: 3}, rate: rateBytes},
	{title: "decode JSON pages → table / frame, fresh process", ours: "decode", peer: "pandas", peerStep: "decode", rate: rateBytes},
	{title: "JSON files → success ratio + heaviest keys + per day", ours: "e2e", peer: "pandas", peerStep: "e2e",
		target: target{speedup: 10, rssShare: 0.5}},
	{title: "same, with plain Append (columns not reserved)", ours: "e2e-append", peer: "pandas", peerStep: "e2e"},
	{title: "store → same three analyses (vs pandas from JSON)", ours: "store", peer: "pandas", peerStep: "e2e",
		target: target{speedup: 50, maxRSS: 64 << 20}},
	{title: "success ratio (in memory)", ours: "success", peer: "pandas", peerStep: "success", target: target{speedup: 1}},
	{title: "heaviest keys (in memory)", ours: "heaviest", peer: "pandas", peerStep: "heaviest", target: target{speedup: 1}},
	{title: "requests per day (in memory)", ours: "perday", peer: "pandas", peerStep: "perday", target: target{speedup: 1}},
	{title: "key sharing (in memory)", ours: "sharing", peer: "pandas", peerStep: "sharing", target: target{speedup: 1}},
	{title: "seat audit of one license (in memory)", ours: "seats", peer: "pandas", peerStep: "seats", target: target{speedup: 1}},
	{title: "typed table → gota DataFrame", ours: "frame"},
	{title: "HTML table of the whole frame", ours: "display", peer: "pandas", peerStep: "display",
		target: target{maxBytes: 64 << 10}},
}

// Run measures lenslog against what its users would otherwise use,
// Python's json + pandas, on the same data, and writes a Markdown report
// to stdout (and Options.Out); progress goes to stderr.
//
// For each size it generates the sample account, writes its Web API Log
// as the API's response bodies (1000-row pages, one file each), syncs it
// from the sample server on loopback into a store, then runs every step
// in a child process of its own (Options.Self, which runs StepMain, or the
// pandas script pandas_bench.py), so that each step's peak RSS is its own.
// Times are the best of Options.Reps runs made inside the child.
func Run(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	if err := o.Check(); err != nil {
		return err
	}
	py := pandasInfo{python: o.Python, why: "skipped (-no-pandas)"}
	if !o.NoPandas {
		if py = findPandas(ctx, o.Python); !py.ok() {
			fmt.Fprintf(stderr, "bench: pandas is not available: %s\n  install it with: %s\n  (running the lenslog side only)\n", py.why, InstallPandas)
		}
	}
	report, closeReport, err := reportWriter(o.Out, stdout)
	if err != nil {
		return err
	}
	defer closeReport()
	fmt.Fprintf(report, "# lenslog vs json + pandas\n\nMachine: %s.\n\n", machineLine(py))
	if line := memoryLine(ctx, &o); line != "" {
		fmt.Fprintf(report, "%s\n\n", line)
	}
	if o.Command != "" {
		fmt.Fprintf(report, "Command: `%s`.\n\n", o.Command)
	}
	fmt.Fprintf(report, "Every step runs in child processes of its own. Loading steps (decode, end to end, store) "+
		"run once per process, %d processes taking turns with the peer's, except in rows marked \"warm process\", "+
		"which repeat them in one process; in-memory steps load their input untimed "+
		"and repeat the work %d times in one process. Times are the best run; peak RSS is the process's own "+
		"high-water mark (VmHWM), input and interpreter included. \"lenslog is\" is peer time over lenslog time.\n",
		o.Reps, max(o.Reps, minInMemoryReps))
	load0 := loadAverage()
	var first []measured
	for i, n := range o.sizes() {
		rows, err := benchSize(ctx, &o, n, py, report, stderr)
		if err != nil {
			return err
		}
		if i == 0 {
			first = rows
		}
	}
	var large *storeOnly
	if o.StoreRows > 0 {
		if large, err = benchStoreOnly(ctx, &o, o.StoreRows, stderr); err != nil {
			return err
		}
		writeStoreOnly(report, large)
	}
	lr := measureLoop(ctx, &o, stderr)
	writeLoop(report, lr)
	if o.SliceRows > 0 {
		sl, err := measureSlices(ctx, &o, o.SliceRows, stderr)
		why := ""
		if err != nil {
			why = "failed: " + err.Error()
		}
		writeSlices(report, sl, why)
	}
	writeTargets(report, first, large, lr, o.Baseline)
	fmt.Fprintf(report, "\nLoad average (1, 5, 15 minutes) at the start: %s; at the end: %s; on %d cores. "+
		"Other work on the machine slows both sides of a row alike: read the ratios.\n", load0, loadAverage(), runtime.NumCPU())
	return nil
}

// loadAverage returns the system's load averages as /proc/loadavg gives
// them, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], ", ")
	}
	return "unknown"
}

// sizes lists the sizes to run.
func (o *Options) sizes() []int {
	if o.Rows2 > 0 {
		return []int{o.Rows, o.Rows2}
	}
	return []int{o.Rows}
}

// reportWriter returns where the report goes: stdout, and -out too.
func reportWriter(path string, stdout io.Writer) (io.Writer, func(), error) {
	if path == "" {
		return stdout, func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("-out: %w", err)
	}
	return io.MultiWriter(stdout, f), func() { f.Close() }, nil
}

// benchSize runs every step at one size and writes its table.
func benchSize(ctx context.Context, o *Options, rows int, py pandasInfo, report, stderr io.Writer) ([]measured, error) {
	dir, cleanup, err := o.sizeDir(rows)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	progress(stderr, "preparing %s rows in %s", format.Count(rows), dir)
	data, err := prepareBench(dir, rows, o.Token)
	if err != nil {
		return nil, fmt.Errorf("preparing the data: %w", err)
	}
	defer data.close()
	r := &runner{self: o.Self, cfgPath: data.cfgPath}
	if py.ok() {
		if r.script, err = writeScript(dir); err != nil {
			return nil, err
		}
		r.python = py.python
	}
	results, err := measureAll(ctx, o, r, data, stderr)
	if err != nil {
		return nil, err
	}
	cfg := data.cfg
	fmt.Fprintf(report, "\n## %s Web API rows (%s pages, %s of JSON)\n\n", format.Count(cfg.Rows),
		format.Count(cfg.PageCount), fmtBytes(cfg.PageBytes))
	writeTable(report, results)
	fmt.Fprintf(report, "\nSeat audit: the busiest floating license (%d seats).\n", cfg.AuditSeats)
	return results, nil
}

// storeOnly is the store step at a large size.
type storeOnly struct {
	rows int
	res  *stepResult
}

// benchStoreOnly fills a store with rows Web API rows by a sync from the
// sample server and runs the store step in Options.Reps fresh processes.
func benchStoreOnly(ctx context.Context, o *Options, rows int, stderr io.Writer) (*storeOnly, error) {
	dir, cleanup, err := o.sizeDir(rows)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	progress(stderr, "preparing a store of %s rows in %s (no pages, no pandas)", format.Count(rows), dir)
	data, err := prepareStore(dir, rows, o.Token)
	if err != nil {
		return nil, fmt.Errorf("preparing the data: %w", err)
	}
	r := &runner{self: o.Self, cfgPath: data.cfgPath}
	progress(stderr, "syncing %s rows", format.Count(rows))
	if _, err := r.goStep(ctx, "sync", 1, data.syncEnv()...); err != nil {
		data.close()
		return nil, err
	}
	n := data.cfg.Rows
	data.close() // the account's memory back before the measured children
	c := &collector{done: map[string]*stepResult{}, stderr: stderr}
	ours := side{"lenslog store", func(reps int) (stepResult, error) { return r.goStep(ctx, "store", reps) }}
	if err := c.alternate(o.Reps, ours); err != nil {
		return nil, err
	}
	return &storeOnly{rows: n, res: c.done[ours.key]}, nil
}

// writeStoreOnly writes the large store step's line.
func writeStoreOnly(w io.Writer, s *storeOnly) {
	fmt.Fprintf(w, "\n## %s Web API rows, store only\n\n", format.Count(s.rows))
	fmt.Fprintln(w, "| step | lenslog | lenslog peak RSS | target | met |")
	fmt.Fprintln(w, "| --- | ---: | ---: | --- | --- |")
	fmt.Fprintf(w, "| store → success ratio + heaviest keys + per day | %s | %s | ≤ 1 GiB RSS | %s |\n",
		fmtSeconds(best(s.res.Times)), fmtBytes(s.res.RSS), yesNo(s.res.RSS <= largeStoreRSS))
}

// largeStoreRSS is the peak RSS the store step may take at StoreRows.
const largeStoreRSS = 1 << 30

// sizeDir returns the folder for one size and what removes it.
func (o *Options) sizeDir(rows int) (string, func(), error) {
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "lenslog-bench-")
		if err != nil {
			return "", nil, err
		}
		if o.Keep {
			return dir, func() {}, nil
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	dir := filepath.Join(o.Dir, fmt.Sprintf("rows-%d", rows))
	if err := os.RemoveAll(dir); err != nil {
		return "", nil, err
	}
	return dir, func() {}, os.MkdirAll(dir, 0o700)
}

// memoryLine measures, in a fresh child, what this machine charges for
// memory: the floor under every step that loads data.
func memoryLine(ctx context.Context, o *Options) string {
	r := &runner{self: o.Self}
	res, err := r.goStep(ctx, "memory", 3)
	if err != nil || len(res.Times) != 3 {
		return ""
	}
	return fmt.Sprintf("Memory on this machine: the first touch of fresh memory costs %.2f s per GiB when each page faults in "+
		"on its first write, %.2f s per GiB when it is backed in one call first (what lenslog's tables do, see logs.Prefault); "+
		"copying memory already touched, %.3f s per GiB. A step run in a fresh process pays one of the first two for every byte of its peak RSS.",
		res.Times[0], res.Times[1], res.Times[2])
}

// progress prints a line on stderr, with the time.
func progress(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
