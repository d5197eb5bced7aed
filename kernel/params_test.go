package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// paramsNotebook writes a notebook with a tagged parameters cell (or
// none, when src is "") into dir and returns its path.
func paramsNotebook(t *testing.T, dir, name, src string) string {
	t.Helper()
	nb := &ipynb.Notebook{Cells: []*ipynb.Cell{{Type: ipynb.Markdown, Source: "# " + name}}}
	if src != "" {
		nb.Cells = append(nb.Cells, &ipynb.Cell{Type: ipynb.Code, Source: src, Metadata: map[string]any{"tags": []any{"parameters"}}})
	}
	nb.Cells = append(nb.Cells, &ipynb.Cell{Type: ipynb.Code, Source: "%%\nfmt.Println(1)"})
	p := filepath.Join(dir, name+".ipynb")
	if err := ipynb.WriteFile(p, nb); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParameterErrorsBeforeAnyKernel runs the commands with bad
// parameters: each must fail with a usage error naming the notebook, the
// parameter, its type and the value, before tools are built or a kernel
// starts (the test has no tools: it would fail differently, and slowly).
func TestParameterErrorsBeforeAnyKernel(t *testing.T) {
	dir := t.TempDir()
	a := paramsNotebook(t, dir, "a", "var product int = 0 // the product; 0 means all")
	b := paramsNotebook(t, dir, "b", "var period lenslog.Span = lenslog.Last(lenslog.Day) // span")
	none := paramsNotebook(t, dir, "none", "")
	sets := filepath.Join(dir, "sets.yaml")
	if err := os.WriteFile(sets, []byte("- product: 1\n- product: many\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown name", []string{"run", "-p", "prodcut=1", a, b}, []string{"parameter prodcut: no notebook of this run declares it", "product int"}},
		{"does not convert", []string{"report", "-out", dir, "-p", "product=abc", a, b},
			[]string{"notebook a.ipynb: parameter product (int): \"abc\": want a whole number"}},
		{"bad span", []string{"run", "-p", "period=october", a, b}, []string{"notebook b.ipynb: parameter period (lenslog.Span): \"october\""}},
		{"no parameters cell", []string{"run", "-p", "product=1", a, none}, []string{"notebook none.ipynb: no cell tagged \"parameters\""}},
		{"the second set of a file", []string{"report", "-out", dir, "-f", sets, a}, []string{"parameters product=many", "\"many\": want a whole number"}},
		{"several sets need -out", []string{"run", "-f", sets, a}, []string{"2 parameter sets write a folder each: give -out DIR"}},
		{"bad -p", []string{"run", "-p", "product", a}, []string{"want name=value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := runMain(context.Background(), tt.args, &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (usage); stderr:\n%s", code, stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr.String())
				}
			}
			if strings.Contains(stderr.String(), "building gonb") || time.Since(start) > 20*time.Second {
				t.Errorf("tools were built before the parameters were checked")
			}
		})
	}
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
	index, err := writeTopIndex(out)
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
