package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/jupyter"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/params"
)

// Runner runs notebooks headless, each on a fresh kernel in its folder,
// and holds what every notebook of one command shares.
type Runner struct {
	// Kernel returns the command line and environment of a kernel whose
	// temporary folder (GoNB's work files and value cache) is tmp.
	Kernel func(tmp string) (argv, env []string, err error)
	// Spec is the kernelspec an executed notebook records.
	Spec ipynb.KernelSpec
	// Root is the repository the notebooks come from; the provenance
	// names a notebook relative to it.
	Root string
	// Timeout bounds each cell.
	Timeout time.Duration
	// KeepGoing runs the remaining cells after a cell fails.
	KeepGoing bool
	// Progress receives a line per kernel start and cell.
	Progress io.Writer
	// Version is lenslog's version, for the provenance.
	Version string
	// Limits bound each cell's outputs.
	Limits jupyter.OutputLimits
	// Memory bounds each process of a kernel's tree, in bytes; 0 means
	// none (see jupyter.Options.Memory).
	Memory int64
	// Parallel is how many notebooks a report runs at once; 0 means 1.
	Parallel int
	// ShowCode shows the notebooks' code on the pages (report -code); the
	// default is a reader's view.
	ShowCode bool
	// Env is added to every kernel's environment: the run's one clock
	// (see Clock). A replay's pins override it.
	Env []string

	run func(context.Context, Job) Outcome // runs one notebook; tests replace it
}

// Outcome is the result of running one notebook.
type Outcome struct {
	Path     string
	NB       *ipynb.Notebook    // nil if the file could not be read
	Failure  *ipynb.Failure     // nil if every cell ran
	CellErr  *jupyter.CellError // the first failing cell, if any
	NoData   string             // what the parameters named that had no rows; "" when all did
	Duration time.Duration
}

// runNotebook runs one notebook: Run, unless a test replaced it.
func (r *Runner) runNotebook(ctx context.Context, j Job) Outcome {
	if r.run != nil {
		return r.run(ctx, j)
	}
	return r.Run(ctx, j)
}

// Run runs a job's notebook on a fresh kernel started in the notebook's
// folder, and stores in it the provenance its cells recorded (and, for a
// replay, how it compares with the recorded run). A notebook that cannot
// be read, or whose kernel does not start, fails without a cell.
func (r *Runner) Run(ctx context.Context, j Job) (o Outcome) {
	start := time.Now()
	o.Path = j.Path
	defer func() { o.Duration = time.Since(start) }()
	if j.ReadErr != nil {
		o.Failure = &ipynb.Failure{Message: j.ReadErr.Error()}
		return o
	}
	nb := j.NB
	o.NB = nb
	nb.ClearOutputs()
	spec := r.Spec
	nb.Metadata.KernelSpec = &spec
	reads, err := withProvenance(func(env []string) error {
		env = WithEnv(WithEnv(env, r.Env...), append(j.Pins.Env(), j.Env...)...) // a replay's pins over the run's clock
		return r.execute(ctx, j, nb, env)
	})
	var ce *jupyter.CellError
	switch {
	case err == nil:
	case errors.As(err, &ce):
		o.CellErr = ce
		o.Failure = &ipynb.Failure{Cell: ce.Cell, Message: ce.Message() + moreFailures(err)}
	default:
		o.Failure = &ipynb.Failure{Message: err.Error()}
	}
	p := buildProvenance(r.Version, start, j.given(), reads)
	p.Source = relSource(r.Root, j.source())
	o.NoData = p.NoData()
	if j.Replay != nil {
		j.Replay.judge(nb, p)
	}
	if err := nb.SetProvenance(p); err != nil && o.Failure == nil {
		o.Failure = &ipynb.Failure{Message: err.Error()}
	}
	return o
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
func (r *Runner) execute(ctx context.Context, j Job, nb *ipynb.Notebook, extra []string) error {
	dir := j.Dir
	if dir == "" {
		dir = filepath.Dir(j.Path)
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
	argv, env, err := r.Kernel(tmp)
	if err != nil {
		return err
	}
	name := filepath.Base(j.Path)
	fmt.Fprintf(r.Progress, "%s: starting kernel\n", name)
	k, err := jupyter.Start(ctx, jupyter.Options{Argv: argv, Dir: dir, Env: WithEnv(env, extra...), Limits: r.Limits, Memory: r.Memory})
	if err != nil {
		return fmt.Errorf("run %s: %w", j.Path, err)
	}
	defer k.Close()
	return jupyter.RunNotebook(ctx, k, nb, jupyter.RunOptions{
		CellTimeout: r.Timeout,
		KeepGoing:   r.KeepGoing,
		Progress: func(cell, rank, total int) {
			fmt.Fprintf(r.Progress, "%s: cell %d (code %d/%d)\n", name, cell, rank, total)
		},
	})
}

// WithEnv returns env with the entries of extra replacing those of the
// same names.
func WithEnv(env []string, extra ...string) []string {
	names := map[string]bool{}
	for _, kv := range extra {
		name, _, _ := strings.Cut(kv, "=")
		names[name] = true
	}
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !names[name] {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

// PrintOutcome reports one notebook's result: ok with its time, or the
// failing cell's first lines and the error.
func PrintOutcome(w io.Writer, o Outcome) {
	took := format.Duration(o.Duration)
	switch {
	case o.Failure == nil && o.NoData != "":
		fmt.Fprintf(w, "ok   %s (%s), no data for its parameters: %s\n", o.Path, took, o.NoData)
	case o.Failure == nil:
		fmt.Fprintf(w, "ok   %s (%s)\n", o.Path, took)
	case o.CellErr == nil:
		fmt.Fprintf(w, "FAIL %s: %s\n", o.Path, o.Failure.Message)
	default:
		fmt.Fprintf(w, "FAIL %s: cell %d failed (%s)\n", o.Path, o.Failure.Cell, took)
		fmt.Fprintln(w, indent(ipynb.FirstLines(o.CellErr.Source, 5), "    | "))
		fmt.Fprintln(w, indent(ipynb.FirstLines(o.Failure.Message, 25), "    "))
	}
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

// OutSuffix names the executed copy written next to a notebook by
// default, as nbconvert's NAME.nbconvert.ipynb does.
const OutSuffix = ".out.ipynb"

// SaveRun writes an outcome's executed notebook, when there is one, to
// dest and prints where.
func SaveRun(o Outcome, dest string, stdout io.Writer) error {
	if o.NB == nil {
		return nil
	}
	if err := writeNotebook(dest, o.NB); err != nil {
		return err
	}
	fmt.Fprintln(stdout, dest)
	return nil
}

// RunOutputPath returns where the executed copy of path goes: DIR/NAME.ipynb
// with an outDir, else NAME.out.ipynb next to it.
func RunOutputPath(path, outDir string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	if outDir != "" {
		return filepath.Join(outDir, base+".ipynb")
	}
	return filepath.Join(filepath.Dir(path), base+OutSuffix)
}

// writeNotebook writes nb to path, creating its folder.
func writeNotebook(path string, nb *ipynb.Notebook) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return ipynb.WriteFile(path, nb)
}

// RunSets runs every set's jobs one at a time, saving each executed
// notebook (see RunOutputPath; a set's folder under out when there are
// several sets) and printing its path on stdout. It fails when a
// notebook failed, saying how many.
func (r Runner) RunSets(ctx context.Context, all [][]Job, sets []params.Set, out string, stdout, stderr io.Writer) error {
	failed, total := 0, 0
	for i, jobs := range all {
		dir := out
		if len(sets) > 1 {
			dir = filepath.Join(out, sets[i].Folder())
		}
		for _, j := range jobs {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			o := r.Run(ctx, j)
			if err := SaveRun(o, RunOutputPath(j.Path, dir), stdout); err != nil {
				return err
			}
			total++
			if o.Failure != nil {
				failed++
			}
			PrintOutcome(stderr, o)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed", failed, total)
	}
	return nil
}
