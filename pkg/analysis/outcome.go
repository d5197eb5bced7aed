package analysis

import (
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// OutcomeCounts counts requests by the outcome their state code tells:
// success, failure, or unknown for a third digit other than 1 or 2 (never
// guessed to be either).
type OutcomeCounts struct {
	Success, Failure, Unknown int
}

// add counts one request with outcome o.
func (c *OutcomeCounts) add(o cryptolens.Outcome) {
	switch o {
	case cryptolens.OutcomeSuccess:
		c.Success++
	case cryptolens.OutcomeFailure:
		c.Failure++
	default:
		c.Unknown++
	}
}

// Total returns the number of requests counted.
func (c OutcomeCounts) Total() int { return c.Success + c.Failure + c.Unknown }

// Count returns the number of requests with outcome o.
func (c OutcomeCounts) Count(o cryptolens.Outcome) int {
	switch o {
	case cryptolens.OutcomeSuccess:
		return c.Success
	case cryptolens.OutcomeFailure:
		return c.Failure
	default:
		return c.Unknown
	}
}

// Share returns the share of requests with outcome o, in [0,1]; 0 when
// nothing was counted.
func (c OutcomeCounts) Share(o cryptolens.Outcome) float64 {
	return share(c.Count(o), c.Total())
}

// outcomeOrder is the order outcomes are listed in: unknown last, so its
// index is the same whether or not a result lists it.
var outcomeOrder = []cryptolens.Outcome{cryptolens.OutcomeSuccess, cryptolens.OutcomeFailure, cryptolens.OutcomeUnknown}

// Ratio is the success vs failure ratio of a set of Web API requests: the
// help site's "normalized counts". As a chart it is a bar per outcome whose
// value is the outcome's share; Unknown gets a bar only when some request
// had an unknown outcome.
type Ratio struct {
	OutcomeCounts
}

// SuccessRatio counts api's requests by outcome, reproducing the help
// site's "Successful vs. unsuccessful API requests" chart. Pass a table cut
// to the period of interest, e.g. the last 30 days.
func SuccessRatio(api *logs.WebAPI) *Ratio {
	api = webAPI(api, logs.WebAPIState)
	r := &Ratio{}
	// Count per state code first (a few dozen codes among a million rows),
	// then each code's outcome once.
	var perCode [10000]int
	for _, s := range api.State {
		if s.Valid() {
			perCode[s]++
		} else {
			r.Unknown++
		}
	}
	for code, n := range perCode {
		if n > 0 {
			switch cryptolens.State(code).Outcome() {
			case cryptolens.OutcomeSuccess:
				r.Success += n
			case cryptolens.OutcomeFailure:
				r.Failure += n
			default:
				r.Unknown += n
			}
		}
	}
	return r
}

// Len returns the number of outcomes shown: 2, or 3 when any is unknown.
func (r *Ratio) Len() int {
	if r.Unknown > 0 {
		return 3
	}
	return 2
}

// Label names outcome i: "Success", "Failure" or "Unknown".
func (r *Ratio) Label(i int) string { return outcomeOrder[i].String() }

// Value returns outcome i's share of all requests.
func (r *Ratio) Value(i int) float64 { return r.Share(outcomeOrder[i]) }

// Percent reports that values are shares.
func (r *Ratio) Percent() bool { return true }

type ratioRow struct {
	outcome cryptolens.Outcome
	n       int
	share   float64
}

func (r *Ratio) columns() []col {
	rows := make([]ratioRow, r.Len())
	for i := range rows {
		o := outcomeOrder[i]
		rows[i] = ratioRow{o, r.Count(o), r.Share(o)}
	}
	return []col{
		strCol("Outcome", rows, func(x ratioRow) string { return x.outcome.String() }),
		intCol("Requests", rows, func(x ratioRow) int { return x.n }),
		floatCol("Share", rows, func(x ratioRow) float64 { return x.share }),
	}
}

// Frame returns the ratio as a table: Outcome, Requests, Share.
func (r *Ratio) Frame() dataframe.DataFrame { return frameOf(r.columns()) }

// WriteCSV writes the ratio as CSV with the same columns as Frame.
func (r *Ratio) WriteCSV(w io.Writer) error { return writeCols(w, r.columns()) }

// OutcomeRow is one category of an OutcomeTable: a product, a day or an
// hour.
type OutcomeRow struct {
	Label     string    // the category as shown: "product 7", "2026-10-01"
	ProductID int       // the product, for per-product tables
	Start     time.Time // the bucket's first instant, for per-day and per-hour tables
	OutcomeCounts
}

// OutcomeTable splits requests by outcome per category (product, day or
// hour). As a chart it is a stacked series per outcome; with Normalized
// the values are each row's shares, else request counts.
type OutcomeTable struct {
	By         string // what a row is: "Product", "Method group", "Day" or "Hour"
	Rows       []OutcomeRow
	Normalized bool // Value reports shares of each row's total instead of counts
	// Undated counts requests left out because their time was missing
	// (time-based tables only).
	Undated int
}

// SuccessByProduct is SuccessRatio per product, as shares, ordered by
// product id.
func SuccessByProduct(api *logs.WebAPI) *OutcomeTable {
	api = webAPI(api, logs.WebAPIProductID, logs.WebAPIState)
	by := map[int]*OutcomeCounts{}
	for i, s := range api.State {
		p := api.ProductID[i]
		c := by[p]
		if c == nil {
			c = &OutcomeCounts{}
			by[p] = c
		}
		c.add(s.Outcome())
	}
	t := &OutcomeTable{By: "Product", Normalized: true, Rows: make([]OutcomeRow, 0, len(by))}
	for p, c := range by {
		t.Rows = append(t.Rows, OutcomeRow{Label: productLabel(p), ProductID: p, OutcomeCounts: *c})
	}
	slices.SortFunc(t.Rows, func(a, b OutcomeRow) int { return a.ProductID - b.ProductID })
	return t
}

// SuccessByGroup is SuccessRatio per method group (activation,
// deactivation, data object, ...), as shares, in group code order. It shows
// which kind of request fails, which the overall ratio hides.
func SuccessByGroup(api *logs.WebAPI) *OutcomeTable {
	api = webAPI(api, logs.WebAPIState)
	by := map[cryptolens.Group]*OutcomeCounts{}
	for _, s := range api.State {
		c := by[s.Group()]
		if c == nil {
			c = &OutcomeCounts{}
			by[s.Group()] = c
		}
		c.add(s.Outcome())
	}
	t := &OutcomeTable{By: "Method group", Normalized: true, Rows: make([]OutcomeRow, 0, len(by))}
	groups := slices.Sorted(maps.Keys(by))
	for _, g := range groups {
		t.Rows = append(t.Rows, OutcomeRow{Label: g.String(), OutcomeCounts: *by[g]})
	}
	return t
}

// productLabel names a product in labels.
func productLabel(id int) string { return "product " + strconv.Itoa(id) }

// SuccessByDay is SuccessRatio per UTC day, as shares. Days without
// requests between the first and the last are listed with zero counts.
func SuccessByDay(api *logs.WebAPI) *OutcomeTable {
	return outcomesOverTime(api, daySecs, "Day", true)
}

// RequestsPerDay counts requests per UTC day, split by outcome. Days
// without requests between the first and the last are listed with zeros.
func RequestsPerDay(api *logs.WebAPI) *OutcomeTable {
	return outcomesOverTime(api, daySecs, "Day", false)
}

// RequestsPerHour counts requests per hour (UTC), split by outcome. Hours
// without requests between the first and the last are listed with zeros.
func RequestsPerHour(api *logs.WebAPI) *OutcomeTable {
	return outcomesOverTime(api, hourSecs, "Hour", false)
}

// outcomesOverTime counts outcomes per size-second bucket.
func outcomesOverTime(api *logs.WebAPI, size int64, by string, normalized bool) *OutcomeTable {
	api = webAPI(api, logs.WebAPIState)
	t := &OutcomeTable{By: by, Normalized: normalized}
	b := newBucketer(api.Time, size)
	counts := make([]OutcomeCounts, b.slots())
	for i, sec := range api.Time {
		k, ok := b.slotUnix(sec)
		if !ok {
			t.Undated++
			continue
		}
		counts[k].add(api.State[i].Outcome())
	}
	b.each(func(k int, start time.Time) {
		t.Rows = append(t.Rows, OutcomeRow{Label: bucketLabel(start, size), Start: start, OutcomeCounts: counts[k]})
	})
	return t
}

// Len returns the number of rows.
func (t *OutcomeTable) Len() int { return len(t.Rows) }

// Label names row i.
func (t *OutcomeTable) Label(i int) string { return t.Rows[i].Label }

// Series names the outcomes shown: Success and Failure, and Unknown when
// any row has an unknown outcome.
func (t *OutcomeTable) Series() []string {
	names := []string{"Success", "Failure"}
	for _, r := range t.Rows {
		if r.Unknown > 0 {
			return append(names, "Unknown")
		}
	}
	return names
}

// Value returns outcome s of row i: a share when Normalized, else a count.
func (t *OutcomeTable) Value(i, s int) float64 {
	o := outcomeOrder[s]
	if t.Normalized {
		return t.Rows[i].Share(o)
	}
	return float64(t.Rows[i].Count(o))
}

// Percent reports whether values are shares.
func (t *OutcomeTable) Percent() bool { return t.Normalized }

// Totals returns the total requests per row as a time series (for per-day
// and per-hour tables).
func (t *OutcomeTable) Totals() *TimeSeries {
	ts := &TimeSeries{Name: "Requests"}
	for _, r := range t.Rows {
		ts.Times = append(ts.Times, r.Start)
		ts.Values = append(ts.Values, float64(r.Total()))
	}
	return ts
}

func (t *OutcomeTable) columns() []col {
	by := t.By
	if by == "" {
		by = "Category"
	}
	cols := []col{strCol(by, t.Rows, func(r OutcomeRow) string { return r.Label })}
	if by == "Product" {
		cols = append(cols, intCol("Product ID", t.Rows, func(r OutcomeRow) int { return r.ProductID }))
	}
	cols = append(cols,
		intCol("Requests", t.Rows, func(r OutcomeRow) int { return r.Total() }),
		intCol("Success", t.Rows, func(r OutcomeRow) int { return r.Success }),
		intCol("Failure", t.Rows, func(r OutcomeRow) int { return r.Failure }),
		intCol("Unknown", t.Rows, func(r OutcomeRow) int { return r.Unknown }),
		floatCol("Success share", t.Rows, func(r OutcomeRow) float64 { return r.Share(cryptolens.OutcomeSuccess) }),
		floatCol("Failure share", t.Rows, func(r OutcomeRow) float64 { return r.Share(cryptolens.OutcomeFailure) }),
		floatCol("Unknown share", t.Rows, func(r OutcomeRow) float64 { return r.Share(cryptolens.OutcomeUnknown) }),
	)
	return cols
}

// Frame returns the table with one row per category: its label, request
// count, counts per outcome and shares per outcome.
func (t *OutcomeTable) Frame() dataframe.DataFrame { return frameOf(t.columns()) }

// WriteCSV writes the table as CSV with the same columns as Frame.
func (t *OutcomeTable) WriteCSV(w io.Writer) error { return writeCols(w, t.columns()) }

// TimeSeries is one value per instant, e.g. total requests per day: a line
// or step chart.
type TimeSeries struct {
	Name   string // what the values are, e.g. "Requests"
	Times  []time.Time
	Values []float64
}

// Len returns the number of points.
func (s *TimeSeries) Len() int { return len(s.Times) }

// Time returns instant i.
func (s *TimeSeries) Time(i int) time.Time { return s.Times[i] }

// Value returns value i.
func (s *TimeSeries) Value(i int) float64 { return s.Values[i] }

func (s *TimeSeries) columns() []col {
	name := s.Name
	if name == "" {
		name = "Value"
	}
	idx := make([]int, len(s.Times))
	for i := range idx {
		idx[i] = i
	}
	return []col{
		timeCol("Time", idx, func(i int) time.Time { return s.Times[i] }),
		floatCol(name, idx, func(i int) float64 { return s.Values[i] }),
	}
}

// Frame returns the series as a table: Time and the values under Name.
func (s *TimeSeries) Frame() dataframe.DataFrame { return frameOf(s.columns()) }

// WriteCSV writes the series as CSV with the same columns as Frame.
func (s *TimeSeries) WriteCSV(w io.Writer) error { return writeCols(w, s.columns()) }
