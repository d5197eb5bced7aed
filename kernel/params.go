package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/params"
)

// paramFlags are the -p and -f flags run and report share.
type paramFlags struct {
	given params.Set
	file  string
}

// register adds -p and -f to fs.
func (pf *paramFlags) register(fs *flag.FlagSet) {
	fs.Func("p", "set parameter `name=value` in each notebook that declares it (repeatable), e.g. -p product=3941 -p period=2026-10",
		func(s string) error {
			a, err := params.ParseAssignment(s)
			if err != nil {
				return err
			}
			pf.given = pf.given.With(a.Name, a.Value)
			return nil
		})
	fs.StringVar(&pf.file, "f", "", "read parameters from `FILE`, JSON or YAML: a mapping, or a list of mappings to run once per set (-p values apply on top)")
}

// sets returns the parameter sets to run: each set of the -f file with
// the -p values on top, else one set of the -p values (possibly empty).
func (pf *paramFlags) sets() ([]params.Set, error) {
	if pf.file == "" {
		return []params.Set{pf.given}, nil
	}
	sets, err := params.ReadFile(pf.file)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	for i := range sets {
		for _, a := range pf.given {
			sets[i] = sets[i].With(a.Name, a.Value)
		}
	}
	return sets, nil
}

// job is one notebook to run: read, with its parameters injected, and
// what a replay pins.
type job struct {
	path    string          // the notebook as given
	dir     string          // the folder its kernel starts in ("" is path's folder)
	nb      *ipynb.Notebook // nil when it could not be read
	readErr error
	applied params.Applied
	pins    lenslog.Pins // a replay's pins; zero for a fresh run
	env     []string     // more environment for the kernel (a replayed sample account)
	replay  *replayOf    // the run a replay reproduces; nil for a fresh run
}

// given returns the parameters the job's run was given, as papermill
// records them.
func (j job) given() map[string]any {
	if j.replay != nil {
		return j.replay.prov.Parameters
	}
	return given(j.applied)
}

// prepare reads the notebooks and applies a set of parameters to them,
// before any kernel starts: an unknown name, a value that does not
// convert or a notebook without a parameters cell fails the whole set.
// Notes say which parameters apply to only some notebooks.
func prepare(paths []string, set params.Set) ([]job, []string, error) {
	jobs := make([]job, len(paths))
	var targets []params.Target
	var at []int
	for i, p := range paths {
		jobs[i].path = p
		nb, err := ipynb.ReadFile(p)
		if err != nil {
			jobs[i].readErr = err
			continue
		}
		jobs[i].nb = nb
		targets = append(targets, params.Target{Name: filepath.Base(p), Notebook: nb})
		at = append(at, i)
	}
	applied, notes, err := params.Apply(targets, set)
	if err != nil {
		return nil, nil, fmt.Errorf("parameters %s:\n%v", describeSet(set), err)
	}
	for k, i := range at {
		jobs[i].applied = applied[k]
		if err := params.Inject(jobs[i].nb, applied[k]); err != nil {
			return nil, nil, err
		}
	}
	return jobs, notes, nil
}

// prepareAll prepares every set, so that a mistake in the last set of a
// file is found before the first set runs.
func prepareAll(paths []string, sets []params.Set, stderr io.Writer) ([][]job, error) {
	all := make([][]job, len(sets))
	var errs []string
	for i, s := range sets {
		jobs, notes, err := prepare(paths, s)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		for _, n := range notes {
			fmt.Fprintf(stderr, "note: %s\n", n)
		}
		all[i] = jobs
	}
	if len(errs) > 0 {
		return nil, paramError(strings.Join(errs, "\n") + "\nno notebook was run")
	}
	return all, nil
}

// paramError is a mistake in the parameters given: a usage error (exit
// status 2) whose message says it all, without a "usage:" prefix.
type paramError string

func (e paramError) Error() string        { return string(e) }
func (e paramError) Is(target error) bool { return target == errUsage }

// describeSet names a set in messages.
func describeSet(s params.Set) string {
	if len(s) == 0 {
		return "(none)"
	}
	return s.String()
}

// withEnv returns env with the entries of extra replacing those of the
// same names.
func withEnv(env []string, extra ...string) []string {
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

// sourceDir finds the folder a replayed notebook's kernel starts in: the
// folder of the notebook it was made from, recorded in its provenance
// relative to the repository, when that folder is still there; else its
// own folder.
func sourceDir(root, executed string, p *ipynb.Provenance) string {
	if p.Source != "" {
		d := filepath.Join(root, filepath.Dir(filepath.FromSlash(p.Source)))
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	return filepath.Dir(executed)
}

// relSource returns path relative to root with forward slashes, for the
// provenance; the path itself when it is outside root.
func relSource(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}
