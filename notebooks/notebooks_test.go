package notebooks

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
)

// sampleEnd pins the sample account so figures are the same on every run
// (a Thursday, so the last 24 hours are a working day).
const sampleEnd = "2026-11-05"

// TestNotebooks runs every notebook through `kernel report -pdf` on the
// sample account and checks that no cell failed or wrote to stderr, that
// every chart cell produced an image, and that the figures each notebook
// prints equal what the analysis package computes for the same account.
// Over the same run it checks the report as its readers take it
// (checkForReaders), the value boxes against the analyses, the first
// printed page of 04 and 10, and that nothing was written into notebooks/.
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
	before := notebookFiles(t)
	runNotebooks(t, out, paths)
	checkNothingWritten(t, before)
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
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = strings.TrimSuffix(p, ".ipynb")
	}
	checkForReaders(t, out, names)
	checkSampleBoxes(t, out)
	checkLicenseBoxes(t, out)
	for _, name := range []string{"04-floating-seat-audit", "10-license-timeline"} {
		checkFirstPage(t, filepath.Join(out, name+".pdf"), readExecuted(t, filepath.Join(out, name+".ipynb")))
	}
}

// setSampleEnv makes the notebooks and this test read the same pinned
// sample account, with no token and no redaction.
func setSampleEnv(t *testing.T) {
	t.Helper()
	t.Setenv(lenslog.EnvSampleEnd, sampleEnd)
	for _, k := range []string{lenslog.EnvToken, lenslog.EnvAPIURL, lenslog.EnvSampleRows,
		lenslog.EnvRedact, lenslog.EnvRedactKey, lenslog.EnvStore} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// setLiveEnv makes the notebooks and this test read the live account
// served at base (an httptest server's URL) with token, through a fresh
// local store; no sample pins, no redaction.
func setLiveEnv(t *testing.T, base, token string) {
	t.Helper()
	setSampleEnv(t)
	t.Setenv(lenslog.EnvSampleEnd, "")
	os.Unsetenv(lenslog.EnvSampleEnd)
	t.Setenv(lenslog.EnvToken, token)
	t.Setenv(lenslog.EnvAPIURL, base+"/api/")
	t.Setenv(lenslog.EnvStore, t.TempDir())
}

// runNotebooks makes a report of the notebooks with the kernel program,
// writing the executed copies, pages and PDFs to out. A failed cell fails
// the test where checkCells finds it.
func runNotebooks(t *testing.T, out string, paths []string) {
	t.Helper()
	args := append([]string{"run", "./kernel", "report", "-pdf", "-keep-going", "-timeout", "10m", "-out", out}, absAll(t, paths)...)
	cmd := exec.Command("go", args...)
	cmd.Dir = ".."
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	err := cmd.Run()
	t.Logf("kernel report took %s:\n%s", time.Since(start).Round(time.Second), log.String())
	if err != nil {
		t.Fatalf("kernel report: %v", err)
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

// expectedFigures returns the lines each notebook must print, keyed by
// notebook name: for 01 to 09 counted from the sample server's pages (see
// reference_test.go and usage_reference_test.go), for 10 and 11 from the raw rows and planted facts
// (story_test.go); never with the analysis calls the notebooks make.
func expectedFigures(t *testing.T) map[string][]string {
	t.Helper()
	acct, ref := referenceAccount(t)
	f := referenceFigures(t, ref, func(d time.Duration) string { return lenslog.Last(d).Window(ref.now).String() })
	f["09-usage-analytics"] = usageFigures(t, ref)
	f["10-license-timeline"] = licenseTimelineFigures(t, acct)
	f["11-data-health"] = dataHealthFigures(t, acct)
	for k, lines := range licenseFigures(t, ref, ref.listed, func(d time.Duration) string { return lenslog.Last(d).Window(ref.now).String() }) {
		f[k] = append(f[k], lines...)
	}
	return f
}

// referenceAccount opens the account the notebooks read and loads the
// reference counted from the sample server's pages, failing when they do
// not end at the same now.
func referenceAccount(t *testing.T) (*lenslog.Account, *reference) {
	t.Helper()
	acct, err := openQuietly()
	if err != nil {
		t.Fatal(err)
	}
	ref := loadReference(t)
	if !acct.Now().Equal(ref.now) {
		t.Fatalf("the notebooks' account ends %v, the reference %v", acct.Now(), ref.now)
	}
	return acct, ref
}

// openQuietly opens the account the environment names, as a notebook
// does, without saying which.
func openQuietly() (*lenslog.Account, error) {
	cfg, err := lenslog.ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	cfg.Note = io.Discard
	return lenslog.OpenConfig(cfg)
}
