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

	"github.com/lenslog/lenslog/pkg/cryptolens"
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
	version   string // lenslog's version, for the provenance
	// limits bound each cell's outputs.
	limits jupyter.OutputLimits
	// parallel is how many notebooks a report runs at once; 0 means 1.
	parallel int
	// showCode shows the code on report pages (report -code).
	showCode bool
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
	noData   string             // what the parameters named that had no rows; "" when all did
	duration time.Duration
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	timeout := fs.Duration("timeout", 10*time.Minute, "time limit for each cell")
	out := fs.String("out", "", "write executed notebooks to `DIR`/NAME.ipynb (default: NAME"+outSuffix+" next to each notebook)")
	keepGoing := fs.Bool("keep-going", false, "run the remaining cells after a cell fails")
	redact := fs.Bool("redact", false, "have the data loaders redact personal data (also when $LENSLOG_REDACT=1); one pseudonym key per run")
	var pf paramFlags
	pf.register(fs)
	replay := fs.String("replay", "", "re-run the executed notebook `EXECUTED.ipynb` pinned to its recorded snapshot (same now, rows up to the recorded ids) and say whether it prints the same")
	var limits jupyter.OutputLimits
	fs.Var(&limits, "max-output", maxOutputUsage)
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
	if *replay != "" && (fs.NArg() > 0 || len(pf.given) > 0 || pf.file != "") {
		return fmt.Errorf("%w: -replay takes the executed notebook alone: its parameters are recorded in it", errUsage)
	}
	if *replay == "" && fs.NArg() == 0 {
		return fmt.Errorf("%w: no notebook given", errUsage)
	}
	if *timeout <= 0 {
		return fmt.Errorf("%w: -timeout must be positive", errUsage)
	}
	sets, err := pf.sets()
	if err != nil {
		return err
	}
	if len(sets) > 1 && *out == "" {
		return fmt.Errorf("%w: %d parameter sets write a folder each: give -out DIR", errUsage, len(sets))
	}
	var all [][]job
	if *replay == "" { // parameter mistakes are found before anything is built or started
		if all, err = prepareAll(fs.Args(), sets, stderr); err != nil {
			return err
		}
	}
	t, err := ensureTools(ctx, "", stderr)
	if err != nil {
		return err
	}
	key, err := newRedactKey(redactRequested(*redact))
	if err != nil {
		return err
	}
	cfg := runConfig{tools: t, timeout: *timeout, keepGoing: *keepGoing, redactKey: key, progress: stderr,
		version: lenslogVersion(ctx, t.root)}
	cfg.limits = limits
	if *replay != "" {
		return replayRun(ctx, cfg, *replay, *out, stdout, stderr)
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
			o := runOne(ctx, cfg, j)
			if err := saveRun(o, runOutputPath(j.path, dir), stdout); err != nil {
				return err
			}
			total++
			if o.failure != nil {
				failed++
			}
			printOutcome(stderr, o)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed", failed, total)
	}
	return nil
}

// saveRun writes an outcome's executed notebook, when there is one, and
// prints where.
func saveRun(o outcome, dest string, stdout io.Writer) error {
	if o.nb == nil {
		return nil
	}
	if err := writeNotebook(dest, o.nb); err != nil {
		return err
	}
	fmt.Fprintln(stdout, dest)
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

// runOne runs a job's notebook on a fresh kernel started in the
// notebook's folder, and stores in it the provenance its cells recorded
// (and, for a replay, how it compares with the recorded run). A notebook
// that cannot be read, or whose kernel does not start, fails without a
// cell.
func runOne(ctx context.Context, cfg runConfig, j job) (o outcome) {
	start := time.Now()
	o.path = j.path
	defer func() { o.duration = time.Since(start) }()
	if j.readErr != nil {
		o.failure = &ipynb.Failure{Message: j.readErr.Error()}
		return o
	}
	nb := j.nb
	o.nb = nb
	nb.ClearOutputs()
	nb.Metadata.KernelSpec = &ipynb.KernelSpec{Name: kernelName, DisplayName: kernelDisplayName, Language: "go"}
	reads, err := withProvenance(func(env []string) error {
		return execute(ctx, cfg, j, nb, append(env, append(j.pins.Env(), j.env...)...))
	})
	var ce *jupyter.CellError
	switch {
	case err == nil:
	case errors.As(err, &ce):
		o.cellErr = ce
		o.failure = &ipynb.Failure{Cell: ce.Cell, Message: ce.Message() + moreFailures(err)}
	default:
		o.failure = &ipynb.Failure{Message: err.Error()}
	}
	p := buildProvenance(cfg.version, start, j.given(), reads)
	p.Source = relSource(cfg.tools.root, j.source())
	o.noData = p.NoData()
	if j.replay != nil {
		j.replay.judge(nb, p)
	}
	if err := nb.SetProvenance(p); err != nil && o.failure == nil {
		o.failure = &ipynb.Failure{Message: err.Error()}
	}
	return o
}

// source is the notebook the job's cells come from: the notebook given,
// or for a replay the one the recorded run was made from.
func (j job) source() string {
	if j.replay != nil && j.replay.prov.Source != "" {
		return filepath.Join(j.dir, filepath.Base(j.replay.prov.Source))
	}
	return j.path
}

// withProvenance runs fn with the environment that has the kernel's
// cells record their reads in a fresh file, and returns the reads.
func withProvenance(fn func(env []string) error) ([]lenslog.Read, error) {
	f, err := os.CreateTemp("", "lenslog-provenance-*.jsonl")
	if err != nil {
		return nil, err
	}
	f.Close()
	defer os.Remove(f.Name())
	runErr := fn([]string{lenslog.EnvProvenance + "=" + f.Name()})
	reads, err := lenslog.ReadProvenance(f.Name())
	if err != nil && runErr == nil {
		runErr = err
	}
	return reads, runErr
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

// execute starts a kernel for a job's notebook, in its folder, and runs
// nb on it; extra is added to the kernel's environment.
func execute(ctx context.Context, cfg runConfig, j job, nb *ipynb.Notebook, extra []string) error {
	path := j.path
	dir := j.dir
	if dir == "" {
		dir = filepath.Dir(path)
	}
	dir, err := filepath.Abs(dir)
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
	env = withEnv(env, extra...)
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

// printOutcome reports one notebook's result: ok with its time, or the
// failing cell's first lines and the error.
func printOutcome(w io.Writer, o outcome) {
	if o.failure == nil && o.noData != "" {
		fmt.Fprintf(w, "ok   %s (%v), no data for its parameters: %s\n", o.path, o.duration.Round(100*time.Millisecond), o.noData)
		return
	}
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
