package notebooks

import (
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/internal/browsertest"
	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/nb"
	"github.com/lenslog/lenslog/pkg/params"
)

// This file checks a report the way its readers take it: opened in a
// browser at 1280 px and printed to PDF. The checks run over the report
// runs the other tests make (TestNotebooks on the sample account,
// TestReportWithParameters with parameters), so they cost no run of
// their own.

// checkForReaders checks the report folder dir, written by `kernel report
// -pdf`, for each notebook name: every code cell says something; the page
// shows no code, every table header is in view at 1280 px and every chart
// has alt text and its numbers; the PDF holds every table header and
// value box of the page.
func checkForReaders(t *testing.T, dir string, names []string) {
	t.Helper()
	b := browsertest.Start(t, os.Getenv("CI") == "true")
	rec := browsertest.StartRecorder(t)
	for _, name := range names {
		t.Run("reader/"+name, func(t *testing.T) {
			checkEveryCellSays(t, readExecuted(t, filepath.Join(dir, name+".ipynb")))
			page := filepath.Join(dir, name+".html")
			var got readerView
			b.Visit(t, page, rec, readReaderView, &got).Check(t)
			got.check(t)
			if cut := b.TablesCut(t, page); len(cut) > 0 {
				t.Errorf("at 1280 px, %d table headers are cut off or need scrolling sideways: %q", len(cut), cut)
			}
			checkPDF(t, filepath.Join(dir, name+".pdf"), page)
		})
	}
}

// checkEveryCellSays fails for a code cell that ran and showed nothing: a
// reader must not meet a section with nothing under it. The exceptions
// run nothing: the parameters cells, and cells of declarations only (no
// "%%" part, no main), such as 01's helper function, which the reader's
// view leaves out.
func checkEveryCellSays(t *testing.T, book *ipynb.Notebook) {
	t.Helper()
	for i, c := range book.Cells {
		if c.Type != ipynb.Code || params.HasTag(c, params.TagParameters) || params.HasTag(c, params.TagInjected) || ipynb.IsSetup(c) {
			continue
		}
		if !slices.Contains(strings.Split(c.Source, "\n"), "%%") && !strings.Contains(c.Source, "func main()") {
			continue
		}
		if len(c.Outputs) == 0 {
			t.Errorf("cell %d says nothing:\n%s", i+1, c.Source)
		}
	}
}

// readerView is what readReaderView measures on a page.
type readerView struct {
	Code       int      // code blocks in view
	Images     int      // chart images
	NoAlt      []string // charts without alt text (their src's start)
	NoNumbers  []string // charts (by alt) without the table of their numbers after them
	Boxes      []string // the value boxes' text
	Headers    []string // every table header's text
	AnswerSeen bool     // the page has a subject line and an answer
}

// readReaderView counts what a reader sees of the page as it opens: code
// in view, charts, their alt text and numbers; and collects the value
// boxes and table headers the PDF must hold.
const readReaderView = `(() => {
  const visible = e => e.offsetParent !== null;
  const imgs = [...document.querySelectorAll('.output.image img')];
  const text = e => e.textContent.replace(/\s+/g, ' ').trim();
  return {
    Code: [...document.querySelectorAll('pre.source')].filter(visible).length,
    Images: imgs.length,
    NoAlt: imgs.filter(i => !i.alt || i.alt === 'output image').map(i => i.src.slice(0, 40)),
    NoNumbers: imgs.filter(i => {
      const next = i.closest('.output').nextElementSibling;
      return !next || !next.querySelector('details.data table');
    }).map(i => i.alt),
    Boxes: [...document.querySelectorAll('.value-box')].map(text),
    Headers: [...document.querySelectorAll('th')].map(text).filter(s => s !== ''),
    AnswerSeen: !!document.querySelector('.report-subject') && !!document.querySelector('.report-answer'),
  };
})()`

// check fails for code in view and for charts without alt text or numbers.
func (v readerView) check(t *testing.T) {
	t.Helper()
	if v.Code > 0 {
		t.Errorf("the reader's view shows %d code blocks", v.Code)
	}
	if len(v.NoAlt) > 0 {
		t.Errorf("%d of %d charts have no alt text: %q", len(v.NoAlt), v.Images, v.NoAlt)
	}
	if len(v.NoNumbers) > 0 {
		t.Errorf("%d of %d charts have no table of their numbers under them: %q", len(v.NoNumbers), v.Images, v.NoNumbers)
	}
}

// checkPDF reads the PDF printed from page with pdftotext and finds every
// table header and value box of the page in it.
func checkPDF(t *testing.T, pdfPath, page string) {
	t.Helper()
	text := pdfText(t, pdfPath, 0)
	raw, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range pageHeaders(string(raw)) {
		if !strings.Contains(text, squash(h)) {
			t.Errorf("the PDF lacks the table header %q", h)
		}
	}
	for _, box := range pageBoxes(string(raw)) {
		for _, part := range box {
			if !strings.Contains(text, squash(part)) {
				t.Errorf("the PDF lacks the value box text %q", part)
			}
		}
	}
}

// pdfText is the text of a PDF, of its first page only when first is 1,
// with runs of white space as one space.
func pdfText(t *testing.T, path string, first int) string {
	t.Helper()
	args := []string{"-raw"}
	if first > 0 {
		args = append(args, "-f", "1", "-l", "1")
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return squash(string(out))
}

// squash writes runs of white space as one space, and undoes the
// hyphen-less line breaks a PDF's text keeps.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	reTH   = regexp.MustCompile(`(?s)<th[^>]*>(.*?)</th>`)
	reBox  = regexp.MustCompile(`(?s)<div class="value-box"[^>]*>(.*?)</div>\n`)
	reDiv  = regexp.MustCompile(`(?s)<div[^>]*>(.*?)</div>`)
	reTags = regexp.MustCompile(`<[^>]+>`)
)

// pageHeaders are the texts of a page's table headers, once each.
func pageHeaders(page string) []string {
	var out []string
	for _, m := range reTH.FindAllStringSubmatch(page, -1) {
		h := squash(html.UnescapeString(reTags.ReplaceAllString(m[1], " ")))
		if h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// pageBoxes are a page's value boxes, each as its lines: label, value,
// change.
func pageBoxes(page string) [][]string {
	var out [][]string
	for _, m := range reBox.FindAllStringSubmatch(page, -1) {
		var box []string
		for _, d := range reDiv.FindAllStringSubmatch(m[1]+"</div>", -1) {
			if s := squash(html.UnescapeString(reTags.ReplaceAllString(d[1], " "))); s != "" {
				box = append(box, s)
			}
		}
		out = append(out, box)
	}
	return out
}

// checkFirstPage finds, on the first page of a report's PDF, what answers
// its question: the subject line, every value box and the answer.
func checkFirstPage(t *testing.T, pdfPath string, book *ipynb.Notebook) {
	t.Helper()
	first := pdfText(t, pdfPath, 1)
	for _, want := range answerTexts(book) {
		if !strings.Contains(first, squash(want)) {
			t.Errorf("the first page of %s lacks %q; it reads:\n%s", filepath.Base(pdfPath), want, first)
		}
	}
}

var reAnswerParts = regexp.MustCompile(`(?s)<p class="report-(?:subject|answer)"[^>]*>(.*?)</p>`)

// answerTexts are the subject line, the value boxes' lines and the answer
// a notebook showed, as text.
func answerTexts(book *ipynb.Notebook) []string {
	var out []string
	for _, c := range book.Cells {
		for _, o := range c.Outputs {
			h, _ := o.DataText("text/html")
			for _, m := range reAnswerParts.FindAllStringSubmatch(h, -1) {
				out = append(out, html.UnescapeString(m[1]))
			}
			for _, box := range pageBoxes(h) {
				out = append(out, box...)
			}
		}
	}
	return out
}

// checkBoxes finds the value boxes want, as nb.BoxesHTML writes them, in
// the executed notebook: the figures the analyses compute for the same
// windows.
func checkBoxes(t *testing.T, book *ipynb.Notebook, want ...nb.Box) {
	t.Helper()
	html := nb.BoxesHTML(want)
	for _, c := range book.Cells {
		for _, o := range c.Outputs {
			if h, _ := o.DataText("text/html"); h == html {
				return
			}
		}
	}
	var shown []string
	for _, c := range book.Cells {
		for _, o := range c.Outputs {
			if h, _ := o.DataText("text/html"); strings.Contains(h, "value-box") {
				shown = append(shown, h)
			}
		}
	}
	t.Errorf("the notebook does not show the value boxes\n%s\nit shows:\n%s", html, strings.Join(shown, "\n"))
}

// notebookFiles lists the files of this folder, to find what a run wrote
// into it.
func notebookFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// checkNothingWritten fails for a file that appeared in this folder
// since before: a report writes beside itself, never into notebooks/.
func checkNothingWritten(t *testing.T, before []string) {
	t.Helper()
	for _, f := range notebookFiles(t) {
		if !slices.Contains(before, f) {
			t.Errorf("the run wrote %s into notebooks/", f)
		}
	}
}

// checkSampleBoxes compares the value boxes of the sample account's
// reports (notebooks' defaults) with the figures computed here for the
// same windows.
func checkSampleBoxes(t *testing.T, out string) {
	t.Helper()
	acct, err := openQuietly()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("boxes/02-success-ratio", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "02-success-ratio.ipynb")), successBoxes(t, acct, lenslog.Last(30*lenslog.Day), 0)...)
	})
	t.Run("boxes/04-floating-seat-audit", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "04-floating-seat-audit.ipynb")), seatBoxes(t, acct, lenslog.Last(24*time.Hour))...)
	})
	t.Run("boxes/09-usage-analytics", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "09-usage-analytics.ipynb")), usageBoxes(t, acct, lenslog.Last(30*lenslog.Day), 0)...)
	})
	t.Run("boxes/01-three-logs", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "01-three-logs.ipynb")), logBoxes(t, acct)...)
	})
	t.Run("boxes/06-key-sharing", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "06-key-sharing.ipynb")), sharingBoxes(t, acct, lenslog.Last(30*lenslog.Day))...)
	})
	t.Run("boxes/08-who-changed-what", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "08-who-changed-what.ipynb")), changeBoxes(t, acct, lenslog.Last(60*lenslog.Day))...)
	})
	t.Run("boxes/10-license-timeline", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "10-license-timeline.ipynb")), timelineBoxes(t, acct, lenslog.Last(30*lenslog.Day))...)
	})
	t.Run("boxes/03-heaviest-keys", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "03-heaviest-keys.ipynb")), heavyBoxes(t, acct, lenslog.Last(30*lenslog.Day), 0.01)...)
	})
	t.Run("boxes/05-inactive-licenses", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "05-inactive-licenses.ipynb")), inactiveBoxes(t, acct, lenslog.Last(120*lenslog.Day), 30)...)
	})
	t.Run("boxes/07-feature-usage-revenue", func(t *testing.T) {
		ev := lenslog.Must(acct.Events(lenslog.Last(30 * lenslog.Day)))
		checkBoxes(t, readExecuted(t, filepath.Join(out, "07-feature-usage-revenue.ipynb")),
			nb.Box{Label: "Events", Value: float64(ev.Len())},
			nb.Box{Label: "Features used", Value: float64(len(analysis.FeatureUsage(ev).Rows))})
	})
	t.Run("boxes/11-data-health", func(t *testing.T) {
		api := lenslog.Must(acct.WebAPI(lenslog.All()))
		h := analysis.DataHealth(lenslog.Must(acct.HealthInput(api, lenslog.Must(acct.Events(lenslog.All())), lenslog.Must(acct.Objects(lenslog.All())))))
		count := func(s analysis.HealthStatus) int {
			n := 0
			for _, c := range h.Checks {
				if c.Status == s {
					n++
				}
			}
			return n
		}
		checkBoxes(t, readExecuted(t, filepath.Join(out, "11-data-health.ipynb")),
			nb.Box{Label: "Checks ok", Value: float64(count(analysis.StatusOK)), Better: 1},
			nb.Box{Label: "Checks to look at", Value: float64(count(analysis.StatusLook)), Better: -1},
			nb.Box{Label: "Checks bad", Value: float64(count(analysis.StatusBad)), Better: -1},
			nb.Box{Label: "Web API Log rows", Value: float64(api.Len())})
	})
}

// successBoxes are 02's boxes for span and product: requests, the share
// that succeeded and the failures, counted from the rows' states, against
// the period of the same length before.
func successBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span, product int) []nb.Box {
	t.Helper()
	api := lenslog.Must(acct.WebAPI(span, lenslog.Product(product)))
	prev := lenslog.Must(acct.WebAPI(lenslog.Between(api.Period.From.Add(-api.Period.To.Sub(api.Period.From)), api.Period.From), lenslog.Product(product)))
	count := func(api *logs.WebAPI) (n, ok, failed float64) {
		for _, s := range api.State {
			n++
			switch s.Outcome() {
			case cryptolens.OutcomeSuccess:
				ok++
			case cryptolens.OutcomeFailure:
				failed++
			}
		}
		return n, ok, failed
	}
	n, ok, failed := count(api)
	pn, pok, pfailed := count(prev)
	if n == 0 || pn == 0 {
		t.Fatalf("no requests in %v or the period before: the boxes would compare nothing", api.Period)
	}
	return []nb.Box{
		{Label: "Requests", Value: n, Previous: pn, HasPrevious: true},
		{Label: "Succeeded", Value: ok / n, Previous: pok / pn, HasPrevious: true, Share: true, Better: 1},
		{Label: "Failed requests", Value: failed, Previous: pfailed, HasPrevious: true, Better: -1},
	}
}

// seatBoxes are 04's boxes for span, on the license the notebook picks.
func seatBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span) []nb.Box {
	t.Helper()
	api := lenslog.Must(acct.WebAPI(span))
	lic := lenslog.Must(acct.FloatingLicense(api, span, "", 0))
	prevAPI := lenslog.Must(acct.WebAPI(lenslog.Between(api.Period.From.Add(-api.Period.To.Sub(api.Period.From)), api.Period.From)))
	audit := lenslog.Must(analysis.SeatAudit(api, lic.Key, lic.Limit))
	prev := lenslog.Must(analysis.SeatAudit(prevAPI, lic.Key, lic.Limit))
	peak := func(r *analysis.SeatReport) float64 {
		p := r.InUseAtStart
		for _, e := range r.Events {
			p = max(p, e.InUse)
		}
		return float64(p)
	}
	return []nb.Box{
		{Label: "Peak seats in use", Value: peak(audit), Previous: peak(prev), HasPrevious: true},
		{Label: "Devices refused, no free seat", Value: float64(audit.DeviceLimit), Previous: float64(prev.DeviceLimit), HasPrevious: true, Better: -1},
		{Label: "Overdrafts", Value: float64(audit.Overdrafts), Previous: float64(prev.Overdrafts), HasPrevious: true, Better: -1},
		{Label: "Seats taken", Value: float64(audit.Activations), Previous: float64(prev.Activations), HasPrevious: true},
	}
}

// usageBoxes are 09's boxes for span and product, from the daily
// aggregates of the period and of the one before.
func usageBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span, product int) []nb.Box {
	t.Helper()
	daily := lenslog.Must(acct.DailyAggregates(span, lenslog.Product(product)))
	w := daily.Period
	now := analysis.DailyKPIs(daily, product)
	before := analysis.DailyKPIs(lenslog.Must(acct.DailyAggregates(lenslog.Between(w.From.Add(-w.To.Sub(w.From)), w.From), lenslog.Product(product))), product)
	if now.Len() == 0 || before.Len() == 0 {
		t.Fatalf("no daily aggregates in %v or the period before", w)
	}
	return []nb.Box{
		{Label: "Requests", Value: float64(now.Sum().Requests), Previous: float64(before.Sum().Requests), HasPrevious: true},
		{Label: "Failed requests", Value: float64(now.Sum().Failed), Previous: float64(before.Sum().Failed), HasPrevious: true, Better: -1},
		{Label: "Active devices a day", Value: now.Mean().ActiveDevices, Previous: before.Mean().ActiveDevices, HasPrevious: true, Better: 1},
	}
}

// previous is the window of the same length just before w.
func previous(w logs.Window) logs.Window {
	return logs.Window{From: w.From.Add(-w.To.Sub(w.From)), To: w.From}
}

// rowsIn counts the times in w.
func rowsIn(times []time.Time, w logs.Window) float64 {
	n := 0.0
	for _, at := range times {
		if w.Contains(at) {
			n++
		}
	}
	return n
}

// timesOf is a table's row times.
func timesOf(n int, at func(int) time.Time) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = at(i)
	}
	return out
}

// logBoxes are 01's boxes: the rows of each log over the windows 01
// reads (the last 7 days; the Object Log's last 30), counted from whole
// loads.
func logBoxes(t *testing.T, acct *lenslog.Account) []nb.Box {
	t.Helper()
	api := lenslog.Must(acct.WebAPI(lenslog.All()))
	ev := lenslog.Must(acct.Events(lenslog.All()))
	obj := lenslog.Must(acct.Objects(lenslog.All()))
	week, month := lenslog.Last(7*lenslog.Day).Window(acct.Now()), lenslog.Last(30*lenslog.Day).Window(acct.Now())
	return []nb.Box{
		{Label: "Web API Log rows", Value: rowsIn(timesOf(api.Len(), api.Time.At), week)},
		{Label: "Events Log rows", Value: rowsIn(timesOf(ev.Len(), ev.Time.At), week)},
		{Label: "Object Log entries", Value: rowsIn(timesOf(obj.Len(), obj.Time.At), month)},
	}
}

// sharingBoxes are 06's boxes for span: requests and distinct keys
// counted from the rows, and the failure bursts, against the period of
// the same length before.
func sharingBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span) []nb.Box {
	t.Helper()
	api := lenslog.Must(acct.WebAPI(span))
	prev := lenslog.Must(acct.WebAPI(lenslog.Between(previous(api.Period).From, api.Period.From)))
	keys := func(api *logs.WebAPI) float64 {
		seen := map[string]bool{}
		for _, k := range api.Key.Values() {
			seen[k] = true
		}
		return float64(len(seen))
	}
	bursts := func(api *logs.WebAPI) float64 {
		return float64(len(lenslog.Must(analysis.FailureBursts(api, analysis.BurstOptions{})).Rows))
	}
	return []nb.Box{
		{Label: "Requests", Value: float64(api.Len()), Previous: float64(prev.Len()), HasPrevious: true},
		{Label: "Keys used", Value: keys(api), Previous: keys(prev), HasPrevious: true},
		{Label: "Failure bursts", Value: bursts(api), Previous: bursts(prev), HasPrevious: true, Better: -1},
	}
}

// changeBoxes are 08's boxes for span: the Object Log's entries, the users
// who made them and the fields its updates changed ([old, new] pairs in
// their data), counted from the rows.
func changeBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span) []nb.Box {
	t.Helper()
	obj := lenslog.Must(acct.Objects(span))
	users, fields := map[string]bool{}, 0
	for i, u := range obj.PerformedByUserID.Values() {
		users[u] = true
		var changed map[string][]any
		if obj.ResourceAction[i] == cryptolens.ActionUpdated && json.Unmarshal([]byte(obj.Data[i]), &changed) == nil {
			for _, pair := range changed {
				if len(pair) == 2 {
					fields++
				}
			}
		}
	}
	return []nb.Box{
		{Label: "Object Log entries", Value: float64(obj.Len())},
		{Label: "Users", Value: float64(len(users))},
		{Label: "Field changes", Value: float64(fields)},
	}
}

// timelineBoxes are 10's boxes for span, on the key with the most failed
// requests in it: its requests and failures against the period before,
// the Object Log's changes to it (found by the object id its Added copy
// names) and its events, counted from the rows.
func timelineBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span) []nb.Box {
	t.Helper()
	w := span.Window(acct.Now())
	api := lenslog.Must(acct.WebAPI(lenslog.All()))
	ev := lenslog.Must(acct.Events(lenslog.All()))
	obj := lenslog.Must(acct.Objects(lenslog.All()))
	key, _ := mostFailingKey(api, w)
	requests := func(w logs.Window) (n, failed float64) {
		for i, k := range api.Key.Values() {
			if k == key && w.Contains(api.Time.At(i)) {
				n++
				if api.State[i].Outcome() == cryptolens.OutcomeFailure {
					failed++
				}
			}
		}
		return n, failed
	}
	var object int64
	for i, a := range obj.ResourceAction {
		var c struct{ Key string }
		if a == cryptolens.ActionAdded && obj.ResourceType[i] == cryptolens.ResourceLicenseKey && json.Unmarshal([]byte(obj.Data[i]), &c) == nil && c.Key == key {
			object = obj.AffectedObjectID[i]
		}
	}
	changes, events := 0.0, 0.0
	for i, id := range obj.AffectedObjectID {
		if obj.ResourceType[i] == cryptolens.ResourceLicenseKey && id == object && w.Contains(obj.Time.At(i)) {
			changes++
		}
	}
	for i, k := range ev.Key.Values() {
		if k == key && w.Contains(ev.Time.At(i)) {
			events++
		}
	}
	n, failed := requests(w)
	pn, pfailed := requests(previous(w))
	if key == "" || object == 0 {
		t.Fatalf("no key failed in %v, or its Object Log copy is missing", w)
	}
	return []nb.Box{
		{Label: "Requests", Value: n, Previous: pn, HasPrevious: true},
		{Label: "Failed requests", Value: failed, Previous: pfailed, HasPrevious: true, Better: -1},
		{Label: "Changes to the key", Value: changes},
		{Label: "Events sent", Value: events},
	}
}

// heavyBoxes are 03's boxes for span: requests and the keys above
// minShare of them counted from the rows, and the distinct friendly
// names, against the period of the same length before.
func heavyBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span, minShare float64) []nb.Box {
	t.Helper()
	api := lenslog.Must(acct.WebAPI(span))
	prev := lenslog.Must(acct.WebAPI(lenslog.Between(previous(api.Period).From, api.Period.From)))
	heavy := func(api *logs.WebAPI) float64 {
		per := map[string]int{}
		for _, k := range api.Key.Values() {
			per[k]++
		}
		n := 0
		for _, c := range per {
			if float64(c)/float64(api.Len()) > minShare {
				n++
			}
		}
		return float64(n)
	}
	names := func(api *logs.WebAPI) float64 { return float64(len(analysis.RequestsByFriendlyName(api).Rows)) }
	return []nb.Box{
		{Label: "Requests", Value: float64(api.Len()), Previous: float64(prev.Len()), HasPrevious: true},
		{Label: "Keys above 1%", Value: heavy(api), Previous: heavy(prev), HasPrevious: true},
		{Label: "Distinct friendly names", Value: names(api), Previous: names(prev), HasPrevious: true},
	}
}

// inactiveBoxes are 05's boxes for the history span: the keys with a
// request in it, and those whose last request is more than silentDays
// before the account's now, counted from the rows.
func inactiveBoxes(t *testing.T, acct *lenslog.Account, span lenslog.Span, silentDays int) []nb.Box {
	t.Helper()
	api := lenslog.Must(acct.WebAPI(span))
	last := map[string]time.Time{}
	for i, k := range api.Key.Values() {
		if at := api.Time.At(i); at.After(last[k]) {
			last[k] = at
		}
	}
	inactive := 0
	for _, at := range last {
		if acct.Now().Sub(at) > time.Duration(silentDays)*lenslog.Day {
			inactive++
		}
	}
	return []nb.Box{
		{Label: "Keys with activity", Value: float64(len(last))},
		{Label: "Inactive keys", Value: float64(inactive), Better: -1},
		{Label: "Inactive share", Value: float64(inactive) / float64(len(last)), Share: true, Better: -1},
	}
}
