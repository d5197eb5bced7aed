package logs

import (
	"fmt"
	"time"
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

// Overlaps reports whether [first, last] shares any instant with w.
func (w Window) Overlaps(first, last time.Time) bool {
	if !w.From.IsZero() && last.Before(w.From) {
		return false
	}
	return w.To.IsZero() || first.Before(w.To)
}

// String shows the window as "2026-10-26T00:00:00Z .. now".
func (w Window) String() string {
	from, to := "beginning", "now"
	if !w.From.IsZero() {
		from = w.From.UTC().Format(time.RFC3339)
	}
	if !w.To.IsZero() {
		to = w.To.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s .. %s", from, to)
}
