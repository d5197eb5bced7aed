package charts

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxDensePoints is the most points a time series draws one by one; a
// denser series (e.g. 1,376 thirty-minute buckets) is drawn per larger
// bucket, as its mean with a band from the lowest to the highest value,
// which reads where a line through every point would be a tangle.
const maxDensePoints = 400

// runs splits xys where the step to the next point is more than one and
// a half times the series' usual (median) step: a missing day or hour is
// a gap in the line, never a slope through it.
func runs(xys plotter.XYs) []plotter.XYs {
	if len(xys) < 3 {
		return []plotter.XYs{xys}
	}
	steps := make([]float64, 0, len(xys)-1)
	for i := 1; i < len(xys); i++ {
		if d := xys[i].X - xys[i-1].X; d > 0 {
			steps = append(steps, d)
		}
	}
	if len(steps) == 0 {
		return []plotter.XYs{xys}
	}
	slices.Sort(steps)
	usual := steps[len(steps)/2]
	var out []plotter.XYs
	start := 0
	for i := 1; i < len(xys); i++ {
		if xys[i].X-xys[i-1].X > 1.5*usual {
			out = append(out, xys[start:i])
			start = i
		}
	}
	return append(out, xys[start:])
}

// addSeries draws one series as a line broken at its gaps, with a dot per
// point when there are few and a dot for any point standing alone between
// gaps. It returns the first line, for the legend.
func addSeries(p *plot.Plot, xys plotter.XYs, c color.Color) (*plotter.Line, error) {
	var first *plotter.Line
	var lone plotter.XYs
	for _, run := range runs(xys) {
		if len(run) == 1 {
			lone = append(lone, run...)
		}
		line, err := plotter.NewLine(run)
		if err != nil {
			return nil, err
		}
		line.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(1.8)}
		p.Add(line)
		if first == nil {
			first = line
		}
	}
	dots := lone
	if len(xys) <= maxMarkers {
		dots = xys
	}
	if len(dots) > 0 {
		s, err := plotter.NewScatter(dots)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
	return first, nil
}

// bucketSizes are the bucket lengths, in seconds, a dense series may be
// drawn in: an hour to a week.
var bucketSizes = []float64{3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400}

// dense draws a series of more than maxDensePoints points per bucket (the
// smallest of bucketSizes giving at most maxDensePoints/2 buckets): a line
// through each bucket's mean over a band from its lowest to its highest
// value. It returns the bucket's name for the axis label, e.g. "6 h".
func dense(p *plot.Plot, xys plotter.XYs, c color.Color) (string, error) {
	span := xys[len(xys)-1].X - xys[0].X
	size := bucketSizes[len(bucketSizes)-1]
	for _, s := range bucketSizes {
		if span/s <= maxDensePoints/2 {
			size = s
			break
		}
	}
	var mean, lo, hi plotter.XYs
	for i := 0; i < len(xys); {
		b := math.Floor(xys[i].X / size)
		sum, n, mn, mx := 0.0, 0, math.Inf(1), math.Inf(-1)
		for ; i < len(xys) && math.Floor(xys[i].X/size) == b; i++ {
			sum += xys[i].Y
			n++
			mn, mx = math.Min(mn, xys[i].Y), math.Max(mx, xys[i].Y)
		}
		x := (b + 0.5) * size
		mean = append(mean, plotter.XY{X: x, Y: sum / float64(n)})
		lo, hi = append(lo, plotter.XY{X: x, Y: mn}), append(hi, plotter.XY{X: x, Y: mx})
	}
	for i := len(lo) - 1; i >= 0; i-- {
		hi = append(hi, lo[i])
	}
	band, err := plotter.NewPolygon(hi)
	if err != nil {
		return "", err
	}
	r, g, b, _ := c.RGBA()
	band.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x40}
	band.LineStyle.Width = 0
	p.Add(band)
	if _, err := addSeries(p, mean, c); err != nil {
		return "", err
	}
	return bucketName(size), nil
}

// bucketName writes a bucket size in seconds as "6 h" or "1 d".
func bucketName(s float64) string {
	if s >= 86400 {
		return fmt.Sprintf("%g d", s/86400)
	}
	return fmt.Sprintf("%g h", s/3600)
}
