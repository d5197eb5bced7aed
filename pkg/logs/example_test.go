package logs_test

import (
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// now is the account's clock in the examples.
var now = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)

func ExampleParseSpan() {
	for _, text := range []string{"2026-10", "yesterday", "2026-10-01..2026-10-15", "last-7d"} {
		span, err := logs.ParseSpan(text)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-22s %s\n", span, span.Window(now))
	}
	// Output:
	// 2026-10                2026-10-01 to 2026-10-31
	// yesterday              2026-11-04
	// 2026-10-01..2026-10-15 2026-10-01 to 2026-10-15
	// last-7d                2026-10-29 10:00 to 2026-11-05 10:00 UTC
}

func ExampleLookback() {
	w := logs.Last(7 * logs.Day).Window(now)
	fmt.Println(logs.Lookback(w, 30*logs.Day).Window(now))
	// Output: 2026-09-29 10:00 to 2026-11-05 10:00 UTC
}

func ExampleWholeDays() {
	w := logs.Last(7 * logs.Day).Window(now)
	fmt.Println(logs.WholeDays(w).Window(now))
	// Output: 2026-10-30 to 2026-11-05 10:00 UTC
}

func ExampleWindow_Within() {
	october := logs.Window{From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	since := logs.Window{From: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)}
	fmt.Println(october.Within(since))
	// Output: 2026-10-20 to 2026-10-31
}

// A table is columns; Where and Window return new tables, Row a row, and
// Period is the window the table was loaded for, narrowed by Window.
func ExampleWebAPI() {
	t := now.Unix()
	api := &logs.WebAPI{Period: logs.Last(logs.Day).Window(now)}
	api.Append(
		cryptolens.WebAPILogRow{ID: 1, Key: "AAAA", State: 2010, Time: t - 7200},
		cryptolens.WebAPILogRow{ID: 2, Key: "BBBB", State: 2020, Time: t - 3600},
		cryptolens.WebAPILogRow{ID: 3, Key: "AAAA", State: 2024, Time: t - 60},
	)
	aaaa := api.Where(func(i int) bool { return api.Key.At(i) == "AAAA" })
	fmt.Println(aaaa.Len(), aaaa.Row(1).State)
	last := api.Window(logs.Window{From: now.Add(-90 * time.Minute)})
	fmt.Println(last.Len(), last.Period)
	// Output:
	// 2 2024
	// 2 2026-11-05 08:30 to 2026-11-05 10:00 UTC
}
