package lenslog

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// The Usage Analytics tables (Cryptolens' own aggregates of the Web API
// Log, see cryptolens.DailyAggregate and the others) load like the logs:
// for a Span, narrowed by Product, from the sample account, the local
// store (synced first, one request per table when nothing is new) or the
// API directly; recorded in the provenance (the read's Log is the table's
// name, e.g. "usage_daily"); capped by a replay's pins; and redacted, a
// license key or machine code getting the pseudonym it gets in the logs.
// They are returned as columnar tables (logs.UsageDaily and the others,
// generated like the logs' from internal/logschema), in id order; a
// table's Rows gives the client's row structs.
//
// A span selects rows by their own time: the day-keyed tables (daily,
// per country) and the activity buckets by the start of their day or
// bucket, the key summaries and key devices by their first-to-last-seen
// range overlapping the span (as the API's Start and End do).
//
// A token without the "Usage Analytics" permission gets a
// *PermissionError naming it, which Must shows in a notebook as a message.

// PermissionError says that the access token lacks a permission a load
// needs. In a notebook, Must shows it as a message saying which permission
// to add, and the cells that need the data show nothing.
type PermissionError struct {
	Permission string // as Cryptolens names it, e.g. "Usage Analytics"
	What       string // what could not be loaded, e.g. "ai/GetDailyAggregates"
	Err        error  // the API's error (wraps cryptolens.ErrAccessDenied)
}

// Error says what is missing and how to fix it.
func (e *PermissionError) Error() string {
	return fmt.Sprintf("the access token lacks the %q permission, which %s needs (or is locked to another product "+
		"or key): add it to the token (Cryptolens dashboard, Profile, Access tokens), or use a token that has it (%v)",
		e.Permission, e.What, e.Err)
}

// Unwrap returns the API's error.
func (e *PermissionError) Unwrap() error { return e.Err }

// usageKind describes one Usage Analytics table to the loader: its rows
// R and its table T.
type usageKind[R, T any] struct {
	table   logstore.UsageTable
	method  string // the API method, for messages
	pick    func(*logstore.Usage) []R
	in      func(*R, logs.Window) bool
	id      func(*R) int64
	product func(*R) int
	build   func(rows []R) *T
	redact  func(*logs.Redactor, *T) *T // nil: the table holds no identifier
	// setPeriod records the window a table was loaded for.
	setPeriod func(*T, logs.Window)
}

// tableOf builds a table of rows.
func tableOf[T, R any, P interface {
	*T
	Append(...R)
}](rows []R) *T {
	t := P(new(T))
	t.Append(rows...)
	return t
}

// unixTime returns unix second sec as a UTC time.
func unixTime(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

var (
	dailyKind = usageKind[cryptolens.DailyAggregate, logs.UsageDaily]{
		table: logstore.UsageDaily, method: "ai/GetDailyAggregates",
		pick:      func(u *logstore.Usage) []cryptolens.DailyAggregate { return u.Daily },
		in:        func(r *cryptolens.DailyAggregate, w logs.Window) bool { return w.Contains(unixTime(r.Date)) },
		id:        func(r *cryptolens.DailyAggregate) int64 { return r.ID },
		product:   func(r *cryptolens.DailyAggregate) int { return r.ProductID },
		build:     tableOf[logs.UsageDaily, cryptolens.DailyAggregate],
		setPeriod: func(t *logs.UsageDaily, w logs.Window) { t.Period = w },
	}
	countryKind = usageKind[cryptolens.DailyCountryAggregate, logs.UsageCountries]{
		table: logstore.UsageCountries, method: "ai/GetDailyCountryAggregates",
		pick:      func(u *logstore.Usage) []cryptolens.DailyCountryAggregate { return u.Countries },
		in:        func(r *cryptolens.DailyCountryAggregate, w logs.Window) bool { return w.Contains(unixTime(r.Date)) },
		id:        func(r *cryptolens.DailyCountryAggregate) int64 { return r.ID },
		product:   func(r *cryptolens.DailyCountryAggregate) int { return r.ProductID },
		build:     tableOf[logs.UsageCountries, cryptolens.DailyCountryAggregate],
		setPeriod: func(t *logs.UsageCountries, w logs.Window) { t.Period = w },
	}
	summaryKind = usageKind[cryptolens.KeyUsageSummary, logs.UsageSummaries]{
		table: logstore.UsageSummaries, method: "ai/GetKeyUsageSummaries",
		pick: func(u *logstore.Usage) []cryptolens.KeyUsageSummary { return u.Summaries },
		in: func(r *cryptolens.KeyUsageSummary, w logs.Window) bool {
			return w.Overlaps(unixTime(r.FirstSeenUtc), unixTime(r.LastSeenUtc))
		},
		id:        func(r *cryptolens.KeyUsageSummary) int64 { return r.ID },
		product:   func(r *cryptolens.KeyUsageSummary) int { return r.ProductID },
		build:     tableOf[logs.UsageSummaries, cryptolens.KeyUsageSummary],
		setPeriod: func(t *logs.UsageSummaries, w logs.Window) { t.Period = w },
		redact:    (*logs.Redactor).UsageSummaries,
	}
	deviceKind = usageKind[cryptolens.KeyDevice, logs.UsageDevices]{
		table: logstore.UsageDevices, method: "ai/GetKeyDevices",
		pick: func(u *logstore.Usage) []cryptolens.KeyDevice { return u.Devices },
		in: func(r *cryptolens.KeyDevice, w logs.Window) bool {
			return w.Overlaps(unixTime(r.FirstSeenUtc), unixTime(r.LastSeenUtc))
		},
		id:        func(r *cryptolens.KeyDevice) int64 { return r.ID },
		product:   func(r *cryptolens.KeyDevice) int { return r.ProductID },
		build:     tableOf[logs.UsageDevices, cryptolens.KeyDevice],
		setPeriod: func(t *logs.UsageDevices, w logs.Window) { t.Period = w },
		redact:    (*logs.Redactor).UsageDevices,
	}
	bucketKind = usageKind[cryptolens.LicenseActivityBucket, logs.UsageBuckets]{
		table: logstore.UsageBuckets, method: "ai/GetLicenseActivityBuckets",
		pick:      func(u *logstore.Usage) []cryptolens.LicenseActivityBucket { return u.Buckets },
		in:        func(r *cryptolens.LicenseActivityBucket, w logs.Window) bool { return w.Contains(r.BucketStart()) },
		id:        func(r *cryptolens.LicenseActivityBucket) int64 { return r.ID },
		product:   func(r *cryptolens.LicenseActivityBucket) int { return r.ProductID },
		build:     tableOf[logs.UsageBuckets, cryptolens.LicenseActivityBucket],
		setPeriod: func(t *logs.UsageBuckets, w logs.Window) { t.Period = w },
		redact:    (*logs.Redactor).UsageBuckets,
	}
)

// DailyAggregates returns ai/GetDailyAggregates for the days that start in
// span: per product and day, the requests, successes, failures and the
// active devices, keys and customers.
func (a *Account) DailyAggregates(span Span, filters ...Filter) (*logs.UsageDaily, error) {
	return loadUsage(a, dailyKind, span, filters)
}

// DailyCountryAggregates returns ai/GetDailyCountryAggregates for the days
// that start in span: per product, day and country, the requests,
// successes and failures.
func (a *Account) DailyCountryAggregates(span Span, filters ...Filter) (*logs.UsageCountries, error) {
	return loadUsage(a, countryKind, span, filters)
}

// KeyUsageSummaries returns ai/GetKeyUsageSummaries for the keys used in
// span (their first-to-last-seen range overlaps it): each key's lifetime
// totals and when it was first and last seen.
func (a *Account) KeyUsageSummaries(span Span, filters ...Filter) (*logs.UsageSummaries, error) {
	return loadUsage(a, summaryKind, span, filters)
}

// KeyDevices returns ai/GetKeyDevices for the devices used in span: each
// machine code seen with each key, when, and how many requests it made.
func (a *Account) KeyDevices(span Span, filters ...Filter) (*logs.UsageDevices, error) {
	return loadUsage(a, deviceKind, span, filters)
}

// LicenseActivityBuckets returns ai/GetLicenseActivityBuckets for the
// 30-minute buckets that start in span: per key, device and bucket, the
// seat refreshes, deactivations and the gap since the device's previous
// check-in.
func (a *Account) LicenseActivityBuckets(span Span, filters ...Filter) (*logs.UsageBuckets, error) {
	return loadUsage(a, bucketKind, span, filters)
}

// loadUsage loads one table for span: rows in the window, below a
// replay's id cap, recorded, narrowed by the filters, redacted.
func loadUsage[R, T any](a *Account, k usageKind[R, T], span Span, filters []Filter) (*T, error) {
	w := span.Window(a.Now())
	u, err := a.src.usage(a.ctx, k.table, w)
	if err != nil {
		if errors.Is(err, cryptolens.ErrAccessDenied) {
			return nil, &PermissionError{Permission: cryptolens.UsagePermission, What: k.method, Err: err}
		}
		return nil, fmt.Errorf("%s: %w", k.table, err)
	}
	cut, capped := a.pins.MaxIDs[string(k.table)]
	var rows []R // always a new slice: the source's rows may be shared
	var ids []int64
	var products []int
	for _, r := range k.pick(u) {
		if !k.in(&r, w) || capped && k.id(&r) > cut {
			continue
		}
		rows = append(rows, r)
		ids = append(ids, k.id(&r))
		products = append(products, k.product(&r))
	}
	rd := a.newRead(string(k.table), span, w, ids)
	f := combine(filters)
	if f.product != 0 {
		all := rows
		rows = nil
		for _, r := range all {
			if k.product(&r) == f.product {
				rows = append(rows, r)
			}
		}
	} else {
		products = nil
	}
	if err := a.finish(&rd, f, len(rows), products, "Usage Analytics table "+k.method); err != nil {
		return nil, err
	}
	t := k.build(rows)
	if a.redactor != nil && k.redact != nil {
		t = k.redact(a.redactor, t)
	}
	k.setPeriod(t, w)
	return t, nil
}

// usage loads one table from the sample account: its figures derived
// from its Web API Log, once per Account.
func (s *sampleSource) usage(_ context.Context, t logstore.UsageTable, _ logs.Window) (*logstore.Usage, error) {
	s.usageOnce.Do(func() { s.usageRows = s.acct.Usage() })
	u := s.usageRows
	return &logstore.Usage{Daily: u.Daily, Countries: u.Countries, Summaries: u.Summaries,
		Devices: u.Devices, Buckets: u.Buckets}, nil
}

// usage syncs one table into the store (unless a replay pinned the ids),
// then loads it from disk.
func (s *storeSource) usage(ctx context.Context, t logstore.UsageTable, _ logs.Window) (*logstore.Usage, error) {
	if !s.noSync {
		_, err := s.store.SyncUsageWith(ctx, s.client, logstore.UsageSyncOptions{
			Tables: []logstore.UsageTable{t}, Progress: showProgress()})
		if err != nil {
			return nil, err
		}
	}
	return s.store.LoadUsageTables(t)
}

// usage reads one table from the API, asking for the days of w.
func (s *apiSource) usage(ctx context.Context, t logstore.UsageTable, w logs.Window) (*logstore.Usage, error) {
	r := cryptolens.UsageRange{Start: w.From}
	if !w.To.IsZero() {
		r.End = w.To.Add(-time.Nanosecond)
	}
	u := &logstore.Usage{}
	var err error
	switch t {
	case logstore.UsageDaily:
		err = collectAll(s.client.DailyAggregatesForward(ctx, cryptolens.DailyAggregatesQuery{UsageRange: r}), &u.Daily)
	case logstore.UsageCountries:
		err = collectAll(s.client.DailyCountryAggregatesForward(ctx, cryptolens.DailyCountryAggregatesQuery{UsageRange: r}), &u.Countries)
	case logstore.UsageSummaries:
		err = collectAll(s.client.KeyUsageSummariesForward(ctx, cryptolens.KeyUsageSummariesQuery{UsageRange: r}), &u.Summaries)
	case logstore.UsageDevices:
		err = collectAll(s.client.KeyDevicesForward(ctx, cryptolens.KeyDevicesQuery{UsageRange: r}), &u.Devices)
	case logstore.UsageBuckets:
		err = collectAll(s.client.LicenseActivityBucketsForward(ctx, cryptolens.LicenseActivityBucketsQuery{UsageRange: r}), &u.Buckets)
	default:
		err = fmt.Errorf("no usage table %q", t)
	}
	return u, err
}

// collectAll drains a pager into rows.
func collectAll[R any](pages iter.Seq2[[]R, error], rows *[]R) error {
	for page, err := range pages {
		if err != nil {
			return err
		}
		*rows = append(*rows, page...)
	}
	return nil
}

// ReconcileOptions returns what analysis.Reconcile needs to explain the
// differences between the daily aggregates and api, the raw Web API Log
// over the same days and product, and says in words where it came from.
// The sample account knows its test keys and how far its aggregates
// reach. For a live account neither is published, so both are inferred
// from summaries, the key usage summaries (loaded over a span reaching
// the account's now, e.g. All()): the aggregates reach the newest
// last-seen time among them (every request with a key counts in its
// key's summary), and a key with requests in api up to then but no
// summary of its own is one excluded from usage analytics (a test
// license).
func (a *Account) ReconcileOptions(api *logs.WebAPI, summaries *logs.UsageSummaries) (analysis.ReconcileOptions, string) {
	if s, ok := a.src.(*sampleSource); ok {
		s.usageOnce.Do(func() { s.usageRows = s.acct.Usage() })
		opt := analysis.ReconcileOptions{AsOf: s.usageRows.AsOf}
		for _, k := range s.usageRows.Excluded {
			opt.Excluded = append(opt.Excluded, a.Key(k))
		}
		return opt, fmt.Sprintf("the sample account's own settings: %d keys flagged as excluded from usage analytics, "+
			"aggregates computed up to %s", len(opt.Excluded), opt.AsOf.Format("2006-01-02 15:04 UTC"))
	}
	summarised := map[string]bool{}
	var newest int64
	for _, r := range summaries.Rows() {
		summarised[r.Key] = true
		newest = max(newest, r.LastSeenUtc)
	}
	opt := analysis.ReconcileOptions{AsOf: unixTime(newest)}
	if newest == 0 {
		opt.AsOf = time.Time{} // no summaries: unknown, Reconcile takes the newest day as lagging
	}
	seen := map[string]bool{}
	for i := range api.Len() {
		k := api.Key.At(i)
		if k == "" || summarised[k] || seen[k] || api.Time[i] > newest {
			continue
		}
		seen[k] = true
		opt.Excluded = append(opt.Excluded, k)
	}
	slices.Sort(opt.Excluded)
	return opt, fmt.Sprintf("inferred from the key usage summaries: aggregates computed up to their newest last-seen time, %s; "+
		"%d keys with requests in the log before then but no summary taken as excluded from usage analytics (test licenses)",
		opt.AsOf.Format("2006-01-02 15:04 UTC"), len(opt.Excluded))
}

// FloatingPeriods returns, per license key in api, its floating period
// (how long a seat lives without a refresh), read from the log's seat
// rows (states 2014 and 2015: floatingExpires minus the row's time; the
// longest seen). Keys without such rows are not in the map. It is what
// analysis.OfflineDevices compares the activity buckets' gaps with.
func FloatingPeriods(api *logs.WebAPI) map[string]time.Duration {
	out := map[string]time.Duration{}
	for i, s := range api.State {
		if s != 2014 && s != 2015 {
			continue
		}
		if exp := api.FloatingExpires[i]; exp > api.Time[i] {
			k := api.Key.At(i)
			out[k] = max(out[k], time.Duration(exp-api.Time[i])*time.Second)
		}
	}
	return out
}
