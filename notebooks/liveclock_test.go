package notebooks

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestLiveReportOneClockAndReplay runs notebook 02 with `kernel report` on
// a live-like account whose rows keep arriving while it runs, with no
// clock pinned by the test: every read of the run resolves the same now
// and reads the same rows for the same window (so its tables add up).
// Replaying the report says `same:` on the store as the run left it, and
// again after a sync brought in the rows that arrived since; a value
// changed in one of its recorded tables makes the replay say what
// differs, naming the cell, table, row and column.
func TestLiveReportOneClockAndReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("runs notebooks through GoNB: slow")
	}
	acct := sample.Generate(sample.Options{Seed: 9, End: time.Now().UTC(), WebAPIRows: 20000})
	srv := sample.NewServer(acct, liveToken)
	srv.SetLive(sample.Live{Every: 100 * time.Millisecond, WebAPIRows: 3, Events: 1})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	setLiveEnv(t, hs.URL, liveToken)
	for _, k := range []string{lenslog.EnvNow, lenslog.EnvMaxIDs} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}

	out := t.TempDir()
	kernel(t, "report", "-out", out, "-p", "period=last-2d", abs(t, "02-success-ratio.ipynb"))
	executed := filepath.Join(out, "period-last-2d", "02-success-ratio.ipynb")
	p, err := readExecuted(t, executed).Provenance()
	if err != nil || p == nil || len(p.Reads) == 0 {
		t.Fatalf("provenance %+v, %v: want the notebook's reads", p, err)
	}
	if len(p.Notes) > 0 {
		t.Errorf("the run's reads disagree: %q", p.Notes)
	}
	rows := map[string]int{}
	for _, r := range p.Reads {
		if d := r.To.Sub(p.Now); r.Span == "last-2d" && (d < 0 || d > time.Second) {
			t.Errorf("%s %s ends at %v, not at the run's now %v", r.Log, r.Span, r.To, p.Now)
		}
		k := r.Log + " " + r.Span + " " + r.Filter
		if n, seen := rows[k]; seen && n != r.Rows {
			t.Errorf("two reads of %s read %d and %d rows", k, n, r.Rows)
		}
		rows[k] = r.Rows
	}
	if p.Now.Nanosecond() != 0 || time.Since(p.Now) > 10*time.Minute {
		t.Errorf("now = %v, want the run's start to the second", p.Now)
	}

	dir := filepath.Dir(executed)
	if log := kernel(t, "report", "-replay", dir); !strings.Contains(log, "same: ") {
		t.Errorf("the replay on the untouched store does not say same:\n%s", log)
	}

	time.Sleep(time.Second) // more rows arrive; a load syncs them into the store
	live, err := openQuietly()
	if err != nil {
		t.Fatal(err)
	}
	if api := lenslog.Must(live.WebAPI(lenslog.Last(2 * lenslog.Day))); api.Len() <= rows["webapi last-2d "] {
		t.Fatalf("the store holds %d rows in the window after the sync, the run read %d: the test adds nothing", api.Len(), rows["webapi last-2d "])
	}
	if log := kernel(t, "report", "-replay", dir); !strings.Contains(log, "same: ") {
		t.Errorf("the replay after new rows were synced does not say same:\n%s", log)
	}

	changeTableValue(t, executed)
	cmd := exec.Command("go", "run", "./kernel", "report", "-replay", dir)
	cmd.Dir = ".."
	log, err := cmd.CombinedOutput()
	t.Logf("replay of a changed table:\n%s", log)
	if err == nil || !regexp.MustCompile(`cell \d+, table \d+: row \d+ \(.*\), column ".*": was "\d+", is "\d+"`).Match(log) {
		t.Errorf("the replay of a changed table value does not fail naming the cell, table, row and column")
	}
}

// changeTableValue adds 1000 to the first whole number in a table cell of
// the executed notebook, as a recorded figure rewritten would.
func changeTableValue(t *testing.T, path string) {
	t.Helper()
	nb := readExecuted(t, path)
	cell := regexp.MustCompile(`(<td[^>]*>)(\d+)(</td>)`)
	for _, c := range nb.Cells {
		for i, o := range c.Outputs {
			html, ok := o.DataText("text/html")
			if !ok || !cell.MatchString(html) {
				continue
			}
			done := false
			c.Outputs[i].Data["text/html"] = cell.ReplaceAllStringFunc(html, func(m string) string {
				if done {
					return m
				}
				done = true
				s := cell.FindStringSubmatch(m)
				return s[1] + "1" + s[2] + s[3]
			})
			if err := ipynb.WriteFile(path, nb); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("no table with a whole number in the executed notebook")
}
