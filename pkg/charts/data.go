package charts

import "time"

// Labeled is one value per category: bar charts, top-N bars, shares.
// Analysis results implement it structurally, without importing charts.
type Labeled interface {
	Len() int
	Label(i int) string
	Value(i int) float64
}

// Timed is one value per instant: time series, step charts (free seats over
// time). Instants must not decrease with i.
type Timed interface {
	Len() int
	Time(i int) time.Time
	Value(i int) float64
}

// Stacked is several named series over the same categories (e.g. days):
// stacked bars, split series. Value(i, s) is series s at category i.
type Stacked interface {
	Len() int
	Label(i int) string
	Series() []string
	Value(i, s int) float64
}

// Grid is a matrix of values with labelled rows and columns: heat maps
// (weekday x hour). Row 0 is drawn at the top.
type Grid interface {
	Dims() (rows, cols int)
	Z(r, c int) float64
	RowLabel(r int) string
	ColLabel(c int) string
}

// Sample is a plain list of observations, e.g. days since each key's last
// activity: the input of a histogram. Every Labeled is also a Sample.
type Sample interface {
	Len() int
	Value(i int) float64
}

// Percenter is implemented by results whose values are shares in [0,1]
// that charts should show as percentages. A result reporting false (or not
// implementing it) is shown as plain numbers unless Options.Percent is set.
type Percenter interface {
	Percent() bool
}

// Values is a ready-made Sample over a slice, for callers that have
// numbers rather than an analysis result.
type Values []float64

// Len returns the number of values.
func (v Values) Len() int { return len(v) }

// Value returns value i.
func (v Values) Value(i int) float64 { return v[i] }

// Bars is a ready-made Labeled over two parallel slices, for callers that
// have labels and numbers rather than an analysis result. Labels and
// Values must have the same length.
type Bars struct {
	Labels []string
	Values []float64
	Share  bool // values are shares in [0,1]: shown as percentages
}

// Len returns the number of bars; a length mismatch is reported by the chart.
func (b Bars) Len() int { return max(len(b.Labels), len(b.Values)) }

// Label returns bar i's label, or "" if there are fewer labels than values.
func (b Bars) Label(i int) string {
	if i < len(b.Labels) {
		return b.Labels[i]
	}
	return ""
}

// Value returns bar i's value, or NaN if there are fewer values than labels
// (so the chart reports the gap instead of drawing a zero).
func (b Bars) Value(i int) float64 {
	if i < len(b.Values) {
		return b.Values[i]
	}
	return nan
}

// Percent reports whether the values are shares.
func (b Bars) Percent() bool { return b.Share }

// Points is a ready-made Timed over two parallel slices. Times and Values
// must have the same length.
type Points struct {
	Times  []time.Time
	Values []float64
}

// Len returns the number of points.
func (p Points) Len() int { return max(len(p.Times), len(p.Values)) }

// Time returns instant i, or the zero time if there are fewer times than
// values (which the chart reports).
func (p Points) Time(i int) time.Time {
	if i < len(p.Times) {
		return p.Times[i]
	}
	return time.Time{}
}

// Value returns value i, or NaN if there are fewer values than times.
func (p Points) Value(i int) float64 {
	if i < len(p.Values) {
		return p.Values[i]
	}
	return nan
}
