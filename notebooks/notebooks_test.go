package notebooks

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logs"
)

// sampleEnd pins the sample account so figures are the same on every run
// (a Thursday, so the last 24 hours are a working day).
const sampleEnd = "2026-11-05"

// TestNotebooks runs every notebook through `kernel run` on the sample
// account and checks that no cell failed or wrote to stderr, that every
// chart cell produced an image, and that the figures each notebook prints
// equal what the analysis package computes for the same account.
func TestNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every notebook through GoNB: slow")
	}
	paths, err := filepath.Glob("*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found: %v", err)
	}
	slices.Sort(paths)
	setSampleEnv(t)
	out := t.TempDir()
	runNotebooks(t, out, paths)
	want := expectedFigures(t)
	for _, p := range paths {
		t.Run(strings.TrimSuffix(p, ".ipynb"), func(t *testing.T) {
			nb, err := ipynb.ReadFile(filepath.Join(out, p))
			if err != nil {
				t.Fatal(err)
			}
			checkCells(t, nb)
			text := stdoutText(nb)
			figs, ok := want[strings.TrimSuffix(p, ".ipynb")]
			if !ok {
				t.Fatalf("no expected figures listed for %s: add them to expectedFigures", p)
			}
			for _, line := range figs {
				if !strings.Contains(text, line) {
					t.Errorf("notebook does not show %q; its output:\n%s", line, text)
				}
			}
		})
	}
}

// setSampleEnv makes the notebooks and this test read the same pinned
// sample account, with no token and no redaction.
func setSampleEnv(t *testing.T) {
	t.Helper()
	t.Setenv(lenslog.EnvSampleEnd, sampleEnd)
	for _, k := range []string{cryptolens.EnvToken, cryptolens.EnvBaseURL, lenslog.EnvSampleRows,
		lenslog.EnvRedact, lenslog.EnvRedactKey, lenslog.EnvStore} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// runNotebooks executes the notebooks with the kernel program, writing the
// executed copies to out.
func runNotebooks(t *testing.T, out string, paths []string) {
	t.Helper()
	args := append([]string{"run", "./kernel", "run", "-keep-going", "-timeout", "10m", "-out", out}, absAll(t, paths)...)
	cmd := exec.Command("go", args...)
	cmd.Dir = ".."
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	err := cmd.Run()
	t.Logf("kernel run took %s:\n%s", time.Since(start).Round(time.Second), log.String())
	if err != nil {
		t.Fatalf("kernel run: %v", err)
	}
}

func absAll(t *testing.T, paths []string) []string {
	t.Helper()
	out := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = a
	}
	return out
}

// checkCells fails on error outputs and stderr, and on a chart cell (one
// calling nb.Plot) without an image.
func checkCells(t *testing.T, nb *ipynb.Notebook) {
	t.Helper()
	for i, c := range nb.Cells {
		if c.Type != ipynb.Code {
			continue
		}
		images := 0
		for _, o := range c.Outputs {
			switch {
			case o.Type == ipynb.Error:
				t.Errorf("cell %d failed: %s: %s", i+1, o.EName, o.EValue)
			case o.Type == ipynb.Stream && o.Name == "stderr":
				t.Errorf("cell %d wrote to stderr: %s", i+1, o.Text)
			}
			if _, ok := o.DataText("image/png"); ok {
				images++
			}
		}
		if want := strings.Count(c.Source, "nb.Plot("); images < want {
			t.Errorf("cell %d draws %d charts but shows %d images", i+1, want, images)
		}
	}
}

// stdoutText joins everything the notebook printed to stdout.
func stdoutText(nb *ipynb.Notebook) string {
	var b strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.Type == ipynb.Stream && o.Name == "stdout" {
				b.WriteString(o.Text)
			}
		}
	}
	return b.String()
}

// expectedFigures computes, with the analysis package, the lines each
// notebook must print, keyed by notebook name.
func expectedFigures(t *testing.T) map[string][]string {
	t.Helper()
	acct, err := lenslog.Open(lenslog.Options{Note: &strings.Builder{}})
	if err != nil {
		t.Fatal(err)
	}
	now := acct.Now()
	load := func(d time.Duration) *logs.WebAPI { return lenslog.Must(acct.WebAPI(lenslog.Last(d))) }
	api30 := load(30 * lenslog.Day)
	f := map[string][]string{}

	api7 := load(7 * lenslog.Day)
	f["01-three-logs"] = []string{fmt.Sprintf("Web API Log rows in the last 7 days: %d", api7.Len())}

	ratio := analysis.SuccessRatio(api30)
	f["02-success-ratio"] = []string{
		fmt.Sprintf("Requests in the window: %d", api30.Len()),
		fmt.Sprintf("Success share: %.1f%%", 100*ratio.Share(cryptolens.OutcomeSuccess)),
		fmt.Sprintf("Failure share: %.1f%%", 100*ratio.Share(cryptolens.OutcomeFailure)),
	}

	heavy := lenslog.Must(analysis.HeaviestKeys(api30, 0.01))
	f["03-heaviest-keys"] = []string{
		fmt.Sprintf("Keys above 1%% of requests: %d", len(heavy.Rows)),
		fmt.Sprintf("Distinct friendly names: %d", len(analysis.RequestsByFriendlyName(api30).Rows)),
	}

	f["04-floating-seat-audit"] = seatFigures(t, acct)

	api120 := load(120 * lenslog.Day)
	inactive := lenslog.Must(analysis.InactiveLicenses(api120, now, 30))
	f["05-inactive-licenses"] = []string{
		fmt.Sprintf("Keys with activity: %d", len(analysis.LastActivity(api120, now).Rows)),
		fmt.Sprintf("Inactive keys (silent more than 30 days): %d", len(inactive.Rows)),
	}

	top := analysis.KeySharing(api30).Rows[0]
	bursts := lenslog.Must(analysis.FailureBursts(api30, analysis.BurstOptions{}))
	f["06-key-sharing"] = []string{
		fmt.Sprintf("Most suspicious key: %s (%s)", top.Key, top.Reason),
		fmt.Sprintf("Failure bursts: %d", len(bursts.Rows)),
	}

	ev := lenslog.Must(acct.Events(lenslog.Last(30 * lenslog.Day)))
	f["07-feature-usage-revenue"] = []string{
		fmt.Sprintf("Events in the window: %d", ev.Len()),
		fmt.Sprintf("Features seen: %d", len(analysis.FeatureUsage(ev).Rows)),
	}
	for _, r := range analysis.Revenue(ev).Rows {
		f["07-feature-usage-revenue"] = append(f["07-feature-usage-revenue"],
			fmt.Sprintf("Revenue %s product %d: %s (%d purchases)", r.Currency, r.ProductID, r.Total, r.Purchases))
	}

	obj := lenslog.Must(acct.Objects(lenslog.Last(60 * lenslog.Day)))
	hist := analysis.FieldHistory(obj)
	f["08-who-changed-what"] = []string{
		fmt.Sprintf("Object Log entries in the window: %d", obj.Len()),
		fmt.Sprintf("Field changes: %d in %d updates", len(hist.Rows), hist.Updates),
	}
	f["10-license-timeline"] = licenseTimelineFigures(t, acct)
	f["11-data-health"] = dataHealthFigures(t, acct)
	return f
}

// seatFigures audits the floating license with the most seat activity in
// the last 24 hours with the limit the account lists, as notebook 04 does
// by default.
func seatFigures(t *testing.T, acct *lenslog.Account) []string {
	t.Helper()
	span := lenslog.Last(24 * time.Hour)
	api := lenslog.Must(acct.WebAPI(span))
	lic := lenslog.Must(acct.FloatingLicense(api, span, "", 0))
	if lic.LimitFrom != "the account's license list" {
		t.Fatalf("the sample account's busiest floating key %s has no listed limit (%s)", lic.Key, lic.LimitFrom)
	}
	audit := lenslog.Must(analysis.SeatAudit(api, lic.Key, lic.Limit, span.Window(acct.Now())))
	return []string{
		fmt.Sprintf("Auditing %s (seat limit %d)", lic.Key, lic.Limit),
		"Seat limit from the account's license list",
		fmt.Sprintf("Seats in use now: %d of %d", audit.InUseAtEnd, audit.MaxMachines),
		fmt.Sprintf("Overdrafts: %d", audit.Overdrafts),
		fmt.Sprintf("Device limit reached: %d", audit.DeviceLimit),
	}
}
