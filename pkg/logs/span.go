package logs

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours, for spans such as Last(30 * Day).
const Day = 24 * time.Hour

// Span is a time window given relative to the account's clock, so that the
// same notebook reads "the last 30 days" of the sample account (whose
// history ends on a fixed day) and of a live account (which ends now).
//
// Spans are written in code (Last, Between, All) or as text (ParseSpan),
// which is how a report's parameters give them:
//
//	last-30d                  the last 30 days up to now (also last-24h, last-2w, last-90m)
//	2026-10                   the calendar month of October 2026, UTC
//	2026-10-04                one calendar day, UTC
//	2026-10-01..2026-10-31    from the first day to the last, both whole days
//	2026-10-01T08:00:00Z..    from an instant (RFC 3339) up to now
//	previous-month            the calendar month before now's; also this-month
//	yesterday                 the calendar day before now's; also today
//	all                       the whole history
type Span struct {
	text     string // how it was written; "" for a span built in code
	last     time.Duration
	from, to time.Time
	cal      calendar
	before   bool // Before's: the period a report compares its own with
}

// calendar names a span of whole calendar units counted back from now.
type calendar int

const (
	noCalendar calendar = iota
	thisMonth
	previousMonth
	today
	yesterday
)

// Last is the span of the last d up to the account's now.
func Last(d time.Duration) Span { return Span{last: d} }

// Between is the fixed span [from, to); a zero to means up to now.
func Between(from, to time.Time) Span { return Span{from: from, to: to} }

// Before is the span of the same length just before w, which a report's
// value boxes compare their figures with. A table loaded for it may hold
// no rows (the period before an account's history): loaders return it
// empty, not as missing data (IsBefore), since what the report's
// parameters named is there.
func Before(w Window) Span {
	return Span{from: w.From.Add(-w.To.Sub(w.From)), to: w.From, before: true}
}

// IsBefore reports whether s was made by Before.
func (s Span) IsBefore() bool { return s.before }

// All is the whole history the source has.
func All() Span { return Span{} }

// Window resolves the span against now. Last(d) covers [now-d, now],
// up to and including now: times are whole seconds, so ending a nanosecond
// after now keeps a row logged at exactly now. Calendar spans (this-month,
// yesterday, ...) are whole UTC months or days counted from now's.
func (s Span) Window(now time.Time) Window {
	if s.last > 0 {
		return Window{From: now.Add(-s.last), To: now.Add(time.Nanosecond)}
	}
	day := now.UTC().Truncate(Day)
	month := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch s.cal {
	case thisMonth:
		return Window{From: month, To: month.AddDate(0, 1, 0)}
	case previousMonth:
		return Window{From: month.AddDate(0, -1, 0), To: month}
	case today:
		return Window{From: day, To: day.Add(Day)}
	case yesterday:
		return Window{From: day.Add(-Day), To: day}
	}
	return Window{From: s.from, To: s.to}
}

// String returns the span as ParseSpan reads it: the text it was parsed
// from, or "last-30d", "2026-10-01T00:00:00Z..2026-11-01T00:00:00Z", "all".
func (s Span) String() string {
	switch {
	case s.text != "":
		return s.text
	case s.last > 0:
		return "last-" + formatLast(s.last)
	case s.from.IsZero() && s.to.IsZero():
		return "all"
	}
	from, to := "", ""
	if !s.from.IsZero() {
		from = s.from.UTC().Format(time.RFC3339)
	}
	if !s.to.IsZero() {
		to = s.to.UTC().Format(time.RFC3339)
	}
	return from + ".." + to
}

// formatLast writes d as days, hours or a Go duration, whichever is exact.
func formatLast(d time.Duration) string {
	switch {
	case d%Day == 0:
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return d.String()
}

// spanForms lists what ParseSpan accepts, for its error messages.
const spanForms = "want last-30d, 2026-10, 2026-10-04, 2026-10-01..2026-10-31, previous-month, this-month, yesterday, today or all"

// ParseSpan reads a span written as text (see Span for the forms). It is
// the one definition of the span syntax: report parameters of type
// lenslog.Span are checked with it before any notebook runs.
func ParseSpan(text string) (Span, error) {
	s := strings.TrimSpace(text)
	span, err := parseSpan(s)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %v", text, err)
	}
	span.text = s
	return span, nil
}

// MustParseSpan is ParseSpan for values known to be good, such as the ones
// the report runner injects (it has checked them): it panics on an error.
func MustParseSpan(text string) Span {
	s, err := ParseSpan(text)
	if err != nil {
		panic("lenslog: " + err.Error())
	}
	return s
}

func parseSpan(s string) (Span, error) {
	switch s {
	case "all":
		return All(), nil
	case "this-month":
		return Span{cal: thisMonth}, nil
	case "previous-month", "last-month":
		return Span{cal: previousMonth}, nil
	case "today":
		return Span{cal: today}, nil
	case "yesterday":
		return Span{cal: yesterday}, nil
	case "":
		return Span{}, fmt.Errorf("empty; %s", spanForms)
	}
	if rest, ok := strings.CutPrefix(s, "last-"); ok {
		d, err := parseLast(rest)
		if err != nil {
			return Span{}, err
		}
		return Last(d), nil
	}
	if a, b, ok := strings.Cut(s, ".."); ok {
		return parseRange(a, b)
	}
	from, to, err := parseCalendar(s)
	if err != nil {
		return Span{}, fmt.Errorf("%v; %s", err, spanForms)
	}
	return Between(from, to), nil
}

// parseLast reads the length of a last-N span: 30d, 2w, 24h or any Go
// duration such as 90m.
func parseLast(s string) (time.Duration, error) {
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d = unitsOf(n, Day)
	} else if n, ok := strings.CutSuffix(s, "w"); ok {
		d = unitsOf(n, 7*Day)
	} else if g, err := time.ParseDuration(s); err == nil {
		d = g
	}
	if d <= 0 {
		return 0, fmt.Errorf("last-%s: want a positive length such as last-30d, last-2w or last-24h", s)
	}
	return d, nil
}

// unitsOf returns n units, or 0 if n is not a positive whole number.
func unitsOf(n string, unit time.Duration) time.Duration {
	k, err := strconv.Atoi(n)
	if err != nil || k <= 0 || k > 100*366 {
		return 0
	}
	return time.Duration(k) * unit
}

// parseRange reads A..B: each side a month, a day (both whole, inclusive)
// or an RFC 3339 instant (from inclusive, to exclusive); an empty side is
// open.
func parseRange(a, b string) (Span, error) {
	var from, to time.Time
	if a != "" {
		f, _, err := parseEdge(a)
		if err != nil {
			return Span{}, err
		}
		from = f
	}
	if b != "" {
		_, t, err := parseEdge(b)
		if err != nil {
			return Span{}, err
		}
		to = t
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return Span{}, fmt.Errorf("%s..%s ends before it starts", a, b)
	}
	return Between(from, to), nil
}

// parseEdge reads one side of a range: the start and end of a month or
// day, or an instant (its own start and end).
func parseEdge(s string) (from, to time.Time, err error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), t.UTC(), nil
	}
	from, to, err = parseCalendar(s)
	if err != nil {
		return from, to, fmt.Errorf("%v; each side of A..B is a month, a day or an RFC 3339 time", err)
	}
	return from, to, nil
}

// parseCalendar reads a month (2026-10) or a day (2026-10-04) and returns
// its start and end, UTC.
func parseCalendar(s string) (from, to time.Time, err error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, t.AddDate(0, 0, 1), nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return t, t.AddDate(0, 1, 0), nil
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%q is not a month (2026-10) or a day (2026-10-04)", s)
}

// Lookback is the span of w and the d before it: the history an analysis
// replays to know what was already in use when w began (a seat taken the
// day before). A window open at its start stays open.
func Lookback(w Window, d time.Duration) Span {
	if w.From.IsZero() {
		return Between(time.Time{}, w.To)
	}
	return Between(w.From.Add(-d), w.To)
}

// WholeDays is the span of the whole UTC days that start in w, to w's
// end: what the daily aggregates count (a day counts when it starts in
// the window), so that the raw log read over it covers the same days.
func WholeDays(w Window) Span {
	from := w.From
	if start := from.Truncate(Day); !from.IsZero() && !start.Equal(from) {
		from = start.Add(Day)
	}
	return Between(from, w.To)
}
