package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lenslog/lenslog/internal/bench"
	"github.com/lenslog/lenslog/internal/toolchain"
)

// The bench command measures lenslog against json + pandas; the harness is
// internal/bench. bench-step is its child side, hidden from the help: bench
// starts this program again with it, once per measured step.

func init() {
	register(command{
		name:    "bench",
		summary: "measure lenslog against json + pandas on the same data, side by side",
		run:     runBench,
	})
	register(command{
		name:    benchStepCommand,
		summary: "run one measured step of bench (bench starts it in a child process)",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return bench.StepMain(ctx, args, stdout, stderr)
		},
		hidden: true,
	})
}

// benchStepCommand is the hidden command bench's children run.
const benchStepCommand = "bench-step"

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := bench.Options{Command: strings.TrimSpace("go run ./kernel bench " + strings.Join(args, " "))}
	fs := newFlagSet("bench", stderr)
	fs.IntVar(&o.Rows, "rows", 1_000_000, "approximate Web API rows of the sample account (`N`)")
	fs.IntVar(&o.Rows2, "rows2", 0, "a second, larger size to run after -rows, e.g. 5000000; 0 for none (`N`)")
	fs.IntVar(&o.StoreRows, "store-rows", 0, "a size at which only store → analyses runs, e.g. 10000000 for the 1 GiB check; 0 for none (`N`)")
	fs.IntVar(&o.SliceRows, "slice-rows", 200_000, "the Web API rows whose first sync runs one page after another and in slices, 150 ms a request, e.g. 10000000; 0 for none (`N`)")
	fs.IntVar(&o.Reps, "reps", 3, "runs per step; the table shows the best (`N`)")
	fs.StringVar(&o.Dir, "dir", "", "folder for the pages, store and pandas frame (`DIR`; default a temporary folder, removed after)")
	fs.StringVar(&o.Python, "python", bench.DefaultPython, "Python with pandas (`PATH`); Debian's: "+bench.InstallPandas)
	fs.BoolVar(&o.NoPandas, "no-pandas", false, "run the lenslog side only")
	fs.BoolVar(&o.Keep, "keep", false, "keep the data folder (a -dir is always kept)")
	fs.StringVar(&o.Out, "out", "", "also write the report to `FILE`")
	fs.BoolVar(&o.NoReport, "no-report", false, "skip the whole-report step (two runs of `report`, a few minutes)")
	fs.StringVar(&o.Baseline, "baseline", "internal/bench/RESULTS.md", "name the steps more than 20% slower than this report's table (`FILE`; \"\" for none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel bench [-rows 1000000] [-rows2 5000000] [-store-rows 10000000] [-slice-rows 200000] [-reps 3] [-dir DIR] [-keep] [-python /usr/bin/python3] [-no-pandas] [-no-report] [-baseline FILE] [-out FILE]")
		fmt.Fprintln(stderr, "\nMeasures lenslog and json + pandas on the same sample data, each step in its own process,")
		fmt.Fprintln(stderr, "and prints a Markdown table of times, peak memory, ratios and whether each target is met;")
		fmt.Fprintln(stderr, "then the notebook loop: a cell's warm rebuild, a first sync over a slow link, the whole report.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to run its steps: %w", err)
	}
	o.Self = []string{exe, benchStepCommand}
	o.Report = []string{exe, "report"}
	o.CellGoflags = toolchain.CellGoflags("")
	if root, err := toolchain.RepoRoot(); err == nil {
		o.Root = root
	}
	if err := o.Check(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return bench.Run(ctx, o, stdout, stderr)
}
