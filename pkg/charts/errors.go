package charts

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors, for errors.Is: every *DataError wraps one of them.
var (
	// ErrNoData means the data had no rows (or a grid no cells).
	ErrNoData = errors.New("no data")
	// ErrBadValue means a value cannot be drawn: NaN, infinite, negative
	// where counts are expected, out of [0,1] for shares, or out of order.
	ErrBadValue = errors.New("invalid value")
)

// DataError says which chart rejected its data, and where: the row (and
// label) of the offending value.
type DataError struct {
	Chart string // kind of chart, e.g. "bar chart"
	Title string // the chart's title
	Index int    // row of the bad value, -1 when the data as a whole is bad
	Label string // label or time of that row, if any
	Msg   string // what is wrong, e.g. "value NaN is not a number"
	Err   error  // ErrNoData or ErrBadValue
}

// Error reads like `charts: bar chart "Requests": row 3 ("ABCD-..."): value -1 is negative`.
func (e *DataError) Error() string {
	where := ""
	switch {
	case e.Index >= 0 && e.Label != "":
		where = fmt.Sprintf(": row %d (%q)", e.Index, e.Label)
	case e.Index >= 0:
		where = fmt.Sprintf(": row %d", e.Index)
	}
	return fmt.Sprintf("charts: %s %q%s: %s", e.Chart, e.Title, where, e.Msg)
}

// Unwrap returns ErrNoData or ErrBadValue.
func (e *DataError) Unwrap() error { return e.Err }

// checker builds DataErrors for one chart.
type checker struct{ chart, title string }

func (c checker) empty(what string) error {
	return &DataError{Chart: c.chart, Title: c.title, Index: -1, Msg: what + " is empty: nothing to draw", Err: ErrNoData}
}

func (c checker) bad(i int, label, format string, args ...any) error {
	return &DataError{Chart: c.chart, Title: c.title, Index: i, Label: label,
		Msg: fmt.Sprintf(format, args...), Err: ErrBadValue}
}

// finite rejects NaN and infinities.
func (c checker) finite(i int, label string, v float64) error {
	switch {
	case math.IsNaN(v):
		return c.bad(i, label, "value is NaN (not a number)")
	case math.IsInf(v, 0):
		return c.bad(i, label, "value %v is infinite", v)
	}
	return nil
}

// count rejects what finite rejects, and negative values.
func (c checker) count(i int, label string, v float64) error {
	if err := c.finite(i, label, v); err != nil {
		return err
	}
	if v < 0 {
		return c.bad(i, label, "value %g is negative; this chart draws counts and shares", v)
	}
	return nil
}

// share rejects what count rejects, and values above 1.
func (c checker) share(i int, label string, v float64) error {
	if err := c.count(i, label, v); err != nil {
		return err
	}
	if v > 1 {
		return c.bad(i, label, "share %g is above 1 (shares are fractions in [0,1])", v)
	}
	return nil
}

// labeled checks every value of data: shares when percent, else counts.
func (c checker) labeled(data Labeled, percent bool) error {
	if data == nil || data.Len() == 0 {
		return c.empty("data")
	}
	check := c.count
	if percent {
		check = c.share
	}
	for i := range data.Len() {
		if err := check(i, data.Label(i), data.Value(i)); err != nil {
			return err
		}
	}
	return nil
}
