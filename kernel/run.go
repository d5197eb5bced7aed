package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/jupyter"
	"github.com/lenslog/lenslog/pkg/lenslog"
)

func init() {
	register(command{
		name:    "run",
		summary: "run notebooks headless on GoNB and save them executed",
		run:     runRun,
	})
}

// outSuffix names the executed copy written next to a notebook by default,
// as nbconvert's NAME.nbconvert.ipynb does.
const outSuffix = ".out.ipynb"

// runConfig holds what every notebook run needs.
type runConfig struct {
	tools     *tools
	timeout   time.Duration
	keepGoing bool
	// redactKey, when set, turns on redaction in every kernel of the run
	// with this one pseudonym key, so a key has the same pseudonym in every
	// notebook of a report.
	redactKey string
	progress  io.Writer
	// limits bound each cell's outputs.
	limits jupyter.OutputLimits
}

// maxOutputUsage documents -max-output for run and report.
var maxOutputUsage = "bound each cell's output: `LIMITS` is a SIZE of text, or text=SIZE,data=SIZE,outputs=N with SIZE like 4MiB or none " +
	"(default " + jupyter.OutputLimits{}.String() + "); past a limit the rest is dropped with a note"

// redactRequested reports whether to redact: the -redact flag, or
// LENSLOG_REDACT=1 in the environment, which a user may well set instead
// of the flag and must not be silently ignored.
func redactRequested(flag bool) bool { return flag || os.Getenv(lenslog.EnvRedact) == "1" }

// newRedactKey returns a fresh random pseudonym key, as hex, when redact
// is asked for, and "" when not.
func newRedactKey(redact bool) (string, error) {
	if !redact {
		return "", nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("make a redaction key: %w", err)
	}
	return hex.EncodeToString(key), nil
}

// outcome is the result of running one notebook.
type outcome struct {
	path     string
	nb       *ipynb.Notebook    // nil if the file could not be read
	failure  *ipynb.Failure     // nil if every cell ran
	cellErr  *jupyter.CellError // the first failing cell, if any
	duration time.Duration
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	timeout := fs.Duration("timeout", 10*time.Minute, "time limit for each cell")
	out := fs.String("out", "", "write executed notebooks to `DIR`/NAME.ipynb (default: NAME"+outSuffix+" next to each notebook)")
	keepGoing := fs.Bool("keep-going", false, "run the remaining cells after a cell fails")
	redact := fs.Bool("redact", false, "have the data loaders redact personal data (also when $LENSLOG_REDACT=1); one pseudonym key per run")
	var limits jupyter.OutputLimits
	fs.Var(&limits, "max-output", maxOutputUsage)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel run [-timeout 10m] [-out DIR] [-keep-going] [-redact] NOTEBOOK...")
		fmt.Fprintln(stderr, "\nRuns each notebook on a fresh GoNB kernel in the notebook's folder and saves the executed copy.")
		fmt.Fprintln(stderr, "Stops a notebook at its first failing cell (unless -keep-going); exits 1 if any notebook failed.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: no notebook given", errUsage)
	}
	if *timeout <= 0 {
		return fmt.Errorf("%w: -timeout must be positive", errUsage)
	}
	t, err := ensureTools(ctx, "", stderr)
	if err != nil {
		return err
	}
	key, err := newRedactKey(redactRequested(*redact))
	if err != nil {
		return err
	}
	cfg := runConfig{tools: t, timeout: *timeout, keepGoing: *keepGoing, redactKey: key, progress: stderr}
	cfg.limits = limits
	failed := 0
	for _, path := range fs.Args() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		o := runOne(ctx, cfg, path)
		dest := runOutputPath(path, *out)
		if o.nb != nil {
			if err := writeNotebook(dest, o.nb); err != nil {
				return err
			}
			fmt.Fprintln(stdout, dest)
		}
		if o.failure != nil {
			failed++
		}
		printOutcome(stderr, o)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed", failed, fs.NArg())
	}
	return nil
}

// runOutputPath returns where the executed copy of path goes: DIR/NAME.ipynb
// with -out DIR, else NAME.out.ipynb next to it.
func runOutputPath(path, outDir string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	if outDir != "" {
		return filepath.Join(outDir, base+".ipynb")
	}
	return filepath.Join(filepath.Dir(path), base+outSuffix)
}

// writeNotebook writes nb to path, creating its folder.
func writeNotebook(path string, nb *ipynb.Notebook) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return ipynb.WriteFile(path, nb)
}

// runOne runs the notebook at path on a fresh kernel started in the
// notebook's folder. A notebook that cannot be read, or whose kernel does
// not start, fails without a cell.
func runOne(ctx context.Context, cfg runConfig, path string) (o outcome) {
	start := time.Now()
	o.path = path
	defer func() { o.duration = time.Since(start) }()
	nb, err := ipynb.ReadFile(path)
	if err != nil {
		o.failure = &ipynb.Failure{Message: err.Error()}
		return o
	}
	o.nb = nb
	nb.ClearOutputs()
	nb.Metadata.KernelSpec = &ipynb.KernelSpec{Name: kernelName, DisplayName: kernelDisplayName, Language: "go"}
	err = execute(ctx, cfg, path, nb)
	var ce *jupyter.CellError
	switch {
	case err == nil:
	case errors.As(err, &ce):
		o.cellErr = ce
		o.failure = &ipynb.Failure{Cell: ce.Cell, Message: ce.Message() + moreFailures(err)}
	default:
		o.failure = &ipynb.Failure{Message: err.Error()}
	}
	return o
}

// moreFailures notes further failing cells of a -keep-going run.
func moreFailures(err error) string {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok || len(j.Unwrap()) < 2 {
		return ""
	}
	var cells []string
	for _, e := range j.Unwrap()[1:] {
		var ce *jupyter.CellError
		if errors.As(e, &ce) {
			cells = append(cells, fmt.Sprint(ce.Cell))
		}
	}
	return "\n(cells " + strings.Join(cells, ", ") + " failed too)"
}

// execute starts a kernel for the notebook at path and runs nb on it.
func execute(ctx context.Context, cfg runConfig, path string, nb *ipynb.Notebook) error {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	tmp, err := jupyter.MkdirTemp("lenslog-run-") // a later run removes it should this one be killed
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	env, err := kernelEnv(cfg.tools, tmp, cfg.redactKey)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	fmt.Fprintf(cfg.progress, "%s: starting kernel\n", name)
	k, err := jupyter.Start(ctx, jupyter.Options{
		Argv:   []string{cfg.tools.gonb(), "--kernel", jupyter.ConnectionFileArg, "--raw_error"},
		Dir:    dir,
		Env:    env,
		Limits: cfg.limits,
	})
	if err != nil {
		return fmt.Errorf("run %s: %w", path, err)
	}
	defer k.Close()
	return jupyter.RunNotebook(ctx, k, nb, jupyter.RunOptions{
		CellTimeout: cfg.timeout,
		KeepGoing:   cfg.keepGoing,
		Progress: func(cell, rank, total int) {
			fmt.Fprintf(cfg.progress, "%s: cell %d (code %d/%d)\n", name, cell, rank, total)
		},
	})
}

// kernelEnv returns the kernel's environment: this process's, with a PATH
// that starts with the tools and the go command and holds no gopls (GoNB
// would start it outside the kernel's process group), GOFLAGS with the
// cells' link flags (cellGoflags), TMPDIR set to tmp so
// that GoNB's work files and value cache are per run, and the redaction
// variables set from redactKey alone (none when it is "").
func kernelEnv(t *tools, tmp, redactKey string) ([]string, error) {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "PATH", "TMPDIR", "GOFLAGS", lenslog.EnvRedact, lenslog.EnvRedactKey:
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PATH="+joinPath(t.bin, t.goBin, withoutGopls(os.Getenv("PATH"))), "TMPDIR="+tmp,
		"GOFLAGS="+cellGoflags(os.Getenv("GOFLAGS")))
	if redactKey != "" {
		env = append(env, lenslog.EnvRedact+"=1", lenslog.EnvRedactKey+"="+redactKey)
	}
	return env, nil
}

// withoutGopls drops the PATH entries that hold a gopls binary.
func withoutGopls(path string) string {
	var keep []string
	for _, d := range filepath.SplitList(path) {
		if _, err := os.Stat(filepath.Join(d, "gopls")); err == nil {
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

// printOutcome reports one notebook's result: ok with its time, or the
// failing cell's first lines and the error.
func printOutcome(w io.Writer, o outcome) {
	if o.failure == nil {
		fmt.Fprintf(w, "ok   %s (%v)\n", o.path, o.duration.Round(100*time.Millisecond))
		return
	}
	if o.cellErr == nil {
		fmt.Fprintf(w, "FAIL %s: %s\n", o.path, o.failure.Message)
		return
	}
	fmt.Fprintf(w, "FAIL %s: cell %d failed (%v)\n", o.path, o.failure.Cell, o.duration.Round(100*time.Millisecond))
	fmt.Fprintln(w, indent(ipynb.FirstLines(o.cellErr.Source, 5), "    | "))
	fmt.Fprintln(w, indent(ipynb.FirstLines(o.failure.Message, 25), "    "))
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}
