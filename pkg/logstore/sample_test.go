package logstore

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// sampleEnd fixes the sample account's "now", so tests are repeatable.
var sampleEnd = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// startSample serves a generated sample account over HTTP and returns a
// client for it.
func startSample(t testing.TB, rows int) (*sample.Account, *sample.Server, *cryptolens.Client) {
	t.Helper()
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: rows})
	srv := sample.NewServer(acct, "test-token")
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return acct, srv, sampleClient(hs.URL)
}

func sampleClient(url string) *cryptolens.Client {
	c := cryptolens.New("test-token")
	c.BaseURL = url + "/api/"
	c.Retry = cryptolens.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}
	return c
}

func TestSyncFromSampleServer(t *testing.T) {
	acct, srv, c := startSample(t, 8000)
	s := openTest(t)
	res, err := s.Sync(context.Background(), c, SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Log]int{WebAPI: len(acct.WebAPI), Events: len(acct.Events), Objects: len(acct.Objects)}
	for _, r := range res {
		if r.NewRows != want[r.Log] || r.Total != want[r.Log] {
			t.Errorf("%v, want +%d rows", r, want[r.Log])
		}
	}
	w, e, o := loadAll(t, s)
	sameRows(t, "webapi", w, srv.Classified(acct.WebAPI)) // the store keeps the anomaly classification
	sameRows(t, "events", e, acct.Events)
	sameRows(t, "objects", o, acct.Objects)

	// Nothing new: one request per log, counted both by the store and by
	// the server.
	before := srv.Requests()
	res, err = s.Sync(context.Background(), c, SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.NewRows != 0 || r.Requests != 1 {
			t.Errorf("re-sync: %v, want +0 rows, 1 request", r)
		}
	}
	if n := srv.Requests() - before; n != 3 {
		t.Errorf("re-sync made %d requests to the server, want 3", n)
	}
}

func TestSyncWindowFromSampleServer(t *testing.T) {
	acct, srv, c := startSample(t, 8000)
	s := openTest(t)
	since := sampleEnd.Add(-30 * 24 * time.Hour)
	if _, err := s.Sync(context.Background(), c, SyncOptions{Logs: []Log{WebAPI, Events}, Since: since}); err != nil {
		t.Fatal(err)
	}
	w, err := s.WebAPI(logs.Window{From: since})
	if err != nil {
		t.Fatal(err)
	}
	var want []cryptolens.WebAPILogRow
	for _, r := range acct.WebAPI {
		if !r.RowTime().Before(since) {
			want = append(want, r)
		}
	}
	sameRows(t, "last 30 days", webAPIKind.rowsOf(w), srv.Classified(want))

	// The same window later: forward only.
	before := srv.Requests()
	if _, err := s.Sync(context.Background(), c, SyncOptions{Logs: []Log{WebAPI, Events}, Since: since.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests() - before; n != 2 {
		t.Errorf("same window made %d requests, want 2 (one forward per log)", n)
	}
}

// TestResyncNewRowsFromSampleServer appends rows on the server between
// syncs: k new rows cost ceil(k / page size) + 1 requests, counted by the
// server, whatever history is already stored, and arrive exactly once.
func TestResyncNewRowsFromSampleServer(t *testing.T) {
	acct, srv, c := startSample(t, 30000)
	s := openTest(t)
	if _, err := s.Sync(context.Background(), c, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	web, events, objects := acct.WebAPI, acct.Events, acct.Objects
	appendWeb := func(n int) int {
		rows := srv.AppendWebAPI(n)
		web = append(web, rows...)
		return len(rows)
	}
	tests := []struct {
		name     string
		log      Log
		add      func(n int) int
		n        int
		requests int64
	}{
		{"1000 web api rows", WebAPI, appendWeb, 1000, 2},
		{"1500 web api rows", WebAPI, appendWeb, 1500, 3},
		{"250 events", Events, func(n int) int {
			rows := srv.AppendEvents(n)
			events = append(events, rows...)
			return len(rows)
		}, 250, 4},
		{"100 object log entries", Objects, func(n int) int {
			rows := srv.AppendObjects(n)
			objects = append(objects, rows...)
			return len(rows)
		}, 100, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.add(tt.n); got != tt.n {
				t.Fatalf("server appended %d rows, want %d", got, tt.n)
			}
			before := srv.Requests()
			res, err := s.Sync(context.Background(), c, SyncOptions{Logs: []Log{tt.log}})
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.Requests() - before; n != tt.requests {
				t.Errorf("re-sync made %d requests, want %d", n, tt.requests)
			}
			if res[0].NewRows != tt.n {
				t.Errorf("re-sync: %v, want +%d rows", res[0], tt.n)
			}
		})
	}
	holdsRows(t, s, srv.Classified(web), events, objects)
}

// inFlight wraps a handler and records the most requests it ever served
// at the same time.
type inFlight struct {
	h        http.Handler
	mu       sync.Mutex
	now, max int
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.now++
	f.max = max(f.max, f.now)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.now--
		f.mu.Unlock()
	}()
	f.h.ServeHTTP(w, r)
}

// TestSyncLogsOverlap checks that the three logs are fetched at the same
// time: with every request held at the server for a while, as over the
// internet, all three logs' requests are in flight at once. (Not timed: the
// bench measures how much faster that makes a first sync.)
func TestSyncLogsOverlap(t *testing.T) {
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 3000})
	srv := sample.NewServer(acct, "test-token")
	srv.SetFaults(sample.Faults{Latency: 30 * time.Millisecond})
	counted := &inFlight{h: srv}
	hs := httptest.NewServer(counted)
	t.Cleanup(hs.Close)
	s := openTest(t)
	res, err := s.Sync(context.Background(), sampleClient(hs.URL), SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Log]int{WebAPI: len(acct.WebAPI), Events: len(acct.Events), Objects: len(acct.Objects)}
	for i, r := range res {
		if r.Log != AllLogs()[i] || r.NewRows != want[r.Log] {
			t.Errorf("result %d: %v, want %s +%d rows", i, r, AllLogs()[i], want[r.Log])
		}
	}
	if counted.max < len(AllLogs()) {
		t.Errorf("at most %d requests were in flight at once, want %d (one per log)", counted.max, len(AllLogs()))
	}
}
