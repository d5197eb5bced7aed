package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// TestRunMemoryBound runs, on the real GoNB, a cell that needs 2 GiB
// under -mem 1GiB: it fails naming the bound, the cells after it say they
// were not run, in the notebook and on the report page.
func TestRunMemoryBound(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runKernel(t, "report", "-out", out, "-mem", "1GiB", filepath.Join(fixtures, "alloc.ipynb"))
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, stderr)
	}
	for _, s := range []string{"cell 1 failed", "out of memory", "each of its processes may use 1GiB (set with -mem)", "cells 2–3 were not run"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr does not say %q:\n%s", s, stderr)
		}
	}
	nb, err := ipynb.ReadFile(filepath.Join(out, "alloc.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if got := nb.Cells[2].NotRun(); got != "cell 1 failed" {
		t.Errorf("cell 3: NotRun() = %q", got)
	}
	page, _ := os.ReadFile(filepath.Join(out, "alloc.html"))
	if !strings.Contains(string(page), "Not run: cell 1 failed.") {
		t.Errorf("the page does not say the cells after were not run")
	}
}
