package charts

import (
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// maxMarkers is the most points a time series marks with dots.
const maxMarkers = 60

// TimeSeries draws data as a line over time, e.g. requests per day, with
// calendar ticks from TimeTicks in Options.Location (default UTC). Series
// of up to 60 points get a dot per point. The line breaks where a step is
// missing (a day without rows is a gap, not a slope). A series of more
// than 400 points is drawn per hour, day or week, whichever gives at most
// 200 buckets: each bucket's mean over a band from its lowest to its
// highest value, and the axis label says so.
//
// Times must be set and must not decrease; values must be finite (shares
// in [0,1] when shown as percentages). Empty data wraps ErrNoData.
func TimeSeries(data Timed, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("time series", opts)
	if err != nil {
		return nil, err
	}
	percent := o.percent(data)
	ck := checker{"time series", title}
	if err := ck.timed(data, percent); err != nil {
		return nil, err
	}
	xys := timedXYs(data, percent)
	p := newPlot(title, orDefault(o.XLabel, timeAxisLabel(data, o.location())), orDefault(o.YLabel, valueAxisLabel(percent)))
	p.Add(valueGrid(false))
	if len(xys) > maxDensePoints {
		bucket, err := dense(p, xys, o.color())
		if err != nil {
			return nil, err
		}
		p.Y.Label.Text += " (mean per " + bucket + "; band: lowest to highest)"
	} else if _, err := addSeries(p, xys, o.color()); err != nil {
		return nil, err
	}
	setTimeAxis(&p.X, xys, o.location())
	setNumberAxis(&p.Y, xys, percent)
	return finish(p, o, percent, timedNumbers(data, o.YLabel, percent, o.location()))
}

// timed checks a Timed: not empty, times set and in order, values finite.
func (c checker) timed(data Timed, percent bool) error {
	if data == nil || data.Len() == 0 {
		return c.empty("data")
	}
	check := c.finite
	if percent {
		check = c.share
	}
	for i := range data.Len() {
		t := data.Time(i)
		label := t.UTC().Format(time.RFC3339)
		if t.IsZero() {
			return c.bad(i, "", "time is not set (zero time)")
		}
		if i > 0 && t.Before(data.Time(i-1)) {
			return c.bad(i, label, "time is before the previous row's %s; sort by time first",
				data.Time(i-1).UTC().Format(time.RFC3339))
		}
		if err := check(i, label, data.Value(i)); err != nil {
			return err
		}
	}
	return nil
}

// timedXYs converts data to (Unix seconds, value) points.
func timedXYs(data Timed, percent bool) plotter.XYs {
	xys := make(plotter.XYs, data.Len())
	for i := range xys {
		xys[i] = plotter.XY{X: unixSeconds(data.Time(i)), Y: scaled(data.Value(i), percent)}
	}
	return xys
}

// timeAxisLabel is "Date (UTC)" when every instant is a midnight, else
// "Time (UTC)".
func timeAxisLabel(data Timed, loc *time.Location) string {
	for i := range data.Len() {
		t := data.Time(i).In(loc)
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
			return "Time" + zoneSuffix(loc)
		}
	}
	return "Date" + zoneSuffix(loc)
}

// setTimeAxis installs TimeTicks and widens a single instant to a day.
func setTimeAxis(a *plot.Axis, xys plotter.XYs, loc *time.Location) {
	a.Tick.Marker = TimeTicks{Location: loc}
	if xys[0].X == xys[len(xys)-1].X {
		a.Min, a.Max = xys[0].X-12*3600, xys[0].X+12*3600
	}
}

// setNumberAxis uses whole-number ticks when every value is whole, and
// starts at zero when no value is negative.
func setNumberAxis(a *plot.Axis, xys plotter.XYs, percent bool) {
	integer, lowest := !percent, math.Inf(1)
	for _, xy := range xys {
		integer = integer && xy.Y == math.Trunc(xy.Y)
		lowest = math.Min(lowest, xy.Y)
	}
	a.Tick.Marker = numberTicks{integer: integer}
	if lowest >= 0 {
		a.Min = 0 // counts and shares read honestly from zero
	}
}
