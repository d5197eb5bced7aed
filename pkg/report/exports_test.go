package report

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

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
