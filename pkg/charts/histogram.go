package charts

import (
	"fmt"
	"math"

	"image/color"

	"github.com/lenslog/lenslog/pkg/format"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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
	bins, width, integer := binValues(data, o.Bins)
	h := &plotter.Histogram{Bins: bins, Width: width, FillColor: o.color(),
		LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.8)}}
	p := newPlot(title, orDefault(o.XLabel, "Value"), orDefault(o.YLabel, "Count"))
	p.Add(valueGrid(false), h)
	if len(bins) <= maxLabelledBins {
		l, err := binLabels(p, bins)
		if err != nil {
			return nil, err
		}
		p.Add(l)
	}
	p.Y.Min = 0
	p.Y.Max = tallest(bins) * 1.1
	p.Y.Tick.Marker = numberTicks{integer: true}
	p.X.Tick.Marker = numberTicks{integer: width == math.Trunc(width), max: 8}
	return finish(p, o, false, binNumbers(bins, data.Len(), p.X.Label.Text, p.Y.Label.Text, integer))
}

// maxLabelledBins is the most bins a histogram writes counts above: every
// bar labelled, so a bin of one value cannot vanish beside a tall one.
const maxLabelledBins = 40

// binLabels writes each non-empty bin's count above it.
func binLabels(p *plot.Plot, bins []plotter.HistogramBin) (*plotter.Labels, error) {
	var xys plotter.XYs
	var text []string
	for _, b := range bins {
		if b.Weight == 0 {
			continue
		}
		xys = append(xys, plotter.XY{X: (b.Min + b.Max) / 2, Y: b.Weight})
		text = append(text, format.Number(b.Weight))
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: text})
	if err != nil {
		return nil, err
	}
	sty := valueStyle(p)
	for i := range l.TextStyle {
		l.TextStyle[i] = sty
	}
	l.Offset = vg.Point{Y: 2}
	return l, nil
}

// binNumbers are a histogram's figures: each bin's range and count.
func binNumbers(bins []plotter.HistogramBin, n int, xlabel, ylabel string, integer bool) Numbers {
	nums := Numbers{Columns: []string{xlabel, ylabel}}
	most := 0
	for i, b := range bins {
		nums.Rows = append(nums.Rows, []string{binRange(b, integer), format.Number(b.Weight)})
		if b.Weight > bins[most].Weight {
			most = i
		}
	}
	nums.Summary = fmt.Sprintf("%s in %s from %s to %s; most (%s) in %s", format.Counted(n, "value", "values"), format.Counted(len(bins), "bin", "bins"),
		binRange(bins[0], integer), binRange(bins[len(bins)-1], integer), format.Number(bins[most].Weight), binRange(bins[most], integer))
	return nums
}

// binRange writes a bin as "3" or "10 to 14" for whole numbers, else "2.5 to 5".
func binRange(b plotter.HistogramBin, integer bool) string {
	if integer {
		lo, hi := math.Ceil(b.Min), math.Ceil(b.Max)-1
		if lo == hi {
			return format.Number(lo)
		}
		return format.Number(lo) + " to " + format.Number(hi)
	}
	return format.Number(b.Min) + " to " + format.Number(b.Max)
}

// binValues counts values into bins of a round width. Whole-number data
// (counts, days) gets whole-number bins centred on the numbers they hold:
// a bin of width 1 spans 2.5 to 3.5 and holds the 3s; it reports whether
// the data was whole.
func binValues(data Sample, want int) ([]plotter.HistogramBin, float64, bool) {
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
	if integer {
		start -= 0.5
	}
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
	return bins, width, integer
}

// tallest is the largest bin weight.
func tallest(bins []plotter.HistogramBin) float64 {
	hi := 0.0
	for _, b := range bins {
		hi = math.Max(hi, b.Weight)
	}
	return hi
}
