package analysis

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/logs"
)

// DefaultTrialDays is how long a trial runs unless converted: a trial
// license that expires more than this many days after its first
// activation (else its creation) has been converted (its expiry was
// extended).
const DefaultTrialDays = 14

// DefaultStillActiveDays is how long after its creation a converted trial
// must still make requests to count as still active.
const DefaultStillActiveDays = 30

// FunnelStep is one step of the trial funnel.
type FunnelStep struct {
	Step     string
	Licenses int
	OfTrials float64 // Licenses over the trials created
	OfPrev   float64 // Licenses over the step before (1 for the first)
}

// Funnel is the trial licenses created in the period and how far each
// went: created → activated (a successful activation in the Web API Log,
// or a machine activated now) → converted (no longer a trial, by the
// account's history, or its expiry now lies more than TrialDays after the
// trial started, at its first activation: the vendor extended it, the
// usual ways to turn a Cryptolens trial into a paid license) → still
// active (a
// request StillActiveDays or more after its creation; only trials created
// that long before the period's end can reach it, so the last step counts
// over those). As a chart it is one bar per step: the licenses.
type Funnel struct {
	TrialDays, StillActiveDays int
	Period                     logs.Window
	Steps                      []FunnelStep
	Mature                     int // trials created StillActiveDays or more before the period's end
}

// trialFunnel counts the trials of ls created in api's period.
func trialFunnel(ls []license, api *logs.WebAPI, trialDays, stillActiveDays int) (*Funnel, error) {
	api = webAPI(api)
	if trialDays < 0 || stillActiveDays < 0 {
		return nil, fmt.Errorf("trial funnel: trial days %d, still-active days %d; want 0 (the defaults, %d and %d) or more",
			trialDays, stillActiveDays, DefaultTrialDays, DefaultStillActiveDays)
	}
	trialDays = cmpOr(trialDays, DefaultTrialDays)
	stillActiveDays = cmpOr(stillActiveDays, DefaultStillActiveDays)
	now := asOf(api)
	uses := usesByKey(api, now)
	f := &Funnel{TrialDays: trialDays, StillActiveDays: stillActiveDays, Period: api.Period}
	var created, activated, converted, active int
	for _, l := range ls {
		if !(l.Trial || l.WasTrial) || !api.Period.Contains(l.Created) || l.Created.After(now) {
			continue
		}
		created++
		u := uses[l.Key]
		if !(l.Activated > 0 || u != nil && u.Activated) {
			continue
		}
		activated++
		if l.Trial && !l.Expires.IsZero() && !l.Expires.After(trialStart(l, u).Add(nDays(trialDays))) {
			continue
		}
		converted++
		mature := l.Created.Add(nDays(stillActiveDays))
		if mature.After(now) {
			continue
		}
		f.Mature++
		if u != nil && !u.Last.Before(mature) {
			active++
		}
	}
	names := []string{"Trials created", "Activated", "Converted", fmt.Sprintf("Still active after %d days", stillActiveDays)}
	counts := []int{created, activated, converted, active}
	for i, n := range counts {
		s := FunnelStep{Step: names[i], Licenses: n, OfTrials: share(n, created), OfPrev: 1}
		if i > 0 {
			s.OfPrev = share(n, counts[i-1])
		}
		f.Steps = append(f.Steps, s)
	}
	return f, nil
}

// cmpOr returns n, or def when n is 0.
func cmpOr(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// trialStart is when a trial's clock started: its first activation (in
// the license list or the log), else its creation.
func trialStart(l license, u *keyUse) time.Time {
	start := l.FirstUsed
	if u != nil && u.Activated && (start.IsZero() || u.FirstActive.Before(start)) {
		start = u.FirstActive
	}
	if start.IsZero() || start.Before(l.Created) {
		return l.Created
	}
	return start
}

// Len returns the number of steps.
func (f *Funnel) Len() int { return len(f.Steps) }

// Label names step i.
func (f *Funnel) Label(i int) string { return f.Steps[i].Step }

// Value returns the licenses that reached step i.
func (f *Funnel) Value(i int) float64 { return float64(f.Steps[i].Licenses) }

// Step returns the licenses that reached step i (0 created, 1 activated,
// 2 converted, 3 still active).
func (f *Funnel) Step(i int) int { return f.Steps[i].Licenses }

func (f *Funnel) columns() []col {
	return []col{
		strCol("Step", f.Steps, func(s FunnelStep) string { return s.Step }),
		intCol("Licenses", f.Steps, func(s FunnelStep) int { return s.Licenses }),
		floatCol("Share of trials", f.Steps, func(s FunnelStep) float64 { return s.OfTrials }),
		floatCol("Share of the step before", f.Steps, func(s FunnelStep) float64 { return s.OfPrev }),
	}
}

// Frame returns one row per step: Step, Licenses, Share of trials, Share
// of the step before.
func (f *Funnel) Frame() dataframe.DataFrame { return frameOf(f.columns()) }

// WriteCSV writes the funnel as CSV with the same columns as Frame.
func (f *Funnel) WriteCSV(w io.Writer) error { return writeCols(w, f.columns()) }

// Cohort is the licenses created in one month and the share of them that
// made a request in each month after.
type Cohort struct {
	Month    time.Time // the month of creation (its first day, UTC)
	Licenses int
	// Active[k] is the share of the cohort with a request in the k-th
	// month after its creation (0: the month itself); NaN where the
	// period does not hold that whole month, so it cannot be told.
	Active []float64
}

// CohortTable is cohort retention: licenses by month of creation, and the
// share of each cohort still active (a request in the Web API Log) in
// each following month. Only months the period holds whole, from the
// first row of the table on, are judged: before it the log read holds
// nothing to tell activity by. Curve adds the cohorts up into one
// retention curve, for a chart.
type CohortTable struct {
	Period logs.Window
	Rows   []Cohort
	Months int // the longest row of Active
}

// cohorts groups the licenses of ls created in api's period by month.
func cohorts(ls []license, api *logs.WebAPI) *CohortTable {
	api = webAPI(api)
	now := asOf(api)
	uses := usesByKey(api, now)
	from := api.Period.From
	if api.Len() > 0 { // months before the log's first row read cannot be judged
		from = later(from, time.Unix(slices.Min(api.Time), 0).UTC())
	}
	first, last := monthIndex(from), monthIndex(now)
	if !from.Equal(monthOf(first)) {
		first++ // the period starts mid-month: that month is not whole
	}
	if !now.Equal(monthOf(last + 1)) {
		last-- // nor is the month it ends in, unless it ends at its end
	}
	by := map[int][]string{}
	for _, l := range ls {
		if m := monthIndex(l.Created); m >= first && m <= last {
			by[m] = append(by[m], l.Key)
		}
	}
	res := &CohortTable{Period: api.Period}
	for m := first; m <= last; m++ {
		keys := by[m]
		if len(keys) == 0 {
			continue
		}
		c := Cohort{Month: monthOf(m), Licenses: len(keys)}
		for k := m; k <= last; k++ {
			n := 0
			for _, key := range keys {
				if u := uses[key]; u != nil && u.months[k] {
					n++
				}
			}
			c.Active = append(c.Active, share(n, len(keys)))
		}
		res.Months = max(res.Months, len(c.Active))
		res.Rows = append(res.Rows, c)
	}
	return res
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Len returns the number of cohorts.
func (c *CohortTable) Len() int { return len(c.Rows) }

// Retention is the share of licenses active in each month after their
// creation, over every cohort that month can be judged for: the
// retention curve. As a chart it is one bar per month: "+0", "+1", ...
type Retention struct {
	Licenses []int     // Licenses[k]: the licenses of the cohorts judged k months on
	Active   []float64 // Active[k]: the share of them active then
}

// Curve adds the cohorts up month by month after creation, each cohort
// weighted by its licenses.
func (c *CohortTable) Curve() *Retention {
	r := &Retention{Licenses: make([]int, c.Months), Active: make([]float64, c.Months)}
	for _, row := range c.Rows {
		for k, share := range row.Active {
			r.Licenses[k] += row.Licenses
			r.Active[k] += share * float64(row.Licenses)
		}
	}
	for k, n := range r.Licenses {
		if n > 0 {
			r.Active[k] /= float64(n)
		}
	}
	return r
}

// Len returns the number of months.
func (r *Retention) Len() int { return len(r.Active) }

// Label names month k after creation: "+0", "+1", ...
func (r *Retention) Label(k int) string { return fmt.Sprintf("+%d", k) }

// Value returns the share active k months after creation.
func (r *Retention) Value(k int) float64 { return r.Active[k] }

// Percent tells charts that values are shares.
func (r *Retention) Percent() bool { return true }

func (c *CohortTable) columns() []col {
	cols := []col{
		strCol("Cohort", c.Rows, func(x Cohort) string { return x.Month.Format("2006-01") }),
		intCol("Licenses", c.Rows, func(x Cohort) int { return x.Licenses }),
	}
	for k := range c.Months {
		cols = append(cols, floatCol(fmt.Sprintf("Month +%d share", k), c.Rows, func(x Cohort) float64 {
			if k < len(x.Active) {
				return x.Active[k]
			}
			return math.NaN()
		}))
	}
	return cols
}

// Frame returns one row per cohort: Cohort (its month), Licenses, then
// Month +0 share, Month +1 share, ...: the share active in each month after creation,
// NaN where the period cannot tell.
func (c *CohortTable) Frame() dataframe.DataFrame { return frameOf(c.columns()) }

// WriteCSV writes the cohorts as CSV with the same columns as Frame.
func (c *CohortTable) WriteCSV(w io.Writer) error { return writeCols(w, c.columns()) }
