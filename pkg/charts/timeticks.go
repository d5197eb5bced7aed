package charts

import (
	"math"
	"time"

	"gonum.org/v1/plot"
)

// TimeTicks is a plot.Ticker for time axes whose values are Unix seconds.
// Unlike gonum's plot.TimeTicks it picks a calendar step to suit the span:
// minutes, hours, days, weeks, months or years, so that at most Max major
// ticks fall in range, aligned on whole units in Location (midnight,
// Mondays, the first of the month). Labels fit the step:
//
//	hours:   "Nov 02 00:00", "06:00", "12:00", "18:00", "Nov 03 00:00"
//	days:    "Nov 02", "Nov 09", ... (with the year when the span crosses one)
//	months:  "Nov 2026", "Dec", "Jan 2027", ...
//	years:   "2026", "2027"
//
// Minor ticks mark the next smaller unit where that stays uncluttered.
// The zero value is ready to use (UTC, at most 8 major ticks).
type TimeTicks struct {
	Location *time.Location // time zone of the labels; nil means UTC
	Max      int            // most major ticks wanted; 0 means 8
}

type timeUnit int

const (
	unitMinute timeUnit = iota
	unitHour
	unitDay
	unitWeek
	unitMonth
	unitYear
)

// timeStep is n units; minor is the index of its minor step, or -1.
type timeStep struct {
	unit  timeUnit
	n     int
	minor int
}

// timeSteps are the candidate major steps, finest first. minor refers to
// an index of this table.
var timeSteps = []timeStep{
	{unitMinute, 1, -1}, {unitMinute, 5, 0}, {unitMinute, 10, 1}, {unitMinute, 15, 1}, {unitMinute, 30, 2}, // 0-4
	{unitHour, 1, 3}, {unitHour, 2, 5}, {unitHour, 3, 5}, {unitHour, 6, 5}, {unitHour, 12, 7}, // 5-9
	{unitDay, 1, 8}, {unitDay, 2, 10}, {unitWeek, 1, 10}, {unitWeek, 2, 10}, // 10-13
	{unitMonth, 1, -1}, {unitMonth, 2, 14}, {unitMonth, 3, 14}, {unitMonth, 6, 14}, // 14-17
	{unitYear, 1, 16}, {unitYear, 2, 18}, {unitYear, 5, 18}, {unitYear, 10, 18}, {unitYear, 20, 21}, {unitYear, 50, 21}, {unitYear, 100, 23}, // 18-24
}

// maxMinorTicks caps minor ticks; beyond it they are left out.
const maxMinorTicks = 80

// approx is the step's typical length.
func (s timeStep) approx() time.Duration {
	unit := map[timeUnit]time.Duration{
		unitMinute: time.Minute, unitHour: time.Hour, unitDay: 24 * time.Hour,
		unitWeek: 7 * 24 * time.Hour, unitMonth: 30*24*time.Hour + 10*time.Hour + 30*time.Minute,
		unitYear: 365*24*time.Hour + 6*time.Hour,
	}[s.unit]
	return time.Duration(s.n) * unit
}

// Ticks returns major and minor ticks for the span [min, max] in Unix seconds.
func (t TimeTicks) Ticks(min, max float64) []plot.Tick {
	loc := t.Location
	if loc == nil {
		loc = time.UTC
	}
	if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) || math.IsNaN(min) {
		return []plot.Tick{{Value: min, Label: unixTime(min, loc).Format("Jan 02 2006 15:04")}}
	}
	lo, hi := unixTime(min, loc), unixTime(max, loc)
	step, at := t.pick(lo, hi)
	ticks := labelTimes(step, at, lo.Year() != hi.Year())
	if step.minor >= 0 {
		ticks = append(ticks, minorTicks(timeSteps[step.minor], ticks, lo, hi)...)
	}
	return ticks
}

// pick returns the finest step giving at most Max major ticks in [lo, hi],
// and those instants. If the first step within Max gives no tick at all,
// the step before it is used, so an axis is never left unlabelled.
func (t TimeTicks) pick(lo, hi time.Time) (timeStep, []time.Time) {
	most := t.Max
	if most <= 0 {
		most = 8
	}
	span := hi.Sub(lo).Seconds()
	var prev []time.Time
	prevStep := timeSteps[0]
	for _, s := range timeSteps {
		if span/s.approx().Seconds() > float64(most+1) {
			continue // clearly too many: skip without listing them
		}
		at := instants(s, lo, hi)
		switch {
		case len(at) > most:
			prev, prevStep = at, s
			continue
		case len(at) == 0 && prev != nil:
			return prevStep, prev
		}
		return s, at
	}
	return prevStep, prev
}

func unixTime(sec float64, loc *time.Location) time.Time {
	whole := math.Floor(sec)
	return time.Unix(int64(whole), int64((sec-whole)*1e9)).In(loc)
}

// instants lists the step boundaries within [lo, hi].
func instants(s timeStep, lo, hi time.Time) []time.Time {
	var out []time.Time
	for t := floorTo(s, lo); !t.After(hi) && len(out) < 10000; t = advance(s, t) {
		if !t.Before(lo) {
			out = append(out, t)
		}
	}
	return out
}

// floorTo returns the last step boundary at or before t.
func floorTo(s timeStep, t time.Time) time.Time {
	y, m, d := t.Date()
	loc := t.Location()
	switch s.unit {
	case unitMinute:
		return time.Date(y, m, d, t.Hour(), t.Minute()/s.n*s.n, 0, 0, loc)
	case unitHour:
		return time.Date(y, m, d, t.Hour()/s.n*s.n, 0, 0, 0, loc)
	case unitDay:
		return time.Date(y, m, d-mod(civilDay(t), s.n), 0, 0, 0, 0, loc)
	case unitWeek:
		monday := time.Date(y, m, d-(int(t.Weekday())+6)%7, 0, 0, 0, 0, loc)
		weeks := (civilDay(monday) + 3) / 7 // whole weeks since Monday 1969-12-29
		return monday.AddDate(0, 0, -7*mod(weeks, s.n))
	case unitMonth:
		return time.Date(y, time.Month((int(m)-1)/s.n*s.n+1), 1, 0, 0, 0, 0, loc)
	default:
		return time.Date(y/s.n*s.n, 1, 1, 0, 0, 0, 0, loc)
	}
}

// civilDay numbers t's calendar date in its own zone: days since 1970-01-01.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// mod is the non-negative remainder of a divided by n.
func mod(a int64, n int) int {
	r := int(a % int64(n))
	if r < 0 {
		r += n
	}
	return r
}

// advance returns the next boundary after t, in wall-clock terms so that
// hour ticks stay on the hour across daylight-saving changes.
func advance(s timeStep, t time.Time) time.Time {
	y, m, d := t.Date()
	loc := t.Location()
	var next time.Time
	switch s.unit {
	case unitMinute:
		next = time.Date(y, m, d, t.Hour(), t.Minute()+s.n, 0, 0, loc)
	case unitHour:
		next = time.Date(y, m, d, t.Hour()+s.n, 0, 0, 0, loc)
	case unitDay:
		next = time.Date(y, m, d+s.n, 0, 0, 0, 0, loc)
	case unitWeek:
		next = time.Date(y, m, d+7*s.n, 0, 0, 0, 0, loc)
	case unitMonth:
		next = time.Date(y, m+time.Month(s.n), 1, 0, 0, 0, 0, loc)
	default:
		next = time.Date(y+s.n, 1, 1, 0, 0, 0, 0, loc)
	}
	if !next.After(t) { // a wall-clock gap folded back: move on in real time
		next = t.Add(s.approx())
	}
	return next
}

// labelTimes labels major ticks, adding the date or year where it changes.
func labelTimes(s timeStep, ts []time.Time, spansYears bool) []plot.Tick {
	ticks := make([]plot.Tick, len(ts))
	for i, t := range ts {
		first := i == 0
		var label string
		switch s.unit {
		case unitMinute, unitHour:
			label = t.Format("15:04")
			if first || !sameDay(t, ts[i-1]) {
				label = t.Format("Jan 02 15:04")
			}
		case unitDay, unitWeek:
			label = t.Format("Jan 02")
			if spansYears && (first || t.Year() != ts[i-1].Year()) {
				label = t.Format("Jan 02 2006")
			}
		case unitMonth:
			label = t.Format("Jan")
			if first || t.Year() != ts[i-1].Year() {
				label = t.Format("Jan 2006")
			}
		default:
			label = t.Format("2006")
		}
		ticks[i] = plot.Tick{Value: unixSeconds(t), Label: label}
	}
	return ticks
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// minorTicks returns unlabelled ticks of step s that are not also major
// ticks, or none if there would be more than maxMinorTicks.
func minorTicks(s timeStep, major []plot.Tick, lo, hi time.Time) []plot.Tick {
	ts := instants(s, lo, hi)
	if len(ts) > maxMinorTicks {
		return nil
	}
	isMajor := make(map[float64]bool, len(major))
	for _, m := range major {
		isMajor[m.Value] = true
	}
	var out []plot.Tick
	for _, t := range ts {
		if v := unixSeconds(t); !isMajor[v] {
			out = append(out, plot.Tick{Value: v})
		}
	}
	return out
}
