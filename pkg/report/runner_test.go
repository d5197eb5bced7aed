package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// withTable is a notebook whose one code cell shows a pkg/nb-style
// table of requests per product, and prints the key it looked at.
func withTable(requests int, key string) *ipynb.Notebook {
	html := `<div><table class="lenslog-frame"><thead><tr><th></th><th>Product<br><small>int</small></th><th>Requests<br><small>int</small></th></tr></thead>` +
		fmt.Sprintf(`<tbody><tr><th>0</th><td>3300</td><td>%d</td></tr><tr><th>1</th><td>3349</td><td>%d</td></tr></tbody></table></div>`, requests, requests+1000)
	return &ipynb.Notebook{Cells: []*ipynb.Cell{{Type: ipynb.Markdown, Source: "# x"}, {Type: ipynb.Code, Outputs: []ipynb.Output{
		{Type: ipynb.Stream, Name: "stdout", Text: "key " + key + "\n"},
		{Type: ipynb.DisplayData, Data: map[string]any{"text/html": html}},
	}}}}
}

// withChart is a notebook whose one code cell shows a PNG.
func withChart(b64 string) *ipynb.Notebook {
	return &ipynb.Notebook{Cells: []*ipynb.Cell{{Type: ipynb.Markdown, Source: "# x"}, {Type: ipynb.Code, Outputs: []ipynb.Output{
		{Type: ipynb.DisplayData, Data: map[string]any{"image/png": b64, "text/plain": "chart"}},
	}}}}
}

func TestCompareReplay(t *testing.T) {
	at := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	out := func(text string) []ipynb.Output {
		return []ipynb.Output{{Type: ipynb.Stream, Name: "stdout", Text: text}}
	}
	nbWith := func(texts ...string) *ipynb.Notebook {
		nb := &ipynb.Notebook{Cells: []*ipynb.Cell{{Type: ipynb.Markdown, Source: "# x"}}}
		for _, s := range texts {
			nb.Cells = append(nb.Cells, &ipynb.Cell{Type: ipynb.Code, Outputs: out(s)})
		}
		return nb
	}
	read := func(rows int) []ipynb.ProvenanceRead {
		return []ipynb.ProvenanceRead{{Log: "webapi", Span: "last-7d", From: at.Add(-7 * 24 * time.Hour), To: at, Rows: rows, MaxID: 900}}
	}
	acct := ipynb.ProvenanceAccount{Description: "sample"}
	tests := []struct {
		name      string
		was, is   *ipynb.Notebook
		then, now int
		want      []string
	}{
		{"same", nbWith("a: 1\n", "b: 2\n"), nbWith("a: 1\n", "b: 2\n"), 10, 10, nil},
		{"a cell prints differently", nbWith("a: 1\nb: 2\n"), nbWith("a: 1\nb: 3\n"), 10, 10,
			[]string{`cell 2 prints differently: line 2 was "b: 2", is "b: 3"`}},
		{"rows gone from the store", nbWith("a\n"), nbWith("a\n"), 10, 7,
			[]string{"webapi last-7d: 7 rows now, 10 recorded: the store no longer has 3 of the rows up to id 900"}},
		{"rows arrived", nbWith("a\n"), nbWith("a\n"), 10, 12, []string{"12 rows now, 10 recorded: rows with ids up to 900 arrived"}},
		{"a table value changed", withTable(3301, "AAA"), withTable(4301, "AAA"), 10, 10,
			[]string{`cell 2, table 1: row 1 (3300), column "Requests": was "3301", is "4301"`}},
		{"a chart changed", withChart("iVBORw0KGgo="), withChart("iVBORw0KGgp="), 10, 10,
			[]string{"cell 2, chart 1 (image/png): the chart differs"}},
		{"the same table and chart", withTable(3301, "AAA"), withTable(3301, "AAA"), 10, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compareReplay(tt.was, tt.is, &ipynb.Provenance{Account: acct, Reads: read(tt.then)}, &ipynb.Provenance{Account: acct, Reads: read(tt.now)})
			if len(got) != len(tt.want) {
				t.Fatalf("differences %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("difference %q, want it to say %q", got[i], tt.want[i])
				}
			}
		})
	}
}

// TestCompareRedactedReplay holds a redacted run's replay, whose
// pseudonyms are drawn afresh, to the same figures under other
// pseudonyms; a changed value still differs.
func TestCompareRedactedReplay(t *testing.T) {
	acct := ipynb.ProvenanceAccount{Description: "sample", Redacted: true}
	p := &ipynb.Provenance{Account: acct}
	if d := compareReplay(withTable(1, "key-5x2k8m3q9a7bc"), withTable(1, "key-0000000000000"), p, p); len(d) != 0 {
		t.Errorf("other pseudonyms differ: %q", d)
	}
	if d := compareReplay(withTable(1, "key-5x2k8m3q9a7bc"), withTable(2, "key-0000000000000"), p, p); len(d) != 1 {
		t.Errorf("a changed value under other pseudonyms: %q, want one difference", d)
	}
}

func TestRunsIndex(t *testing.T) {
	out := t.TempDir()
	at := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	runs := []reportRun{
		{Run: ipynb.Run{Folder: "product-1", Parameters: "product=1", Started: at, Notebooks: 2}},
		{Run: ipynb.Run{Folder: "product-2", Parameters: "product=2", Started: at, Notebooks: 2, Failed: 1}},
		{Run: ipynb.Run{Folder: "product-9", Parameters: "product=9", Started: at, Notebooks: 2, NoData: 2}},
		{Run: ipynb.Run{Folder: "product-1", Parameters: "product=1", Started: at.Add(time.Hour), Notebooks: 2}},
	}
	for _, r := range runs {
		if err := recordRun(out, r, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := recordRun(out, reportRun{Entries: []ipynb.IndexEntry{{Name: "02-success-ratio", HTML: "02-success-ratio.html"}}}, false); err != nil {
		t.Fatal(err)
	}
	rs, err := readRuns(out)
	if err != nil || len(rs.Runs) != 3 || rs.Runs[0].Folder != "product-1" || !rs.Runs[0].Started.Equal(at.Add(time.Hour)) {
		t.Fatalf("runs %+v, %v: want product-1 (rerun, newest first), product-2 and product-9", rs.Runs, err)
	}
	index, err := WriteIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(index)
	for _, s := range []string{`href="product-1/index.html"`, "product=2", "1 of 2 notebooks failed", "2 of 2 notebooks found no data for these parameters", "2026-11-05 11:00 UTC", `href="02-success-ratio.html"`} {
		if !strings.Contains(string(page), s) {
			t.Errorf("index does not show %q", s)
		}
	}
}

func TestRunOutputPath(t *testing.T) {
	tests := []struct{ path, out, want string }{
		{"notebooks/usage.ipynb", "", "notebooks/usage.out.ipynb"},
		{"usage.ipynb", "", "usage.out.ipynb"},
		{"notebooks/usage.ipynb", "/tmp/o", "/tmp/o/usage.ipynb"},
	}
	for _, tt := range tests {
		if got := RunOutputPath(tt.path, tt.out); got != tt.want {
			t.Errorf("RunOutputPath(%q, %q) = %q, want %q", tt.path, tt.out, got, tt.want)
		}
	}
}

// envMap turns KEY=VALUE pairs into a map (the last one wins).
func TestDefaultNotebooks(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "notebooks")
	os.MkdirAll(dir, 0o755)
	for _, n := range []string{"b.ipynb", "a.ipynb", "a.out.ipynb", "notes.md"} {
		os.WriteFile(filepath.Join(dir, n), []byte("{}"), 0o644)
	}
	got, err := Notebooks(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.ipynb"), filepath.Join(dir, "b.ipynb")}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("defaultNotebooks = %q, want %q", got, want)
	}
	if _, err := Notebooks(t.TempDir()); err == nil {
		t.Errorf("no error for a repository without notebooks")
	}
}

func TestUniqueName(t *testing.T) {
	taken := map[string]bool{}
	var got []string
	for _, p := range []string{"x/a.ipynb", "y/a.ipynb", "b.ipynb", "z/a.ipynb"} {
		got = append(got, uniqueName(p, taken))
	}
	if strings.Join(got, " ") != "a a-2 b a-3" {
		t.Errorf("names = %q", got)
	}
}
