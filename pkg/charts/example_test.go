package charts_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/charts"
)

// A share result (here the ready-made Bars) is drawn with percentages
// above green and red bars.
func ExampleBar() {
	ratio := charts.Bars{Labels: []string{"Success", "Failure"}, Values: []float64{0.87, 0.13}, Share: true}
	p, err := charts.Bar(ratio, "Successful vs. unsuccessful API requests")
	if err != nil {
		fmt.Println(err)
		return
	}
	png, err := charts.PNG(p, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text, "|", p.Y.Label.Text, "|", string(png[1:4]))
	// Output: Successful vs. unsuccessful API requests | Share (%) | PNG
}

// Bad data is an error that says which row is wrong.
func ExampleBar_invalid() {
	_, err := charts.Bar(charts.Bars{Labels: []string{"ABCD-EFGH"}, Values: []float64{-2}}, "Requests per key")
	fmt.Println(err)
	fmt.Println(errors.Is(err, charts.ErrBadValue))
	// Output:
	// charts: bar chart "Requests per key": row 0 ("ABCD-EFGH"): value -2 is negative; this chart draws counts and shares
	// true
}

// TopN keeps the largest bars and says how many it left out.
func ExampleTopN() {
	keys := charts.Bars{
		Labels: []string{"AAAA-1111", "BBBB-2222", "CCCC-3333"},
		Values: []float64{120, 900, 45},
	}
	p, err := charts.TopN(keys, "Heaviest keys", charts.Options{N: 2, XLabel: "Requests"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	// Output: Heaviest keys (top 2 of 3)
}

// TimeTicks picks a calendar step to suit the span.
func ExampleTimeTicks() {
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for _, span := range []time.Duration{24 * time.Hour, 30 * 24 * time.Hour} {
		to := from.Add(span)
		var labels []string
		for _, tick := range (charts.TimeTicks{}).Ticks(float64(from.Unix()), float64(to.Unix())) {
			if !tick.IsMinor() {
				labels = append(labels, tick.Label)
			}
		}
		fmt.Println(strings.Join(labels, "; "))
	}
	// Output:
	// Nov 02 00:00; 06:00; 12:00; 18:00; Nov 03 00:00
	// Nov 02; Nov 09; Nov 16; Nov 23; Nov 30
}

// FreeSeats draws the seat audit; render it to SVG for a report.
func ExampleFreeSeats() {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	seats := charts.Points{
		Times:  []time.Time{at, at.Add(time.Hour), at.Add(2 * time.Hour)},
		Values: []float64{1, 0, -1},
	}
	p, err := charts.FreeSeats(seats, "Free seats of ABCD-EFGH")
	if err != nil {
		fmt.Println(err)
		return
	}
	svg, err := charts.SVG(p, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Y.Label.Text, len(svg) > 0)
	// Output: Free seats true
}

// Colors keeps colours stable per name across every chart.
func ExampleColorFor() {
	fmt.Println(charts.ColorFor("Failure", 0) == charts.Colors["Failure"])
	fmt.Println(charts.ColorFor("Product 7", 1) == charts.Palette[1])
	// Output:
	// true
	// true
}
