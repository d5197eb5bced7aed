package charts

import (
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// TimedSeries is several named series over the same instants, e.g. daily
// requests, active devices and active keys: the input of a multi-line
// time series. Value(i, s) is series s at instant i; instants must not
// decrease with i. Analysis results implement it structurally.
type TimedSeries interface {
	Len() int
	Time(i int) time.Time
	Series() []string
	Value(i, s int) float64
}

// MultiTimeSeries draws each series of data as its own line on one time
// axis, with calendar ticks from TimeTicks in Options.Location (default
// UTC) and a legend naming the lines. Series with a named colour keep it
// (Success green, Failure red); others take palette colours in order.
// Series of up to 60 points get a dot per point.
//
// Times must be set and must not decrease; values must be finite (shares
// in [0,1] when shown as percentages); series names must be set and
// distinct. Empty data or no series wraps ErrNoData.
func MultiTimeSeries(data TimedSeries, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("multi-line time series", opts)
	if err != nil {
		return nil, err
	}
	percent := o.percent(data)
	if err := (checker{"multi-line time series", title}).timedSeries(data, percent); err != nil {
		return nil, err
	}
	first := seriesPoints{data, 0}
	p := newPlot(title, orDefault(o.XLabel, timeAxisLabel(first, o.location())), orDefault(o.YLabel, valueAxisLabel(percent)))
	p.Add(valueGrid(false))
	var all plotter.XYs
	for s, name := range data.Series() {
		xys := timedXYs(seriesPoints{data, s}, percent)
		line, err := addSeries(p, xys, o.ColorFor(name, s))
		if err != nil {
			return nil, err
		}
		p.Legend.Add(name, line)
		all = append(all, xys...)
	}
	setTimeAxis(&p.X, timedXYs(first, percent), o.location())
	setNumberAxis(&p.Y, all, percent)
	// Headroom for the legend in the top right corner.
	p.Y.Max = maxY(all) * (1 + 0.08*float64(len(data.Series())) + 0.04)
	p.Legend.Left = false
	return finish(p, o, percent, seriesNumbers(data, percent, o.location()))
}

// maxY is the largest value of xys (at least a small positive number, so
// an all-zero chart still has a scale).
func maxY(xys plotter.XYs) float64 {
	m := 1e-9
	for _, xy := range xys {
		m = max(m, xy.Y)
	}
	return m
}

// seriesPoints is one series of a TimedSeries as a Timed.
type seriesPoints struct {
	data TimedSeries
	s    int
}

func (p seriesPoints) Len() int             { return p.data.Len() }
func (p seriesPoints) Time(i int) time.Time { return p.data.Time(i) }
func (p seriesPoints) Value(i int) float64  { return p.data.Value(i, p.s) }

// timedSeries checks a TimedSeries: instants and series present, names
// set and distinct, every series valid as a Timed.
func (c checker) timedSeries(data TimedSeries, percent bool) error {
	if data == nil || data.Len() == 0 {
		return c.empty("data")
	}
	series := data.Series()
	if len(series) == 0 {
		return c.empty("series list")
	}
	seen := map[string]bool{}
	for s, name := range series {
		switch {
		case name == "":
			return c.bad(-1, "", "series %d has no name (the legend needs one)", s)
		case seen[name]:
			return c.bad(-1, name, "series name %q is given twice", name)
		}
		seen[name] = true
		if err := (checker{c.chart, c.title + " / " + name}).timed(seriesPoints{data, s}, percent); err != nil {
			return err
		}
	}
	return nil
}

// Lines is a ready-made TimedSeries over parallel slices, for callers that
// have numbers rather than an analysis result: Values[s] is series Names[s]
// at Times, and must be as long as Times.
type Lines struct {
	Times  []time.Time
	Names  []string
	Values [][]float64
	Share  bool // values are shares in [0,1]: shown as percentages
}

// Len returns the number of instants.
func (l Lines) Len() int { return len(l.Times) }

// Time returns instant i.
func (l Lines) Time(i int) time.Time { return l.Times[i] }

// Series returns the series names.
func (l Lines) Series() []string { return l.Names }

// Value returns series s at instant i, or NaN where a series is short or
// missing (so the chart reports the gap instead of drawing a zero).
func (l Lines) Value(i, s int) float64 {
	if s < len(l.Values) && i < len(l.Values[s]) {
		return l.Values[s][i]
	}
	return nan
}

// Percent reports whether the values are shares.
func (l Lines) Percent() bool { return l.Share }
