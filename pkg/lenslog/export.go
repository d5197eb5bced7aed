package lenslog

import "github.com/lenslog/lenslog/pkg/nb"

// Export writes a result's table as name.csv into the report's export
// folder (Config.ExportDir, which `kernel report` sets per notebook and
// parameter set) and shows a link to it: a notebook calls it under the
// table it showed. Without an export folder it writes nothing and says so.
func Export(name string, v nb.CSVWriter) {
	cfg, err := ConfigFromEnv()
	if err != nil {
		nb.Error(err)
		return
	}
	nb.Export(cfg.ExportDir, name, v)
}

// Show shows a result's table and exports it under it (Export), the one
// line a report says for each table it shows: every table of a report is
// in its folder as name.csv and in its workbook as a sheet.
func Show(name string, v nb.CSVWriter) {
	nb.Show(v)
	Export(name, v)
}
