package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/preflight"
)

func init() {
	register(command{
		name:    "doctor",
		summary: "say which account the settings reach, what the token may read, and the store's state",
		run:     runDoctor,
	})
}

// preflightTimeout bounds the check run and report make first.
const preflightTimeout = 10 * time.Second

func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("doctor", stderr)
	timeout := fs.Duration("timeout", preflightTimeout, "give the API this long to answer")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel doctor [-timeout 10s]")
		fmt.Fprintln(stderr, "\nResolves the settings as notebooks do, calls each API method once (one row), and reads the")
		fmt.Fprintln(stderr, "local store's state. Exits 1 when a run could not read the logs, saying what to fix.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := lenslog.ConfigFromEnv()
	if err != nil {
		return err
	}
	r, err := preflight.Check(ctx, cfg, *timeout)
	if err != nil {
		return err
	}
	r.Write(stdout)
	st, err := preflight.Store(cfg)
	switch {
	case err != nil:
		fmt.Fprintf(stdout, "store: %v\n", err)
	case st != nil:
		fmt.Fprintln(stdout, st)
		if st.Damage != nil {
			return fmt.Errorf("the store is damaged: run go run ./kernel sync -repair")
		}
	}
	if err := r.Stop(); err != nil {
		return fmt.Errorf("a run would stop: %w", err)
	}
	fmt.Fprintln(stdout, "ready: go run ./kernel report")
	return nil
}

// preflightRun is the check run and report make before building or
// starting anything: a token that cannot read the logs stops them with one
// sentence; a missing optional permission is a warning.
func preflightRun(ctx context.Context, cfg lenslog.Config, stderr io.Writer) error {
	r, err := preflight.Check(ctx, cfg, preflightTimeout)
	if err != nil {
		return err
	}
	if err := r.Stop(); err != nil {
		return fmt.Errorf("%w (no notebook was run; `go run ./kernel doctor` shows the whole check)", err)
	}
	for _, w := range r.Warnings() {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	return nil
}
