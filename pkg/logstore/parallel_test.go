package logstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lenslog/lenslog/pkg/sample"
)

// wire records the requests a sync makes and can change them on the way:
// strip the Time filter (a server without it), or fail every request
// after a number of them (a sync killed in the middle).
type wire struct {
	next      http.Handler
	noTime    bool
	failAfter atomic.Int64 // 0: never
	n         atomic.Int64
	mu        sync.Mutex
	timed     int                // requests with a Time filter
	afters    map[string][]int64 // StartingAfter values per method
}

func (w *wire) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	method := strings.ToLower(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:])
	w.mu.Lock()
	for k, v := range form {
		switch strings.ToLower(k) {
		case "time":
			w.timed++
			if w.noTime {
				delete(form, k)
			}
		case "startingafter":
			id, _ := strconv.ParseInt(v[0], 10, 64)
			w.afters[method] = append(w.afters[method], id)
		}
	}
	w.mu.Unlock()
	if n := w.n.Add(1); w.failAfter.Load() > 0 && n > w.failAfter.Load() {
		http.Error(rw, "killed", http.StatusBadRequest)
		return
	}
	body = []byte(form.Encode())
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	w.next.ServeHTTP(rw, r)
}

// serveWire serves the sample server through a wire and returns both.
func serveWire(t *testing.T, srv *sample.Server) (*wire, string) {
	t.Helper()
	w := &wire{next: srv, afters: map[string][]int64{}}
	hs := httptest.NewServer(w)
	t.Cleanup(hs.Close)
	return w, hs.URL
}

// TestParallelSyncEqualsSequential syncs one account sequentially and in
// slices, through a server that answers some requests with 429s, 5xx,
// truncated bodies and Cryptolens' "try again", and with and without the
// Time filter: every way the store holds the same rows, ids and content.
func TestParallelSyncEqualsSequential(t *testing.T) {
	if testing.Short() {
		t.Skip("syncs four times through a faulty server; run without -short")
	}
	acct, srv, _ := startSample(t, 30_000)
	srv.SetFaults(sample.Faults{Rate: 0.1, Seed: 7, Kinds: []sample.Fault{sample.FaultTooManyRequests,
		sample.FaultTruncated, sample.FaultServerError, sample.FaultTransient, sample.FaultNotJSON}})
	cases := []struct {
		name      string
		workers   int
		noTime    bool
		wantTimed bool // the cuts were found with the Time filter
	}{
		{"sequential", 1, false, false},
		{"four workers", 4, false, true},
		{"a server without the Time filter", 4, true, true},
		{"eight workers", 8, false, true},
	}
	want := srv.Classified(acct.WebAPI)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, u := serveWire(t, srv)
			w.noTime = c.noTime
			s := openTest(t)
			res, err := s.Sync(context.Background(), sampleClient(u), SyncOptions{Workers: c.workers})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Log != Objects && r.NewRows != map[Log]int{WebAPI: len(want), Events: len(acct.Events)}[r.Log] {
					t.Errorf("%v", r)
				}
			}
			if (w.timed > 0) != c.wantTimed {
				t.Errorf("%d requests with a Time filter; want some: %v", w.timed, c.wantTimed)
			}
			api, ev, _ := loadAll(t, s)
			sameRows(t, "webapi", api, want)
			sameRows(t, "events", ev, acct.Events)
			if _, err := os.Stat(filepath.Join(s.logDir(WebAPI), slicesDir)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the slices folder is left behind: %v", err)
			}
			for _, l := range []Log{WebAPI, Events} {
				if info, _ := s.Info(l); !info.HistoryStart {
					t.Errorf("%s: the store does not know it holds the whole history", l)
				}
			}
			// Nothing new: one request per log, as after any sync.
			res, err = s.Sync(context.Background(), sampleClient(u), SyncOptions{Workers: c.workers})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.NewRows != 0 {
					t.Errorf("re-sync: %v", r)
				}
			}
		})
	}
}

// TestParallelSyncResumes kills a parallel first sync in the middle (every
// request fails from some point on, as when the process dies: what was
// committed is on disk, the rest is not) and syncs again: the slices that
// were done are not fetched again, and the rows equal the source's. Each
// sync's result counts the rows it stored in slices, though the first
// lists none yet (it said +0 rows before).
func TestParallelSyncResumes(t *testing.T) {
	acct, srv, _ := startSample(t, 20_000)
	w, u := serveWire(t, srv)
	s := openTest(t)
	w.failAfter.Store(30)
	opt := SyncOptions{Workers: 4, Logs: []Log{WebAPI}}
	first, err := s.Sync(context.Background(), sampleClient(u), opt)
	if err == nil {
		t.Fatal("the killed sync did not fail")
	}
	plan, err := readPlan(filepath.Join(s.logDir(WebAPI), slicesDir))
	if err != nil || plan == nil {
		t.Fatalf("no plan left to resume: %v", err)
	}
	if r := first[0]; r.NewRows == 0 || r.NewRows != plan.rows() || r.Pending != plan.rows() || r.Total != 0 ||
		!strings.Contains(r.String(), "rows fetched in slices, listed when every slice is done") {
		t.Errorf("the killed sync says %q (new %d, pending %d); want the %d rows in its slices", r, r.NewRows, r.Pending, plan.rows())
	}
	var done []slice
	partial := 0
	for _, sl := range plan.Slices {
		switch {
		case sl.Done:
			done = append(done, sl)
		case sl.After >= sl.From:
			partial++
		}
	}
	if len(done) == 0 || len(done) == len(plan.Slices) {
		t.Fatalf("%d of %d slices done; want some, not all", len(done), len(plan.Slices))
	}
	t.Logf("killed with %d of %d slices done, %d part done", len(done), len(plan.Slices), partial)

	w.failAfter.Store(0)
	w.mu.Lock()
	w.afters = map[string][]int64{}
	w.mu.Unlock()
	second, err := s.Sync(context.Background(), sampleClient(u), opt)
	if err != nil {
		t.Fatal(err)
	}
	if r := second[0]; r.NewRows+first[0].NewRows != r.Total || r.Pending != 0 {
		t.Errorf("the resumed sync says %q after %q: the two should add up to the total, none pending", r, first[0])
	}
	for _, after := range w.afters["getwebapilog"] {
		for _, sl := range done {
			if after >= sl.From-1 && after < sl.To-1 {
				t.Errorf("fetched after id %d again, in the finished slice %d..%d", after, sl.From, sl.To)
			}
		}
	}
	api, _, _ := loadAll(t, s)
	sameRows(t, "webapi", api, srv.Classified(acct.WebAPI))
}

// TestParallelSyncKilledWhileCommitting leaves a plan some of whose
// segments were moved into the log folder when the sync died (between the
// moves and the manifest): the next sync moves those aside, fetches the
// log again and holds the source's rows. Before the plan was checked, that
// sync failed on the missing file (found by TestSyncSurvivesSIGKILL).
func TestParallelSyncKilledWhileCommitting(t *testing.T) {
	acct, srv, _ := startSample(t, 20_000)
	w, u := serveWire(t, srv)
	s := openTest(t)
	w.failAfter.Store(30)
	opt := SyncOptions{Workers: 4, Logs: []Log{WebAPI}}
	if _, err := s.Sync(context.Background(), sampleClient(u), opt); err == nil {
		t.Fatal("the killed sync did not fail")
	}
	dir := filepath.Join(s.logDir(WebAPI), slicesDir)
	plan, err := readPlan(dir)
	if err != nil || plan == nil {
		t.Fatalf("no plan: %v", err)
	}
	moved := 0
	for _, sl := range plan.Slices {
		for _, seg := range sl.Segments {
			if err := os.Rename(filepath.Join(dir, seg.File), filepath.Join(s.logDir(WebAPI), seg.File)); err != nil {
				t.Fatal(err)
			}
			moved++
		}
		if moved > 0 {
			break
		}
	}
	if moved == 0 {
		t.Fatal("no segment to move")
	}
	w.failAfter.Store(0)
	res, err := s.Sync(context.Background(), sampleClient(u), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0].Recovery.Quarantined) == 0 {
		t.Errorf("the moved segments were not set aside: %v", res[0])
	}
	api, _, _ := loadAll(t, s)
	sameRows(t, "webapi", api, srv.Classified(acct.WebAPI))
}

// TestSyncCountsRepeatedIDs syncs from a server that sends the first row
// of every page twice, one page after another and in slices: the store
// holds each row once, as the source has it, and the result and the
// store's record count the repeats (they were merged silently before).
func TestSyncCountsRepeatedIDs(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			acct, srv, c := startSample(t, 20_000)
			srv.SetLive(sample.Live{RepeatRows: 1})
			s := openTest(t)
			res, err := s.Sync(context.Background(), c, SyncOptions{Workers: workers, Logs: []Log{WebAPI, Events}})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Dropped.Repeated == 0 || !strings.Contains(r.String(), "rows repeated an id of their page, the first kept") {
					t.Errorf("%s: %q does not count the repeated rows", r.Log, r)
				}
				if d, err := s.Dropped(r.Log); err != nil || d.Repeated != r.Dropped.Repeated {
					t.Errorf("%s: recorded %+v, %v; want %d repeated", r.Log, d, err, r.Dropped.Repeated)
				}
			}
			api, ev, _ := loadAll(t, s)
			sameRows(t, "webapi", api, srv.Classified(acct.WebAPI))
			sameRows(t, "events", ev, acct.Events)
		})
	}
}
