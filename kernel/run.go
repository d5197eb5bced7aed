package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lenslog/lenslog/internal/toolchain"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/jupyter"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/preflight"
	"github.com/lenslog/lenslog/pkg/report"
)

func init() {
	register(command{
		name:    "run",
		summary: "run notebooks headless on GoNB and save them executed",
		run:     runRun,
	})
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	out := fs.String("out", "", "write executed notebooks to `DIR`/NAME.ipynb (default: NAME"+report.OutSuffix+" next to each notebook)")
	var f report.Flags
	f.Register(fs, "re-run the executed notebook `EXECUTED.ipynb` pinned to its recorded snapshot (same now, rows up to the recorded ids) and say whether it prints the same")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel run [-timeout 10m] [-out DIR] [-keep-going] [-redact] [-max-output LIMITS] [-mem SIZE] [-p name=value]... [-f FILE] NOTEBOOK...")
		fmt.Fprintln(stderr, "       go run ./kernel run -replay EXECUTED.ipynb [-out DIR]")
		fmt.Fprintln(stderr, "\nRuns each notebook on a fresh GoNB kernel in the notebook's folder and saves the executed copy.")
		fmt.Fprintln(stderr, "Stops a notebook at its first failing cell (unless -keep-going); exits 1 if any notebook failed.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.Check(fs.Args(), "the executed notebook"); err != nil {
		return err
	}
	if f.Replay == "" && fs.NArg() == 0 {
		return fmt.Errorf("%w: no notebook given", errUsage)
	}
	sets, err := f.Sets()
	if err != nil {
		return err
	}
	if len(sets) > 1 && *out == "" {
		return fmt.Errorf("%w: %d parameter sets write a folder each: give -out DIR", errUsage, len(sets))
	}
	var all [][]report.Job
	if f.Replay == "" { // parameter mistakes are found before anything is built or started
		if all, err = report.PrepareAll(fs.Args(), sets, stderr); err != nil {
			return err
		}
	}
	r, err := newRunner(ctx, &f, stderr)
	if err != nil {
		return err
	}
	if f.Replay != "" {
		return r.ReplayRun(ctx, f.Replay, *out, stdout, stderr)
	}
	return r.RunSets(ctx, all, sets, *out, stdout, stderr)
}

// newRunner returns the runner the shared flags describe, once the
// preflight found that the token can read the logs (not for a replay,
// which reads the store as it is), with the tools built, kernels started
// by kernelCommand and every notebook of the run on one clock
// (report.Clock), all read from the settings.
func newRunner(ctx context.Context, f *report.Flags, stderr io.Writer) (*report.Runner, error) {
	start := time.Now()
	cfg, err := lenslog.ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	if f.Replay == "" {
		if err := preflight.Gate(ctx, cfg, stderr); err != nil {
			return nil, err
		}
	}
	t, err := toolchain.Ensure(ctx, "", stderr)
	if err != nil {
		return nil, err
	}
	key, err := f.RedactKey(cfg)
	if err != nil {
		return nil, err
	}
	r := f.Runner()
	r.Kernel = func(tmp string) ([]string, []string, error) { return kernelCommand(t, tmp, key) }
	r.Spec = ipynb.KernelSpec{Name: toolchain.KernelName, DisplayName: toolchain.KernelDisplayName, Language: "go"}
	r.Root, r.Progress, r.Version = t.Root, stderr, report.Version(ctx, t.Root)
	r.Env = report.Clock(cfg, start)
	return r, nil
}

// kernelCommand returns the command line and environment of a GoNB
// kernel whose temporary folder is tmp (see kernelEnv).
func kernelCommand(t *toolchain.Tools, tmp, redactKey string) (argv, env []string, err error) {
	env, err = kernelEnv(t, tmp, redactKey)
	return t.KernelArgv(jupyter.ConnectionFileArg), env, err
}

// kernelEnv returns the kernel's environment: this process's, with a PATH
// that starts with the tools and the go command and holds no gopls (GoNB
// would start it outside the kernel's process group), GOFLAGS with the
// cells' link flags (toolchain.CellGoflags), TMPDIR set to tmp so
// that GoNB's work files and value cache are per run, and the redaction
// variables set from redactKey alone (none when it is ""), and
// $LENSLOG_TOKEN_FILE naming the apitokens.json of the working directory.
func kernelEnv(t *toolchain.Tools, tmp, redactKey string) ([]string, error) {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "PATH", "TMPDIR", "GOFLAGS", lenslog.EnvRedact, lenslog.EnvRedactKey:
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PATH="+toolchain.JoinPath(t.Bin, t.GoBin, withoutGopls(os.Getenv("PATH"))), "TMPDIR="+tmp,
		"GOFLAGS="+toolchain.CellGoflags(os.Getenv("GOFLAGS")))
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
