package charts

import (
	"image/color"
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Marked is a Stacked over consecutive time buckets (e.g. days) with
// instants to mark on it, e.g. the changes made to a license: the data of
// a Timeline chart.
type Marked interface {
	Stacked
	Start(i int) time.Time     // first instant of bucket i
	BucketSize() time.Duration // length of every bucket
	MarkCount() int
	Mark(j int) (time.Time, string) // instant j and its short label
}

// seriesColours names each series' colour, e.g. "green Success, red
// Failure", for the series with a named colour.
func seriesColours(o Options, series []string) string {
	var parts []string
	for _, s := range series {
		if c, ok := o.namedColor(s); ok {
			parts = append(parts, colourName(c)+" "+strings.ToLower(s))
		}
	}
	return strings.Join(parts, ", ")
}

// colourName names the house colours.
func colourName(c color.Color) string {
	switch c {
	case houseColors["Success"]:
		return "green"
	case houseColors["Failure"]:
		return "red"
	case houseColors["Unknown"]:
		return "grey"
	}
	return "coloured"
}

// markColor is the colour of mark lines and their labels.
var markColor = color.Gray{Y: 0x30}

// Timeline draws one license's story: per bucket, its requests stacked by
// outcome (Success green, Failure red, Unknown grey, as StackedBars), with a
// dashed vertical line at each marked instant (a change made to the
// license) labelled at the top. The colours are named in the value axis's
// label rather than a legend, which would hide the labels of late marks. The line falls inside its bucket's bar
// where the instant falls inside the bucket, so a change at noon sits in
// the middle of its day.
//
// Buckets must be consecutive, BucketSize apart; marks must fall inside
// the buckets. Besides StackedBars' errors, a mark outside the buckets or a
// bucket out of step is an ErrBadValue naming it.
func Timeline(data Marked, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("timeline chart", opts)
	if err != nil {
		return nil, err
	}
	o.YLabel = orDefault(o.YLabel, "Requests") + " (" + seriesColours(o, data.Series()) + ")"
	p, err := StackedBars(data, title, o)
	if err != nil {
		return nil, err
	}
	p.Legend = plot.NewLegend()
	c := checker{"timeline chart", title}
	size := data.BucketSize()
	if size <= 0 {
		return nil, c.bad(-1, "", "bucket size %v is not positive", size)
	}
	first := data.Start(0)
	for i := range data.Len() {
		if want := first.Add(time.Duration(i) * size); !data.Start(i).Equal(want) {
			return nil, c.bad(i, data.Label(i), "bucket starts at %v, want %v (buckets must be consecutive)", data.Start(i), want)
		}
	}
	end := first.Add(time.Duration(data.Len()) * size)
	var xys plotter.XYs
	var labels []string
	top := p.Y.Max
	for j := range data.MarkCount() {
		t, label := data.Mark(j)
		if t.Before(first) || !t.Before(end) {
			return nil, c.bad(j, label, "mark at %v is outside the buckets (%v .. %v)", t, first, end)
		}
		x := float64(t.Sub(first))/float64(size) - 0.5
		line := &plotter.Line{XYs: plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}}}
		line.LineStyle = draw.LineStyle{Color: markColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
		p.Add(line)
		xys = append(xys, plotter.XY{X: x, Y: top})
		labels = append(labels, label)
	}
	if len(xys) == 0 {
		return p, nil
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, err
	}
	sty := valueStyle(p)
	sty.Color = markColor
	sty.Rotation = math.Pi / 2
	sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
	for i := range l.TextStyle {
		l.TextStyle[i] = sty
	}
	l.Offset = vg.Point{X: -2}
	p.Add(l)
	return p, nil
}
