package report

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/xuri/excelize/v2"
)

// TestSpreadsheetOfExports gathers a notebook's CSVs into one workbook,
// a sheet per table, numbers as numbers, and reads it back.
func TestSpreadsheetOfExports(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "02-success-ratio")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("success-by-day.csv", "Day,Requests,Share\n2026-11-04,12,0.25\n2026-11-05,7,1\n")
	write("heavy-keys.csv", "Key,Requests\n\"ABCD-EFGH, with a comma\",0x10\n")
	if err := writeSpreadsheet(dir); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(dir + ".xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got, want := x.GetSheetList(), []string{"heavy-keys", "success-by-day"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	rows, err := x.GetRows("success-by-day")
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"Day", "Requests", "Share"}, {"2026-11-04", "12", "0.25"}, {"2026-11-05", "7", "1"}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	if typ, _ := x.GetCellType("success-by-day", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 is of type %v, want a number", typ)
	}
	if v, _ := x.GetCellValue("heavy-keys", "B2"); v != "0x10" {
		t.Errorf("0x10 became %q: a hex-looking text must stay text", v)
	}
}

// TestNoSpreadsheetWithoutExports writes no workbook for a notebook that
// exported nothing.
func TestNoSpreadsheetWithoutExports(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "01-three-logs")
	if err := writeSpreadsheet(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + ".xlsx"); !os.IsNotExist(err) {
		t.Errorf("a workbook was written for no tables (%v)", err)
	}
}

// TestExportFolderPerNotebook runs a notebook (a stand-in that exports
// one table where its environment says) in a report: it is given the
// folder beside its page, what an earlier run left there is gone, and its
// table ends up in the report's workbook.
func TestExportFolderPerNotebook(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "02-success-ratio")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "from-last-run.csv"), []byte("a\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var given string
	r := Runner{run: func(_ context.Context, j Job) Outcome {
		for _, kv := range j.Env {
			if v, ok := strings.CutPrefix(kv, lenslog.EnvExportDir+"="); ok {
				given = v
			}
		}
		if given != "" { // as nb.Export does
			if err := os.MkdirAll(given, 0o755); err != nil {
				t.Error(err)
			}
			if err := os.WriteFile(filepath.Join(given, "success-by-day.csv"), []byte("Day,Requests\n2026-11-04,12\n"), 0o644); err != nil {
				t.Error(err)
			}
		}
		return Outcome{Path: j.Path}
	}}
	if _, _, err := r.all(context.Background(), []Job{{Path: "notebooks/02-success-ratio.ipynb"}}, out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if want, _ := filepath.Abs(dir); given != want {
		t.Fatalf("the notebook was told to export to %q, want %q", given, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "from-last-run.csv")); !os.IsNotExist(err) {
		t.Errorf("a table of the last run is still there (%v)", err)
	}
	x, err := excelize.OpenFile(dir + ".xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{"success-by-day"}) {
		t.Errorf("the workbook has sheets %q, want the one table", got)
	}
}
