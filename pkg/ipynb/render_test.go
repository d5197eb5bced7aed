package ipynb

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestStripANSI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1b[0;31mred\x1b[0m", "red"},
		{"\x1b[7m[[ Cell [1] Line 4 ]]\x1b[0m", "[[ Cell [1] Line 4 ]]"},
		{"\x1b]8;;https://x\x07link\x1b]8;;\x07", "link"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := StripANSI(tt.in); got != tt.want {
			t.Errorf("StripANSI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// render renders testdata/name.ipynb with opts.
func render(t *testing.T, name string, opts RenderOptions) []byte {
	t.Helper()
	nb, err := ReadFile(filepath.Join("testdata", name+".ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := RenderHTML(&buf, nb, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRenderHTMLGolden(t *testing.T) {
	tests := []struct {
		name, fixture, golden string
		opts                  RenderOptions
	}{
		{"executed, with code", "executed", "executed.golden.html", RenderOptions{ShowCode: true}},
		{"executed, for a reader", "executed", "reader.golden.html", RenderOptions{}},
		{"failed", "executed", "failed.golden.html", RenderOptions{Title: "Failed run", ShowCode: true, Failure: &Failure{Cell: 5, Message: "\x1b[31mpanic: boom\x1b[0m"}}},
		{"failed, for a reader", "executed", "failed-reader.golden.html", RenderOptions{Title: "Failed run", Failure: &Failure{Cell: 5, Message: "panic: boom"}}},
		{"no heading", "v44", "v44.golden.html", RenderOptions{ShowCode: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.golden, render(t, tt.fixture, tt.opts))
		})
	}
}

// TestRenderStandalone checks the properties every page must have, apart
// from the exact markup: nothing is loaded from elsewhere, no script runs,
// and each kind of output appears.
func TestRenderStandalone(t *testing.T) {
	page := string(render(t, "executed", RenderOptions{ShowCode: true}))
	// Links (<a href>) may point anywhere: following one is the reader's
	// choice. Anything that a browser fetches by itself may not.
	external := regexp.MustCompile(`(?i)src="(https?:)?//|<script|<link|<iframe|@import|url\(\s*['"]?(https?:)?//`)
	if m := external.FindString(page); m != "" {
		t.Errorf("page loads or runs something: %q", m)
	}
	for _, want := range []string{
		"<title>Sales overview</title>",
		`<img src="data:image/png;base64,iVBORw0KGgo`,
		`<td align="right">42</td>`,
		`<div class="output svg"><img src="data:image/svg+xml;base64,`,
		`<meta http-equiv="Content-Security-Policy" content="` + ContentSecurityPolicy + `">`,
		"<strong>bold</strong>",
		"a &lt; b\nsecond line",
		"warning: red",
		"panic: boom",
		`<span class="prompt">[ ]</span>`,
		"img, svg { max-width: 100%;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "\x1b") {
		t.Errorf("page contains terminal escape codes")
	}
}

func TestRenderIndexGolden(t *testing.T) {
	entries := []IndexEntry{
		{Name: "usage", Title: "API usage", HTML: "usage.html", Notebook: "usage.ipynb", Duration: 12340 * time.Millisecond},
		{Name: "seats", Title: "Seat <audit>", HTML: "seats.html", Notebook: "seats.ipynb",
			Failure: &Failure{Cell: 4, Message: "panic: boom\nline 2\nline 3\nline 4"}, Duration: time.Second},
		{Name: "broken", Failure: &Failure{Message: "read broken.ipynb: cell 3: source: want string or list of strings"}},
		{Name: "product", HTML: "product.html", NoData: "product 9999 has no rows in the Web API Log over 2026-10-01 .. 2026-11-01; products with rows there: 3941 (2,113)"},
	}
	var buf bytes.Buffer
	if err := RenderIndex(&buf, "lenslog reports", entries); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"4 notebooks, 2 failed, 1 with no data for these parameters.", `<span class="nodata">no data</span><pre>product 9999 has no rows`, "failed at cell 4", "Seat &lt;audit&gt;", "line 3\n...", `href="usage.html"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	golden(t, "index.golden.html", buf.Bytes())
}

// TestRenderIndexLinksStayRelative checks that a notebook file name that
// reads as a URL scheme links to the file, not to the scheme, and that
// nothing on the page is active whatever the names, titles and errors.
func TestRenderIndexLinksStayRelative(t *testing.T) {
	hostile := `javascript:alert(1)<img src=x onerror=alert(2)>`
	entries := []IndexEntry{{Name: hostile, Title: hostile, HTML: hostile + ".html", Notebook: "data:text/html,x",
		Failure: &Failure{Cell: 1, Message: hostile}}}
	var buf bytes.Buffer
	if err := RenderIndex(&buf, hostile, entries); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{`href="./javascript:alert(1)&lt;img`, `href="./data:text/html,x"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	body := page[strings.Index(page, "<main"):strings.Index(page, "</main>")]
	if bad := activeContent(body); bad != "" {
		t.Errorf("index page keeps %s", bad)
	}
}

// TestCellViews checks what of each kind of cell a page shows, for a
// reader and for an analyst (ShowCode).
func TestCellViews(t *testing.T) {
	out := []Output{{Type: Stream, Name: "stdout", Text: "the figure\n"}}
	code := func(src string, tags ...string) *Cell {
		c := &Cell{ID: "x", Type: Code, Source: src, Outputs: out, Metadata: map[string]any{}}
		if len(tags) > 0 {
			list := make([]any, len(tags))
			for i, tag := range tags {
				list[i] = tag
			}
			c.Metadata["tags"] = list
		}
		return c
	}
	tests := []struct {
		name     string
		cell     *Cell
		showCode bool
		failed   bool
		want     []string // present on the page
		absent   []string
	}{
		{"reader sees output, not code", code("nb.Show(x)"), false, false, []string{"the figure"}, []string{"nb.Show", "<details"}},
		{"analyst sees code", code("nb.Show(x)"), true, false, []string{"nb.Show(x)", "the figure"}, []string{"<details"}},
		{"hide-input collapses code for a reader", code("nb.Show(x)", TagHideInput), false, false, []string{`<details class="code"><summary>Code</summary>`, "nb.Show(x)", "the figure"}, nil},
		{"hide-input collapses code for an analyst", code("nb.Show(x)", TagHideInput), true, false, []string{`<details class="code">`, "nb.Show(x)"}, nil},
		{"remove-input hides code from an analyst", code("nb.Show(x)", TagRemoveInput), true, false, []string{"the figure"}, []string{"nb.Show"}},
		{"remove-output", code("nb.Show(x)", TagRemoveOutput), true, false, []string{"nb.Show(x)"}, []string{"the figure"}},
		{"remove-cell", code("nb.Show(x)", TagRemoveCell), true, false, nil, []string{"nb.Show", "the figure", "<section"}},
		{"setup cell never shows", code("%noautoget\n!*rm -f go.work && go work init"), true, false, nil, []string{"noautoget", "<section"}},
		{"tagged setup never shows", code("import \"x\"", TagSetup), true, false, nil, []string{"import", "<section"}},
		{"reader's code-only cell leaves no empty section", &Cell{ID: "x", Type: Code, Source: "x := 1"}, false, false, nil, []string{"<section"}},
		{"failed cell shows its code collapsed to a reader", code("panic(1)"), false, true, []string{`<details class="code">`, "panic(1)", `class="cell code failed"`}, nil},
		{"markdown remove-cell", &Cell{ID: "x", Type: Markdown, Source: "# gone", Metadata: map[string]any{"tags": []any{TagRemoveCell}}}, false, false, nil, []string{"gone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb := &Notebook{Cells: []*Cell{tt.cell}}
			opts := RenderOptions{ShowCode: tt.showCode}
			if tt.failed {
				opts.Failure = &Failure{Cell: 1, Message: "boom"}
			}
			var buf bytes.Buffer
			if err := RenderHTML(&buf, nb, opts); err != nil {
				t.Fatal(err)
			}
			page := buf.String()
			page = page[strings.Index(page, "<main"):]
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q:\n%s", w, page)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(page, a) {
					t.Errorf("page shows %q:\n%s", a, page)
				}
			}
		})
	}
}

// TestImageAltAndSize: a chart's text alternative and display size, as
// nb.Plot sends them (text/plain beside image/png, the size in the
// image's metadata), reach the page; hostile alt text stays text.
func TestImageAltAndSize(t *testing.T) {
	const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
	tests := []struct {
		name string
		o    Output
		want string
	}{
		{"alt and size", Output{Type: DisplayData,
			Data:     map[string]any{"image/png": png, "text/plain": "Requests per day: 30 points"},
			Metadata: map[string]any{"image/png": map[string]any{"width": 800.0, "height": 500.0}}},
			`width="800" height="500" alt="Requests per day: 30 points">`},
		{"no alt", Output{Type: DisplayData, Data: map[string]any{"image/png": png}}, `alt="output image">`},
		{"hostile alt", Output{Type: DisplayData, Data: map[string]any{"image/png": png, "text/plain": `"><script>x</script>`}},
			`alt="&#34;&gt;&lt;script&gt;x&lt;/script&gt;">`},
		{"absurd size ignored", Output{Type: DisplayData, Data: map[string]any{"image/png": png},
			Metadata: map[string]any{"image/png": map[string]any{"width": 1e9, "height": 5.0}}}, `base64,` + png + `" alt=`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OutputHTML(tt.o); !strings.Contains(got, tt.want) {
				t.Errorf("got %s\nwant it to contain %s", got, tt.want)
			}
		})
	}
}

// TestIndexSaysWhatItCovers: an index entry names the account, the period
// in dates and the parameters its notebook took, and a notebook that does
// not take a run's parameter is listed as such, not as ok.
func TestIndexSaysWhatItCovers(t *testing.T) {
	end := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	nb := &Notebook{}
	if err := nb.SetProvenance(&Provenance{
		Account:    ProvenanceAccount{Description: "sample account", Sample: true, Seed: 1, End: end},
		Parameters: map[string]any{"period": "2026-10"},
		Reads: []ProvenanceRead{{Log: "webapi", Span: "2026-10", From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
			To: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}},
	}); err != nil {
		t.Fatal(err)
	}
	e := IndexEntry{Name: "01-three-logs", Title: "Three logs", HTML: "01-three-logs.html"}
	e.Describe(nb)
	entries := []IndexEntry{e}
	MarkIgnored(entries, []string{"period", "product"})
	var buf bytes.Buffer
	if err := RenderIndex(&buf, "lenslog reports: product=4812 period=2026-10", entries); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"sample account (seed 1, to 2026-11-05) · 2026-10-01 to 2026-10-31 · period=2026-10",
		`<span class="ignores">does not take product</span>`,
		"1 notebook ran. 1 does not take every parameter of the run.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	if strings.Contains(page, `<span class="ok">ok</span>`) {
		t.Error("a notebook that ignores product is listed as ok")
	}
}

// TestAnswerBeforeProvenance: the page opens with a one-line summary of
// where its figures come from and ends with the full provenance, so the
// first screen shows the report itself.
func TestAnswerBeforeProvenance(t *testing.T) {
	nb := &Notebook{Cells: []*Cell{{ID: "t", Type: Markdown, Source: "# Seat audit\n\nThe answer."}}}
	if err := nb.SetProvenance(&Provenance{Version: "v1", Account: ProvenanceAccount{Description: "sample account", Sample: true, Seed: 1,
		End: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := RenderHTML(&buf, nb, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	line, answer, block := strings.Index(page, `class="provenance-line"`), strings.Index(page, "The answer."), strings.Index(page, `<details class="provenance"`)
	if line < 0 || answer < 0 || block < 0 || !(line < answer && answer < block) {
		t.Errorf("want the provenance line (at %d) before the answer (at %d) before the full block (at %d)", line, answer, block)
	}
	if !strings.Contains(page, "Figures from the sample account (seed 1, to 2026-11-05), with the notebook&#39;s defaults; provenance <a href=\"#provenance\">"+nb.Fingerprint()) {
		t.Errorf("provenance line: %s", page[line:min(len(page), line+300)])
	}
}
