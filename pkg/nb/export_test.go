package nb

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// csvTable is a result with a fixed CSV, or an error.
type csvTable struct {
	text string
	err  error
}

func (c csvTable) WriteCSV(w io.Writer) error {
	if c.err != nil {
		return c.err
	}
	_, err := io.WriteString(w, c.text)
	return err
}

func TestExport(t *testing.T) {
	tests := []struct {
		name     string
		dir      bool // give an export folder
		file     string
		table    csvTable
		wantFile string // the CSV written; "" for none
		wantHTML string // in the notebook's output
		wantErr  string
	}{
		{"a table beside the report", true, "success-by-day", csvTable{text: "Day,Requests\n2026-11-04,12\n"}, "Day,Requests\n2026-11-04,12\n",
			`<a href="02-success-ratio/success-by-day.csv">success-by-day.csv</a> (CSV) · every table of the report: <a href="02-success-ratio.xlsx">`, ""},
		{"no export folder: nothing written, and said", false, "success-by-day", csvTable{text: "x\n"}, "",
			"success-by-day.csv not written: no export folder", ""},
		{"a name that is a path", true, "../notebooks/x", csvTable{text: "x\n"}, "", "", "want a name of lower-case letters"},
		{"a table that fails to write", true, "broken", csvTable{err: errors.New("disk on fire")}, "", "", "export broken.csv: disk on fire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, f, out := notebookDisplay(t)
			root := t.TempDir()
			dir := ""
			if tt.dir {
				dir = filepath.Join(root, "02-success-ratio")
			}
			d.Export(dir, tt.file, tt.table)
			var shown strings.Builder
			for _, c := range f.calls {
				shown.WriteString(c.body)
			}
			shown.WriteString(out.String())
			if tt.wantErr != "" {
				if !strings.Contains(shown.String(), tt.wantErr) {
					t.Errorf("shows %q, want the error %q", shown.String(), tt.wantErr)
				}
			} else if !strings.Contains(shown.String(), tt.wantHTML) {
				t.Errorf("shows %q, want %q", shown.String(), tt.wantHTML)
			}
			got, err := os.ReadFile(filepath.Join(dir, tt.file+".csv"))
			switch {
			case tt.wantFile == "" && err == nil && dir != "":
				t.Errorf("wrote %s, want nothing", tt.file)
			case tt.wantFile != "" && string(got) != tt.wantFile:
				t.Errorf("wrote %q (%v), want %q", got, err, tt.wantFile)
			}
			if files, _ := filepath.Glob(filepath.Join(root, "*", "*")); tt.wantFile == "" && len(files) > 0 {
				t.Errorf("wrote %q, want nothing", files)
			}
		})
	}
}

func TestSubjectText(t *testing.T) {
	w := subjectWindow()
	tests := []struct {
		name  string
		scope []string
		want  string
	}{
		{"product and month", []string{Product(3349)}, "Product 3349 · 2026-10-01 to 2026-10-31"},
		{"every product", []string{Product(0)}, "Every product · 2026-10-01 to 2026-10-31"},
		{"empty scopes left out", []string{"", "license ABCD", " "}, "License ABCD · 2026-10-01 to 2026-10-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SubjectText(w, tt.scope...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func subjectWindow() logs.Window {
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	return logs.Window{From: from, To: from.AddDate(0, 1, 0)}
}
