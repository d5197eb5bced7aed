package ipynb_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/lenslog/lenslog/internal/browsertest"
	"github.com/lenslog/lenslog/pkg/charts"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/nb"
)

// TestReportsInBrowser opens reports rendered from hostile notebook
// outputs and hostile log data in headless Chromium, with a loopback
// server that records every request it gets. For each attack it passes
// when no script ran (the page title carries no marker), no request was
// made (neither the server nor the browser's network log saw one), the
// page did not navigate away, the whole report is still there, and the
// real charts (PNG and SVG) still show. The index page gets the same
// check, and the page policy alone is checked against payloads the
// sanitiser never saw.
func TestReportsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("opens reports in headless Chromium; skipped with -short")
	}
	b := browsertest.Start(t, os.Getenv("CI") == "true")
	srv := browsertest.StartRecorder(t)
	good := realCharts(t)
	dir := t.TempDir()
	for i, a := range browsertest.Attacks {
		t.Run(a.Name, func(t *testing.T) {
			id := "a" + strconv.Itoa(i)
			payload := browsertest.Expand(a.Payload, srv.Base+id+"/")
			page := filepath.Join(dir, id+".html")
			writePage(t, page, func(w *bytes.Buffer) error {
				return ipynb.RenderHTML(w, hostileNotebook(t, payload, good),
					ipynb.RenderOptions{Failure: &ipynb.Failure{Cell: 4, Message: payload}})
			})
			visit(t, b, page, srv).check(t, true)
		})
	}
	t.Run("index page", func(t *testing.T) { hostileIndex(t, b, srv, dir) })
	for i, a := range browsertest.Attacks {
		if a.Name == "meta refresh" {
			continue // a navigation, which no policy governs: only the sanitiser stops it
		}
		t.Run("policy alone/"+a.Name, func(t *testing.T) { policyAlone(t, b, srv, dir, good, "raw"+strconv.Itoa(i), a) })
	}
}

// hostileIndex checks an index page whose notebook names, titles, file
// names and errors are the attacks' payloads.
func hostileIndex(t *testing.T, b *browsertest.Browser, srv *browsertest.Recorder, dir string) {
	var entries []ipynb.IndexEntry
	for i, a := range browsertest.Attacks {
		p := browsertest.Expand(a.Payload, srv.Base+"index"+strconv.Itoa(i)+"/")
		entries = append(entries, ipynb.IndexEntry{Name: p, Title: p, HTML: p + ".html", Notebook: p,
			Failure: &ipynb.Failure{Cell: 2, Message: p}, Duration: time.Second})
	}
	title := browsertest.Expand(browsertest.Attacks[0].Payload, srv.Base+"index-title/")
	page := filepath.Join(dir, "index.html")
	writePage(t, page, func(w *bytes.Buffer) error { return ipynb.RenderIndex(w, title, entries) })
	st := visit(t, b, page, srv)
	st.check(t, false)
	if st.Rows != len(entries) {
		t.Errorf("index shows %d rows, want %d", st.Rows, len(entries))
	}
}

// policyAlone checks defence in depth: with a payload spliced raw into a
// rendered report, as if the sanitiser had missed it, the page's policy
// alone must still stop every script and every request.
func policyAlone(t *testing.T, b *browsertest.Browser, srv *browsertest.Recorder, dir string, good chartOutputs, id string, a browsertest.Attack) {
	page := filepath.Join(dir, id+".html")
	writePage(t, page, func(w *bytes.Buffer) error {
		if err := ipynb.RenderHTML(w, hostileNotebook(t, "", good), ipynb.RenderOptions{}); err != nil {
			return err
		}
		const at = "<main class=\"notebook\">\n"
		raw := strings.Replace(w.String(), at, at+browsertest.Expand(a.Payload, srv.Base+id+"/"), 1)
		w.Reset()
		w.WriteString(raw)
		return nil
	})
	st := visit(t, b, page, srv)
	if st.ScriptRan() {
		t.Errorf("script ran: the page title is %q", st.Title)
	}
	if len(st.Server) > 0 {
		t.Errorf("the recording server got %d requests: %q", len(st.Server), st.Server)
	}
}

// chartOutputs are real charts that every hostile report also shows;
// they must still display.
type chartOutputs struct {
	png   []byte // a bar chart as PNG (nb.Plot, GoNB's DisplayPNG)
	svg   []byte // the same chart as an SVG document (image/svg+xml)
	svgNB string // the HTML nb.SVG sends, as GoNB's DisplaySVG does
}

// bars returns bar chart data with the given labels.
func bars(labels ...string) charts.Bars {
	vals := make([]float64, len(labels))
	for i := range vals {
		vals[i] = float64(10 * (i + 1))
	}
	return charts.Bars{Labels: labels, Values: vals}
}

// realCharts renders the charts every page shows.
func realCharts(t *testing.T) chartOutputs {
	t.Helper()
	p, err := charts.Bar(bars("Success", "Failure", "Blocked"), "Requests by result")
	if err != nil {
		t.Fatal(err)
	}
	png, err := charts.PNG(p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := charts.SVG(p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, f := recordingDisplay()
	d.SVG(p)
	return chartOutputs{png: png, svg: svg, svgNB: f.outputs[0].Data["text/html"].(string)}
}

// hostileNotebook returns an executed notebook holding payload in every
// place a report shows notebook or log data: a markdown cell, a raw cell,
// a code cell's source, stream text, text/html, text/markdown,
// image/svg+xml, text/plain, text/latex and JSON outputs, an error with
// traceback; and log tables (Web API, Events, Object Log) whose friendly
// names, machine codes, keys, IPs, metadata and data are the payload,
// shown by pkg/nb, with nb.HTML("<b>"+name+"</b>"), nb.Markdown, nb.Text,
// nb.Error, a status line and charts labelled with the payload. Real
// charts come before and after the hostile cells, and a last cell ends
// the report.
func hostileNotebook(t *testing.T, payload string, good chartOutputs) *ipynb.Notebook {
	t.Helper()
	one := 1
	data := func(mime string, v any) ipynb.Output {
		return ipynb.Output{Type: ipynb.DisplayData, Data: map[string]any{mime: v}}
	}
	return &ipynb.Notebook{Cells: []*ipynb.Cell{
		{ID: "title", Type: ipynb.Markdown, Source: "# Hostile report"},
		{ID: "chart-png", Type: ipynb.Code, Source: "nb.Plot(p)", ExecutionCount: &one,
			Outputs: []ipynb.Output{data("image/png", base64.StdEncoding.EncodeToString(good.png))}},
		{ID: "md", Type: ipynb.Markdown, Source: payload},
		{ID: "outputs", Type: ipynb.Code, Source: payload, ExecutionCount: &one, Outputs: []ipynb.Output{
			{Type: ipynb.Stream, Name: "stdout", Text: payload},
			{Type: ipynb.Stream, Name: payload, Text: payload},
			data("text/html", payload),
			data("text/markdown", payload),
			data("image/svg+xml", payload),
			data("text/plain", payload),
			data("text/latex", payload),
			data("application/json", map[string]any{"x": payload}),
			{Type: ipynb.ExecuteResult, ExecutionCount: &one, Data: map[string]any{"text/html": payload, "text/plain": payload}},
			{Type: ipynb.Error, EName: payload, EValue: payload, Traceback: []string{payload, payload}},
		}},
		{ID: "logs", Type: ipynb.Code, Source: "nb.Show(api)", ExecutionCount: &one, Outputs: logOutputs(t, payload)},
		{ID: "raw", Type: ipynb.Raw, Source: payload},
		{ID: "chart-svg", Type: ipynb.Code, Source: "nb.SVG(p)", ExecutionCount: &one, Outputs: []ipynb.Output{
			data("text/html", good.svgNB),
			data("image/svg+xml", string(good.svg)),
		}},
		{ID: "end", Type: ipynb.Markdown, Source: "End of report."},
	}}
}

// logOutputs returns what pkg/nb displays for log tables and messages
// made of hostile log data.
func logOutputs(t *testing.T, p string) []ipynb.Output {
	t.Helper()
	api := &logs.WebAPI{}
	api.Append(cryptolens.WebAPILogRow{ID: 1, ProductID: 7, Key: p, IP: p, Time: 1700000000, State: 2010,
		MachineCode: p, FriendlyName: p, IsAnomaly: true, AnomalyProperties: p})
	events := &logs.Events{}
	events.Append(cryptolens.Event{ID: 1, Key: p, MachineCode: p, FeatureName: p, EventName: p, Time: 1700000000,
		Currency: p, Metadata: p})
	objects := &logs.Objects{}
	objects.Append(cryptolens.ObjectLogEntry{ID: 1, Data: p})

	d, f := recordingDisplay()
	d.Show(api)
	d.Show(events)
	d.Show(objects)
	d.HTML("<b>" + p + "</b>") // what a cell writing HTML by hand does
	d.HTML(`<table><tr><td title="` + p + `">` + p + `</td></tr></table>`)
	d.Markdown("**" + p + "**")
	d.Text(p)
	d.Error(errors.New(p))
	d.NewStatus().Set(p)
	if chart, err := charts.Bar(bars(p, "ok"), p); err == nil {
		d.Plot(chart)
		d.SVG(chart)
	} else {
		t.Logf("a chart labelled with the payload: %v", err)
	}
	return f.outputs
}

// recordingDisplay returns an nb.Display on the notebook path whose
// frontend turns every display into a notebook output, as GoNB would.
func recordingDisplay() (*nb.Display, *outputRecorder) {
	f := &outputRecorder{}
	return &nb.Display{Frontend: f, Notebook: func() bool { return true }, Out: &bytes.Buffer{}}, f
}

// outputRecorder is an nb.Frontend that keeps displays as outputs.
type outputRecorder struct {
	outputs []ipynb.Output
	ids     int
}

func (r *outputRecorder) add(mime string, v any) {
	r.outputs = append(r.outputs, ipynb.Output{Type: ipynb.DisplayData, Data: map[string]any{mime: v}})
}
func (r *outputRecorder) DisplayHTML(html string)   { r.add("text/html", html) }
func (r *outputRecorder) DisplayMarkdown(md string) { r.add("text/markdown", md) }
func (r *outputRecorder) DisplayPNG(png []byte) {
	r.add("image/png", base64.StdEncoding.EncodeToString(png))
}
func (r *outputRecorder) UpdateHTML(_, html string) { r.add("text/html", html) }
func (r *outputRecorder) UniqueID() string          { r.ids++; return strconv.Itoa(r.ids) }

// writePage renders a page into path.
func writePage(t *testing.T, path string, render func(*bytes.Buffer) error) {
	t.Helper()
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pageState is what the test reads back from an opened page: what the
// harness reads, and whether the last cell is there, the natural widths of
// the real charts and, on an index page, the number of rows.
type pageState struct {
	browsertest.Page
	End    bool      `json:"end"`
	Charts []float64 `json:"charts"`
	Rows   int       `json:"rows"`
}

// readState reads back whether the last cell is there, the natural widths
// of the real charts and, on an index page, the number of rows.
const readState = `({
  end: !!document.querySelector('section#c-end p'),
  charts: Array.from(document.querySelectorAll('section#c-chart-png img, section#c-chart-svg img')).map(i => i.complete ? i.naturalWidth : 0),
  rows: document.querySelectorAll('table.runs > tbody > tr').length,
})`

// visit opens page in the browser, interacts with it as the harness
// does, and reads back its state.
func visit(t *testing.T, b *browsertest.Browser, page string, srv *browsertest.Recorder) pageState {
	t.Helper()
	var st pageState
	st.Page = b.Visit(t, page, srv, readState, &st)
	return st
}

// check fails t for every sign that hostile content acted: script ran,
// something was fetched, the page navigated or lost its end, a real
// chart does not show.
func (st pageState) check(t *testing.T, report bool) {
	t.Helper()
	st.Page.Check(t)
	if !report {
		return
	}
	if !st.End {
		t.Errorf("the report's last cell is gone: hostile content swallowed the rest of the page")
	}
	if len(st.Charts) != 3 {
		t.Errorf("found %d real chart images, want 3", len(st.Charts))
	}
	for i, w := range st.Charts {
		if w <= 0 {
			t.Errorf("real chart %d does not show (naturalWidth %v)", i+1, w)
		}
	}
}

// TestWideTablesFit opens, at 1280 px, a report with the widest tables the
// notebooks show (13 columns of keys, machine codes and JSON, as 09's
// reconciliation and 10's impact table; a 15-column markdown table) and
// finds every header in view without scrolling sideways.
func TestWideTablesFit(t *testing.T) {
	if testing.Short() {
		t.Skip("opens a report in headless Chromium; skipped with -short")
	}
	b := browsertest.Start(t, os.Getenv("CI") == "true")
	d, rec := recordingDisplay()
	cols := make([]series.Series, 13)
	for c := range cols {
		vals := make([]string, 5)
		for r := range vals {
			vals[r] = strings.Repeat("0123456789abcdef", 4) + `{"Block":[false,true],"Notes":["","a long note"]}`
		}
		cols[c] = series.New(vals, series.String, "column_"+strconv.Itoa(c)+"_name")
	}
	d.Show(dataframe.New(cols...))
	md := "|" + strings.Repeat(" Friendly name |", 15) + "\n|" + strings.Repeat("---|", 15) + "\n|" + strings.Repeat(" ABCDE-FGHIJ-KLMNO-PQRST |", 15) + "\n"
	book := &ipynb.Notebook{Cells: []*ipynb.Cell{
		{ID: "md", Type: ipynb.Markdown, Source: "# Wide\n\n" + md},
		{ID: "frame", Type: ipynb.Code, Source: "nb.Show(df)", Outputs: rec.outputs},
	}}
	page := filepath.Join(t.TempDir(), "wide.html")
	writePage(t, page, func(w *bytes.Buffer) error { return ipynb.RenderHTML(w, book, ipynb.RenderOptions{}) })
	if cut := b.TablesCut(t, page); len(cut) > 0 {
		t.Errorf("at 1280 px, %d headers are cut off or need scrolling sideways: %q", len(cut), cut)
	}
}
