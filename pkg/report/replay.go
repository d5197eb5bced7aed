package report

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// Recorded is the recorded run a replay reproduces.
type Recorded struct {
	path string          // the executed notebook
	nb   *ipynb.Notebook // as recorded, outputs included
	prov *ipynb.Provenance
}

// judge compares the replayed notebook with the recorded run and stores
// the verdict in the replay's provenance.
func (r *Recorded) judge(again *ipynb.Notebook, p *ipynb.Provenance) {
	diffs := compareReplay(r.nb, again, r.prov, p)
	p.Replay = &ipynb.ProvenanceReplay{Of: r.path, RanAt: r.prov.RanAt, Same: len(diffs) == 0, Differs: diffs}
}

// PrepareReplay reads an executed notebook and its provenance, and makes
// the job that re-runs it pinned to the recorded snapshot, in the folder
// of the notebook it was made from (under the repository root).
func PrepareReplay(root, path string) (Job, error) {
	orig, err := ipynb.ReadFile(path)
	if err != nil {
		return Job{}, err
	}
	prov, err := orig.Provenance()
	if err != nil {
		return Job{}, fmt.Errorf("replay %s: %w", path, err)
	}
	if prov == nil {
		return Job{}, fmt.Errorf("replay %s: it has no lenslog provenance (metadata.lenslog): replay a notebook written by kernel run or report", path)
	}
	if len(prov.Reads) == 0 {
		return Job{}, fmt.Errorf("replay %s: its run read no log, so there is no snapshot to pin", path)
	}
	again, err := ipynb.ReadFile(path)
	if err != nil {
		return Job{}, err
	}
	pins, env := replayPins(prov)
	return Job{Path: path, Dir: sourceDir(root, path, prov), NB: again, Pins: pins, Env: env,
		Replay: &Recorded{path: path, nb: orig, prov: prov}}, nil
}

// ReplayOutputPath is where a replay of path goes: DIR/NAME.ipynb with
// -out DIR, else NAME.replay.ipynb next to it.
func ReplayOutputPath(path, outDir string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	if outDir != "" {
		return filepath.Join(outDir, base+".ipynb")
	}
	return filepath.Join(filepath.Dir(path), base+".replay.ipynb")
}

// ReplayRun is `run -replay EXECUTED.ipynb`: it re-runs the notebook
// pinned to its recorded snapshot, saves it (see ReplayOutputPath) and
// says whether it prints the same figures.
func (r Runner) ReplayRun(ctx context.Context, path, out string, stdout, stderr io.Writer) error {
	j, err := PrepareReplay(r.Root, path)
	if err != nil {
		return err
	}
	sayPins(stderr, j)
	o := r.Run(ctx, j)
	if err := SaveRun(o, ReplayOutputPath(path, out), stdout); err != nil {
		return err
	}
	PrintOutcome(stderr, o)
	if o.Failure != nil {
		return fmt.Errorf("replay of %s failed", path)
	}
	return sayVerdict(stderr, o)
}

// sayPins tells what a replay pins.
func sayPins(w io.Writer, j Job) {
	p := j.Replay.prov
	var ids []string
	for _, l := range slices.Sorted(maps.Keys(j.Pins.MaxIDs)) { // the logs and any Usage Analytics table read
		ids = append(ids, fmt.Sprintf("%s up to id %d", l, j.Pins.MaxIDs[l]))
	}
	fmt.Fprintf(w, "replay %s: %s, now = %s, %s; parameters: %s\n", j.Path, p.Account.Description,
		p.Now.UTC().Format("2006-01-02 15:04:05 UTC"), strings.Join(ids, ", "), formatGiven(p.Parameters))
}

// sayVerdict prints whether a replay printed the same figures, and returns
// an error when it did not.
func sayVerdict(w io.Writer, o Outcome) error {
	p, err := o.NB.Provenance()
	if err != nil || p == nil || p.Replay == nil {
		return fmt.Errorf("replay of %s: no verdict recorded", o.Path)
	}
	if p.Account.Redacted {
		fmt.Fprintf(w, "note: %s is redacted with a fresh pseudonym key: pseudonyms compare as equal, charts (whose labels hold them) are not compared\n", o.Path)
	}
	if p.Replay.Same {
		fmt.Fprintf(w, "same: %s shows the same figures (text, tables, charts) as its run of %s\n", o.Path, p.Replay.RanAt.UTC().Format("2006-01-02 15:04:05 UTC"))
		return nil
	}
	fmt.Fprintf(w, "DIFFERS: %s does not print what its run of %s printed:\n", o.Path, p.Replay.RanAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	for _, d := range p.Replay.Differs {
		fmt.Fprintf(w, "    %s\n", d)
	}
	return fmt.Errorf("replay of %s differs from the recorded run", o.Path)
}

// formatGiven writes recorded parameters for a message.
func formatGiven(m map[string]any) string {
	if len(m) == 0 {
		return "the defaults"
	}
	var parts []string
	for _, k := range sortedNames(m) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func sortedNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
