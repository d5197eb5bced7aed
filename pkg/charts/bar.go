package charts

import (
	"image/color"
	"math"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxBarLabel is how many runes of a category label a vertical bar chart
// shows before shortening it.
const maxBarLabel = 24

// Bar draws one vertical bar per category of data, in data order, with
// its value written above it. Bars with a named colour (Options.Colors, the house colours) take it
// (Success green, Failure red), others Options.Color.
//
// Values must be finite and not negative. If the data implements
// Percenter (or Options.Percent is set) they must be shares in [0,1] and
// are shown as percentages. Empty data is an error wrapping ErrNoData.
func Bar(data Labeled, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("bar chart", opts)
	if err != nil {
		return nil, err
	}
	percent := o.percent(data)
	if err := (checker{"bar chart", title}).labeled(data, percent); err != nil {
		return nil, err
	}
	n := data.Len()
	labels, tops, colors := make([]string, n), make([]float64, n), make([]color.Color, n)
	for i := range n {
		labels[i] = data.Label(i)
		tops[i] = scaled(data.Value(i), percent)
		colors[i] = barColor(labels[i], o)
	}
	p := newPlot(title, o.XLabel, orDefault(o.YLabel, valueAxisLabel(percent)))
	b := newBars(nil, tops, o.color())
	b.colors = colors
	p.Add(valueGrid(false), b)
	vl, err := valueLabels(p, data, percent, false)
	if err != nil {
		return nil, err
	}
	p.Add(vl)
	setValueAxis(&p.Y, tops, percent)
	nominal(&p.X, shortLabels(labels, maxBarLabel))
	tiltIfCrowded(&p.X, labels)
	return finish(p, o, percent, labeledNumbers(data, o.XLabel, p.Y.Label.Text, percent))
}

// barColor is the named colour of label, else the chart's colour.
func barColor(label string, o Options) color.Color {
	if c, ok := o.namedColor(label); ok {
		return c
	}
	return o.color()
}

// scaled converts a share to percent points when percent is set.
func scaled(v float64, percent bool) float64 {
	if percent {
		return v * 100
	}
	return v
}

func valueAxisLabel(percent bool) string {
	if percent {
		return "Share (%)"
	}
	return "Count"
}

// valueGrid returns faint grid lines along the value axis only.
func valueGrid(horizontal bool) *plotter.Grid {
	g := plotter.NewGrid()
	g.Horizontal, g.Vertical = gridStyle, gridStyle
	if horizontal {
		g.Horizontal.Color = nil
	} else {
		g.Vertical.Color = nil
	}
	return g
}

// valueLabels writes each value at the end of its bar.
func valueLabels(p *plot.Plot, data Labeled, percent, horizontal bool) (*plotter.Labels, error) {
	n := data.Len()
	xys := make(plotter.XYs, n)
	text := make([]string, n)
	for i := range n {
		v := scaled(data.Value(i), percent)
		xys[i] = plotter.XY{X: float64(i), Y: v}
		if horizontal {
			xys[i] = plotter.XY{X: v, Y: float64(i)}
		}
		text[i] = formatValue(data.Value(i), percent)
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: text})
	if err != nil {
		return nil, err
	}
	sty := valueStyle(p)
	l.Offset = vg.Point{Y: 2}
	if horizontal {
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
		l.Offset = vg.Point{X: 3}
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = sty
	}
	return l, nil
}

// setValueAxis starts the value axis at zero, leaves headroom for the
// value labels and uses whole-number ticks for counts.
func setValueAxis(a *plot.Axis, tops []float64, percent bool) {
	hi := 0.0
	integer := true
	for _, v := range tops {
		hi = math.Max(hi, v)
		integer = integer && v == math.Trunc(v)
	}
	if hi == 0 {
		hi = 1
	}
	a.Min, a.Max = 0, hi*1.08
	a.Tick.Marker = numberTicks{integer: integer && !percent}
}

// nominal labels the category axis 0..n-1 with names, without tick marks.
func nominal(a *plot.Axis, names []string) {
	ticks := make([]plot.Tick, len(names))
	for i, name := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: name}
	}
	a.Tick.Marker = plot.ConstantTicks(ticks)
	a.Tick.Length = 0
}

func shortLabels(labels []string, n int) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = shorten(l, n)
	}
	return out
}

// tiltIfCrowded turns category labels 30 degrees when, side by side, they
// would not fit the default width.
func tiltIfCrowded(a *plot.Axis, labels []string) {
	chars := 0
	for _, l := range labels {
		chars += min(utf8.RuneCountInString(l), maxBarLabel) + 2
	}
	if chars <= 80 {
		return
	}
	a.Tick.Label.Rotation = math.Pi / 6
	a.Tick.Label.XAlign = draw.XRight
	a.Tick.Label.YAlign = draw.YCenter
}
