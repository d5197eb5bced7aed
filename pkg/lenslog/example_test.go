package lenslog_test

import (
	"fmt"
	"io"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// sampleConfig opens a small sample account whose history ends on a
// fixed day, as LENSLOG_SAMPLE_END and LENSLOG_SAMPLE_ROWS would, so the
// figures below never change.
func sampleConfig() lenslog.Config {
	return lenslog.Config{
		UseSample: true,
		Sample:    sample.Options{End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), WebAPIRows: 20000},
		Note:      io.Discard,
	}
}

// A notebook's first lines: open the account, load a log for a span, and
// hand the table to an analysis. The table knows the window it was
// loaded for.
func Example() {
	acct, err := lenslog.OpenConfig(sampleConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	api, err := acct.WebAPI(lenslog.Last(7 * lenslog.Day))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("window:", api.Period)
	fmt.Println("requests:", format.Count(api.Len()))
	ratio := analysis.SuccessRatio(api)
	fmt.Println("success:", format.Share(ratio.Value(0)))
	// Output:
	// window: 2026-10-25 to 2026-10-31
	// requests: 2,028
	// success: 82.8%
}
