package charts_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/png" // for image.DecodeConfig
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/charts"
)

// A share result (here the ready-made Bars) is drawn with percentages
// above green and red bars. The example reads the bars back from the SVG:
// their colours, their heights' ratio (0.87 / 0.13) and their labels.
func ExampleBar() {
	ratio := charts.Bars{Labels: []string{"Success", "Failure"}, Values: []float64{0.87, 0.13}, Share: true}
	p, err := charts.Bar(ratio, "Successful vs. unsuccessful API requests")
	if err != nil {
		fmt.Println(err)
		return
	}
	svg, err := charts.SVG(p, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text, "|", p.Y.Label.Text)
	bars := filledBoxes(string(svg))
	if len(bars) != 2 {
		fmt.Println("bars:", bars)
		return
	}
	fmt.Printf("bars: %s and %s, heights %.1f : 1\n", bars[0].fill, bars[1].fill, bars[0].height/bars[1].height)
	for _, m := range regexp.MustCompile(`>([0-9.]+%)</text>`).FindAllStringSubmatch(string(svg), -1) {
		fmt.Println("label:", m[1])
	}
	png, err := charts.PNG(p, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(png))
	fmt.Println(format, cfg.Width, "x", cfg.Height, err)
	// Output:
	// Successful vs. unsuccessful API requests | Share (%)
	// bars: #2CA02C and #D62728, heights 6.7 : 1
	// label: 87.0%
	// label: 13.0%
	// png 800 x 500 <nil>
}

// box is a filled rectangle of an SVG: its fill colour and height.
type box struct {
	fill   string
	height float64
}

// filledBoxes returns the rectangles of svg filled with a colour other
// than the white background, in drawing order.
func filledBoxes(svg string) []box {
	re := regexp.MustCompile(`<path d="M[0-9.]+,([0-9.]+)L[0-9.]+,[0-9.]+L[0-9.]+,([0-9.]+)L[0-9.]+,[0-9.]+Z" style="fill:(#[0-9A-F]{6})" />`)
	var out []box
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		if m[3] == "#FFFFFF" {
			continue
		}
		y0, _ := strconv.ParseFloat(m[1], 64)
		y1, _ := strconv.ParseFloat(m[2], 64)
		out = append(out, box{fill: m[3], height: math.Abs(y1 - y0)})
	}
	return out
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

// The house colours keep a name's colour stable across every chart;
// Options.Colors adds names of your own, for one chart or all you pass it to.
func ExampleOptions_ColorFor() {
	house := charts.Options{}
	fmt.Println(house.ColorFor("Failure", 0) == charts.Colors()["Failure"])
	fmt.Println(house.ColorFor("Product 7", 1) == charts.Palette()[1])
	gold := color.RGBA{R: 0xd4, G: 0xaf, B: 0x37, A: 0xff}
	mine := charts.Options{Colors: map[string]color.Color{"Product 7": gold}}
	fmt.Println(mine.ColorFor("product 7", 1) == gold, mine.ColorFor("Failure", 0) == charts.Colors()["Failure"])
	// Output:
	// true
	// true
	// true true
}
