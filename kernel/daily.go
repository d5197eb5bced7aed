package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/lenslog/lenslog/internal/runlock"
	"github.com/lenslog/lenslog/pkg/format"
)

func init() {
	register(command{
		name:    "daily",
		summary: "the scheduled job: sync, alert, report, under a lock",
		run:     runDaily,
	})
}

func runDaily(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("daily", stderr)
	lockFile := fs.String("lock", "lenslog-daily.lock", "the lock `FILE` that keeps two runs from overlapping")
	rules := fs.String("rules", "", "judge the rules in `FILE` after the sync (no alert step without it)")
	alerts := fs.String("alerts", "alerts.json", "where the alert step writes its results (`FILE`)")
	out := fs.String("out", "reports", "where the report step writes (`DIR`)")
	redact := fs.Bool("redact", false, "redact identifiers in the alerts and the reports")
	noReport := fs.Bool("no-report", false, "leave out the report step")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel daily [-lock lenslog-daily.lock] [-rules FILE] [-alerts alerts.json] [-out reports] [-redact] [-no-report]")
		fmt.Fprintln(stderr, "\nRuns sync, then alert (with -rules), then report, on the account the environment names,")
		fmt.Fprintln(stderr, "under a lock, printing one line per step. A failed step stops the job; a partly done one does not.")
		fmt.Fprintln(stderr, "Exit status: 0 done, 1 a step failed, 2 usage, 3 partly done, 4 a rule fired, 5 another run holds the lock.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	lk, err := runlock.Acquire(*lockFile, "kernel daily")
	if errors.Is(err, runlock.ErrHeld) {
		return &exitError{code: exitLocked, err: err}
	}
	if err != nil {
		return err
	}
	defer lk.Release()
	if lk.Stale != nil {
		fmt.Fprintf(stdout, "%s lock: the previous run, %s, ended without releasing %s (killed?); this run goes on\n",
			stamp(), lk.Stale, *lockFile)
	}
	steps := []struct {
		name string
		args []string
		skip bool
	}{
		{"sync", nil, false},
		{"alert", []string{"-rules", *rules, "-out", *alerts, "-redact=" + fmt.Sprint(*redact)}, *rules == ""},
		{"report", []string{"-out", *out, "-redact=" + fmt.Sprint(*redact)}, *noReport},
	}
	var fired, skipped error // a rule fired; a step skipped what it may not read
	for _, s := range steps {
		if s.skip {
			continue
		}
		start := time.Now()
		err := commands[s.name].run(ctx, s.args, stdout, stderr)
		took := format.Duration(time.Since(start))
		var ee *exitError
		switch {
		case errors.As(err, &ee) && ee.code == exitFired:
			fmt.Fprintf(stdout, "%s %s: %v, in %s\n", stamp(), s.name, err, took)
			fired = err
		case errors.Is(err, errSkipped):
			fmt.Fprintf(stdout, "%s %s: partly done in %s: %v\n", stamp(), s.name, took, err)
			skipped = err
		case err != nil:
			fmt.Fprintf(stdout, "%s %s: failed in %s: %v\n", stamp(), s.name, took, err)
			return fmt.Errorf("step %s: %w", s.name, err)
		default:
			fmt.Fprintf(stdout, "%s %s: ok in %s\n", stamp(), s.name, took)
		}
	}
	if fired != nil {
		return fired
	}
	return skipped
}

// stamp is the time at the start of a step's line, as a log reader sorts
// it: RFC 3339 to the second, always the same width (format.Time drops
// zero seconds and midnight's time, so its lines would not sort as text).
func stamp() string { return time.Now().UTC().Format(time.RFC3339) }
