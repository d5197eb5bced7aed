package cryptolens

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"
)

// The pagers below yield a log page by page (so callers can store segments
// and show progress), deduplicated by id: each row is yielded at most once,
// pages are in paging order (newest first backwards, oldest first forwards)
// and so are the rows in them. They cope with servers that repeat rows or
// return them out of order: rows outside the range asked for (already
// yielded, or beyond the cursor) are dropped, and a page holding nothing
// new ends the pager: cleanly if the page was short (the end of the log),
// else with ErrNoProgress, as the server is ignoring the cursor. On an error
// the pager yields (nil, err) once and stops. Breaking out of the loop
// stops it cleanly.

// newestFirst is the order the backward pagers ask for, as Cryptolens'
// own examples do, so that the first page (with no cursor) holds the newest
// rows rather than the oldest.
const newestFirst = "Id descending"

// WebAPILogBackward pages the Web API Log newest first, from q.EndingBefore
// (0: the newest row, asking the server for "Id descending" order), until
// the cut since (zero: the whole history), an empty page, or the start of
// history. Row times are not trusted to fall as ids fall: the pager stops
// only at a page that lies wholly before since (see PageBefore), and does
// not yield that page; every earlier page is yielded whole, so rows older
// than since can come with it (filter by time if you need exactly a
// window). If q.StartingAfter is set, it is a floor: rows with ids up to
// it are dropped and paging stops there (it is not sent). q.OrderBy must be
// empty.
func (c *Client) WebAPILogBackward(ctx context.Context, q WebAPILogQuery, since time.Time) iter.Seq2[[]WebAPILogRow, error] {
	if q.OrderBy != "" {
		return fail[WebAPILogRow](c.orderByErr(methodWebAPILog))
	}
	floor := q.StartingAfter
	q.StartingAfter, q.OrderBy = 0, newestFirst
	return backward(methodWebAPILog, pageSize(q.Limit, MaxWebAPILogLimit), q.EndingBefore, floor, since, func(before int64) ([]WebAPILogRow, error) {
		q.EndingBefore = before
		return c.WebAPILog(ctx, q)
	})
}

// EventsBackward pages the Events Log newest first, as WebAPILogBackward.
func (c *Client) EventsBackward(ctx context.Context, q EventsQuery, since time.Time) iter.Seq2[[]Event, error] {
	floor := q.StartingAfter
	q.StartingAfter, q.orderBy = 0, newestFirst
	return backward(methodEvents, pageSize(q.Limit, MaxEventsLimit), q.EndingBefore, floor, since, func(before int64) ([]Event, error) {
		q.EndingBefore = before
		return c.Events(ctx, q)
	})
}

// WebAPILogForward pages the Web API Log oldest first, from q.StartingAfter
// until an empty page, so a re-sync with nothing new costs one request. If
// q.EndingBefore is set, it is a ceiling: paging stops before that id (it
// is not sent). q.OrderBy must be empty.
func (c *Client) WebAPILogForward(ctx context.Context, q WebAPILogQuery) iter.Seq2[[]WebAPILogRow, error] {
	if q.OrderBy != "" {
		return fail[WebAPILogRow](c.orderByErr(methodWebAPILog))
	}
	ceiling := q.EndingBefore
	q.EndingBefore = 0
	return forward(methodWebAPILog, pageSize(q.Limit, MaxWebAPILogLimit), q.StartingAfter, ceiling, func(after int64) ([]WebAPILogRow, error) {
		q.StartingAfter = after
		return c.WebAPILog(ctx, q)
	})
}

// EventsForward pages the Events Log oldest first, as WebAPILogForward.
func (c *Client) EventsForward(ctx context.Context, q EventsQuery) iter.Seq2[[]Event, error] {
	ceiling := q.EndingBefore
	q.EndingBefore = 0
	return forward(methodEvents, pageSize(q.Limit, MaxEventsLimit), q.StartingAfter, ceiling, func(after int64) ([]Event, error) {
		q.StartingAfter = after
		return c.Events(ctx, q)
	})
}

// ObjectLogForward pages the Object Log oldest first from q.StartingAfter
// until an empty page. It is the only way to read the Object Log's newest
// rows: page forward from the last id you know.
func (c *Client) ObjectLogForward(ctx context.Context, q ObjectLogQuery) iter.Seq2[[]ObjectLogEntry, error] {
	return forward(methodObjectLog, pageSize(q.Limit, MaxObjectLogLimit), q.StartingAfter, 0, func(after int64) ([]ObjectLogEntry, error) {
		q.StartingAfter = after
		return c.ObjectLog(ctx, q)
	})
}

func (c *Client) orderByErr(method string) error {
	return fmt.Errorf("cryptolens: %s: a pager sets the order itself, so OrderBy must be empty: %w", method, ErrBadInput)
}

// idRow is what the forward pager needs of a row: an id to page by. The
// logs' rows and the Usage Analytics rows have one.
type idRow interface{ RowID() int64 }

// fail is a pager that yields one error.
func fail[T any](err error) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) { yield(nil, err) }
}

// pageSize is the number of rows a query's Limit asks for.
func pageSize(limit, max int) int {
	if limit <= 0 || limit > max {
		return max
	}
	return limit
}

// stuck decides what a page with no new rows means: a short page is the
// end of the log (from a server whose pages overlap); a full one means the
// server ignores the cursor, an error.
func stuck(method, dir string, cursor int64, page, limit int) error {
	if page < limit {
		return nil
	}
	return fmt.Errorf("cryptolens: %s: the page %s id %d held only rows already seen or out of range: %w",
		method, dir, cursor, ErrNoProgress)
}

// futureSlack is how far ahead of the local clock a row's time may be and
// still count as a time: clocks differ, but not by a day.
const futureSlack = 24 * time.Hour

// PageBefore is the one rule that ends a backward sync at a time cut: it
// reports whether page lies wholly before since. A row whose time is zero
// or negative, or more than a day ahead of now, has no usable time and
// never decides: it neither ends paging nor keeps it going, and a page of
// only such rows is not before the cut. So one row whose time is out of
// order (skewed back, zero, or in the future) cannot end a sync that is
// still among rows newer than since: it takes a whole page of older rows.
// A zero since is never reached.
func PageBefore[T Row](page []T, since, now time.Time) bool {
	if since.IsZero() {
		return false
	}
	decided := false
	for _, r := range page {
		t := r.RowTime()
		if t.Unix() <= 0 || t.After(now.Add(futureSlack)) {
			continue
		}
		if !t.Before(since) {
			return false
		}
		decided = true
	}
	return decided
}

// backward pages with EndingBefore from before (0: newest), dropping rows
// at or below floor (0: none), until a page lies before since (zero:
// never; see PageBefore). limit is the page size asked for.
func backward[T Row](method string, limit int, before, floor int64, since time.Time, fetch func(before int64) ([]T, error)) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		now := time.Now()
		for cursor := before; ; {
			page, err := fetch(cursor)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(page) == 0 {
				return
			}
			if cursor == 0 && oldestFirst(page) {
				yield(nil, fmt.Errorf("cryptolens: %s: asked for the newest rows, the server sent the oldest first; "+
					"set EndingBefore to page backwards from a known id: %w", method, ErrNoProgress))
				return
			}
			kept, lowest, floored := cutBackward(page, cursor, floor)
			if lowest == 0 {
				if err := stuck(method, "before", cursor, len(page), limit); err != nil {
					yield(nil, err)
				}
				return
			}
			if PageBefore(kept, since, now) {
				return
			}
			if len(kept) > 0 && !yield(kept, nil) {
				return
			}
			if floored || lowest-1 <= floor || lowest <= 1 {
				return
			}
			cursor = lowest
		}
	}
}

// oldestFirst reports whether a page of two or more rows is in strictly
// ascending id order: the server ignored the newest-first order.
func oldestFirst[T Row](page []T) bool {
	for i := 1; i < len(page); i++ {
		if page[i].RowID() <= page[i-1].RowID() {
			return false
		}
	}
	return len(page) > 1
}

// cutBackward sorts a backward page newest first and keeps the new rows
// above the floor. lowest is the smallest new id (0 if none: no progress);
// floored says that the floor was reached.
func cutBackward[T Row](page []T, cursor, floor int64) (kept []T, lowest int64, floored bool) {
	if !slices.IsSortedFunc(page, func(a, b T) int { return cmpID(b, a) }) {
		slices.SortStableFunc(page, func(a, b T) int { return cmpID(b, a) })
	}
	kept = page[:0]
	for _, r := range page {
		id := r.RowID()
		if id <= 0 || (cursor > 0 && id >= cursor) || id == lowest {
			continue // out of range, seen, or repeated within the page
		}
		lowest = id
		if id <= floor {
			floored = true
			continue
		}
		kept = append(kept, r)
	}
	return kept, lowest, floored
}

// forward pages with StartingAfter from after, stopping before ceiling
// (0: none). limit is the page size asked for.
func forward[T idRow](method string, limit int, after, ceiling int64, fetch func(after int64) ([]T, error)) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		for cursor := after; ; {
			page, err := fetch(cursor)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(page) == 0 {
				return
			}
			kept, highest, done := cutForward(page, cursor, ceiling)
			if highest == 0 {
				if err := stuck(method, "after", cursor, len(page), limit); err != nil {
					yield(nil, err)
				}
				return
			}
			if len(kept) > 0 && !yield(kept, nil) {
				return
			}
			if done {
				return
			}
			cursor = highest
		}
	}
}

// cutForward sorts a forward page oldest first and keeps the new rows
// below the ceiling. highest is the largest new id (0 if none).
func cutForward[T idRow](page []T, cursor, ceiling int64) (kept []T, highest int64, done bool) {
	if !slices.IsSortedFunc(page, cmpID[T]) {
		slices.SortStableFunc(page, cmpID[T])
	}
	kept = page[:0]
	for _, r := range page {
		id := r.RowID()
		if id <= 0 || id <= cursor || id == highest {
			continue
		}
		highest = id
		if ceiling > 0 && id >= ceiling {
			done = true
			continue
		}
		kept = append(kept, r)
	}
	return kept, highest, done
}

func cmpID[T idRow](a, b T) int {
	switch x, y := a.RowID(), b.RowID(); {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
