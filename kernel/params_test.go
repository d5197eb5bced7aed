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
