package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The bench command measures lenslog against what its users would
// otherwise use, Python's json + pandas, on the same data in one run:
//
//	go run ./kernel bench [-rows 1000000] [-rows2 5000000] [-reps 3] [-dir DIR] [-keep]
//	                      [-python /usr/bin/python3] [-no-pandas] [-out FILE]
//
// For each size it generates the sample account, writes its Web API Log
// as the API's response bodies (1000-row pages, one file each), syncs it
// from the sample server on loopback into a store, then runs every step
// in a child process of its own (this program's bench-step, or the pandas
// script benchdata/pandas_bench.py under -python), so that each step's
// peak RSS is its own. Times are the best of -reps runs made inside the
// child. It prints a Markdown table per size.

func init() {
	register(command{
		name:    "bench",
		summary: "measure lenslog against json + pandas on the same data, side by side",
		run:     runBench,
	})
}

// benchOptions are the bench command's flags, plus what tests set.
type benchOptions struct {
	rows, rows2, reps int
	dir, python, out  string
	keep, noPandas    bool

	self  []string // argv prefix that runs this program; nil means os.Executable()
	token string   // the sample server's token; empty means a random one
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
		target: target{speedup: 5, rssShare: 0.5}},
	{title: "same, with plain Append (columns not reserved)", ours: "e2e-append", peer: "pandas", peerStep: "e2e"},
	{title: "store → same three analyses (vs pandas from JSON)", ours: "store", peer: "pandas", peerStep: "e2e",
		target: target{speedup: 20}},
	{title: "success ratio (in memory)", ours: "success", peer: "pandas", peerStep: "success", target: target{speedup: 1}},
	{title: "heaviest keys (in memory)", ours: "heaviest", peer: "pandas", peerStep: "heaviest", target: target{speedup: 1}},
	{title: "requests per day (in memory)", ours: "perday", peer: "pandas", peerStep: "perday", target: target{speedup: 1}},
	{title: "key sharing (in memory)", ours: "sharing", peer: "pandas", peerStep: "sharing", target: target{speedup: 1}},
	{title: "seat audit of one license (in memory)", ours: "seats", peer: "pandas", peerStep: "seats", target: target{speedup: 1}},
	{title: "typed table → gota DataFrame", ours: "frame"},
	{title: "HTML table of the whole frame", ours: "display", peer: "pandas", peerStep: "display",
		target: target{maxBytes: 64 << 10}},
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseBench(args, stderr)
	if err != nil {
		return err
	}
	return benchWith(ctx, o, args, stdout, stderr)
}

// benchWith runs the bench with parsed options; args are the flags as
// given, for the report.
func benchWith(ctx context.Context, o *benchOptions, args []string, stdout, stderr io.Writer) error {
	if o.self == nil {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding this program to run its steps: %w", err)
		}
		o.self = []string{exe}
	}
	py := pandasInfo{python: o.python, why: "skipped (-no-pandas)"}
	if !o.noPandas {
		if py = findPandas(ctx, o.python); !py.ok() {
			fmt.Fprintf(stderr, "bench: pandas is not available: %s\n  install it with: %s\n  (running the lenslog side only)\n", py.why, installPandas)
		}
	}
	report, closeReport, err := reportWriter(o.out, stdout)
	if err != nil {
		return err
	}
	defer closeReport()
	fmt.Fprintf(report, "# lenslog vs json + pandas\n\nMachine: %s.\n\n", machineLine(py))
	if line := memoryLine(ctx, o); line != "" {
		fmt.Fprintf(report, "%s\n\n", line)
	}
	fmt.Fprintf(report, "Command: `go run ./kernel bench %s`.\n\n", strings.Join(args, " "))
	fmt.Fprintf(report, "Every step runs in child processes of its own. Loading steps (decode, end to end, store) "+
		"run once per process, %d processes taking turns with the peer's, except in rows marked \"warm process\", "+
		"which repeat them in one process; in-memory steps load their input untimed "+
		"and repeat the work %d times in one process. Times are the best run; peak RSS is the process's own "+
		"high-water mark (VmHWM), input and interpreter included. \"lenslog is\" is peer time over lenslog time.\n",
		o.reps, max(o.reps, minInMemoryReps))
	for _, n := range o.sizes() {
		if err := benchSize(ctx, o, n, py, report, stderr); err != nil {
			return err
		}
	}
	return nil
}

// parseBench reads the flags.
func parseBench(args []string, stderr io.Writer) (*benchOptions, error) {
	o := &benchOptions{}
	fs := newFlagSet("bench", stderr)
	fs.IntVar(&o.rows, "rows", 1_000_000, "approximate Web API rows of the sample account (`N`)")
	fs.IntVar(&o.rows2, "rows2", 0, "a second, larger size to run after -rows, e.g. 5000000; 0 for none (`N`)")
	fs.IntVar(&o.reps, "reps", 3, "runs per step; the table shows the best (`N`)")
	fs.StringVar(&o.dir, "dir", "", "folder for the pages, store and pandas frame (`DIR`; default a temporary folder, removed after)")
	fs.StringVar(&o.python, "python", "/usr/bin/python3", "Python with pandas (`PATH`); Debian's: "+installPandas)
	fs.BoolVar(&o.noPandas, "no-pandas", false, "run the lenslog side only")
	fs.BoolVar(&o.keep, "keep", false, "keep the data folder (a -dir is always kept)")
	fs.StringVar(&o.out, "out", "", "also write the report to `FILE`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel bench [-rows 1000000] [-rows2 5000000] [-reps 3] [-dir DIR] [-keep] [-python /usr/bin/python3] [-no-pandas] [-out FILE]")
		fmt.Fprintln(stderr, "\nMeasures lenslog and json + pandas on the same sample data, each step in its own process,")
		fmt.Fprintln(stderr, "and prints a Markdown table of times, peak memory, ratios and whether each target is met.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	case o.rows < 1000:
		return nil, fmt.Errorf("%w: -rows %d: want at least 1000 (one page)", errUsage, o.rows)
	case o.rows2 != 0 && o.rows2 < 1000:
		return nil, fmt.Errorf("%w: -rows2 %d: want 0 (none) or at least 1000", errUsage, o.rows2)
	case o.reps < 1:
		return nil, fmt.Errorf("%w: -reps %d: want at least 1", errUsage, o.reps)
	}
	return o, nil
}

// sizes lists the sizes to run.
func (o *benchOptions) sizes() []int {
	if o.rows2 > 0 {
		return []int{o.rows, o.rows2}
	}
	return []int{o.rows}
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
func benchSize(ctx context.Context, o *benchOptions, rows int, py pandasInfo, report, stderr io.Writer) error {
	dir, cleanup, err := o.sizeDir(rows)
	if err != nil {
		return err
	}
	defer cleanup()
	progress(stderr, "preparing %s rows in %s", groupDigits(int64(rows)), dir)
	data, err := prepareBench(dir, rows, o.token)
	if err != nil {
		return fmt.Errorf("preparing the data: %w", err)
	}
	defer data.close()
	r := &runner{self: o.self, cfgPath: data.cfgPath}
	if py.ok() {
		if r.script, err = writeScript(dir); err != nil {
			return err
		}
		r.python = py.python
	}
	results, err := measureAll(ctx, o, r, data, stderr)
	if err != nil {
		return err
	}
	cfg := data.cfg
	fmt.Fprintf(report, "\n## %s Web API rows (%s pages, %s of JSON)\n\n", groupDigits(int64(cfg.Rows)),
		groupDigits(int64(cfg.PageCount)), fmtBytes(cfg.PageBytes))
	writeTable(report, results)
	fmt.Fprintf(report, "\nSeat audit: the busiest floating license (%d seats).\n", cfg.AuditSeats)
	return nil
}

// sizeDir returns the folder for one size and what removes it.
func (o *benchOptions) sizeDir(rows int) (string, func(), error) {
	if o.dir == "" {
		dir, err := os.MkdirTemp("", "lenslog-bench-")
		if err != nil {
			return "", nil, err
		}
		if o.keep {
			return dir, func() {}, nil
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	dir := filepath.Join(o.dir, fmt.Sprintf("rows-%d", rows))
	if err := os.RemoveAll(dir); err != nil {
		return "", nil, err
	}
	return dir, func() {}, os.MkdirAll(dir, 0o700)
}

// memoryLine measures, in a fresh child, what this machine charges for
// memory: the floor under every step that loads data.
func memoryLine(ctx context.Context, o *benchOptions) string {
	r := &runner{self: o.self}
	res, err := r.goStep(ctx, "memory", 3)
	if err != nil || len(res.Times) != 3 {
		return ""
	}
	return fmt.Sprintf("Memory on this machine: the first touch of fresh memory costs %.2f s per GiB when each page faults in "+
		"on its first write, %.2f s per GiB when it is backed in one call first (what lenslog's tables do, see internal/prefault); "+
		"copying memory already touched, %.3f s per GiB. A step run in a fresh process pays one of the first two for every byte of its peak RSS.",
		res.Times[0], res.Times[1], res.Times[2])
}

// progress prints a line on stderr, with the time.
func progress(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
