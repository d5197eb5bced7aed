package report

import (
	"context"
	"fmt"
	"os/exec"
	"runtime/debug"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
)

// Version names the lenslog a run used: the module version when
// built from a release, else the VCS revision (from the build, else from
// git in the repository), else "devel".
func Version(ctx context.Context, root string) string {
	rev, modified := "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return bi.Main.Path + " " + v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if rev == "" && root != "" {
		out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "HEAD").Output()
		if err != nil {
			return "devel (no version control information)"
		}
		rev = strings.TrimSpace(string(out))
		modified = exec.CommandContext(ctx, "git", "-C", root, "diff", "--quiet", "HEAD").Run() != nil
	}
	if rev == "" {
		return "devel"
	}
	v := "git " + rev[:min(12, len(rev))]
	if modified {
		v += " with uncommitted changes"
	}
	return v
}

// buildProvenance gathers what a notebook's cells recorded into the
// provenance stored with it.
func buildProvenance(version string, ranAt time.Time, given map[string]any, reads []lenslog.Read) *ipynb.Provenance {
	p := &ipynb.Provenance{Version: version, RanAt: ranAt.UTC(), Parameters: given, Reads: []ipynb.ProvenanceRead{}}
	if len(reads) == 0 {
		p.Account.Description = "none: no cell read a log"
		return p
	}
	a := reads[0].Account
	p.Account = ipynb.ProvenanceAccount{Description: a.Description, Sample: a.Sample, Seed: a.Seed, End: a.End,
		Rows: a.Rows, URL: a.URL, Fingerprint: a.Fingerprint, Store: a.Store, Redacted: a.Redacted}
	p.Now = reads[0].Now
	p.Logs = map[string]ipynb.LogSeen{}
	for _, r := range reads {
		p.Reads = append(p.Reads, ipynb.ProvenanceRead{Log: r.Log, Span: r.Span, From: r.From, To: r.To,
			Filter: r.Filter, Rows: r.Rows, Kept: r.Kept, MaxID: r.MaxID, Cut: r.Cut, NoData: r.NoData})
		s := p.Logs[r.Log]
		s.Rows += r.Rows
		s.MaxID = max(s.MaxID, r.MaxID)
		p.Logs[r.Log] = s
		if !r.Now.Equal(p.Now) {
			p.Notes = append(p.Notes, fmt.Sprintf("the %s read of %s resolved against now = %s, not %s", r.Log, r.Span,
				r.Now.UTC().Format(time.RFC3339), p.Now.UTC().Format(time.RFC3339)))
		}
		if r.Account.Description != a.Description {
			p.Notes = append(p.Notes, "a cell read another account: "+r.Account.Description)
		}
	}
	return p
}

// replayPins returns what a replay of a run with provenance p pins: its
// now and the highest id of each log it read; for the sample account, also
// the environment that regenerates the same account.
func replayPins(p *ipynb.Provenance) (lenslog.Pins, []string) {
	pins := lenslog.Pins{Now: p.Now, MaxIDs: map[string]int64{}}
	for log, s := range p.Logs {
		pins.MaxIDs[log] = s.MaxID
	}
	var env []string
	if a := p.Account; a.Sample {
		env = append(env, lenslog.EnvSampleEnd+"="+a.End.UTC().Format("2006-01-02"),
			fmt.Sprintf("%s=%d", lenslog.EnvSampleRows, a.Rows))
	}
	return pins, env
}

// compareReplay says how a replay differs from the run it replays: the
// rows each window read, and every figure each code cell showed (printed
// text, tables cell by cell, charts). No differences means the replay
// showed the same figures. A redacted run's pseudonyms differ from run to
// run: they compare as equal, and its charts are not compared.
func compareReplay(orig, again *ipynb.Notebook, po, pa *ipynb.Provenance) []string {
	var diffs []string
	if po.Account.Description != pa.Account.Description {
		diffs = append(diffs, fmt.Sprintf("the account differs: recorded %q, replayed %q", po.Account.Description, pa.Account.Description))
	}
	diffs = append(diffs, compareReads(po.Reads, pa.Reads)...)
	oc, ac := codeCells(orig), codeCells(again)
	if len(oc) != len(ac) {
		return append(diffs, fmt.Sprintf("the notebook has %d code cells, the recorded run %d", len(ac), len(oc)))
	}
	redacted := po.Account.Redacted
	for i := range oc {
		diffs = append(diffs, compareCell(ac[i].n, figures(oc[i].c, redacted), figures(ac[i].c, redacted))...)
	}
	return diffs
}

// compareReads lists windows whose rows differ between two runs, with
// the likely reason.
func compareReads(was, is []ipynb.ProvenanceRead) []string {
	key := func(r ipynb.ProvenanceRead) string {
		return r.Log + " " + r.Span + " " + r.From.String() + " " + r.To.String() + " " + r.Filter
	}
	then := map[string]ipynb.ProvenanceRead{}
	for _, r := range was {
		then[key(r)] = r
	}
	var diffs []string
	for _, r := range is {
		o, ok := then[key(r)]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s %s (%s) was not read by the recorded run", r.Log, r.Span, format.Period(r.From, r.To)))
		case r.Rows < o.Rows:
			diffs = append(diffs, fmt.Sprintf("%s %s: %s now, %s recorded: the store no longer has %s of the rows up to id %d (pruned, repaired or another store?)",
				r.Log, r.Span, format.Counted(r.Rows, "row", "rows"), format.Count(o.Rows), format.Count(o.Rows-r.Rows), o.MaxID))
		case r.Rows > o.Rows:
			diffs = append(diffs, fmt.Sprintf("%s %s: %s now, %s recorded: rows with ids up to %d arrived that the recorded run did not have",
				r.Log, r.Span, format.Counted(r.Rows, "row", "rows"), format.Count(o.Rows), r.MaxID))
		}
	}
	return diffs
}

// numbered is a code cell with its number among all cells, from 1.
type numbered struct {
	n int
	c *ipynb.Cell
}

func codeCells(nb *ipynb.Notebook) []numbered {
	var out []numbered
	for i, c := range nb.Cells {
		if c.Type == ipynb.Code {
			out = append(out, numbered{i + 1, c})
		}
	}
	return out
}

// firstDifference shows the first line that differs.
func firstDifference(was, is string) string {
	a, b := strings.Split(was, "\n"), strings.Split(is, "\n")
	for i := range max(len(a), len(b)) {
		x, y := line(a, i), line(b, i)
		if x != y {
			return fmt.Sprintf("line %d was %q, is %q", i+1, x, y)
		}
	}
	return "the same lines"
}

func line(ls []string, i int) string {
	if i < len(ls) {
		return ls[i]
	}
	return "(nothing)"
}
