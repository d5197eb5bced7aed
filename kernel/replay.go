package main

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

// replayOf is the recorded run a replay reproduces.
type replayOf struct {
	path string          // the executed notebook
	nb   *ipynb.Notebook // as recorded, outputs included
	prov *ipynb.Provenance
}

// judge compares the replayed notebook with the recorded run and stores
// the verdict in the replay's provenance.
func (r *replayOf) judge(again *ipynb.Notebook, p *ipynb.Provenance) {
	diffs := compareReplay(r.nb, again, r.prov, p)
	p.Replay = &ipynb.ProvenanceReplay{Of: r.path, RanAt: r.prov.RanAt, Same: len(diffs) == 0, Differs: diffs}
}

// prepareReplay reads an executed notebook and its provenance, and makes
// the job that re-runs it pinned to the recorded snapshot, in the folder
// of the notebook it was made from.
func prepareReplay(root, path string) (job, error) {
	orig, err := ipynb.ReadFile(path)
	if err != nil {
		return job{}, err
	}
	prov, err := orig.Provenance()
	if err != nil {
		return job{}, fmt.Errorf("replay %s: %w", path, err)
	}
	if prov == nil {
		return job{}, fmt.Errorf("replay %s: it has no lenslog provenance (metadata.lenslog): replay a notebook written by kernel run or report", path)
	}
	if len(prov.Reads) == 0 {
		return job{}, fmt.Errorf("replay %s: its run read no log, so there is no snapshot to pin", path)
	}
	again, err := ipynb.ReadFile(path)
	if err != nil {
		return job{}, err
	}
	pins, env := replayPins(prov)
	return job{path: path, dir: sourceDir(root, path, prov), nb: again, pins: pins, env: env,
		replay: &replayOf{path: path, nb: orig, prov: prov}}, nil
}

// replayOutputPath is where a replay of path goes: DIR/NAME.ipynb with
// -out DIR, else NAME.replay.ipynb next to it.
func replayOutputPath(path, outDir string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	if outDir != "" {
		return filepath.Join(outDir, base+".ipynb")
	}
	return filepath.Join(filepath.Dir(path), base+".replay.ipynb")
}

// replayRun is `run -replay EXECUTED.ipynb`.
func replayRun(ctx context.Context, cfg runConfig, path, out string, stdout, stderr io.Writer) error {
	j, err := prepareReplay(cfg.tools.root, path)
	if err != nil {
		return err
	}
	sayPins(stderr, j)
	o := runOne(ctx, cfg, j)
	if err := saveRun(o, replayOutputPath(path, out), stdout); err != nil {
		return err
	}
	printOutcome(stderr, o)
	if o.failure != nil {
		return fmt.Errorf("replay of %s failed", path)
	}
	return sayVerdict(stderr, o)
}

// sayPins tells what a replay pins.
func sayPins(w io.Writer, j job) {
	p := j.replay.prov
	var ids []string
	for _, l := range slices.Sorted(maps.Keys(j.pins.MaxIDs)) { // the logs and any Usage Analytics table read
		ids = append(ids, fmt.Sprintf("%s up to id %d", l, j.pins.MaxIDs[l]))
	}
	fmt.Fprintf(w, "replay %s: %s, now = %s, %s; parameters: %s\n", j.path, p.Account.Description,
		p.Now.UTC().Format("2006-01-02 15:04:05 UTC"), strings.Join(ids, ", "), formatGiven(p.Parameters))
}

// sayVerdict prints whether a replay printed the same figures, and returns
// an error when it did not.
func sayVerdict(w io.Writer, o outcome) error {
	p, err := o.nb.Provenance()
	if err != nil || p == nil || p.Replay == nil {
		return fmt.Errorf("replay of %s: no verdict recorded", o.path)
	}
	if p.Replay.Same {
		fmt.Fprintf(w, "same: %s prints the same figures as its run of %s\n", o.path, p.Replay.RanAt.UTC().Format("2006-01-02 15:04:05 UTC"))
		return nil
	}
	fmt.Fprintf(w, "DIFFERS: %s does not print what its run of %s printed:\n", o.path, p.Replay.RanAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	for _, d := range p.Replay.Differs {
		fmt.Fprintf(w, "    %s\n", d)
	}
	return fmt.Errorf("replay of %s differs from the recorded run", o.path)
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
