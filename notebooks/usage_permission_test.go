package notebooks

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestUsageNotebookWithoutPermission runs notebook 09 as a user whose
// token has the log permissions but not "Usage Analytics": the server
// answers the five methods "Access denied". The notebook must still
// succeed, no cell failing or writing to stderr, and say which permission
// to add: in full once, briefly in the cells after it.
func TestUsageNotebookWithoutPermission(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a notebook through GoNB: slow")
	}
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 11, End: time.Now().UTC(), WebAPIRows: 20000}), "full-token")
	srv.AddLogOnlyToken("logs-only-canary-5d2e")
	hs := httptest.NewServer(srv)
	defer hs.Close()
	setLiveEnv(t, hs.URL, "logs-only-canary-5d2e")
	out := t.TempDir()
	log := kernel(t, "run", "-timeout", "10m", "-out", out, abs(t, "09-usage-analytics.ipynb"))
	if strings.Contains(log, "logs-only-canary") {
		t.Error("the runner's output shows the token")
	}
	nb := readExecuted(t, filepath.Join(out, "09-usage-analytics.ipynb"))
	full, brief := 0, 0
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			switch {
			case o.Type == ipynb.Error:
				t.Errorf("cell %d failed: %s: %s", i+1, o.EName, o.EValue)
			case o.Type == ipynb.Stream && o.Name == "stderr":
				t.Errorf("cell %d wrote to stderr: %s", i+1, o.Text)
			case strings.Contains(o.Text, "canary"):
				t.Errorf("cell %d shows the token", i+1)
			}
			md, _ := o.DataText("text/markdown")
			switch {
			case strings.Contains(md, `lacks the "Usage Analytics" permission`):
				full++
			case strings.Contains(md, `Skipped: needs the "Usage Analytics" permission`):
				brief++
			}
		}
	}
	if full != 1 || brief < 5 {
		t.Errorf("the permission is named in full %d times and briefly %d times, want once and in every later cell", full, brief)
	}
}
