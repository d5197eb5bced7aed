package logstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// The Usage Analytics tables (Cryptolens' aggregates of the Web API Log,
// see cryptolens.DailyAggregate and the others) are kept under
// <store>/usage/, one Parquet file per table (<table>.parquet) and
// _usage.json recording, per table, the first id of its open part.
//
// They differ from the logs: Cryptolens rewrites some rows. A day's
// aggregates (daily, per country, activity buckets) are refreshed until
// the day is over and aggregated; the key summaries and key devices rows
// are updated in place as keys are used. So a sync
//
//   - of the day-keyed tables keeps every row of a closed day as stored
//     (closed days never change) and fetches again from the first id of
//     the open day, the newest day stored, replacing those rows;
//   - of the key-keyed tables fetches the rows of keys seen since two days
//     before the newest lastSeenUtc stored (Start), replacing them by id,
//     and adds new ones.
//
// Pages are read until one is shorter than asked for (MaxUsageLimit), so
// a re-sync with nothing new costs one request per table.

// UsageTable names a stored Usage Analytics table.
type UsageTable string

// The tables, as their files are named.
const (
	UsageDaily     UsageTable = "usage_daily"
	UsageCountries UsageTable = "usage_countries"
	UsageSummaries UsageTable = "usage_summaries"
	UsageDevices   UsageTable = "usage_devices"
	UsageBuckets   UsageTable = "usage_buckets"
)

// AllUsageTables lists the tables in sync order.
func AllUsageTables() []UsageTable {
	return []UsageTable{UsageDaily, UsageCountries, UsageSummaries, UsageDevices, UsageBuckets}
}

// usageDir is the folder of the Usage Analytics tables.
const usageDir = "usage"

// usageRecord is _usage.json.
type usageRecord struct {
	// OpenFrom is, per day-keyed table, the first id of its open day: rows
	// below it are closed and never fetched again.
	OpenFrom map[UsageTable]int64 `json:"open_from"`
}

// Usage holds the stored Usage Analytics tables, each in id order.
type Usage struct {
	Daily     []cryptolens.DailyAggregate
	Countries []cryptolens.DailyCountryAggregate
	Summaries []cryptolens.KeyUsageSummary
	Devices   []cryptolens.KeyDevice
	Buckets   []cryptolens.LicenseActivityBucket
}

// UsageSyncResult says what a sync of one table did.
type UsageSyncResult struct {
	Table    UsageTable
	Fetched  int   // rows received
	Rows     int   // rows stored after the sync
	Requests int64 // HTTP attempts made
}

// String reads like "usage_daily: 12 rows fetched, 1,480 stored, 1 request".
func (r UsageSyncResult) String() string {
	return fmt.Sprintf("%s: %s fetched, %s stored, %s", r.Table, format.Counted(r.Fetched, "row", "rows"), format.Count(r.Rows),
		format.Counted(r.Requests, "request", "requests"))
}

// UsageSyncOptions say how SyncUsageWith syncs.
type UsageSyncOptions struct {
	// Progress, when set, is called after every page of every table and
	// once when a table is done, with Progress.Log naming the table.
	Progress func(logs.Progress)
	// Tables are the tables to sync; none means all of them.
	Tables []UsageTable
	// Timeout bounds the whole sync of the tables, as SyncOptions.Timeout
	// does the logs'; 0 means no bound beyond ctx.
	Timeout time.Duration
}

// SyncUsage brings the stored Usage Analytics tables up to date with c,
// as SyncUsageWith with no options.
func (s *Store) SyncUsage(ctx context.Context, c *cryptolens.Client) ([]UsageSyncResult, error) {
	return s.SyncUsageWith(ctx, c, UsageSyncOptions{})
}

// SyncUsageWith brings the stored Usage Analytics tables up to date with
// c, under the store's lock and account check: a store that records
// another account is refused (*AccountError) before anything is fetched,
// and a store that records none adopts c's account once a table syncs,
// as a sync of the logs does. A token without the "Usage Analytics"
// permission fails with an error wrapping cryptolens.ErrAccessDenied that
// names it, and changes nothing stored.
func (s *Store) SyncUsageWith(ctx context.Context, c *cryptolens.Client, opt UsageSyncOptions) ([]UsageSyncResult, error) {
	ctx, cancel := boundSync(ctx, opt.Timeout)
	defer cancel()
	res, err := s.syncUsage(ctx, c, opt)
	return res, timeoutError(ctx, err)
}

// syncUsage is SyncUsageWith within its time bound.
func (s *Store) syncUsage(ctx context.Context, c *cryptolens.Client, opt UsageSyncOptions) ([]UsageSyncResult, error) {
	lk, err := lockStore(ctx, s.dir)
	if err != nil {
		return nil, fmt.Errorf("logstore: sync usage: %w", err)
	}
	defer lk.unlock()
	a := accountOf(c)
	bind, err := s.bindingNeeded(a, false)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(s.dir, usageDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("logstore: sync usage: %w", err)
	}
	rec, err := readUsageRecord(dir)
	if err != nil {
		return nil, err
	}
	cc := counting(c, nil)
	var results []UsageSyncResult
	tables := opt.Tables
	if len(tables) == 0 {
		tables = AllUsageTables()
	}
	for _, t := range AllUsageTables() {
		if !slices.Contains(tables, t) {
			continue
		}
		tr := newTracker(Log(t), opt.Progress, cc.n.Load)
		r, err := syncUsageTable(ctx, cc.c, dir, t, rec, tr)
		r.Table, r.Requests = t, cc.n.Load()-tr.req0
		results = append(results, r)
		tr.done()
		if err != nil {
			return results, fmt.Errorf("logstore: sync %s: %w", t, err)
		}
		if err := writeUsageRecord(dir, rec); err != nil {
			return results, err
		}
		if bind {
			if err := s.recordAccount(a); err != nil {
				return results, err
			}
			bind = false
		}
	}
	return results, nil
}

// syncUsageTable syncs one table.
func syncUsageTable(ctx context.Context, c *cryptolens.Client, dir string, t UsageTable, rec *usageRecord, tr *tracker) (UsageSyncResult, error) {
	switch t {
	case UsageDaily:
		return syncByDay(dir, t, rec, tr, func(after int64) ([]cryptolens.DailyAggregate, error) {
			return c.DailyAggregates(ctx, cryptolens.DailyAggregatesQuery{UsageRange: cryptolens.UsageRange{StartingAfter: after}})
		}, func(r *cryptolens.DailyAggregate) int64 { return r.Date })
	case UsageCountries:
		return syncByDay(dir, t, rec, tr, func(after int64) ([]cryptolens.DailyCountryAggregate, error) {
			return c.DailyCountryAggregates(ctx, cryptolens.DailyCountryAggregatesQuery{UsageRange: cryptolens.UsageRange{StartingAfter: after}})
		}, func(r *cryptolens.DailyCountryAggregate) int64 { return r.Date })
	case UsageBuckets:
		return syncByDay(dir, t, rec, tr, func(after int64) ([]cryptolens.LicenseActivityBucket, error) {
			return c.LicenseActivityBuckets(ctx, cryptolens.LicenseActivityBucketsQuery{UsageRange: cryptolens.UsageRange{StartingAfter: after}})
		}, func(r *cryptolens.LicenseActivityBucket) int64 { return dayStart(r.BucketStartUtc) })
	case UsageSummaries:
		return syncByKey(dir, t, tr, func(r *cryptolens.KeyUsageSummary) int64 { return r.LastSeenUtc },
			func(start, after int64) ([]cryptolens.KeyUsageSummary, error) {
				return c.KeyUsageSummaries(ctx, cryptolens.KeyUsageSummariesQuery{UsageRange: usageSince(start, after)})
			})
	default:
		return syncByKey(dir, t, tr, func(r *cryptolens.KeyDevice) int64 { return r.LastSeenUtc },
			func(start, after int64) ([]cryptolens.KeyDevice, error) {
				return c.KeyDevices(ctx, cryptolens.KeyDevicesQuery{UsageRange: usageSince(start, after)})
			})
	}
}

// usageSince is a range from the day of start (0: all) after a cursor.
func usageSince(start, after int64) cryptolens.UsageRange {
	r := cryptolens.UsageRange{StartingAfter: after}
	if start > 0 {
		r.Start = time.Unix(dayStart(start), 0).UTC()
	}
	return r
}

func dayStart(t int64) int64 { return t - ((t%86400)+86400)%86400 }

// idRow is what the usage rows share.
type idRow interface{ RowID() int64 }

// fetchAll reads pages after the cursor until a short page.
func fetchAll[T idRow](fetch func(after int64) ([]T, error), after int64, tr *tracker) ([]T, error) {
	var out []T
	for {
		page, err := fetch(after)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		tr.page(len(page), 0, 0)
		next := after
		for _, r := range page {
			next = max(next, r.RowID())
		}
		if len(page) < cryptolens.MaxUsageLimit || next == after {
			return out, nil
		}
		after = next
	}
}

// syncByDay syncs a day-keyed table: closed days kept, the open day
// fetched again.
func syncByDay[T idRow](dir string, t UsageTable, rec *usageRecord, tr *tracker,
	fetch func(after int64) ([]T, error), day func(*T) int64) (UsageSyncResult, error) {
	stored, err := readUsageTable[T](dir, t)
	if err != nil {
		return UsageSyncResult{}, err
	}
	open := rec.OpenFrom[t]
	cursor := max(open-1, 0)
	fresh, err := fetchAll(fetch, cursor, tr)
	if err != nil {
		return UsageSyncResult{}, err
	}
	kept := slices.DeleteFunc(stored, func(r T) bool { return r.RowID() > cursor })
	rows := mergeByID(kept, fresh)
	var newest int64
	for i := range rows {
		newest = max(newest, day(&rows[i]))
	}
	rec.OpenFrom[t] = 0
	for i := range rows {
		if day(&rows[i]) == newest {
			rec.OpenFrom[t] = rows[i].RowID()
			break
		}
	}
	if err := writeUsageTable(dir, t, rows); err != nil {
		return UsageSyncResult{}, err
	}
	return UsageSyncResult{Fetched: len(fresh), Rows: len(rows)}, nil
}

// syncByKey syncs a key-keyed table: rows seen lately fetched and
// replaced by id.
func syncByKey[T idRow](dir string, t UsageTable, tr *tracker, lastSeen func(*T) int64,
	fetch func(start, after int64) ([]T, error)) (UsageSyncResult, error) {
	stored, err := readUsageTable[T](dir, t)
	if err != nil {
		return UsageSyncResult{}, err
	}
	var start int64
	for i := range stored {
		start = max(start, lastSeen(&stored[i]))
	}
	if start > 0 {
		start = dayStart(start) - 2*86400 // late rows: the aggregates lag
	}
	fresh, err := fetchAll(func(after int64) ([]T, error) { return fetch(start, after) }, 0, tr)
	if err != nil {
		return UsageSyncResult{}, err
	}
	rows := mergeByID(stored, fresh)
	if err := writeUsageTable(dir, t, rows); err != nil {
		return UsageSyncResult{}, err
	}
	return UsageSyncResult{Fetched: len(fresh), Rows: len(rows)}, nil
}

// mergeByID returns old and fresh rows in id order, fresh replacing old
// of the same id.
func mergeByID[T idRow](old, fresh []T) []T {
	byID := make(map[int64]int, len(old))
	out := slices.Clone(old)
	for i, r := range out {
		byID[r.RowID()] = i
	}
	for _, r := range fresh {
		if i, ok := byID[r.RowID()]; ok {
			out[i] = r
			continue
		}
		byID[r.RowID()] = len(out)
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b T) int { return cmp.Compare(a.RowID(), b.RowID()) })
	return out
}

// LoadUsage reads the stored Usage Analytics tables; a table never synced
// is empty. A store opened with OpenFor refuses (*AccountError) when it
// records another account, as the logs' loads do.
func (s *Store) LoadUsage() (*Usage, error) { return s.LoadUsageTables(AllUsageTables()...) }

// LoadUsageTables reads the stored Usage Analytics tables named, as
// LoadUsage; the others are left empty.
func (s *Store) LoadUsageTables(tables ...UsageTable) (*Usage, error) {
	if err := s.checkAccount(s.account); err != nil {
		return nil, err
	}
	dir := filepath.Join(s.dir, usageDir)
	u := &Usage{}
	var err error
	for _, t := range tables {
		switch t {
		case UsageDaily:
			u.Daily, err = readUsageTable[cryptolens.DailyAggregate](dir, t)
		case UsageCountries:
			u.Countries, err = readUsageTable[cryptolens.DailyCountryAggregate](dir, t)
		case UsageSummaries:
			u.Summaries, err = readUsageTable[cryptolens.KeyUsageSummary](dir, t)
		case UsageDevices:
			u.Devices, err = readUsageTable[cryptolens.KeyDevice](dir, t)
		case UsageBuckets:
			u.Buckets, err = readUsageTable[cryptolens.LicenseActivityBucket](dir, t)
		default:
			err = fmt.Errorf("logstore: no usage table %q", t)
		}
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// readUsageTable reads a table's file; a missing file is an empty table.
func readUsageTable[T any](dir string, t UsageTable) ([]T, error) {
	path := filepath.Join(dir, string(t)+".parquet")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("logstore: read %s: %w", t, err)
	}
	rows, err := parquet.Read[T](bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &CorruptError{Path: path, Reason: "not a readable Parquet table", Err: err}
	}
	return rows, nil
}

// writeUsageTable replaces a table's file atomically.
func writeUsageTable[T any](dir string, t UsageTable, rows []T) error {
	_, _, err := writeFileAtomic(dir, string(t)+".parquet", func(w io.Writer) error {
		pw := parquet.NewGenericWriter[T](w, parquet.Compression(&parquet.Snappy),
			parquet.KeyValueMetadata("lenslog.table", string(t)))
		if _, err := pw.Write(rows); err != nil {
			return fmt.Errorf("encode %s: %w", t, err)
		}
		return pw.Close()
	})
	if err != nil {
		return fmt.Errorf("logstore: write %s: %w", t, err)
	}
	return nil
}

func readUsageRecord(dir string) (*usageRecord, error) {
	rec := &usageRecord{OpenFrom: map[UsageTable]int64{}}
	data, err := os.ReadFile(filepath.Join(dir, "_usage.json"))
	if errors.Is(err, os.ErrNotExist) {
		return rec, nil
	}
	if err == nil {
		err = json.Unmarshal(data, rec)
	}
	if err != nil {
		return nil, fmt.Errorf("logstore: read %s: %w", filepath.Join(dir, "_usage.json"), err)
	}
	if rec.OpenFrom == nil {
		rec.OpenFrom = map[UsageTable]int64{}
	}
	return rec, nil
}

func writeUsageRecord(dir string, rec *usageRecord) error {
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	_, _, err = writeFileAtomic(dir, "_usage.json", func(w io.Writer) error { _, err := w.Write(data); return err })
	if err != nil {
		return fmt.Errorf("logstore: write usage record: %w", err)
	}
	return nil
}
