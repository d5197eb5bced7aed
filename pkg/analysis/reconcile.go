package analysis

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// ReconcileOptions say what Cryptolens leaves out of its aggregates, so
// that the differences they make are explained rather than flagged.
type ReconcileOptions struct {
	// Excluded are the keys flagged as excluded from usage analytics
	// (test licenses): their rows are in the log, not in the aggregates.
	Excluded []string
	// AsOf is how far the aggregates reach: rows logged after it are not
	// yet counted (the newest day lags). Zero means unknown: then the
	// newest day the aggregates have is taken as lagging, and any shortfall
	// on it is explained as the lag.
	AsOf time.Time
}

// ReconDay compares one product-day of ai/GetDailyAggregates with the
// same figures computed from the raw Web API Log.
type ReconDay struct {
	Day       time.Time // 00:00 UTC
	ProductID int

	Endpoint, EndpointSuccessful, EndpointFailed int64 // as Cryptolens reports them

	Log      int64 // requests in the raw log that day
	TestKeys int64 // of which by excluded keys
	Lagging  int64 // of which after AsOf (and not by excluded keys)
	// Expected is what the endpoint should report: Log less TestKeys and
	// Lagging; ExpectedSuccessful and ExpectedFailed likewise.
	Expected, ExpectedSuccessful, ExpectedFailed int64

	Retention   bool   // the day lies before the local log's first row: the log cannot tell
	Explanation string // what accounts for Endpoint != Log
	Flagged     bool   // a difference the test keys, the lag and retention do not explain
}

// agrees is the Explanation of a product-day whose figures agree.
const agrees = "agrees"

// Reconciliation is the daily figures side by side, oldest day first.
type Reconciliation struct {
	Days []ReconDay
}

// Sum adds up the figures of every product-day (pandas' recon.sum()):
// the Endpoint, Log, TestKeys, Lagging and Expected counts; the rest of
// the result is zero.
func (r *Reconciliation) Sum() ReconDay {
	var s ReconDay
	for _, d := range r.Days {
		s.Endpoint, s.EndpointSuccessful, s.EndpointFailed = s.Endpoint+d.Endpoint, s.EndpointSuccessful+d.EndpointSuccessful, s.EndpointFailed+d.EndpointFailed
		s.Log, s.TestKeys, s.Lagging = s.Log+d.Log, s.TestKeys+d.TestKeys, s.Lagging+d.Lagging
		s.Expected, s.ExpectedSuccessful, s.ExpectedFailed = s.Expected+d.Expected, s.ExpectedSuccessful+d.ExpectedSuccessful, s.ExpectedFailed+d.ExpectedFailed
	}
	return s
}

// Agreeing counts the product-days whose figures agree as they are.
func (r *Reconciliation) Agreeing() int {
	n := 0
	for _, d := range r.Days {
		if d.Explanation == agrees {
			n++
		}
	}
	return n
}

// Flagged returns the product-days whose difference is not explained.
func (r *Reconciliation) Flagged() []ReconDay {
	var out []ReconDay
	for _, d := range r.Days {
		if d.Flagged {
			out = append(out, d)
		}
	}
	return out
}

type reconKey struct {
	day     int64
	product int
}

// Reconcile computes the daily requests, successes and failures per
// product from the raw Web API Log and sets them beside the endpoint's,
// explaining each difference by the excluded test keys, the lagging day,
// or retention (a day before the log's first row), and flagging the
// rest. A product-day in the log but not in the aggregates is compared as
// zeros.
func Reconcile(api *logs.WebAPI, daily *logs.UsageDaily, opt ReconcileOptions) *Reconciliation {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState)
	excluded := map[string]bool{}
	for _, k := range opt.Excluded {
		excluded[k] = true
	}
	asOf := opt.AsOf
	var newest int64
	for _, d := range daily.Rows() {
		newest = max(newest, d.Date)
	}
	by := map[reconKey]*ReconDay{}
	get := func(day int64, product int) *ReconDay {
		k := reconKey{day, product}
		d := by[k]
		if d == nil {
			d = &ReconDay{Day: time.Unix(day, 0).UTC(), ProductID: product}
			by[k] = d
		}
		return d
	}
	for _, a := range daily.Rows() {
		d := get(a.Date, a.ProductID)
		d.Endpoint += a.TotalRequestsLogged
		d.EndpointSuccessful += a.Successful
		d.EndpointFailed += a.Failed
	}
	var first time.Time
	for i := range api.Time {
		t := api.Time.At(i)
		if t.IsZero() {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		day := t.Unix() - ((t.Unix()%86400)+86400)%86400
		d := get(day, api.ProductID[i])
		d.Log++
		switch {
		case excluded[api.Key.At(i)]:
			d.TestKeys++
			continue
		case !asOf.IsZero() && t.After(asOf):
			d.Lagging++
			continue
		}
		d.Expected++
		switch api.State[i].Outcome() {
		case cryptolens.OutcomeSuccess:
			d.ExpectedSuccessful++
		case cryptolens.OutcomeFailure:
			d.ExpectedFailed++
		}
	}
	r := &Reconciliation{}
	for _, d := range by {
		d.Retention = first.IsZero() || d.Day.Before(first)
		explain(d, asOf.IsZero() && d.Day.Unix() == newest)
		r.Days = append(r.Days, *d)
	}
	slices.SortFunc(r.Days, func(a, b ReconDay) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.ProductID, b.ProductID))
	})
	return r
}

// explain sets a day's Explanation and Flagged. newestUnknownLag says the
// day is the newest and AsOf unknown: a shortfall there is the lag.
func explain(d *ReconDay, newestUnknownLag bool) {
	var why []string
	if d.TestKeys > 0 {
		why = append(why, format.Counted(d.TestKeys, "request", "requests")+" by excluded test keys")
	}
	if d.Lagging > 0 {
		why = append(why, format.Counted(d.Lagging, "request", "requests")+" not yet aggregated (lagging day)")
	}
	agree := d.Endpoint == d.Expected && d.EndpointSuccessful == d.ExpectedSuccessful && d.EndpointFailed == d.ExpectedFailed
	switch {
	case agree && len(why) == 0:
		d.Explanation = agrees
	case agree:
		d.Explanation = "agrees once " + strings.Join(why, " and ") + " are left out"
	case d.Retention:
		d.Explanation = "before the local log's first row (retention): the log cannot check it"
	case newestUnknownLag && d.Endpoint < d.Expected:
		d.Explanation = fmt.Sprintf("newest day, %s short: taken as not yet aggregated (lagging day)", format.Counted(d.Expected-d.Endpoint, "request", "requests"))
	default:
		d.Flagged = true
		d.Explanation = fmt.Sprintf("endpoint %s (%s ok, %s failed), log %s (%s ok, %s failed) after leaving out what is explained",
			format.Counted(d.Endpoint, "request", "requests"), format.Count(d.EndpointSuccessful), format.Count(d.EndpointFailed),
			format.Count(d.Expected), format.Count(d.ExpectedSuccessful), format.Count(d.ExpectedFailed))
		if len(why) > 0 {
			d.Explanation += " (" + strings.Join(why, ", ") + ")"
		}
	}
}

func (r *Reconciliation) columns() []col {
	return []col{
		timeCol("day", r.Days, func(d ReconDay) time.Time { return d.Day }),
		intCol("product_id", r.Days, func(d ReconDay) int { return d.ProductID }),
		intCol("endpoint", r.Days, func(d ReconDay) int64 { return d.Endpoint }),
		intCol("log", r.Days, func(d ReconDay) int64 { return d.Log }),
		intCol("test_keys", r.Days, func(d ReconDay) int64 { return d.TestKeys }),
		intCol("lagging", r.Days, func(d ReconDay) int64 { return d.Lagging }),
		intCol("expected", r.Days, func(d ReconDay) int64 { return d.Expected }),
		intCol("endpoint_successful", r.Days, func(d ReconDay) int64 { return d.EndpointSuccessful }),
		intCol("expected_successful", r.Days, func(d ReconDay) int64 { return d.ExpectedSuccessful }),
		intCol("endpoint_failed", r.Days, func(d ReconDay) int64 { return d.EndpointFailed }),
		intCol("expected_failed", r.Days, func(d ReconDay) int64 { return d.ExpectedFailed }),
		boolCol("flagged", r.Days, func(d ReconDay) bool { return d.Flagged }),
		strCol("explanation", r.Days, func(d ReconDay) string { return d.Explanation }),
	}
}

// Frame returns the comparison as a DataFrame, one row per product-day.
func (r *Reconciliation) Frame() dataframe.DataFrame { return frameOf(r.columns()) }

// WriteCSV writes the comparison as CSV, one row per product-day.
func (r *Reconciliation) WriteCSV(w io.Writer) error { return writeCols(w, r.columns()) }
