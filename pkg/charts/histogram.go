package charts

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"image/color"
)

// maxBins is the most bins a histogram chooses by itself; maxAskedBins
// the most a caller may ask for.
const (
	maxBins      = 30
	maxAskedBins = 1000
)

// Histogram draws the distribution of data's values, e.g. days since each
// key's last activity. Bins have a round width (1, 2 or 5 times a power of
// ten, never below 1 for whole-number data such as days) aligned on
// multiples of it, about Options.Bins of them (default sqrt(n), at most 30).
// The y axis counts values per bin.
//
// Values must be finite. Empty data wraps ErrNoData.
func Histogram(data Sample, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("histogram", opts)
	if err != nil {
		return nil, err
	}
	ck := checker{"histogram", title}
	if o.Bins < 0 || o.Bins > maxAskedBins {
		return nil, fmt.Errorf("charts: histogram %q: Bins is %d, want 1 to %d (0 means automatic)", title, o.Bins, maxAskedBins)
	}
	if data == nil || data.Len() == 0 {
		return nil, ck.empty("data")
	}
	for i := range data.Len() {
		if err := ck.finite(i, "", data.Value(i)); err != nil {
			return nil, err
		}
	}
	bins, width := binValues(data, o.Bins)
	h := &plotter.Histogram{Bins: bins, Width: width, FillColor: o.color(),
		LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.8)}}
	p := newPlot(title, orDefault(o.XLabel, "Value"), orDefault(o.YLabel, "Count"))
	p.Add(valueGrid(false), h)
	p.Y.Min = 0
	p.Y.Max = tallest(bins) * 1.05
	p.Y.Tick.Marker = numberTicks{integer: true}
	p.X.Tick.Marker = numberTicks{integer: width == math.Trunc(width), max: 8}
	return p, nil
}

// binValues counts values into bins of a round width.
func binValues(data Sample, want int) ([]plotter.HistogramBin, float64) {
	n := data.Len()
	lo, hi, integer := math.Inf(1), math.Inf(-1), true
	for i := range n {
		v := data.Value(i)
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		integer = integer && v == math.Trunc(v)
	}
	if want == 0 {
		want = min(maxBins, int(math.Ceil(math.Sqrt(float64(n)))))
	}
	width := niceStep((hi - lo) / float64(want))
	if integer && width < 1 {
		width = 1
	}
	start := math.Floor(lo/width) * width
	count := int(math.Floor((hi-start)/width)) + 1
	bins := make([]plotter.HistogramBin, count)
	for b := range bins {
		bins[b].Min = start + float64(b)*width
		bins[b].Max = bins[b].Min + width
	}
	for i := range n {
		b := min(int((data.Value(i)-start)/width), count-1)
		bins[b].Weight++
	}
	return bins, width
}

// tallest is the largest bin weight.
func tallest(bins []plotter.HistogramBin) float64 {
	hi := 0.0
	for _, b := range bins {
		hi = math.Max(hi, b.Weight)
	}
	return hi
}
