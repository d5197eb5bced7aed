package nb

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/lenslog/lenslog/pkg/charts"
	"gonum.org/v1/plot"
)

func ratioChart(t *testing.T) *plot.Plot {
	t.Helper()
	p, err := charts.Bar(charts.Bars{Labels: []string{"Success", "Failure"}, Values: []float64{0.87, 0.13}, Share: true},
		"Successful vs. unsuccessful API requests")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlotNotebook(t *testing.T) {
	d, f, out := notebookDisplay(t)
	d.Plot(ratioChart(t))
	if len(f.calls) != 2 || f.calls[0].kind != "image" || f.calls[1].kind != "html" {
		t.Fatalf("frontend got %d calls, want an image and its numbers", len(f.calls))
	}
	call := f.calls[0]
	img, err := png.Decode(bytes.NewReader(call.png))
	if err != nil {
		t.Fatalf("notebook got no PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1600 || b.Dy() != 1000 {
		t.Errorf("PNG is %dx%d, want 1600x1000 (2x, for sharp screens)", b.Dx(), b.Dy())
	}
	if call.image.Width != 800 || call.image.Height != 500 {
		t.Errorf("shown at %dx%d, want 800x500", call.image.Width, call.image.Height)
	}
	if want := "Successful vs. unsuccessful API requests: 2 bars, from 13.0% (Failure) to 87.0% (Success)"; call.image.Alt != want {
		t.Errorf("alt text %q, want %q", call.image.Alt, want)
	}
	for _, want := range []string{`<details class="data">`, "<th style=\"text-align:right\">Share (%)</th>", ">87.0%</td>"} {
		if !strings.Contains(f.calls[1].body, want) {
			t.Errorf("numbers lack %s:\n%s", want, f.calls[1].body)
		}
	}
	if out.Len() != 0 {
		t.Errorf("notebook path printed %q", out)
	}
}

// TestPlotPlainFrontend: a frontend that cannot send alt text gets the
// bare PNG.
func TestPlotPlainFrontend(t *testing.T) {
	pf := &plainFrontend{}
	f := &pf.f
	d := &Display{Out: &bytes.Buffer{}, Frontend: pf, Notebook: func() bool { return true }}
	d.Plot(ratioChart(t))
	if len(f.calls) != 2 || f.calls[0].kind != "png" {
		t.Errorf("plain frontend got %+v, want a png then the numbers", f.calls)
	}
}

func TestSVGNotebook(t *testing.T) {
	d, f, _ := notebookDisplay(t)
	d.SVG(ratioChart(t))
	html := only(t, f, "html").body
	if !strings.HasPrefix(html, "<div><svg") || !strings.Contains(html, "Successful vs. unsuccessful API requests") {
		t.Errorf("SVG not sent as HTML-wrapped <svg>: %.120s", html)
	}
}

func TestPlotText(t *testing.T) {
	tests := []struct {
		name    string
		show    func(d *Display, p *plot.Plot)
		plotDir string
		want    string // regexp-free prefix of the line
		file    string // file expected in plotDir
	}{
		{"png described", func(d *Display, p *plot.Plot) { d.Plot(p) }, "",
			"[chart: Successful vs. unsuccessful API requests, PNG 800x500]\n", ""},
		{"svg described", func(d *Display, p *plot.Plot) { d.SVG(p) }, "",
			"[chart: Successful vs. unsuccessful API requests, SVG 800x500]\n", ""},
		{"png written", func(d *Display, p *plot.Plot) { d.Plot(p) }, "plots",
			"[chart: Successful vs. unsuccessful API requests, PNG 800x500, written to ", "successful-vs-unsuccessful-api-requests.png"},
		{"second png gets a new name", func(d *Display, p *plot.Plot) { d.Plot(p); d.Plot(p) }, "plots",
			"[chart: ", "successful-vs-unsuccessful-api-requests-2.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, f, out := textDisplay(t)
			SetPlotDir("")
			if tt.plotDir != "" {
				d.PlotDir = filepath.Join(t.TempDir(), tt.plotDir)
			}
			tt.show(d, ratioChart(t))
			if len(f.calls) != 0 {
				t.Errorf("plain-text path used the frontend")
			}
			line := out.String()
			if !strings.HasPrefix(line, tt.want) || !strings.HasSuffix(line, "]\n") {
				t.Errorf("got %q, want a line starting %q", line, tt.want)
			}
			if tt.file == "" {
				if strings.Contains(line, "written to") {
					t.Errorf("no plot folder set, but %q", line)
				}
				return
			}
			path := filepath.Join(d.PlotDir, tt.file)
			if _, err := os.Stat(path); err != nil {
				t.Errorf("chart file: %v", err)
			}
			if !strings.Contains(line, "written to "+path+"]") {
				t.Errorf("line %q does not name %s", line, path)
			}
		})
	}
}

// A Display without a PlotDir writes into the folder the edge set (from
// $LENSLOG_PLOT_DIR, resolved by lenslog's Config), never reading the
// environment itself.
func TestPlotDirFromSetPlotDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(PlotDirEnv, t.TempDir()) // not read here
	SetPlotDir(dir)
	t.Cleanup(func() { SetPlotDir("") })
	d, _, out := textDisplay(t)
	d.Plot(ratioChart(t))
	if _, err := os.Stat(filepath.Join(dir, "successful-vs-unsuccessful-api-requests.png")); err != nil {
		t.Errorf("SetPlotDir(%s): %v; output %q", dir, err, out)
	}
}

func TestPlotErrors(t *testing.T) {
	tests := []struct {
		name string
		do   func(d *Display)
		want string
	}{
		{"no data for the chart constructor", func(d *Display) { d.Plot(charts.Bar(charts.Bars{}, "Empty")) },
			`No chart of "Empty": it has no rows to draw.`},
		{"nil plot", func(d *Display) { d.Plot(nil) }, "error: nb: no chart to show (nil plot)"},
		{"unwritable plot folder", func(d *Display) {
			d.PlotDir = "/dev/null/plots"
			d.Plot(plot.New())
		}, "error: nb: plot folder /dev/null/plots:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _, out := textDisplay(t)
			tt.do(d)
			if !strings.HasPrefix(out.String(), tt.want) {
				t.Errorf("got %q, want it to start %q", out, tt.want)
			}
		})
	}
}

func TestShowKinds(t *testing.T) {
	tests := []struct {
		name     string
		do       func(d *Display)
		wantText string // plain-text output
		wantKind string // notebook call kind
		wantBody string // substring of the notebook call
	}{
		{"markdown", func(d *Display) { d.Markdown("# Heaviest keys") }, "# Heaviest keys\n", "markdown", "# Heaviest keys"},
		{"html", func(d *Display) { d.HTML("<p>5 keys &amp; 2 <b>products</b></p>") }, "5 keys & 2 products\n", "html", "<b>products</b>"},
		{"text", func(d *Display) { d.Text("a < b") }, "a < b\n", "html", "<pre style=\"margin:0\">a &lt; b</pre>"},
		{"string via Show", func(d *Display) { d.Show("hello") }, "hello\n", "html", "hello"},
		{"struct via Show", func(d *Display) { d.Show(struct{ N int }{3}) }, "{N:3}\n", "html", "{N:3}"},
		{"nil via Show", func(d *Display) { d.Show(nil) }, "<nil>\n", "html", "&lt;nil&gt;"},
		{"error arg wins", func(d *Display) { d.Show("value", errors.New("boom")) }, "error: boom\n", "html", "<b>Error:</b> boom"},
		{"error value", func(d *Display) { d.Show(fmt.Errorf("load: %w", os.ErrNotExist)) }, "error: load: file does not exist\n", "html", "load: file does not exist"},
		{"error escaped", func(d *Display) { d.Error(errors.New("bad <tag>")) }, "error: bad <tag>\n", "html", "bad &lt;tag&gt;"},
		{"plot via Show", func(d *Display) { d.Show(plot.New()) }, "[chart: untitled, PNG 800x500]\n", "image", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			SetPlotDir("")
			d, _, out := textDisplay(t)
			tt.do(d)
			if !strings.HasPrefix(out.String(), tt.wantText) {
				t.Errorf("text path printed %q, want %q", out, tt.wantText)
			}
			nd, f, nout := notebookDisplay(t)
			tt.do(nd)
			call := only(t, f, tt.wantKind)
			if !strings.Contains(call.body, tt.wantBody) {
				t.Errorf("notebook got %q, want it to contain %q", call.body, tt.wantBody)
			}
			if nout.Len() != 0 {
				t.Errorf("notebook path printed %q", nout)
			}
		})
	}
}

func TestErrorNeverShowsToken(t *testing.T) {
	secret := "WyI0NTY3ODkiLCJzZWNyZXQiXQ=="
	errs := []error{
		&url.Error{Op: "Get", URL: "https://api.cryptolens.io/api/ai/GetWebAPILog?token=" + secret + "&Limit=1000", Err: errors.New("timeout")},
		fmt.Errorf("read apitokens.json: {\"GetWebAPILogToken\": \"%s\"}", secret),
		fmt.Errorf("POST body ProductId=3&token=%s", secret),
		fmt.Errorf("AccessToken: %s rejected", secret),
	}
	for _, err := range errs {
		for _, d := range []func(*testing.T) (*Display, *fakeFrontend, *bytes.Buffer){textDisplay, notebookDisplay} {
			disp, f, out := d(t)
			disp.Error(err)
			s := disp.NewStatus()
			s.Set(err.Error())
			got := out.String()
			for _, c := range f.calls {
				got += c.body
			}
			if strings.Contains(got, secret) || !strings.Contains(got, "REDACTED") {
				t.Errorf("token not masked in %q", got)
			}
		}
	}
}

// nilFramer is a result type whose Frame would panic on a nil pointer.
type nilFramer struct{ rows []int }

func (n *nilFramer) Frame() dataframe.DataFrame { return dataframe.New(series.Ints(n.rows)) }

func TestShowNilResult(t *testing.T) {
	var b strings.Builder
	d := &Display{Out: &b, Notebook: func() bool { return false }}
	var r *nilFramer
	d.Show(r)
	if !strings.Contains(b.String(), "<nil *nb.nilFramer>") {
		t.Errorf("Show(nil result) printed %q", b.String())
	}
}

// longTable is a RowFramer of n rows that records which rows were framed.
type longTable struct {
	n      int
	framed []int
}

func (l *longTable) Len() int { return l.n }

func (l *longTable) Frame() dataframe.DataFrame {
	all := make([]int, l.n)
	for i := range all {
		all[i] = i
	}
	return l.FrameRows(all)
}

func (l *longTable) FrameRows(rows []int) dataframe.DataFrame {
	l.framed = append(l.framed, rows...)
	vals := make([]int, len(rows))
	for i, r := range rows {
		vals[i] = r * 10
	}
	return dataframe.New(series.New(vals, series.Int, "value"))
}

func TestShowFramesOnlyShownRows(t *testing.T) {
	var b strings.Builder
	d := &Display{Out: &b, Notebook: func() bool { return false }, Head: 2, Tail: 2}
	lt := &longTable{n: 1_000_000}
	d.Show(lt)
	if len(lt.framed) != 4 {
		t.Fatalf("framed %d rows, want the 4 shown", len(lt.framed))
	}
	out := b.String()
	for _, want := range []string{"999999", "9,999,990", "… 999,996 more rows …", "1,000,000 rows × 1 column"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	short := &longTable{n: 3}
	b.Reset()
	d.Show(short)
	if strings.Contains(b.String(), "more row") || len(short.framed) != 3 {
		t.Errorf("a 3-row table was cut or framed wrongly (%v):\n%s", short.framed, b.String())
	}
}

// TestPlotWithoutData checks that a chart refused for want of data shows
// as a quiet sentence naming it, and any other chart error as an error.
func TestPlotWithoutData(t *testing.T) {
	_, noData := charts.Histogram(charts.Values(nil), "Requests <per> day")
	_, bad := charts.Histogram(charts.Values{math.NaN()}, "Requests")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no data", noData, `<div style="color:#555;font-style:italic">No chart of &#34;Requests &lt;per&gt; day&#34;: it has no rows to draw.</div>`},
		{"bad value", bad, "<b>Error:</b> charts: histogram"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, f, _ := notebookDisplay(t)
			d.Plot(nil, tt.err)
			if got := only(t, f, "html").body; !strings.Contains(got, tt.want) {
				t.Errorf("showed %q, want %q", got, tt.want)
			}
			d, _, out := textDisplay(t)
			d.Plot(nil, tt.err)
			if tt.name == "no data" && out.String() != "No chart of \"Requests <per> day\": it has no rows to draw.\n" {
				t.Errorf("printed %q", out)
			}
		})
	}
}
