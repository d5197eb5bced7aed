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
	"github.com/lenslog/lenslog/pkg/sample"
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

// usageKind describes one Usage Analytics table to loadUsage: its rows
// R and its table T. The kinds are generated from the description in
// internal/logschema (kinds_gen.go), with the Account methods that load
// them (Account.DailyAggregates, ...).
type usageKind[R, T any] struct {
	table   logstore.UsageTable
	method  string                    // the API method, for messages
	sample  func(*sample.Usage) []R   // the sample account's rows
	pick    func(*logstore.Usage) []R // the store's rows
	in      func(*R, logs.Window) bool
	id      func(*R) int64
	product func(*R) int // nil for a table without one, which Product cannot narrow
	pages   func(context.Context, *cryptolens.Client, cryptolens.UsageRange) iter.Seq2[[]R, error]
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

// loadUsage loads one table for span: rows in the window, below a
// replay's id cap, recorded, narrowed by the filters, redacted.
func loadUsage[R, T any](a *Account, k usageKind[R, T], span Span, filters []Filter) (*T, error) {
	w := span.Window(a.Now())
	f := combine(filters)
	f.previous = span.IsBefore()
	if f.product != 0 && k.product == nil {
		return nil, fmt.Errorf("%s: it has no product, so it cannot be narrowed to %s", k.table, f)
	}
	all, err := fetchUsage(a.ctx, a.src, k, w)
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
	for i := range all { // by pointer: a copy handed to the kind's funcs would escape, one allocation a row
		r := &all[i]
		if !k.in(r, w) || capped && k.id(r) > cut {
			continue
		}
		rows = append(rows, *r)
		ids = append(ids, k.id(r))
		if f.product != 0 {
			products = append(products, k.product(r))
		}
	}
	rd := a.newRead(string(k.table), span, w, ids)
	if f.product != 0 {
		kept := rows[:0:0]
		for i := range rows {
			if k.product(&rows[i]) == f.product {
				kept = append(kept, rows[i])
			}
		}
		rows = kept
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

// fetchUsage reads the rows of one table (at least those of window w)
// from the source: the sample account's figures (derived from its Web
// API Log, once per Account), the store's (synced first, unless a replay
// pinned the ids), or the API's pages for the days of w.
func fetchUsage[R, T any](ctx context.Context, src source, k usageKind[R, T], w logs.Window) ([]R, error) {
	switch s := src.(type) {
	case *sampleSource:
		s.usageOnce.Do(func() { s.usageRows = s.acct.Usage() })
		return k.sample(s.usageRows), nil
	case *storeSource:
		if !s.noSync {
			_, err := s.store.SyncUsageWith(ctx, s.client, logstore.UsageSyncOptions{
				Tables: []logstore.UsageTable{k.table}, Progress: showProgress()})
			if err != nil {
				return nil, err
			}
		}
		u, err := s.store.LoadUsageTables(k.table)
		if err != nil {
			return nil, err
		}
		return k.pick(u), nil
	case *apiSource:
		r := cryptolens.UsageRange{Start: w.From}
		if !w.To.IsZero() {
			r.End = w.To.Add(-time.Nanosecond)
		}
		var rows []R
		err := collectAll(k.pages(ctx, s.client, r), &rows)
		return rows, err
	}
	return nil, fmt.Errorf("no source of the %s: %T", k.table, src)
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
