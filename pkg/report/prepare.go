package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/params"
)

// Job is one notebook to run: read, with its parameters injected, and
// what a replay pins.
type Job struct {
	Path    string          // the notebook as given
	Dir     string          // the folder its kernel starts in ("" is Path's folder)
	NB      *ipynb.Notebook // nil when it could not be read
	ReadErr error
	Applied params.Applied
	Pins    lenslog.Pins // a replay's pins; zero for a fresh run
	Env     []string     // more environment for the kernel (a replayed sample account)
	Replay  *Recorded    // the run a replay reproduces; nil for a fresh run
}

// given returns the parameters the job's run was given, as papermill
// records them.
func (j Job) given() map[string]any {
	if j.Replay != nil {
		return j.Replay.prov.Parameters
	}
	if len(j.Applied.Values) == 0 {
		return nil
	}
	m := map[string]any{}
	for _, r := range j.Applied.Values {
		m[r.Name] = r.Converted.JSON
	}
	return m
}

// source is the notebook the job's cells come from: the notebook given,
// or for a replay the one the recorded run was made from.
func (j Job) source() string {
	if j.Replay != nil && j.Replay.prov.Source != "" {
		return filepath.Join(j.Dir, filepath.Base(j.Replay.prov.Source))
	}
	return j.Path
}

// ParamError is a mistake in the parameters given, found before any
// kernel starts; its message says it all.
type ParamError string

func (e ParamError) Error() string { return string(e) }

// Prepare reads the notebooks and applies a set of parameters to them,
// before any kernel starts: an unknown name, a value that does not
// convert or a notebook without a parameters cell fails the whole set.
// Notes say which parameters apply to only some notebooks.
func Prepare(paths []string, set params.Set) ([]Job, []string, error) {
	jobs := make([]Job, len(paths))
	var targets []params.Target
	var at []int
	for i, p := range paths {
		jobs[i].Path = p
		nb, err := ipynb.ReadFile(p)
		if err != nil {
			jobs[i].ReadErr = err
			continue
		}
		jobs[i].NB = nb
		targets = append(targets, params.Target{Name: filepath.Base(p), Notebook: nb})
		at = append(at, i)
	}
	applied, notes, err := params.Apply(targets, set)
	if err != nil {
		return nil, nil, fmt.Errorf("parameters %s:\n%v", describeSet(set), err)
	}
	for k, i := range at {
		jobs[i].Applied = applied[k]
		if err := params.Inject(jobs[i].NB, applied[k]); err != nil {
			return nil, nil, err
		}
	}
	return jobs, notes, nil
}

// PrepareAll prepares every set, so that a mistake in the last set of a
// file is found before the first set runs. Its notes go to w; its error
// is a ParamError naming every mistake.
func PrepareAll(paths []string, sets []params.Set, w io.Writer) ([][]Job, error) {
	all := make([][]Job, len(sets))
	var errs []string
	for i, s := range sets {
		jobs, notes, err := Prepare(paths, s)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		for _, n := range notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
		all[i] = jobs
	}
	if len(errs) > 0 {
		return nil, ParamError(strings.Join(errs, "\n") + "\nno notebook was run")
	}
	return all, nil
}

// describeSet names a set in messages.
func describeSet(s params.Set) string {
	if len(s) == 0 {
		return "(none)"
	}
	return s.String()
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
