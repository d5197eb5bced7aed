package format_test

import (
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
)

// The same figures in the one house style, whatever printed them first.
func Example() {
	fmt.Println(format.Share(0.8443), format.Share(3.787e-05))
	fmt.Println(format.Count(1376), format.Money(1234.5, "USD"))
	fmt.Println(format.Duration(88*time.Hour + 5*time.Minute))
	fmt.Println(format.Text("2026-11-05 00:00:00 +0000 UTC"))
	fmt.Println(format.Header("days_silent"))
	// Output:
	// 84.4% <0.1%
	// 1,376 1,234.50 USD
	// 3 d 16 h
	// 2026-11-05
	// Days silent
}

func ExamplePeriod() {
	oct := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(format.Period(oct, oct.AddDate(0, 1, 0)))
	fmt.Println(format.Period(oct, oct.AddDate(0, 0, 1)))
	fmt.Println(format.Period(oct.Add(14*time.Hour), oct.Add(38*time.Hour)))
	fmt.Println(format.Period(time.Time{}, oct))
	// Output:
	// 2026-10-01 to 2026-10-31
	// 2026-10-01
	// 2026-10-01 14:00 to 2026-10-02 14:00 UTC
	// up to 2026-10-01
}

// A count and its noun agree, whatever integer type the count comes in.
func ExampleCounted() {
	var requests int64 = 2485
	fmt.Println(format.Counted(1, "request", "requests"), "and", format.Counted(requests, "request", "requests"))
	fmt.Println(format.Counted(0, "key has", "keys have"), "gone silent;", format.Counted(3, "license", "licenses"), format.Plural(3, "was", "were"), "converted")
	// Output:
	// 1 request and 2,485 requests
	// 0 keys have gone silent; 3 licenses were converted
}
