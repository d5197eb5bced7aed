package notebooks

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/params"
)

// maxCellLines is the longest a code cell may be: a cell reads like the
// pandas it replaces.
const maxCellLines = 12

// maxReportLines bounds the code of the report notebooks 01 to 11, in
// non-blank lines ("%%" lines too): a third less than the 657 they had
// before the table verbs (issue 25), with the answer-first openings of
// issue 23 included. The verbs (lenslog.Show, the analyses' Boxes and
// Summary) carry what cells used to repeat.
const maxReportLines = 438

// TestCellsStartWithTheQuestion holds every notebook to its shape: the
// first code cell is the parameters cell (the kernel, not a cell, sets up
// the workspace), no code cell is longer than maxCellLines, and no cell
// converts a span into a window by hand (a loaded table's Period is it).
func TestCellsStartWithTheQuestion(t *testing.T) {
	paths, err := filepath.Glob("*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	total := 0
	for _, p := range paths {
		t.Run(strings.TrimSuffix(p, ".ipynb"), func(t *testing.T) {
			nb, err := ipynb.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			first := true
			for i := range nb.Cells {
				c := nb.Cells[i]
				if c.Type != ipynb.Code {
					continue
				}
				if first && !params.HasTag(c, params.TagParameters) {
					t.Errorf("the first code cell (cell %d) is not the parameters cell:\n%s", i+1, c.Source)
				}
				first = false
				n := len(strings.Split(strings.TrimRight(c.Source, "\n"), "\n"))
				total += n
				if n > maxCellLines {
					t.Errorf("cell %d has %d lines, more than %d:\n%s", i+1, n, maxCellLines, c.Source)
				}
				for _, bad := range []string{"Window(acct.Now())", "%noautoget", "go work init"} {
					if strings.Contains(c.Source, bad) {
						t.Errorf("cell %d contains %q:\n%s", i+1, bad, c.Source)
					}
				}
			}
		})
	}
	t.Logf("%d code lines in %d notebooks", total, len(paths))
}

// TestReportNotebooksStayShort holds notebooks 01 to 11 to maxReportLines
// code lines in all, counted as the issue counts them (non-blank lines of
// code cells), and each code cell to maxCellLines of them.
func TestReportNotebooksStayShort(t *testing.T) {
	paths, err := filepath.Glob("[01][0-9]-*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	total, counted := 0, 0
	for _, p := range paths {
		if p > "12" {
			continue
		}
		nb, err := ipynb.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		counted++
		lines := 0
		for i, c := range nb.Cells {
			if c.Type != ipynb.Code {
				continue
			}
			n := 0
			for _, l := range strings.Split(c.Source, "\n") {
				if strings.TrimSpace(l) != "" {
					n++
				}
			}
			if n > maxCellLines {
				t.Errorf("%s: cell %d has %d code lines, more than %d", p, i+1, n, maxCellLines)
			}
			lines += n
		}
		t.Logf("%s: %d code lines", p, lines)
		total += lines
	}
	if counted != 11 {
		t.Fatalf("found %d of the notebooks 01 to 11", counted)
	}
	if total > maxReportLines {
		t.Errorf("notebooks 01 to 11 have %d code lines, more than %d: carry repeated lines in a verb", total, maxReportLines)
	}
}
