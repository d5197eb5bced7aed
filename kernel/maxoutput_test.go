package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

func TestRunMaxOutput(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runKernel(t, "run", "-out", out, "-max-output", "text=10KiB", filepath.Join(fixtures, "print_lots.ipynb"))
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	nb, err := ipynb.ReadFile(filepath.Join(out, "print_lots.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, o := range nb.Cells[0].Outputs {
		text.WriteString(o.Text)
	}
	if n := text.Len(); n > 10<<10+300 || !strings.Contains(text.String(), "output limit reached: dropped") {
		t.Errorf("cell kept %d bytes, want 10 KiB and a note; ends %q", n, text.String()[max(0, n-200):])
	}
	if !strings.HasPrefix(text.String(), "line 0000 ") {
		t.Errorf("the output's start was lost: %q", ipynb.FirstLines(text.String(), 1))
	}
}

func TestMaxOutputUsage(t *testing.T) {
	for _, cmd := range []string{"run", "report"} {
		var stderr strings.Builder
		code := runMain(t.Context(), []string{cmd, "-max-output", "lots", "x.ipynb"}, &strings.Builder{}, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), `invalid value "lots" for flag -max-output`) {
			t.Errorf("%s -max-output lots: exit %d, %q", cmd, code, stderr.String())
		}
	}
}
