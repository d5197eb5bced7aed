package report

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/xuri/excelize/v2"
)

// exportEnv is the environment that tells a notebook where to export its
// tables: dir, the folder beside its page named like it (out/NAME/ for
// out/NAME.html), absolute because the kernel runs in the notebook's
// folder.
func exportEnv(dir string) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("export folder: %w", err)
	}
	return []string{lenslog.EnvExportDir + "=" + abs}, nil
}

// writeSpreadsheet gathers the CSVs a notebook exported into dir into one
// workbook, dir + ".xlsx", a sheet per table named like its file, numbers
// as numbers. A notebook that exported nothing gets no workbook.
func writeSpreadsheet(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) == 0 {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	for i, f := range files {
		sheet := sheetName(f)
		if i == 0 {
			err = x.SetSheetName("Sheet1", sheet)
		} else {
			_, err = x.NewSheet(sheet)
		}
		if err == nil {
			err = fillSheet(x, sheet, f)
		}
		if err != nil {
			return fmt.Errorf("spreadsheet %s: %s: %w", dir+".xlsx", filepath.Base(f), err)
		}
	}
	if err := x.SaveAs(dir + ".xlsx"); err != nil {
		return fmt.Errorf("spreadsheet: %w", err)
	}
	return nil
}

// sheetName is a CSV file's name as a sheet name: without .csv, at most
// the 31 characters a sheet name may have.
func sheetName(path string) string {
	name := strings.TrimSuffix(filepath.Base(path), ".csv")
	if len(name) > 31 {
		name = name[:31]
	}
	return name
}

// fillSheet copies one CSV into a sheet, its header row in bold.
func fillSheet(x *excelize.File, sheet, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, rec := range rows {
		cells := make([]any, len(rec))
		for j, v := range rec {
			cells[j] = cellValue(v, i == 0, bold)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// cellValue is a CSV field as a cell: a header in bold, a number as a
// number, anything else as text.
func cellValue(v string, header bool, bold int) any {
	if header {
		return excelize.Cell{StyleID: bold, Value: v}
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXpP_") {
		return n
	}
	return v
}

// removeExports clears a notebook's export folder and workbook before it
// runs again, so a page never links a table of an earlier run.
func removeExports(dir string) error {
	err := os.RemoveAll(dir)
	if err == nil {
		err = os.Remove(dir + ".xlsx")
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export folder: %w", err)
	}
	return nil
}

// runExporting runs a notebook with dir as its export folder, emptied
// first, and gathers what it exported into dir + ".xlsx".
func (r Runner) runExporting(ctx context.Context, j Job, dir string) (Outcome, error) {
	env, err := exportEnv(dir)
	if err == nil {
		err = removeExports(dir)
	}
	if err != nil {
		return Outcome{Path: j.Path}, err
	}
	j.Env = append(slices.Clip(j.Env), env...)
	o := r.runNotebook(ctx, j)
	return o, writeSpreadsheet(dir)
}
