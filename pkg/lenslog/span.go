package lenslog

import (
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// Day is 24 hours, for spans such as Last(30 * lenslog.Day).
const Day = 24 * time.Hour

// Span is a time window given relative to the account's clock, so that the
// same notebook reads "the last 30 days" of the sample account (whose
// history ends on a fixed day) and of a live account (which ends now).
type Span struct {
	last     time.Duration
	from, to time.Time
}

// Last is the span of the last d up to the account's now.
func Last(d time.Duration) Span { return Span{last: d} }

// Between is the fixed span [from, to); a zero to means up to now.
func Between(from, to time.Time) Span { return Span{from: from, to: to} }

// All is the whole history the source has.
func All() Span { return Span{} }

// Window resolves the span against now. Last(d) covers [now-d, now],
// up to and including now: times are whole seconds, so ending a nanosecond
// after now keeps a row logged at exactly now.
func (s Span) Window(now time.Time) logs.Window {
	if s.last > 0 {
		return logs.Window{From: now.Add(-s.last), To: now.Add(time.Nanosecond)}
	}
	return logs.Window{From: s.from, To: s.to}
}
