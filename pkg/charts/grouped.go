package charts

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// GroupedBars draws, for each category of data, one bar per series side by
// side, with its value written above it: e.g. the failure rate before and
// after each change. Series named in Options.Colors or the house colours keep their colour;
// others take palette colours in order. A legend names the series.
//
// Values must be finite and not negative (shares in [0,1] when the data is
// a Percenter or Options.Percent is set). Empty data or no series wraps
// ErrNoData.
func GroupedBars(data Stacked, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("grouped bar chart", opts)
	if err != nil {
		return nil, err
	}
	percent := o.percent(data)
	if err := (checker{"grouped bar chart", title}).stacked(data, percent); err != nil {
		return nil, err
	}
	n, series := data.Len(), data.Series()
	p := newPlot(title, o.XLabel, orDefault(o.YLabel, valueAxisLabel(percent)))
	p.Add(valueGrid(false))
	w := barWidth / float64(len(series))
	var all []float64
	var xys plotter.XYs
	var text []string
	for s, name := range series {
		top := make([]float64, n)
		for i := range n {
			top[i] = scaled(data.Value(i, s), percent)
			x := float64(i) - barWidth/2 + (float64(s)+0.5)*w
			xys = append(xys, plotter.XY{X: x, Y: top[i]})
			text = append(text, formatValue(data.Value(i, s), percent))
		}
		b := &offsetBars{bars: newBars(nil, top, o.ColorFor(name, s)), offset: -barWidth/2 + (float64(s)+0.5)*w, width: w}
		p.Add(b)
		p.Legend.Add(name, b)
		all = append(all, top...)
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
	p.Add(l)
	setValueAxis(&p.Y, all, percent)
	p.Y.Max *= 1 + 0.08*float64(len(series)) + 0.04 // headroom for the legend
	labels := make([]string, n)
	for i := range n {
		labels[i] = data.Label(i)
	}
	nominal(&p.X, shortLabels(labels, maxBarLabel))
	tiltIfCrowded(&p.X, labels)
	p.Legend.Left = false
	return finish(p, o, percent, stackedNumbers(data, o.XLabel, percent))
}

// offsetBars is one series of grouped bars: bars of the given width, moved
// offset from each category's centre.
type offsetBars struct {
	*bars
	offset, width float64
}

// Plot draws the bars.
func (b *offsetBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for i := range b.top {
		if b.top[i] == b.base[i] {
			continue
		}
		lo, hi := float64(i)+b.offset-b.width/2, float64(i)+b.offset+b.width/2
		c.FillPolygon(b.color(i), c.ClipPolygonXY(rect(trX(lo), trY(b.base[i]), trX(hi), trY(b.top[i]))))
	}
}
