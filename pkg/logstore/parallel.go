package logstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// DefaultWorkers is how many slices of a log's history a first sync
// fetches at once unless SyncOptions.Workers says otherwise.
const DefaultWorkers = 4

// slicesPerWorker is how many slices each worker gets on average: more
// slices than workers even out slices of unequal size.
const slicesPerWorker = 4

// sliceFlushRows is the most rows a worker holds before writing them as a
// segment: with several workers, a fifth of a sequential sync's flushRows
// keeps their buffers together near one sync's. The small segments are
// compacted once the slices are committed.
const sliceFlushRows = 10_000

// A parallel first sync cuts a log's history into slices of ids, fetches
// them at the same time and commits them together once all are done:
//
//   - The cuts are found by time: for each instant t_k evenly spread over
//     the history, one request with the Time filter {"gte": t_k} and
//     Limit 1 names the first id at or after it. A server that ignores the
//     filter answers with the oldest row; then the ids are cut evenly
//     instead (or, when only rows since a time are wanted, the sync is
//     sequential). Either way a slice is an id range [From, To) and is
//     fetched forward by id, cutting at To itself, so a row whose time is
//     out of order is fetched once, in the slice its id falls in.
//   - Each worker writes its slice's rows as segments into the log's
//     _slices folder every flushRows rows and records them, with the
//     highest id committed, in _slices/plan.json (replaced atomically). A
//     killed sync resumes every slice where its last segment ended.
//   - Workers share one gate per sync: a 429 or a Retry-After seen by any
//     of them pauses them all.
//   - When every slice is done the segments move into the log folder in
//     id order and one manifest lists them: the log then holds exactly the
//     rows a sequential sync would have fetched, and later syncs go on as
//     usual (forward for new rows).
const slicesDir = "_slices"

// slicePlan is a parallel first sync in progress.
type slicePlan struct {
	Since  int64   `json:"since"` // unix seconds; 0 means the whole history
	Slices []slice `json:"slices"`
}

// slice is one id range of a plan and how far it got.
type slice struct {
	From     int64     `json:"from"`  // the slice's first id
	To       int64     `json:"to"`    // the next slice's first id
	After    int64     `json:"after"` // the highest id committed (From-1 before any)
	Done     bool      `json:"done"`
	Segments []Segment `json:"segments"` // in _slices, in id order
}

// syncSlices fetches a log's history in slices when the log is empty (or a
// plan of an interrupted parallel sync waits) and the source can be
// sliced; otherwise it does nothing and the sequential sync goes on.
func syncSlices[R cryptolens.Row, T any](ctx context.Context, w *logWriter[R, T], src source[R], opt SyncOptions) error {
	workers := or(opt.Workers, DefaultWorkers)
	if workers <= 1 || src.firstAt == nil || src.backward == nil {
		return nil
	}
	dir := filepath.Join(w.dir, slicesDir)
	plan, err := readPlan(dir)
	if err != nil || (plan != nil && (len(w.m.Segments) > 0 || !plan.intact(dir))) {
		// Unreadable, overtaken by a sequential sync, or killed while
		// committing (the segments it had moved were unlisted, so
		// recovery moved them aside): the rows are fetched again.
		os.RemoveAll(dir)
		plan = nil
	}
	if plan == nil {
		if len(w.m.Segments) > 0 {
			return nil
		}
		if plan, err = makePlan(ctx, src, opt.Since, workers); err != nil || plan == nil {
			return err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if err := writePlan(dir, plan); err != nil {
			return err
		}
	}
	f := &fetcher[R, T]{w: w, src: src, dir: dir, plan: plan}
	w.pending = plan.rows()
	if err := f.run(ctx, workers); err != nil {
		return err
	}
	return f.commit()
}

// makePlan cuts the history into slices, or returns nil when it cannot
// (or need not) be sliced: an empty log, one that fits in a few pages, or
// rows since a time on a server without the Time filter.
func makePlan[R cryptolens.Row](ctx context.Context, src source[R], since time.Time, workers int) (*slicePlan, error) {
	var newest []R
	for page, err := range src.backward(ctx, 0, time.Time{}) {
		if err != nil {
			return nil, err
		}
		newest = page
		break
	}
	if len(newest) == 0 {
		return nil, nil
	}
	hi, thi, tpage := newest[0], newest[0].RowTime().Unix(), newest[0].RowTime().Unix()
	for _, r := range newest {
		if r.RowID() > hi.RowID() {
			hi = r
		}
		thi, tpage = max(thi, r.RowTime().Unix()), min(tpage, r.RowTime().Unix())
	}
	first, err := src.firstAt(ctx, since.Unix()*boolInt(!since.IsZero()))
	if err != nil || len(first) == 0 {
		return nil, err
	}
	lo, tlo := first[0].RowID(), first[0].RowTime().Unix()
	if lo <= 0 {
		return nil, nil // a null row (no id): the sequential sync counts and skips it
	}
	if !since.IsZero() && tlo < since.Unix() {
		return nil, nil // the server ignores the Time filter: the sequential sync finds where since is
	}
	// The newest page covers thi-tpage seconds; the history is about
	// (thi-tlo)/(thi-tpage) pages. Fewer than two pages a slice is not
	// worth the probes.
	pages := (thi - tlo) / max(thi-tpage, 1)
	n := min(int64(workers*slicesPerWorker), pages/2)
	if n < 2 || hi.RowID() <= lo {
		return nil, nil
	}
	cuts, err := findCuts(ctx, src, lo, hi.RowID(), tlo, thi, int(n), workers)
	if err != nil {
		return nil, err
	}
	plan := &slicePlan{Since: since.Unix() * boolInt(!since.IsZero())}
	from := lo
	for _, c := range append(cuts, hi.RowID()+1) {
		if c > from {
			plan.Slices = append(plan.Slices, slice{From: from, To: c, After: from - 1})
			from = c
		}
	}
	return plan, nil
}

// findCuts returns the first ids of slices 1..n-1: by time when the server
// filters by time, else evenly between lo and hi. The probes run on
// workers goroutines.
func findCuts[R cryptolens.Row](ctx context.Context, src source[R], lo, hi, tlo, thi int64, n, workers int) ([]int64, error) {
	cuts := make([]int64, n-1)
	errs := make([]error, n-1)
	filtered := make([]bool, n-1)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for k := range cuts {
		t := tlo + (thi-tlo)*int64(k+1)/int64(n)
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			rows, err := src.firstAt(ctx, t)
			switch {
			case err != nil:
				errs[k] = err
			case len(rows) == 0:
				cuts[k], filtered[k] = hi+1, true
			default:
				cuts[k], filtered[k] = rows[0].RowID(), rows[0].RowTime().Unix() >= t
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for k := range cuts {
		if !filtered[k] { // the server ignores the Time filter
			for k := range cuts {
				cuts[k] = lo + (hi-lo)*int64(k+1)/int64(n)
			}
			break
		}
	}
	return cuts, nil
}

// fetcher runs the slices of one plan.
type fetcher[R cryptolens.Row, T any] struct {
	w    *logWriter[R, T]
	src  source[R]
	dir  string
	mu   sync.Mutex // guards plan, the plan file, w.added and w.tr
	plan *slicePlan
	rows int // rows fetched by this run, for MaxRows
}

// run fetches every slice not done, workers at a time. The first error
// stops the others; what each committed stays recorded.
func (f *fetcher[R, T]) run(ctx context.Context, workers int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	todo := make(chan int)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() {
			for s := range todo {
				if err := f.slice(ctx, s); err != nil {
					errs[i] = err
					cancel(err)
					return
				}
			}
		})
	}
	f.w.tr.direction(true, 0, 0, false)
feed:
	for s := range f.plan.Slices {
		if f.plan.Slices[s].Done {
			continue
		}
		select {
		case todo <- s:
		case <-ctx.Done():
			break feed
		}
	}
	close(todo)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return context.Cause(ctx)
}

// slice fetches slice s forward from where it got, committing a segment
// every flushRows rows.
func (f *fetcher[R, T]) slice(ctx context.Context, s int) error {
	f.mu.Lock()
	sl := f.plan.Slices[s]
	f.mu.Unlock()
	after := sl.After
	var buf []R
	for {
		if err := f.src.gate.wait(ctx); err != nil {
			return errors.Join(err, f.save(s, buf, after, false))
		}
		page, err := f.src.page(ctx, after)
		if err != nil {
			return errors.Join(err, f.save(s, buf, after, false))
		}
		done, top := len(page) == 0, after
		var first, at int64
		kept := 0
		for _, r := range page {
			id := r.RowID()
			switch {
			case id >= sl.To:
				done = true
			case id > after:
				buf = append(buf, r)
				kept++
				top = max(top, id)
				if first == 0 {
					first = r.RowTime().Unix()
				}
				at = r.RowTime().Unix()
			}
		}
		if !done && top == after {
			return errors.Join(fmt.Errorf("slice %d..%d: a page after id %d brought no newer row", sl.From, sl.To, after),
				f.save(s, buf, after, false))
		}
		after = top
		if err := f.progress(kept, first, at); err != nil {
			return errors.Join(err, f.save(s, buf, after, false))
		}
		if done || len(buf) >= min(f.w.flushRows, sliceFlushRows) {
			if err := f.save(s, buf, after, done); err != nil {
				return err
			}
			buf = nil
		}
		if done {
			return nil
		}
	}
}

// progress reports a page and checks the bound on the rows of one sync.
func (f *fetcher[R, T]) progress(kept int, first, at int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows += kept
	f.w.tr.page(kept, first, at)
	if f.rows > f.w.maxRows {
		return fmt.Errorf("stopped after %d new rows, the most one sync adds (SyncOptions.MaxRows, -max-rows); "+
			"the rows fetched are kept: sync again to go on: %w", f.rows, ErrTooManyRows)
	}
	return nil
}

// save writes rows (ids up to after) as a segment of slice s and records
// it, with done, in the plan.
func (f *fetcher[R, T]) save(s int, rows []R, after int64, done bool) error {
	var seg Segment
	if len(rows) > 0 {
		var err error
		if seg, err = writeSegment(f.dir, f.w.k, sortRows(rows)); err != nil {
			return err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	sl := &f.plan.Slices[s]
	old := *sl
	if len(rows) > 0 {
		sl.Segments = append(sl.Segments[:len(sl.Segments):len(sl.Segments)], seg)
		sl.After = after
	}
	sl.Done = done
	if err := writePlan(f.dir, f.plan); err != nil {
		*sl = old
		if seg.File != "" {
			os.Remove(filepath.Join(f.dir, seg.File))
		}
		return err
	}
	f.w.added += len(rows) // stored (in _slices) as they land, so a sync stopped before the commit says so
	f.w.pending += len(rows)
	return nil
}

// commit moves every slice's segments into the log folder, lists them in
// the manifest in id order and removes the plan.
func (f *fetcher[R, T]) commit() error {
	w := f.w
	var segs []Segment
	for _, sl := range f.plan.Slices {
		for _, seg := range sl.Segments {
			from, to := filepath.Join(f.dir, seg.File), filepath.Join(w.dir, seg.File)
			if err := os.Rename(from, to); err != nil {
				return fmt.Errorf("move a slice's segment into place: %w", err)
			}
			segs = append(segs, seg)
		}
	}
	w.m.Segments = segs
	if f.plan.Since == 0 {
		w.m.HistoryStart = true
	} else {
		w.m.CompleteBackTo = f.plan.Since
	}
	if err := writeManifest(w.dir, w.m); err != nil {
		return err
	}
	w.pending = 0
	return os.RemoveAll(f.dir)
}

// rows counts the rows of the plan's segments.
func (p *slicePlan) rows() int {
	n := 0
	for _, sl := range p.Slices {
		for _, seg := range sl.Segments {
			n += seg.Rows
		}
	}
	return n
}

// intact reports whether every segment the plan lists is in dir.
func (p *slicePlan) intact(dir string) bool {
	for _, sl := range p.Slices {
		for _, seg := range sl.Segments {
			if !fileExists(filepath.Join(dir, seg.File)) {
				return false
			}
		}
	}
	return true
}

// readPlan reads the plan in dir; nil when there is none.
func readPlan(dir string) (*slicePlan, error) {
	data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p slicePlan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "plan.json"), err)
	}
	return &p, nil
}

// writePlan replaces the plan in dir atomically.
func writePlan(dir string, p *slicePlan) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, _, err = writeFileAtomic(dir, "plan.json", func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	return err
}

// fileExists reports whether path names a file.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// boolInt is 1 for true, 0 for false.
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// or returns v, or def when v is zero.
func or(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// gate pauses the workers of a sync together: a 429 or a Retry-After
// seen by any request closes it for a while. A nil gate never waits.
type gate struct {
	mu    sync.Mutex
	until time.Time
}

// minPause is how long a 429 without Retry-After closes the gate.
const minPause = time.Second

// observe closes the gate after an answer that asks to slow down.
func (g *gate) observe(r cryptolens.Request) {
	if g == nil || (r.Status != 429 && r.RetryAfter <= 0) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.until = later(g.until, time.Now().Add(max(r.RetryAfter, minPause)))
}

// wait returns when the gate is open, or ctx's error.
func (g *gate) wait(ctx context.Context) error {
	for g != nil {
		g.mu.Lock()
		d := time.Until(g.until)
		g.mu.Unlock()
		if d <= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
	return nil
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
