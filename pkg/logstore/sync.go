package logstore

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// SyncOptions says what a sync fetches.
type SyncOptions struct {
	// Logs to sync, in order; nil means all three.
	Logs []Log
	// Since is how far back the Web API and Events logs must be complete:
	// rows older than what the store holds are fetched back to Since. The
	// zero time means the whole history the source keeps. The Object Log
	// has no backward cursor and is always fetched forward from the newest
	// stored entry (on the first sync: everything the source still has).
	Since time.Time
	// Progress, if set, is called after every page and when each log is
	// done. The logs sync at the same time, so the calls interleave the
	// logs (Progress.Log says which); they come one at a time, never
	// concurrently, and all before Sync returns.
	Progress func(logs.Progress)
	// Rebind confirms that the client's token (or API URL) belongs to the
	// account whose logs the store holds, though it differs from the one
	// recorded (a new token for the same account): the sync records it
	// instead of refusing with an *AccountError. It first proves it: a few
	// of the newest stored rows of each log must come back the same
	// through the new token, else the sync fails (ErrNotSameAccount) naming
	// the log, row and field that differ, and writes nothing.
	Rebind bool
	// MaxRows bounds the rows one sync adds to each log; 0 means
	// DefaultMaxRows. A source that keeps sending full pages of new rows
	// beyond it stops the sync with ErrTooManyRows; the rows fetched are
	// kept, so a log that really is larger completes over several syncs.
	MaxRows int
	// Workers is how many slices of a log's history a first sync fetches
	// at once (see parallel.go); 0 means DefaultWorkers, 1 one page after
	// another.
	Workers int
	// Timeout bounds the whole sync (every log, every retry and wait);
	// 0 means no bound beyond ctx. Past it the sync stops with an error
	// wrapping ErrSyncTimeout, keeping what it fetched. Each request has
	// its own deadline besides (cryptolens.Client.HTTPClient).
	Timeout time.Duration
}

// DefaultMaxRows is the rows one sync adds to a log at most unless
// SyncOptions.MaxRows says otherwise: ten times the largest log lenslog is
// measured with, about a gigabyte of segments.
const DefaultMaxRows = 50_000_000

// ErrTooManyRows reports a sync stopped by SyncOptions.MaxRows: the source
// kept sending new rows, more than a sync takes.
var ErrTooManyRows = errors.New("the source kept sending new rows")

// SyncResult tells what a sync did for one log.
type SyncResult struct {
	Log      Log
	NewRows  int // rows added to the store (a parallel first sync's as each slice's segment lands)
	Requests int // HTTP requests made, retries included
	Total    int // rows the store lists after the sync
	Elapsed  time.Duration
	// Pending counts the rows a parallel first sync holds in _slices,
	// listed when every slice is done: more than 0 when it stopped before
	// that (the next sync resumes it).
	Pending int
	// Recovery tells what had to be mended before the sync: a manifest
	// rebuilt, files moved to quarantine.
	Recovery Recovery
	// Dropped counts the rows the source sent that were not kept: null
	// rows, rows repeating an id of their page, and rows repeating a
	// stored id with other content.
	Dropped Dropped
}

// String is the one-line summary the sync command prints, e.g.
// "webapi: +1,200 rows, 1 request, 101,200 total", followed by what had to
// be mended, if anything ("; manifest rebuilt from 4 segment files; moved
// ... to ... (why)").
func (r SyncResult) String() string {
	s := fmt.Sprintf("%s: +%s, %s, %s total", r.Log, format.Counted(r.NewRows, "row", "rows"), format.Counted(r.Requests, "request", "requests"), format.Count(r.Total))
	if r.Pending > 0 {
		s += fmt.Sprintf("; %s fetched in slices, listed when every slice is done (the next sync goes on)", format.Counted(r.Pending, "row", "rows"))
	}
	if rec := r.Recovery.String(); rec != "" {
		s += "; " + rec
	}
	if d := r.Dropped.String(); d != "" {
		s += "; " + d
	}
	return s
}

// source is where a sync fetches one log from. It is built over a
// *cryptolens.Client; tests build it over a fake.
type source[R cryptolens.Row] struct {
	// forward yields pages oldest first, of rows with ids greater than after,
	// until the newest row.
	forward func(ctx context.Context, after int64) iter.Seq2[[]R, error]
	// backward yields pages newest first, of rows with ids less than before
	// (0: from the newest row), stopping at the first page wholly before
	// since (cryptolens.PageBefore).
	// Nil for a log without a backward cursor.
	backward func(ctx context.Context, before int64, since time.Time) iter.Seq2[[]R, error]
	// page returns one page of rows with ids greater than after, oldest
	// first; Repair uses it to re-fetch an id range.
	page func(ctx context.Context, after int64) ([]R, error)
	// requests counts the HTTP requests made for this log, retries
	// included: the logs sync at the same time, so each counts its own.
	requests *atomic.Int64
	// firstAt returns a page whose first row is the oldest at or after
	// unix second t, on a server with the Time filter; a parallel first
	// sync cuts the history with it. Nil for a log without the filter.
	firstAt func(ctx context.Context, t int64) ([]R, error)
	// gate pauses every worker of a parallel sync after a 429.
	gate *gate
	// activity tells when the log's client waits (nil for test fakes).
	activity *activity
}

// sources is what a sync fetches from: the three logs.
type sources struct {
	webAPI  source[cryptolens.WebAPILogRow]
	events  source[cryptolens.Event]
	objects source[cryptolens.ObjectLogEntry]
	account *account // whose logs these are; nil for test fakes that do not say
}

// Sync brings the store up to date with the source c for the logs asked:
// forward from the newest stored row for new rows, backward from the oldest
// until opt.Since (or the start of history), then compacts small segments.
// It holds the store's file lock meanwhile; a second sync of the same store
// waits for it (until ctx is done). Rows are committed every few pages, so
// an interrupted sync keeps what it fetched and the next one resumes.
//
// The logs sync concurrently, each in its own goroutine, so a first sync
// over a slow link takes about as long as its slowest log rather than the
// sum of all three. A log that fails does not stop the others: the error
// joins every failed log's, and the results list each log's counts, in
// the order asked, even when an error stopped it.
//
// Before anything is written, the store's recorded account must be c's
// (else an *AccountError; see SyncOptions.Rebind); a store that records
// none adopts c's once a log syncs. Each log folder is mended first (see
// Recovery). A listed segment that is missing or has the wrong size does
// not stop new rows from being fetched, but the sync then fails with a
// *CorruptError naming it: run Repair.
func (s *Store) Sync(ctx context.Context, c *cryptolens.Client, opt SyncOptions) ([]SyncResult, error) {
	ctx, cancel := boundSync(ctx, opt.Timeout)
	defer cancel()
	res, err := s.sync(ctx, clientSources(c), opt)
	return res, timeoutError(ctx, err)
}

func (s *Store) sync(ctx context.Context, src *sources, opt SyncOptions) ([]SyncResult, error) {
	var ls []Log
	for _, l := range opt.Logs {
		if !slices.Contains(ls, l) { // a log named twice would race with itself
			ls = append(ls, l)
		}
	}
	if len(ls) == 0 {
		ls = AllLogs()
	}
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultMaxRows
	}
	lk, err := lockStore(ctx, s.dir)
	if err != nil {
		return nil, fmt.Errorf("logstore: sync: %w", err)
	}
	defer lk.unlock()
	bind, err := s.bindingNeeded(src.account, opt.Rebind)
	if err != nil {
		return nil, err
	}
	if bind && opt.Rebind {
		if err := s.proveSameAccount(ctx, src); err != nil { // before a row of the new token's is stored
			return nil, err
		}
	}
	q := newQuarantine(s.dir, time.Now())
	results := make([]SyncResult, len(ls))
	errs := make([]error, len(ls))
	var mu sync.Mutex // serialises Progress calls and the records written at the store's root
	if opt.Progress != nil {
		report := opt.Progress
		opt.Progress = func(p logs.Progress) {
			mu.Lock()
			defer mu.Unlock()
			report(p)
		}
	}
	var bindErr error
	var wg sync.WaitGroup
	for i, l := range ls {
		wg.Go(func() {
			results[i], errs[i] = syncOne(ctx, s, src, l, q, opt)
			if errs[i] != nil {
				errs[i] = &LogError{Log: l, Err: errs[i]}
			}
			mu.Lock() // the sync record and the account are files read, changed and written
			defer mu.Unlock()
			if errs[i] == nil {
				if err := s.recordSync(l, time.Now()); err != nil {
					errs[i] = fmt.Errorf("logstore: sync %s: %w", l, err)
				}
			}
			if err := s.recordDropped(l, results[i].Dropped); err != nil && errs[i] == nil {
				errs[i] = fmt.Errorf("logstore: sync %s: %w", l, err)
			}
			if bind && (errs[i] == nil || results[i].NewRows > 0) {
				bindErr, bind = s.recordAccount(src.account), false
			}
		})
	}
	wg.Wait()
	if bindErr != nil {
		return results, bindErr
	}
	return results, errors.Join(errs...)
}

// syncOne syncs log l from its source in src.
func syncOne(ctx context.Context, s *Store, src *sources, l Log, q *quarantine, opt SyncOptions) (SyncResult, error) {
	switch l {
	case WebAPI:
		return syncLog(ctx, s, webAPIKind, src.webAPI, q, opt)
	case Events:
		return syncLog(ctx, s, eventsKind, src.events, q, opt)
	case Objects:
		return syncLog(ctx, s, objectsKind, src.objects, q, opt)
	}
	return SyncResult{Log: l}, fmt.Errorf("unknown log %q", l)
}

// bindingNeeded checks that the store holds a's logs before a sync writes
// anything, and reports whether the sync must record a: the store records
// no account yet (it adopts a), or rebind confirms a replaces the record.
func (s *Store) bindingNeeded(a *account, rebind bool) (bool, error) {
	if a == nil {
		return false, nil
	}
	err := s.checkAccount(a)
	if errors.Is(err, ErrOtherAccount) && rebind {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	rec, err := s.recorded()
	return !rec, err
}

// syncLog syncs one log: mends its folder, fetches forward, then backward
// if needed, then compacts.
func syncLog[R cryptolens.Row, T any](ctx context.Context, s *Store, k kind[R, T], src source[R],
	q *quarantine, opt SyncOptions) (SyncResult, error) {
	start := time.Now()
	requests := src.requests
	req0 := requests.Load()
	w := &logWriter[R, T]{dir: s.logDir(k.log), k: k, flushRows: s.cfg.flushRows, maxRows: opt.MaxRows,
		tr: newTracker(k.log, opt.Progress, requests.Load)}
	res := SyncResult{Log: k.log}
	stopWatch := w.tr.watch(src.activity)
	pages0 := src.activity.dropped()
	m, rec, err := recoverLog(s, k, q)
	res.Recovery, w.m = rec, m
	var damaged []error
	if err == nil {
		err = ensureManifest(w.dir, m)
	}
	if err == nil {
		damaged = damagedSegments(w.dir, m)
		err = syncSlices(ctx, w, src, opt)
	}
	if err == nil {
		err = syncDirections(ctx, w, src, opt.Since)
	}
	if err == nil && len(damaged) == 0 {
		err = compactLog(s, k, w.m, src.activity.busy)
		src.activity.idle()
	}
	if err == nil && len(damaged) > 0 {
		err = fmt.Errorf("%w\nnew rows were fetched; to re-fetch the damaged segments' rows run `go run ./kernel sync -repair` (Store.Repair)",
			errors.Join(damaged...))
	}
	if err == nil {
		res.Dropped, err = w.dropped(src.activity.dropped(), pages0) // with those the pagers dropped before the rows reached w
	}
	stopWatch()
	w.tr.done()
	res.NewRows, res.Pending, res.Requests, res.Elapsed = w.added, w.pending, int(requests.Load()-req0), time.Since(start)
	if w.m != nil {
		res.Total = w.m.rows()
	}
	return res, err
}

func syncDirections[R cryptolens.Row, T any](ctx context.Context, w *logWriter[R, T], src source[R], since time.Time) error {
	_, hi, stored := w.m.idRange()
	if stored || src.backward == nil {
		w.tr.direction(false, w.newestTime(), time.Now().Unix(), true)
		if err := w.pull(w.forward(src.forward(ctx, hi))); err != nil {
			return err
		}
		if src.backward == nil && !w.m.HistoryStart {
			w.m.HistoryStart = true // forward-only: the first full pass holds all the source had
			if err := writeManifest(w.dir, w.m); err != nil {
				return err
			}
		}
	}
	if src.backward == nil || !needBackward(w.m, since) {
		return nil
	}
	lo, _, _ := w.m.idRange()
	from := w.oldestTime()
	w.tr.direction(true, from, since.Unix(), !since.IsZero())
	if err := w.pull(w.backward(src.backward(ctx, lo, since))); err != nil {
		return err
	}
	if since.IsZero() {
		w.m.HistoryStart = true
	} else if w.m.CompleteBackTo == 0 || since.Unix() < w.m.CompleteBackTo {
		w.m.CompleteBackTo = since.Unix()
	}
	return writeManifest(w.dir, w.m)
}

// needBackward reports whether rows older than the store holds are wanted.
func needBackward(m *manifest, since time.Time) bool {
	switch {
	case m.HistoryStart:
		return false
	case since.IsZero(), len(m.Segments) == 0:
		return true
	}
	return since.Before(m.completeFrom())
}

// logWriter commits fetched rows of one log to its folder: it buffers
// pages, writes a segment every flushRows rows and replaces the manifest
// after each segment, so every manifest describes an unbroken id range.
type logWriter[R cryptolens.Row, T any] struct {
	dir       string
	k         kind[R, T]
	m         *manifest
	flushRows int
	maxRows   int // rows this sync may add
	tr        *tracker
	added     int
	pending   int // rows in the _slices of a parallel first sync, not yet listed
	nulls     int // null rows (or rows without an id) the source sent
	repeats   []R // rows the source sent again under stored ids (history.go)
}

func (w *logWriter[R, T]) newestTime() int64 {
	if n := len(w.m.Segments); n > 0 {
		return w.m.Segments[n-1].MaxTime
	}
	return 0
}

// oldestTime is where a backward fetch starts: the oldest stored row, or
// 0 (the first row fetched) for an empty log.
func (w *logWriter[R, T]) oldestTime() int64 {
	if len(w.m.Segments) > 0 {
		return w.m.Segments[0].MinTime
	}
	return 0
}

// batch is the fetch in progress in one direction: it keeps only rows
// beyond the stored range (so a page that overlaps it adds no duplicate) and
// commits them in segments.
type batch[R cryptolens.Row] struct {
	seq      iter.Seq2[[]R, error]
	backward bool
}

func (w *logWriter[R, T]) forward(seq iter.Seq2[[]R, error]) batch[R] {
	return batch[R]{seq: seq}
}

func (w *logWriter[R, T]) backward(seq iter.Seq2[[]R, error]) batch[R] {
	return batch[R]{seq: seq, backward: true}
}

// pull drains b, committing rows as it goes. On an error it commits what
// it has (those rows are valid and contiguous) and returns the error.
func (w *logWriter[R, T]) pull(b batch[R]) error {
	var buf []R
	lo, hi, stored := w.m.idRange()
	for page, err := range b.seq {
		if err != nil {
			return errors.Join(err, w.commit(buf, b.backward))
		}
		kept := 0
		for _, r := range page {
			id := r.RowID()
			if id == 0 {
				w.nulls++ // a null entry: nothing to keep, but said (history.go)
				continue
			}
			if stored && ((b.backward && id >= lo) || (!b.backward && id <= hi)) {
				if len(w.repeats) < maxRepeats {
					w.repeats = append(w.repeats, r) // compared with the stored row after the pull
				}
				continue // already stored: never a duplicate
			}
			buf = append(buf, r)
			kept++
			if !stored {
				lo, hi, stored = id, id, true
			}
			lo, hi = min(lo, id), max(hi, id)
		}
		var first, at int64
		if len(page) > 0 {
			first, at = page[0].RowTime().Unix(), page[len(page)-1].RowTime().Unix()
		}
		w.tr.page(kept, first, at)
		if w.added+len(buf) > w.maxRows {
			return errors.Join(fmt.Errorf("stopped after %d new rows, the most one sync adds (SyncOptions.MaxRows, "+
				"-max-rows); the rows fetched are kept: sync again to go on if the log really is this large: %w",
				w.added+len(buf), ErrTooManyRows), w.commit(buf, b.backward))
		}
		if len(buf) >= w.flushRows {
			if err := w.commit(buf, b.backward); err != nil {
				return err
			}
			buf = nil
		}
	}
	return w.commit(buf, b.backward)
}

// commit writes rows as a segment and lists it in the manifest.
func (w *logWriter[R, T]) commit(rows []R, backward bool) error {
	if len(rows) == 0 {
		return nil
	}
	rows = sortRows(rows)
	seg, err := writeSegment(w.dir, w.k, rows)
	if err != nil {
		return err
	}
	old := w.m.Segments
	if backward {
		w.m.Segments = append([]Segment{seg}, old...)
	} else {
		w.m.Segments = append(old[:len(old):len(old)], seg)
	}
	if err := writeManifest(w.dir, w.m); err != nil {
		w.m.Segments = old
		os.Remove(filepath.Join(w.dir, seg.File))
		return err
	}
	w.added += len(rows)
	return nil
}
