package logs

import (
	"math"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
)

// Window is a half-open time range [From, To). A zero From means since the
// beginning, a zero To means until now.
type Window struct {
	From, To time.Time
}

// Contains reports whether t falls in the window.
func (w Window) Contains(t time.Time) bool {
	if !w.From.IsZero() && t.Before(w.From) {
		return false
	}
	return w.To.IsZero() || t.Before(w.To)
}

// InUnix returns a test equal to Contains for times held as unix
// seconds (Times: 0 is the zero time), without making a time.Time per row.
func (w Window) InUnix() func(sec int64) bool {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !w.From.IsZero() {
		lo = ceilUnix(w.From) // sec >= lo  <=>  !Unix(sec).Before(From)
	}
	if !w.To.IsZero() {
		hi = ceilUnix(w.To) // sec < hi  <=>  Unix(sec).Before(To)
	}
	zero := w.Contains(time.Time{})
	return func(sec int64) bool {
		if sec == 0 {
			return zero
		}
		return sec >= lo && sec < hi
	}
}

// ceilUnix is the first whole second at or after t.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// Overlaps reports whether [first, last] shares any instant with w.
func (w Window) Overlaps(first, last time.Time) bool {
	if !w.From.IsZero() && last.Before(w.From) {
		return false
	}
	return w.To.IsZero() || first.Before(w.To)
}

// String shows the window for a reader, in the house style of
// format.Period: "2026-10-01 to 2026-10-31" for October (To is the first
// instant after it), "2026-11-04 14:00 to 2026-11-05 14:00 UTC" for a day
// counted back from a time, "since 2026-10-26" when it runs to now. From and
// To are the exact bounds.
func (w Window) String() string { return format.Period(w.From, w.To) }

// Within returns the part of w that also falls in o: the later From and
// the earlier To (a zero edge is open).
func (w Window) Within(o Window) Window {
	if w.From.IsZero() || o.From.After(w.From) {
		w.From = o.From
	}
	if w.To.IsZero() || !o.To.IsZero() && o.To.Before(w.To) {
		w.To = o.To
	}
	return w
}
