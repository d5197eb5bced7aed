package lenslog

import (
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// Span is a time window given relative to the account's clock, such as
// "the last 30 days", which every load takes: see logs.Span for the forms
// it is written in. The names here are the notebooks' spelling of the
// ones in logs.
type Span = logs.Span

// Day is 24 hours, for spans such as Last(30 * lenslog.Day).
const Day = logs.Day

// Last is the span of the last d up to the account's now.
func Last(d time.Duration) Span { return logs.Last(d) }

// Between is the fixed span [from, to); a zero to means up to now.
func Between(from, to time.Time) Span { return logs.Between(from, to) }

// All is the whole history the source has.
func All() Span { return logs.All() }

// ParseSpan reads a span as a report's parameters give it, e.g.
// "last-30d" or "2026-10" (see logs.Span).
func ParseSpan(text string) (Span, error) { return logs.ParseSpan(text) }

// MustParseSpan is ParseSpan for spans known to be valid, as the
// parameter cells a report injects write them; it panics on an error.
func MustParseSpan(text string) Span { return logs.MustParseSpan(text) }

// Lookback is the span of w and the d before it (see logs.Lookback).
func Lookback(w logs.Window, d time.Duration) Span { return logs.Lookback(w, d) }

// WholeDays is the span of the whole UTC days that start in w, to w's end
// (see logs.WholeDays).
func WholeDays(w logs.Window) Span { return logs.WholeDays(w) }

// Previous is the period of the same length just before w, which a
// report's value boxes compare their figures with.
// Its tables may be empty, never "no data" (logs.Before).
func Previous(w logs.Window) Span { return logs.Before(w) }
