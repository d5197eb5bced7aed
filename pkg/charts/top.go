package charts

import (
	"cmp"
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
)

// DefaultTopN is how many bars TopN keeps when Options.N is zero.
const DefaultTopN = 20

// maxTopLabel is how many runes of a label TopN shows: enough for a
// license key (23) and most e-mail addresses, shortened in the middle
// beyond that.
const maxTopLabel = 34

// TopN draws the N largest categories of data (Options.N, default 20) as
// horizontal bars, largest on top, with their values at the bar ends.
// Labels are set in a monospace font so license keys and e-mail addresses
// stay readable; very long ones are shortened in the middle. When bars
// were cut, the title says so, e.g. "Heaviest keys (top 20 of 153)".
//
// Values are checked as for Bar.
func TopN(data Labeled, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("top-N chart", opts)
	if err != nil {
		return nil, err
	}
	if o.N < 0 {
		return nil, fmt.Errorf("charts: top-N chart %q: N is %d, want a positive number (0 means %d)", title, o.N, DefaultTopN)
	}
	percent := o.percent(data)
	if err := (checker{"top-N chart", title}).labeled(data, percent); err != nil {
		return nil, err
	}
	top := topRows(data, cmp.Or(o.N, DefaultTopN))
	if len(top) < data.Len() {
		title = fmt.Sprintf("%s (top %d of %d)", title, len(top), data.Len())
	}
	p := newPlot(title, orDefault(o.XLabel, valueAxisLabel(percent)), o.YLabel)
	sub := subset{data, top}
	labels, tops, colors := make([]string, len(top)), make([]float64, len(top)), make([]color.Color, len(top))
	for i := range top {
		labels[i] = shorten(sub.Label(i), maxTopLabel)
		tops[i] = scaled(sub.Value(i), percent)
		colors[i] = barColor(sub.Label(i), o)
	}
	b := newBars(nil, tops, o.color())
	b.colors, b.horizontal = colors, true
	p.Add(valueGrid(true), b)
	vl, err := valueLabels(p, sub, percent, true)
	if err != nil {
		return nil, err
	}
	p.Add(vl)
	setValueAxis(&p.X, tops, percent)
	p.X.Max = p.X.Max * 1.06 // room for the value written after the longest bar
	nominal(&p.Y, labels)
	p.Y.Tick.Label.Font = font.From(monoFont, TickSize-1)
	n := labeledNumbers(sub, o.YLabel, p.X.Label.Text, percent)
	n.Total = data.Len()
	return finish(p, o, percent, n)
}

// topRows returns the indexes of the n largest values, smallest first so
// that the largest is drawn at the top; ties keep data order.
func topRows(data Labeled, n int) []int {
	idx := make([]int, data.Len())
	vals := make([]float64, len(idx)) // one interface call per row, not per comparison
	for i := range idx {
		idx[i], vals[i] = i, data.Value(i)
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(vals[b], vals[a]) })
	idx = idx[:min(n, len(idx))]
	slices.Reverse(idx)
	return idx
}

// subset is the rows idx of a Labeled, in that order.
type subset struct {
	Labeled
	idx []int
}

func (s subset) Len() int            { return len(s.idx) }
func (s subset) Label(i int) string  { return s.Labeled.Label(s.idx[i]) }
func (s subset) Value(i int) float64 { return s.Labeled.Value(s.idx[i]) }
