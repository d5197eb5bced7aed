package main

import (
	"context"
	"fmt"
	"io"

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

func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("doctor", stderr)
	timeout := fs.Duration("timeout", preflight.Timeout, "give the API this long to answer")
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
	return preflight.Doctor(ctx, cfg, *timeout, stdout)
}
