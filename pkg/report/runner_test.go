package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

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
