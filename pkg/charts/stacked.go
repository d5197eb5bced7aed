package charts

import (
	"math"

	"gonum.org/v1/plot"
)

// maxCategoryLabels is the most category labels a stacked chart writes;
// with more categories (e.g. 90 days) it labels every k-th one, and fewer
// when long labels would not fit side by side (see labelsThatFit).
const maxCategoryLabels = 12

// StackedBars draws one bar per category of data (e.g. per day), each
// split into its series stacked bottom to top in Series order, e.g.
// Success and Failure per day. Series with a named colour keep it
// (Success green, Failure red); others take palette colours in order. A
// legend names the series.
//
// Values must be finite and not negative (shares in [0,1] when shown as
// percentages). Empty data or no series wraps ErrNoData.
func StackedBars(data Stacked, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("stacked bar chart", opts)
	if err != nil {
		return nil, err
	}
	percent := o.percent(data)
	if err := (checker{"stacked bar chart", title}).stacked(data, percent); err != nil {
		return nil, err
	}
	n, series := data.Len(), data.Series()
	p := newPlot(title, o.XLabel, orDefault(o.YLabel, valueAxisLabel(percent)))
	p.Add(valueGrid(false))
	base := make([]float64, n)
	var all []float64
	for s, name := range series {
		top := make([]float64, n)
		for i := range n {
			top[i] = base[i] + scaled(data.Value(i, s), percent)
		}
		b := newBars(base, top, o.ColorFor(name, s))
		p.Add(b)
		p.Legend.Add(name, b)
		base, all = top, top
	}
	setValueAxis(&p.Y, all, percent)
	// Headroom for the legend in the top right corner.
	p.Y.Max *= 1 + 0.08*float64(len(series)) + 0.04
	labelCategories(&p.X, data)
	p.Legend.Left = false
	return finish(p, o, percent, stackedNumbers(data, o.XLabel, percent))
}

// labelCategories labels every bar when there are at most
// maxCategoryLabels (tilted when they would not fit side by side), so no
// bar goes unnamed; a longer run of categories (days) is labelled every
// k-th one, like a time axis.
func labelCategories(a *plot.Axis, data Stacked) {
	n := data.Len()
	if n > maxCategoryLabels {
		nominal(a, thinLabels(data, min(maxCategoryLabels, labelsThatFit(data))))
		return
	}
	labels := make([]string, n)
	for i := range n {
		labels[i] = data.Label(i)
	}
	nominal(a, shortLabels(labels, maxBarLabel))
	tiltIfCrowded(a, labels)
}

// stacked checks a Stacked: categories and series present, values valid.
func (c checker) stacked(data Stacked, percent bool) error {
	if data == nil || data.Len() == 0 {
		return c.empty("data")
	}
	series := data.Series()
	if len(series) == 0 {
		return c.empty("series list")
	}
	check := c.count
	if percent {
		check = c.share
	}
	for i := range data.Len() {
		for s, name := range series {
			if err := check(i, data.Label(i)+" / "+name, data.Value(i, s)); err != nil {
				return err
			}
		}
	}
	return nil
}

// labelsThatFit estimates how many of data's labels fit side by side
// under a chart of the default width without overlapping: the widest label
// at the tick font size (about 0.6 em a character) plus a gap each.
func labelsThatFit(data Stacked) int {
	widest := 0
	for i := range data.Len() {
		widest = max(widest, len([]rune(data.Label(i))))
	}
	each := float64(widest)*0.6*float64(TickSize) + 2*float64(TickSize)
	axis := float64(DefaultWidth) - 80 // less the value axis and margins
	return max(2, int(axis/each))
}

// thinLabels returns the category labels, blanking all but every k-th so
// that at most most are written.
func thinLabels(data Stacked, most int) []string {
	n := data.Len()
	k := int(math.Ceil(float64(n) / float64(most)))
	out := make([]string, n)
	for i := range n {
		if i%k == 0 {
			out[i] = data.Label(i)
		}
	}
	return out
}
