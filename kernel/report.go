package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/lenslog/lenslog/internal/toolchain"
	"github.com/lenslog/lenslog/pkg/pdf"
	"github.com/lenslog/lenslog/pkg/report"
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
	parallel := fs.Int("j", runtime.NumCPU(), "run up to `N` notebooks at the same time (default: the machine's cores)")
	showCode := fs.Bool("code", false, "show the notebooks' code on the pages, for analysts (default: a reader's view, outputs only)")
	printPDF := fs.Bool("pdf", false, "also print each page to a PDF beside it, with headless Chromium")
	var f report.Flags
	f.Register(fs, "re-run the report in `RUNDIR` pinned to its recorded snapshot, into RUNDIR/replay, and say whether each notebook prints the same")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel report [-out reports] [-j N] [-timeout 10m] [-keep-going] [-redact] [-code] [-pdf] [-max-output LIMITS] [-mem SIZE] [-p name=value]... [-f FILE] [NOTEBOOK...]")
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
	if err := f.Check(fs.Args(), "the report folder"); err != nil {
		return err
	}
	if *parallel < 1 {
		return fmt.Errorf("%w: -j %d: want at least 1 notebook at a time", errUsage, *parallel)
	}
	sets, err := f.Sets()
	if err != nil {
		return err
	}
	var all [][]report.Job
	if f.Replay == "" { // parameter mistakes are found before anything is built or started
		paths := fs.Args()
		if len(paths) == 0 {
			root, err := toolchain.RepoRoot()
			if err != nil {
				return err
			}
			if paths, err = report.Notebooks(root); err != nil {
				return err
			}
		}
		if all, err = report.PrepareAll(paths, sets, stderr); err != nil {
			return err
		}
	}
	r, err := newRunner(ctx, &f, stderr)
	if err != nil {
		return err
	}
	r.Parallel = *parallel
	r.ShowCode = *showCode
	if f.Replay != "" {
		return r.ReplayReport(ctx, f.Replay, stdout, stderr)
	}
	err = r.Report(ctx, all, sets, *out, stdout, stderr)
	if *printPDF && ctx.Err() == nil {
		if _, perr := pdf.PrintReports(*out, pdf.Options{}); perr != nil && err == nil {
			err = perr
		}
	}
	return err
}
