package charts

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FreeSeats draws the free floating seats of a license over time as a
// step line, for the floating-seat audit: each row is the number of free
// seats right after an event (activation, release, expiry), held until the
// next row. A dashed line marks zero and the region below it, overdraft
// (more machines than seats), is shaded red; rows in overdraft get a red
// dot. The shading is drawn even when nothing went below zero, so a chart
// without red dots says "no overdraft" at a glance.
//
// Times must be set and must not decrease; values must be finite (they may
// be negative). Empty data wraps ErrNoData.
func FreeSeats(data Timed, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("free-seats chart", opts)
	if err != nil {
		return nil, err
	}
	if err := (checker{"free-seats chart", title}).timed(data, false); err != nil {
		return nil, err
	}
	xys := timedXYs(data, false)
	p := newPlot(title, orDefault(o.XLabel, "Time"+zoneSuffix(o.location())), orDefault(o.YLabel, "Free seats"))
	setTimeAxis(&p.X, xys, o.location())
	lo, hi := seatRange(xys)
	p.Y.Min, p.Y.Max = lo, hi
	p.Y.Tick.Marker = numberTicks{integer: true}

	step, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	step.StepStyle = plotter.PostStep
	step.LineStyle = draw.LineStyle{Color: o.color(), Width: vg.Points(1.8)}
	region, err := overdraftRegion(p.X.Min, p.X.Max, xys, lo)
	if err != nil {
		return nil, err
	}
	zero := zeroLine(region)
	p.Add(region, valueGrid(false), zero, step)
	p.Legend.Add("Free seats", step)
	p.Legend.Add("Overdraft (below 0)", region)
	if over := overdrafts(xys); len(over) > 0 {
		dots, err := plotter.NewScatter(over)
		if err != nil {
			return nil, err
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: houseColors["Failure"], Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(dots)
	}
	return finish(p, o, false, timedNumbers(data, "Free seats", false, o.location()))
}

// seatRange is the value range: always showing 0 and at least one seat
// below it, so the overdraft region is visible, with headroom for the
// legend above the highest step.
func seatRange(xys plotter.XYs) (lo, hi float64) {
	lo, hi = -1, 1
	for _, xy := range xys {
		lo = math.Min(lo, xy.Y-1)
		hi = math.Max(hi, xy.Y+1)
	}
	return lo, hi + math.Ceil((hi-lo)*0.2) // headroom for the legend
}

// overdraftRegion is a shaded rectangle from lo up to zero across the
// whole time span (widened by gonum's axis range for a single row).
func overdraftRegion(xmin, xmax float64, xys plotter.XYs, lo float64) (*plotter.Polygon, error) {
	if math.IsInf(xmin, 0) || math.IsInf(xmax, 0) { // axis range not set yet
		xmin, xmax = xys[0].X, xys[len(xys)-1].X
	}
	poly, err := plotter.NewPolygon(plotter.XYs{{X: xmin, Y: lo}, {X: xmax, Y: lo}, {X: xmax, Y: 0}, {X: xmin, Y: 0}})
	if err != nil {
		return nil, fmt.Errorf("charts: overdraft region: %w", err)
	}
	poly.Color = overdraftColor
	poly.LineStyle.Width = 0
	return poly, nil
}

// zeroLine is a dashed horizontal line at zero across the region.
func zeroLine(region *plotter.Polygon) *plotter.Line {
	xmin, xmax, _, _ := region.DataRange()
	l := &plotter.Line{XYs: plotter.XYs{{X: xmin}, {X: xmax}}}
	l.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	return l
}

// overdrafts are the rows with fewer than zero free seats.
func overdrafts(xys plotter.XYs) plotter.XYs {
	var out plotter.XYs
	for _, xy := range xys {
		if xy.Y < 0 {
			out = append(out, xy)
		}
	}
	return out
}
