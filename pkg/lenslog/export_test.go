package lenslog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/lenslog"
)

// TestShowExports checks that Show, besides showing the table, writes it
// where Export does: name.csv in the report's export folder.
func TestShowExports(t *testing.T) {
	acct, err := lenslog.OpenConfig(sampleConfig())
	if err != nil {
		t.Fatal(err)
	}
	api := lenslog.Must(acct.WebAPI(lenslog.Last(7 * lenslog.Day)))
	dir := filepath.Join(t.TempDir(), "02-success-ratio")
	t.Setenv(lenslog.EnvExportDir, dir)
	lenslog.Show("success-ratio", analysis.SuccessRatio(api))
	got, err := os.ReadFile(filepath.Join(dir, "success-ratio.csv"))
	if err != nil {
		t.Fatalf("Show wrote no CSV: %v", err)
	}
	var want strings.Builder
	if err := analysis.SuccessRatio(api).WriteCSV(&want); err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Errorf("the CSV Show wrote:\n%s\nwant:\n%s", got, want.String())
	}
}

// A report's table in one line: Show shows it and exports it beside the
// report. Outside `kernel report` (no LENSLOG_EXPORT_DIR) nothing is
// written, and Show says so under the table.
func ExampleShow() {
	os.Unsetenv(lenslog.EnvExportDir)
	acct, err := lenslog.OpenConfig(sampleConfig())
	if err != nil {
		panic(err)
	}
	api := lenslog.Must(acct.WebAPI(lenslog.Last(7 * lenslog.Day)))
	lenslog.Show("success-ratio", analysis.SuccessRatio(api))
	// Output:
	//    Outcome  Requests  Share
	//    string        int  float
	// 0  Success     1,679  82.8%
	// 1  Failure       349  17.2%
	// 2 rows × 3 columns
	// success-ratio.csv not written: no export folder (kernel report gives each report one; elsewhere set $LENSLOG_EXPORT_DIR)
}
