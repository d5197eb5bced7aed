package analysis_test

import (
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// A report's value boxes in one line: the analysis builds them for the
// period and the one before (lenslog.Previous loads it); nb.Boxes shows
// them.
func ExampleSuccessBoxes() {
	t := time.Date(2026, 9, 30, 9, 0, 0, 0, time.UTC).Unix()
	before := &logs.WebAPI{}
	before.Append(cryptolens.WebAPILogRow{ID: 1, Key: "A", State: 2010, Time: t}, cryptolens.WebAPILogRow{ID: 2, Key: "A", State: 2020, Time: t})
	for _, b := range analysis.SuccessBoxes(exampleLog(), before) {
		fmt.Printf("%s: %s (%s)\n", b.Label, b.ValueText(), b.Change())
	}
	// Output:
	// Requests: 5 (▲ 150%)
	// Succeeded: 60.0% (▲ 10 pts)
	// Failed requests: 1 (no change)
}

// A result's figures as the lines a report prints under its section.
func ExampleRatio_Summary() {
	fmt.Println(analysis.SuccessRatio(exampleLog()).Summary())
	// Output:
	// Requests in the window: 5
	// Success share: 60.0%
	// Failure share: 20.0%
}

// pandas: sharing[sharing.score >= 1.55]
func ExampleSharing_AtLeast() {
	for _, k := range analysis.KeySharing(exampleLog()).AtLeast(1.55).Rows {
		fmt.Printf("%s %.2f %s\n", k.Key, k.Score, k.Reason)
	}
	// Output:
	// A 1.58 2 machines, 0 IPs
}

// pandas: summaries.nlargest(2, "totalRequests"), printed a line each.
func ExampleLifetimeText() {
	t := &logs.UsageSummaries{}
	t.Append(exampleSummaries()...)
	fmt.Print(analysis.LifetimeText(t, 2))
	// Output:
	// Keys with a usage summary: 4
	// 1. CCCC (product 7): 300 requests, 3 failed, first seen 1970-01-01, last seen 1970-01-01
	// 2. AAAA (product 3): 120 requests, 6 failed, first seen 1970-01-01, last seen 1970-01-01
}
