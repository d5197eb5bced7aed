package cryptolens

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

var histEnd = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func TestWebAPILogBackward(t *testing.T) {
	tests := []struct {
		name     string
		rows     int
		limit    int
		since    time.Time
		floor    int64 // q.StartingAfter
		before   int64 // q.EndingBefore
		setup    func(f *fakeLog[WebAPILogRow])
		want     []int64
		requests int
	}{
		{"empty log", 0, 0, time.Time{}, 0, 0, nil, nil, 1},
		{"exact multiple of the page size", 3000, 0, time.Time{}, 0, 0, nil, idRange(3000, 1), 3},
		{"small pages", 20, 7, time.Time{}, 0, 0, nil, idRange(20, 1), 3},
		{"from a cursor", 20, 7, time.Time{}, 0, 11, nil, idRange(10, 1), 2},
		// The page holding the cut is yielded whole; the next, wholly before it, ends paging.
		{"cut-off mid-page", 20, 4, histEnd.Add(-5 * time.Minute), 0, 0, nil, idRange(20, 13), 3},
		{"cut-off on a page boundary", 20, 4, histEnd.Add(-3 * time.Minute), 0, 0, nil, idRange(20, 17), 2},
		{"cut-off before history", 20, 8, histEnd.Add(-time.Hour), 0, 0, nil, idRange(20, 1), 3},
		{"floor", 20, 6, time.Time{}, 8, 0, nil, idRange(20, 9), 2},
		{"floor mid-page", 20, 6, time.Time{}, 10, 0, nil, idRange(20, 11), 2},
		{"overlapping pages", 50, 10, time.Time{}, 0, 0, func(f *fakeLog[WebAPILogRow]) { f.overlap = 4 }, idRange(50, 1), 8},
		{"rows out of order", 50, 10, time.Time{}, 0, 0, func(f *fakeLog[WebAPILogRow]) { f.shuffle = true }, idRange(50, 1), 5},
		{"server caps the page", 20, 0, time.Time{}, 0, 0, func(f *fakeLog[WebAPILogRow]) { f.maxPage = 6 }, idRange(20, 1), 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLog[WebAPILogRow]{t: t, token: "tok", array: "logs", rows: webAPIHistory(tt.rows, histEnd)}
			if tt.setup != nil {
				tt.setup(f)
			}
			c := startFake(t, f, "tok")
			q := WebAPILogQuery{Limit: tt.limit, StartingAfter: tt.floor, EndingBefore: tt.before}
			rows, _ := collect(t, c.WebAPILogBackward(context.Background(), q, tt.since))
			if got := ids(rows); !slices.Equal(got, tt.want) {
				t.Errorf("ids %s, want %s", sprintIDs(got), sprintIDs(tt.want))
			}
			if n := f.requestCount(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if req := f.lastRequest(); req["orderby"] != "Id descending" || req["startingafter"] != "" {
				t.Errorf("last request %v: want OrderBy Id descending and no StartingAfter", req)
			}
		})
	}
}

func TestWebAPILogForward(t *testing.T) {
	tests := []struct {
		name     string
		rows     int
		limit    int
		after    int64
		ceiling  int64
		setup    func(f *fakeLog[WebAPILogRow])
		want     []int64
		requests int
	}{
		{"empty log", 0, 0, 0, 0, nil, nil, 1},
		{"exact multiple of the page size", 2000, 0, 0, 0, nil, idRange(1, 2000), 3},
		{"small pages", 20, 7, 0, 0, nil, idRange(1, 20), 4},
		{"re-sync with nothing new is one request", 20, 0, 20, 0, nil, nil, 1},
		{"re-sync", 20, 0, 15, 0, nil, idRange(16, 20), 2},
		{"ceiling", 20, 5, 0, 13, nil, idRange(1, 12), 3},
		{"overlapping pages", 50, 10, 0, 0, func(f *fakeLog[WebAPILogRow]) { f.overlap = 3 }, idRange(1, 50), 8},
		{"rows out of order", 50, 10, 0, 0, func(f *fakeLog[WebAPILogRow]) { f.shuffle = true }, idRange(1, 50), 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLog[WebAPILogRow]{t: t, token: "tok", array: "logs", rows: webAPIHistory(tt.rows, histEnd)}
			if tt.setup != nil {
				tt.setup(f)
			}
			c := startFake(t, f, "tok")
			rows, _ := collect(t, c.WebAPILogForward(context.Background(), WebAPILogQuery{Limit: tt.limit, StartingAfter: tt.after, EndingBefore: tt.ceiling}))
			if got := ids(rows); !slices.Equal(got, tt.want) {
				t.Errorf("ids %s, want %s", sprintIDs(got), sprintIDs(tt.want))
			}
			if n := f.requestCount(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestPagerNoProgress(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fakeLog[WebAPILogRow])
		pager func(c *Client) func(func([]WebAPILogRow, error) bool)
	}{
		{"backward, cursor ignored", func(f *fakeLog[WebAPILogRow]) { f.ignoreCursor = true },
			func(c *Client) func(func([]WebAPILogRow, error) bool) {
				return c.WebAPILogBackward(context.Background(), WebAPILogQuery{Limit: 5}, time.Time{})
			}},
		{"forward, cursor ignored", func(f *fakeLog[WebAPILogRow]) { f.ignoreCursor = true },
			func(c *Client) func(func([]WebAPILogRow, error) bool) {
				return c.WebAPILogForward(context.Background(), WebAPILogQuery{Limit: 5})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLog[WebAPILogRow]{t: t, token: "tok", array: "logs", rows: webAPIHistory(30, histEnd)}
			tt.setup(f)
			c := startFake(t, f, "tok")
			var pages int
			var err error
			for page, e := range tt.pager(c) {
				if e != nil {
					err = e
					break
				}
				pages += len(page)
			}
			if !errors.Is(err, ErrNoProgress) || pages != 5 || f.requestCount() != 2 {
				t.Errorf("got %v after %d rows, %d requests; want ErrNoProgress after one page", err, pages, f.requestCount())
			}
		})
	}
}

// ascendingOnly serves a log that ignores the newest-first order.
type ascendingOnly struct{ *fakeLog[WebAPILogRow] }

func (a ascendingOnly) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	r.PostForm.Del("OrderBy")
	a.fakeLog.ServeHTTP(w, r)
}

func TestBackwardDetectsOldestFirst(t *testing.T) {
	f := &fakeLog[WebAPILogRow]{t: t, token: "tok", array: "logs", rows: webAPIHistory(30, histEnd)}
	c := startFake(t, ascendingOnly{f}, "tok")
	for page, err := range c.WebAPILogBackward(context.Background(), WebAPILogQuery{Limit: 5}, time.Time{}) {
		if !errors.Is(err, ErrNoProgress) {
			t.Fatalf("got page %v, error %v; want an error about the order", ids(page), err)
		}
	}
}

func TestPagerBreak(t *testing.T) {
	f := &fakeLog[WebAPILogRow]{t: t, token: "tok", array: "logs", rows: webAPIHistory(100, histEnd)}
	c := startFake(t, f, "tok")
	for range c.WebAPILogBackward(context.Background(), WebAPILogQuery{Limit: 10}, time.Time{}) {
		break
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("%d requests after breaking out of the first page", n)
	}
}

// flaky fails every nth request with a 503.
type flaky struct {
	h http.Handler
	n int32
	c atomic.Int32
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.c.Add(1)%f.n == 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	f.h.ServeHTTP(w, r)
}

func TestPagersThroughFaults(t *testing.T) {
	f := &fakeLog[WebAPILogRow]{t: t, token: "tok", array: "logs", rows: webAPIHistory(200, histEnd), overlap: 2}
	c := startFake(t, &flaky{h: f, n: 3}, "tok")
	back, _ := collect(t, c.WebAPILogBackward(context.Background(), WebAPILogQuery{Limit: 9}, time.Time{}))
	fwd, _ := collect(t, c.WebAPILogForward(context.Background(), WebAPILogQuery{Limit: 9}))
	if !slices.Equal(ids(back), idRange(200, 1)) || !slices.Equal(ids(fwd), idRange(1, 200)) {
		t.Errorf("backward %s, forward %s", sprintIDs(ids(back)), sprintIDs(ids(fwd)))
	}
}

func TestPagerError(t *testing.T) {
	sc := &script{steps: []func(http.ResponseWriter){status(200, `{"result":1,"message":"Access denied"}`)}}
	c := startFake(t, sc, "tok")
	n := 0
	for page, err := range c.EventsBackward(context.Background(), EventsQuery{}, time.Time{}) {
		n++
		if page != nil || !errors.Is(err, ErrAccessDenied) {
			t.Errorf("got %v, %v", page, err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want once", n)
	}
}

func TestEventsPagers(t *testing.T) {
	evs := genEvents(rngFor(1), 1, 250)
	f := &fakeLog[Event]{t: t, token: "tok", array: "events", rows: evs}
	c := startFake(t, f, "tok")
	since := time.Unix(evs[200].Time, 0)
	back, pages := collect(t, c.EventsBackward(context.Background(), EventsQuery{}, since))
	if !slices.Equal(ids(back), idRange(250, 151)) || pages != 1 {
		t.Errorf("backward got %s in %d pages", sprintIDs(ids(back)), pages)
	}
	if req := f.lastRequest(); req["limit"] != "100" || req["orderby"] != "Id descending" {
		t.Errorf("request %v", req)
	}
	fwd, pages := collect(t, c.EventsForward(context.Background(), EventsQuery{StartingAfter: 20}))
	if !slices.Equal(ids(fwd), idRange(21, 250)) || pages != 3 {
		t.Errorf("forward got %s in %d pages", sprintIDs(ids(fwd)), pages)
	}
}

func TestObjectLogForward(t *testing.T) {
	objs := genObjects(rngFor(2), 1, 230)
	f := &fakeLog[ObjectLogEntry]{t: t, token: "tok", array: "events", rows: objs, overlap: 1}
	c := startFake(t, f, "tok")
	got, pages := collect(t, c.ObjectLogForward(context.Background(), ObjectLogQuery{}))
	if !slices.Equal(ids(got), idRange(1, 230)) || pages != 3 {
		t.Errorf("got %s in %d pages", sprintIDs(ids(got)), pages)
	}
	if !slices.EqualFunc(got, objs, func(a, b ObjectLogEntry) bool { return a == b }) {
		t.Error("rows differ from the server's")
	}
}

// TestBackwardDoesNotTrustTime checks the stop rule (PageBefore): rows
// whose time is out of order cannot end backward paging while the pages
// still hold rows newer than the cut.
func TestBackwardDoesNotTrustTime(t *testing.T) {
	const n, limit = 60, 10
	since := histEnd.Add(-30 * time.Minute) // ids 30..60 are at or after it
	future := time.Now().Add(10 * 365 * 24 * time.Hour).Unix()
	setTime := func(lo, hi int64, tm func(int64) int64) func([]WebAPILogRow) {
		return func(rows []WebAPILogRow) {
			for i := range rows {
				if id := rows[i].ID; id >= lo && id <= hi {
					rows[i].Time = tm(rows[i].Time)
				}
			}
		}
	}
	tests := []struct {
		name  string
		setup func([]WebAPILogRow)
	}{
		{"in order", func([]WebAPILogRow) {}},
		{"one row with time 0", setTime(50, 50, func(int64) int64 { return 0 })},
		{"one row a year back", setTime(50, 50, func(t int64) int64 { return t - 365*24*3600 })},
		{"one row negative", setTime(45, 45, func(int64) int64 { return -5 })},
		{"one row in the future", setTime(50, 50, func(int64) int64 { return future })},
		{"a whole page with time 0", setTime(41, 50, func(int64) int64 { return 0 })},
		{"a whole page in the future", setTime(41, 50, func(int64) int64 { return future })},
		{"last row of each page skewed back", func(rows []WebAPILogRow) {
			for i := range rows {
				if rows[i].ID%limit == 1 {
					rows[i].Time -= 365 * 24 * 3600
				}
			}
		}},
		{"a future row in the page past the cut", setTime(15, 15, func(int64) int64 { return future })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := webAPIHistory(n, histEnd)
			tt.setup(rows)
			f := &fakeLog[WebAPILogRow]{t: t, token: "tok", array: "logs", rows: rows}
			c := startFake(t, f, "tok")
			got, _ := collect(t, c.WebAPILogBackward(context.Background(), WebAPILogQuery{Limit: limit}, since))
			// Pages 60..51 to 30..21 hold rows at or after the cut; 20..11 lies before it and ends paging.
			if want := idRange(60, 21); !slices.Equal(ids(got), want) {
				t.Errorf("ids %s, want %s", sprintIDs(ids(got)), sprintIDs(want))
			}
			if n := f.requestCount(); n != 5 {
				t.Errorf("%d requests, want 5", n)
			}
		})
	}
}

func TestPageBefore(t *testing.T) {
	now := histEnd
	since := now.Add(-time.Hour)
	row := func(tm time.Time) WebAPILogRow { return WebAPILogRow{ID: 1, Time: tm.Unix()} }
	old, recent := row(since.Add(-time.Minute)), row(since)
	zero, future := WebAPILogRow{ID: 1}, row(now.Add(48*time.Hour))
	tests := []struct {
		name  string
		since time.Time
		page  []WebAPILogRow
		want  bool
	}{
		{"all before", since, []WebAPILogRow{old, old}, true},
		{"one at the cut", since, []WebAPILogRow{old, recent, old}, false},
		{"zero and future rows do not count", since, []WebAPILogRow{zero, old, future}, true},
		{"only zero rows decide nothing", since, []WebAPILogRow{zero, zero}, false},
		{"only future rows decide nothing", since, []WebAPILogRow{future}, false},
		{"a day ahead is still a time", since, []WebAPILogRow{old, row(now.Add(23 * time.Hour))}, false},
		{"no cut", time.Time{}, []WebAPILogRow{old}, false},
		{"empty page", since, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PageBefore(tt.page, tt.since, now); got != tt.want {
				t.Errorf("PageBefore = %v, want %v", got, tt.want)
			}
		})
	}
}
