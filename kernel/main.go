// Command kernel is lenslog's one program: it installs the Jupyter kernel,
// runs notebooks headless, renders shareable reports, serves the sample
// account, syncs logs into the local store and runs the benchmark.
//
// Usage:
//
//	go run ./kernel <command> [flags] [args]
//
// Each command lives in its own file and registers itself in commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/lenslog/lenslog/pkg/jupyter"
	"github.com/lenslog/lenslog/pkg/report"
)

// command is one subcommand: a name, a one-line summary and a function that
// parses its own flags from args and does the work. A hidden command is one
// the program runs itself (bench's child side): the help does not list it.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	hidden  bool
}

// commands holds every subcommand; each file adds its own in an init func.
var commands = map[string]command{}

// register adds c to commands; it panics on a duplicate name, which is a
// programming error caught by any test run.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("kernel: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks an error that the user fixes by reading the usage text.
var errUsage = errors.New("usage")

// errSkipped marks a command that did all it could but skipped some of
// its work for want of a permission or a method (sync): exit status 3, so
// a script can tell it from success and from failure.
var errSkipped = errors.New("partly done")

func main() {
	if code, ok := jupyter.Supervise(os.LookupEnv, os.Environ(), os.Args[1:]); ok { // run and report start kernels under this binary
		os.Exit(code)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain dispatches args to a command and returns the process exit code:
// 0 on success, 2 on a usage error, 3 when the command skipped part of its
// work it was not allowed to do (errSkipped), an *exitError's code, 1 on
// any other error.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kernel: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	err := c.run(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage) || errors.As(err, new(report.ParamError)):
		fmt.Fprintf(stderr, "kernel %s: %v\n", c.name, err)
		return 2
	case errors.As(err, new(*exitError)):
		fmt.Fprintf(stderr, "kernel %s: %v\n", c.name, err)
		var e *exitError
		errors.As(err, &e)
		return e.code
	case errors.Is(err, errSkipped):
		fmt.Fprintf(stderr, "kernel %s: %v\n", c.name, err)
		return 3
	default:
		fmt.Fprintf(stderr, "kernel %s: %v\n", c.name, err)
		return 1
	}
}

// exitError is an outcome a scheduler tells apart by the exit status:
// a rule fired (exitFired), another run holds the lock (exitLocked).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// The exit statuses besides 0 (done), 1 (error), 2 (usage) and 3
// (errSkipped); README's table of exit statuses lists them all.
const (
	exitFired  = 4
	exitLocked = 5
)

// usage prints the command list.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: go run ./kernel <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n, c := range commands {
		if !c.hidden {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "run 'go run ./kernel <command> -h' for a command's flags")
}

// newFlagSet returns a FlagSet for a command that reports errors instead of
// exiting and prints its usage to stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kernel "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
