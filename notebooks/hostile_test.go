package notebooks

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/internal/browsertest"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/sample"
)

// hostileToken is the token the hostile account's server accepts.
const hostileToken = "hostile-canary-3b8d51c0"

// mustShowHostile are the reports that must show hostile log data: their
// tables list the newest rows (01), the friendly names of the shared keys
// (06) and the Object Log's field history (08).
var mustShowHostile = []string{"01-", "06-", "08-"}

// TestHostileAccountReportInBrowser tries the whole path as an attacker
// would. Customers' devices wrote the payloads of browsertest.Attacks
// into the logs (friendly names, machine codes, license keys, event names
// and metadata, Object Log data: sample.Options.Hostile); a
// Cryptolens-compatible server serves that account; `kernel report`
// (unredacted, so the payloads reach the pages) reads it through the
// client and the local store and runs the real notebooks on GoNB. Then
// headless Chromium opens index.html and every report, hovering and
// clicking everything, while a loopback server records every request.
//
// It passes when every notebook succeeds and on every page no script ran,
// nothing was fetched (neither the recording server nor the browser's
// network log saw a request), the page did not navigate, every image
// shows, and no cell was swallowed; and when the payloads did reach the
// reports, whole, as text a reader sees: every attack's payload on some
// page, and some payload on each page of mustShowHostile.
func TestHostileAccountReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every notebook through GoNB and opens the reports in Chromium: slow")
	}
	b := browsertest.Start(t, os.Getenv("CI") == "true")
	rec := browsertest.StartRecorder(t)
	payloads := make([]string, len(browsertest.Attacks))
	for i, a := range browsertest.Attacks {
		payloads[i] = browsertest.Expand(a.Payload, rec.Base+"a"+strconv.Itoa(i)+"/")
	}
	acct := sample.Generate(sample.Options{Seed: 11, End: time.Now().UTC(), Hostile: payloads})
	srv := httptest.NewServer(sample.NewServer(acct, hostileToken))
	defer srv.Close()

	out, reportErr := hostileReport(t, srv.URL)
	pages, err := filepath.Glob(filepath.Join(out, "*.html"))
	if err != nil || len(pages) < 9 {
		t.Fatalf("report wrote %d pages, want one per notebook and index.html", len(pages))
	}
	shown := map[string]bool{}
	for _, page := range pages {
		name := filepath.Base(page)
		t.Run(name, func(t *testing.T) {
			if name == "index.html" {
				checkIndex(t, b, rec, page, len(pages)-1)
				return
			}
			found := checkReport(t, b, rec, page, payloads)
			for _, f := range found {
				shown[f] = true
			}
			t.Logf("%s shows %d of %d attack classes as text: %s", name, len(found), len(payloads), strings.Join(found, "; "))
			for _, prefix := range mustShowHostile {
				if strings.HasPrefix(name, prefix) && len(found) == 0 {
					t.Errorf("%s shows none of the hostile strings: the test proves nothing about it", name)
				}
			}
		})
	}
	for _, a := range browsertest.Attacks {
		if !shown[a.Name] {
			t.Errorf("no report shows the payload of %q: it was not tried", a.Name)
		}
	}
	if reportErr != nil {
		t.Errorf("kernel report failed on the hostile account: %v", reportErr)
	}
}

// hostileReport runs `kernel report` on the account served at base, as a
// user with a token would, and returns the folder it wrote.
func hostileReport(t *testing.T, base string) (string, error) {
	t.Helper()
	setLiveEnv(t, base, hostileToken)
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./kernel", "report", "-timeout", "10m", "-out", out)
	cmd.Dir = ".."
	start := time.Now()
	log, err := cmd.CombinedOutput()
	t.Logf("kernel report (%s):\n%s", time.Since(start).Round(time.Second), log)
	return out, err
}

// reportState is what checkReport reads from a report page besides what
// the harness reads: how many cells it shows.
type reportState struct {
	Sections int `json:"sections"`
}

const readReport = `({sections: document.querySelectorAll('main.notebook > section').length})`

// checkReport opens one report and fails t for any sign that hostile
// content acted, an image that does not show, or a cell missing; it
// returns the attack classes whose payload the page shows whole, as text
// or a tooltip (tables cut long cells and show them whole on hovering).
func checkReport(t *testing.T, b *browsertest.Browser, rec *browsertest.Recorder, page string, payloads []string) []string {
	t.Helper()
	nb, err := ipynb.ReadFile(strings.TrimSuffix(page, ".html") + ".ipynb")
	if err != nil {
		t.Fatal(err)
	}
	var st reportState
	p := b.Visit(t, page, rec, readReport, &st)
	p.Check(t)
	if len(p.Broken) > 0 {
		t.Errorf("%d images do not show: %q", len(p.Broken), p.Broken)
	}
	if want := images(nb); p.Images < want {
		t.Errorf("the page has %d images, the notebook's outputs %d", p.Images, want)
	}
	if want := ipynb.Sections(nb, ipynb.RenderOptions{}); st.Sections != want {
		t.Errorf("the page shows %d cells of %d: hostile content swallowed the rest", st.Sections, want)
	}
	if cut := b.TablesCut(t, page); len(cut) > 0 {
		t.Errorf("at 1280 px, %d table headers are cut off or need horizontal scrolling: %q", len(cut), cut)
	}
	text := strings.Join(strings.Fields(p.Text+"\n"+strings.Join(p.Tooltips, "\n")), " ")
	var found []string
	for i, s := range payloads {
		if strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
			found = append(found, browsertest.Attacks[i].Name)
		}
	}
	return found
}

// images counts a notebook's image outputs, each of which the report
// shows as an <img>.
func images(nb *ipynb.Notebook) int {
	n := 0
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			_, png := o.Data["image/png"]
			_, svg := o.Data["image/svg+xml"]
			if png || svg {
				n++
			}
		}
	}
	return n
}

// indexState is what checkIndex reads from the index page: its rows.
type indexState struct {
	Rows int `json:"rows"`
}

// checkIndex opens the index page and fails t for any sign that hostile
// content acted, or a report missing from it.
func checkIndex(t *testing.T, b *browsertest.Browser, rec *browsertest.Recorder, page string, reports int) {
	t.Helper()
	var st indexState
	p := b.Visit(t, page, rec, `({rows: document.querySelectorAll('table.runs > tbody > tr').length})`, &st)
	p.Check(t)
	if len(p.Broken) > 0 {
		t.Errorf("%d images do not show: %q", len(p.Broken), p.Broken)
	}
	if st.Rows != reports {
		t.Errorf("the index lists %d reports, want %d", st.Rows, reports)
	}
}
