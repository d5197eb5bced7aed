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
		{"executed", "executed", "executed.golden.html", RenderOptions{}},
		{"failed", "executed", "failed.golden.html", RenderOptions{Title: "Failed run", Failure: &Failure{Cell: 5, Message: "\x1b[31mpanic: boom\x1b[0m"}}},
		{"no heading", "v44", "v44.golden.html", RenderOptions{}},
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
	page := string(render(t, "executed", RenderOptions{}))
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
