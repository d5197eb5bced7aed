package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/charts"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/nb"
	"github.com/lenslog/lenslog/pkg/pdf"
	"golang.org/x/net/html"
)

// need skips the test without Chromium or pdftotext, except in CI
// (CI=true), which installs both: a print test that silently skips
// proves nothing.
func need(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("prints with headless Chromium; skipped with -short")
	}
	_, chromium := pdf.FindChromium()
	_, err := exec.LookPath("pdftotext")
	if chromium && err == nil {
		return
	}
	msg := "needs Chromium (Debian's chromium) and pdftotext (Debian's poppler-utils)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// wideTable is an HTML table of n columns with long text, like 10's
// impact table, as a cell output.
func wideTable(n int) (string, []string) {
	var b strings.Builder
	var heads []string
	b.WriteString("<table><thead><tr>")
	words := []string{"Friendly name", "Machine code", "Failures before", "Failures after", "Change made", "First seen", "Last seen",
		"Requests in window", "Share of failures", "Seat limit", "Product id", "What to do", "Figure", "Devices per key", "Days silent"}
	for c := range n {
		h := words[c%len(words)]
		heads = append(heads, h)
		b.WriteString("<th>" + h + "</th>")
	}
	b.WriteString("</tr></thead><tbody><tr>")
	for c := range n {
		b.WriteString("<td>value " + strings.Repeat("x", c) + " and some longer text that must wrap</td>")
	}
	b.WriteString("</tr></tbody></table>")
	return b.String(), heads
}

// report builds and renders a report page with a wide table, a chart
// with its numbers, and a link out; it returns the page's path and the
// table headers a reader must find.
func report(t *testing.T, dir string) (string, []string) {
	t.Helper()
	table, heads := wideTable(15)
	p, err := charts.Bar(charts.Bars{Labels: []string{"Success", "Failure"}, Values: []float64{0.87, 0.13}, Share: true}, "Outcome share")
	if err != nil {
		t.Fatal(err)
	}
	png, err := charts.PNGScaled(p, 0, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := charts.NumbersOf(p)
	var enc bytes.Buffer
	enc.WriteString(b64(png))
	book := &ipynb.Notebook{Cells: []*ipynb.Cell{
		{ID: "title", Type: ipynb.Markdown, Source: "# Seat audit\n\nSee [the docs](https://example.com/docs)."},
		{ID: "wide", Type: ipynb.Code, Source: "nb.Show(x)", Outputs: []ipynb.Output{
			{Type: ipynb.DisplayData, Data: map[string]any{"text/html": table}}}},
		{ID: "chart", Type: ipynb.Code, Source: "nb.Plot(p)", Outputs: []ipynb.Output{
			{Type: ipynb.DisplayData, Data: map[string]any{"image/png": enc.String(), "text/plain": n.AltText()},
				Metadata: map[string]any{"image/png": map[string]any{"width": 800.0, "height": 500.0}}},
			{Type: ipynb.DisplayData, Data: map[string]any{"text/html": nb.NumbersHTML(n)}}}},
	}}
	page := filepath.Join(dir, "04-seat-audit.html")
	var buf bytes.Buffer
	if err := ipynb.RenderHTML(&buf, book, ipynb.RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return page, append(heads, n.Columns...)
}

// TestPrintKeepsEveryHeader prints a report with a 15-column table and a
// chart, reads the PDF's text with pdftotext and finds every table
// header (the chart's numbers too, collapsed on screen, open on paper),
// the footer and the page numbers; the PDF holds no link out and no
// script.
func TestPrintKeepsEveryHeader(t *testing.T) {
	need(t)
	dir := t.TempDir()
	page, heads := report(t, dir)
	pr, err := pdf.Start(pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	out := filepath.Join(dir, "04-seat-audit.pdf")
	footer := "Seat audit · key=ABC, period=2026-10 · sample account · provenance 3f9c2a1b7d04"
	if err := pr.Print(page, out, footer); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, out)
	if got := pageHeaders(t, page); len(got) < len(heads) {
		t.Fatalf("the page has %d table headers, want at least the %d put in it", len(got), len(heads))
	} else {
		heads = got
	}
	for _, h := range append(heads, "Seat audit", "provenance 3f9c2a1b7d04", "page 1 of") {
		if !strings.Contains(text, h) {
			t.Errorf("the PDF's text lacks %q:\n%s", h, text)
		}
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"/URI", "/JavaScript", "/JS ", "/Launch", "/SubmitForm"} {
		if bytes.Contains(raw, []byte(bad)) {
			t.Errorf("the PDF holds %s", bad)
		}
	}
}

// pdfText returns the PDF's text with runs of white space made one space.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return regexp.MustCompile(`\s+`).ReplaceAllString(string(out), " ")
}

// pageHeaders returns the text of every table header of the HTML page,
// as a reader sees it (runs of white space as one space).
func pageHeaders(t *testing.T, page string) []string {
	t.Helper()
	f, err := os.Open(page)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var heads []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "th" {
			var b strings.Builder
			for c := range n.Descendants() {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			if h := strings.Join(strings.Fields(b.String()), " "); h != "" {
				heads = append(heads, h)
			}
		}
	}
	return heads
}
