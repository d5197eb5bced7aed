package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/jupyter"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/report"
)

func init() {
	register(command{
		name:    "run",
		summary: "run notebooks headless on GoNB and save them executed",
		run:     runRun,
	})
}

// runFlags are the flags run and report share.
type runFlags struct {
	timeout   time.Duration
	keepGoing bool
	redact    bool
	replay    string
	limits    jupyter.OutputLimits
	memory    jupyter.MemoryLimit
	params    paramFlags
}

// register adds the shared flags to fs; replayUsage documents -replay.
func (f *runFlags) register(fs *flag.FlagSet, replayUsage string) {
	fs.DurationVar(&f.timeout, "timeout", 10*time.Minute, "time limit for each cell")
	fs.BoolVar(&f.keepGoing, "keep-going", false, "run the remaining cells of a notebook after a cell fails")
	fs.BoolVar(&f.redact, "redact", false, "have the data loaders redact personal data (also when $LENSLOG_REDACT=1); one pseudonym key per run")
	f.params.register(fs)
	fs.StringVar(&f.replay, "replay", "", replayUsage)
	fs.Var(&f.limits, "max-output", "bound each cell's output: `LIMITS` is a SIZE of text, or text=SIZE,data=SIZE,outputs=N with SIZE like 4MiB or none "+
		"(default "+jupyter.OutputLimits{}.String()+"); past a limit the rest is dropped with a note")
	fs.Var(&f.memory, "mem", "bound the memory of each process a cell runs (the kernel, the build, the cell's program) to `SIZE`, e.g. 8GiB, or none (default "+f.memory.String()+"; Linux)")
}

// check rejects flag combinations that make no sense; what names the
// recorded thing -replay takes.
func (f *runFlags) check(fs *flag.FlagSet, what string) error {
	if f.replay != "" && (fs.NArg() > 0 || len(f.params.given) > 0 || f.params.file != "") {
		return fmt.Errorf("%w: -replay takes %s alone: its parameters are recorded in it", errUsage, what)
	}
	if f.timeout <= 0 {
		return fmt.Errorf("%w: -timeout must be positive", errUsage)
	}
	return nil
}

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

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	out := fs.String("out", "", "write executed notebooks to `DIR`/NAME.ipynb (default: NAME"+report.OutSuffix+" next to each notebook)")
	var f runFlags
	f.register(fs, "re-run the executed notebook `EXECUTED.ipynb` pinned to its recorded snapshot (same now, rows up to the recorded ids) and say whether it prints the same")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel run [-timeout 10m] [-out DIR] [-keep-going] [-redact] [-max-output LIMITS] [-p name=value]... [-f FILE] NOTEBOOK...")
		fmt.Fprintln(stderr, "       go run ./kernel run -replay EXECUTED.ipynb [-out DIR]")
		fmt.Fprintln(stderr, "\nRuns each notebook on a fresh GoNB kernel in the notebook's folder and saves the executed copy.")
		fmt.Fprintln(stderr, "Stops a notebook at its first failing cell (unless -keep-going); exits 1 if any notebook failed.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.check(fs, "the executed notebook"); err != nil {
		return err
	}
	if f.replay == "" && fs.NArg() == 0 {
		return fmt.Errorf("%w: no notebook given", errUsage)
	}
	sets, err := f.params.sets()
	if err != nil {
		return err
	}
	if len(sets) > 1 && *out == "" {
		return fmt.Errorf("%w: %d parameter sets write a folder each: give -out DIR", errUsage, len(sets))
	}
	var all [][]report.Job
	if f.replay == "" { // parameter mistakes are found before anything is built or started
		if all, err = report.PrepareAll(fs.Args(), sets, stderr); err != nil {
			return err
		}
	}
	r, err := newRunner(ctx, f, stderr)
	if err != nil {
		return err
	}
	if f.replay != "" {
		return r.ReplayRun(ctx, f.replay, *out, stdout, stderr)
	}
	failed, total := 0, 0
	for i, jobs := range all {
		dir := *out
		if len(sets) > 1 {
			dir = filepath.Join(*out, sets[i].Folder())
		}
		for _, j := range jobs {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			o := r.Run(ctx, j)
			if err := report.SaveRun(o, report.RunOutputPath(j.Path, dir), stdout); err != nil {
				return err
			}
			total++
			if o.Failure != nil {
				failed++
			}
			report.PrintOutcome(stderr, o)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed", failed, total)
	}
	return nil
}

// newRunner builds the tools and returns the runner the shared flags
// describe, its kernels started by kernelCommand, every notebook of the
// run on one clock (report.Clock) read from the settings, once the
// preflight found that the token can read the logs.
func newRunner(ctx context.Context, f runFlags, stderr io.Writer) (*report.Runner, error) {
	start := time.Now()
	cfg, err := lenslog.ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	if f.replay == "" { // a replay reads the store as it is
		if err := preflightRun(ctx, cfg, stderr); err != nil {
			return nil, err
		}
	}
	t, err := ensureTools(ctx, "", stderr)
	if err != nil {
		return nil, err
	}
	key, err := newRedactKey(redactRequested(f.redact))
	if err != nil {
		return nil, err
	}
	return &report.Runner{
		Kernel:    func(tmp string) ([]string, []string, error) { return kernelCommand(t, tmp, key) },
		Spec:      ipynb.KernelSpec{Name: kernelName, DisplayName: kernelDisplayName, Language: "go"},
		Root:      t.root,
		Timeout:   f.timeout,
		KeepGoing: f.keepGoing,
		Progress:  stderr,
		Version:   report.Version(ctx, t.root),
		Limits:    f.limits,
		Memory:    f.memory.Bytes(),
		Env:       report.Clock(cfg, start),
	}, nil
}

// kernelCommand returns the command line and environment of a GoNB
// kernel whose temporary folder is tmp (see kernelEnv).
func kernelCommand(t *tools, tmp, redactKey string) (argv, env []string, err error) {
	env, err = kernelEnv(t, tmp, redactKey)
	return []string{t.gonb(), "--kernel", jupyter.ConnectionFileArg, "--raw_error"}, env, err
}

// kernelEnv returns the kernel's environment: this process's, with a PATH
// that starts with the tools and the go command and holds no gopls (GoNB
// would start it outside the kernel's process group), GOFLAGS with the
// cells' link flags (cellGoflags), TMPDIR set to tmp so
// that GoNB's work files and value cache are per run, and the redaction
// variables set from redactKey alone (none when it is ""), and
// $LENSLOG_TOKEN_FILE naming the apitokens.json of the working directory.
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
	if f := tokenFileHere(); f != "" {
		env = append(env, lenslog.EnvTokenFile+"="+f)
	}
	return env, nil
}

// tokenFileHere returns the apitokens.json of the folder the command runs
// in, as an absolute path, when no token is set otherwise: notebooks read
// a token file only when named (see lenslog.ConfigFromEnv), so that a
// stray one beside a notebook never switches a report to live data.
func tokenFileHere() string {
	if os.Getenv(lenslog.EnvToken) != "" || os.Getenv(lenslog.EnvTokenFile) != "" {
		return ""
	}
	path, err := filepath.Abs(cryptolens.TokenFile)
	if err != nil {
		return ""
	}
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return path
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
