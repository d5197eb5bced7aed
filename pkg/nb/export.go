package nb

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// CSVWriter is a result that writes its table as CSV: every analysis
// result has WriteCSV, with the same columns as its Frame.
type CSVWriter interface {
	WriteCSV(w io.Writer) error
}

// reExportName is what a table's export name may be: it names a file.
var reExportName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,60}$`)

// Export writes v's table as dir/name.csv and shows a link to it, to put
// under the table it exports. dir is a report's export folder, beside its
// page (`kernel report` names one per notebook and parameter set, and
// gathers its CSVs into one spreadsheet, dir + ".xlsx", which the link
// names too). With no dir nothing is written, and Export says so: a
// notebook opened by hand must not litter its own folder.
func (d *Display) Export(dir, name string, v CSVWriter) {
	if err := d.export(dir, name, v); err != nil {
		d.Error(err)
	}
}

func (d *Display) export(dir, name string, v CSVWriter) error {
	if !reExportName.MatchString(name) {
		return fmt.Errorf("export %q: want a name of lower-case letters, digits and dashes", name)
	}
	file := name + ".csv"
	if dir == "" {
		d.Text(fmt.Sprintf("%s not written: no export folder (kernel report gives each report one; elsewhere set $LENSLOG_EXPORT_DIR)", file))
		return nil
	}
	var buf bytes.Buffer
	if err := v.WriteCSV(&buf); err != nil {
		return fmt.Errorf("export %s: %w", file, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export %s: %w", file, err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("export %s: %w", file, err)
	}
	if !d.notebook() {
		fmt.Fprintf(d.out(), "wrote %s\n", filepath.Join(dir, file))
		return nil
	}
	folder := filepath.Base(filepath.Clean(dir))
	d.front().DisplayHTML(fmt.Sprintf(`<p class="export" style="font-size: 85%%">Download this table: <a href="%s/%s">%s</a> (CSV) · every table of the report: <a href="%s.xlsx">%s.xlsx</a></p>`,
		html.EscapeString(folder), file, file, html.EscapeString(folder), html.EscapeString(folder)))
	return nil
}

// Export writes a table beside the report with a zero Display; see
// Display.Export.
func Export(dir, name string, v CSVWriter) { std().Export(dir, name, v) }
