package logstore

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestSyncBoundedByTimeout: a server that stalls (headers never sent, or
// bytes trickling in) cannot hold a sync past SyncOptions.Timeout, though
// each request's own deadline is far longer; what was fetched before is
// kept, and the progress said the sync was waiting, for how long, and why.
func TestSyncBoundedByTimeout(t *testing.T) {
	defer func(s, w time.Duration) { slowAfter, watchEvery = s, w }(slowAfter, watchEvery)
	slowAfter, watchEvery = 200*time.Millisecond, 100*time.Millisecond
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 3000})
	for _, stall := range []sample.Stall{sample.StallHeaders, sample.StallTrickle} {
		t.Run(stall.String(), func(t *testing.T) {
			srv := sample.NewServer(acct, "test-token")
			srv.SetLive(sample.Live{Stall: stall, StallAfter: 3, TrickleEvery: 200 * time.Millisecond})
			hs := httptest.NewServer(srv)
			defer hs.Close()
			c := sampleClient(hs.URL)
			s := openTest(t)
			var mu sync.Mutex
			var waits []logs.Progress
			start := time.Now()
			// One worker: the stall comes after 3 requests, which a first
			// sync in slices spends finding its cuts; it keeps a stalled
			// sync's rows in _slices for the next (TestParallelSyncResumes).
			res, err := s.Sync(t.Context(), c, SyncOptions{Timeout: 1500 * time.Millisecond, Logs: []Log{WebAPI}, Workers: 1,
				Progress: func(p logs.Progress) {
					if p.Waiting > 0 {
						mu.Lock()
						waits = append(waits, p)
						mu.Unlock()
					}
				}})
			took := time.Since(start)
			if !errors.Is(err, ErrSyncTimeout) || !strings.Contains(err.Error(), "1.5s") {
				t.Errorf("error %v, want one naming the time bound", err)
			}
			if took > 5*time.Second {
				t.Errorf("the sync took %v with a bound of 1.5s", took)
			}
			if len(res) != 1 || res[0].NewRows == 0 {
				t.Errorf("results %+v: want the rows fetched before the stall kept", res)
			}
			if len(waits) == 0 || !strings.Contains(waits[0].WaitReason, "no answer") {
				t.Errorf("progress said nothing of the wait: %+v", waits)
			}
		})
	}
}

// TestProgressSaysRetryWaits: a server that answers 429 with Retry-After
// makes the progress say the sync waits, how long, and that the server
// asked for it.
func TestProgressSaysRetryWaits(t *testing.T) {
	defer func(w time.Duration) { watchEvery = w }(watchEvery)
	watchEvery = 50 * time.Millisecond
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 1000})
	srv := sample.NewServer(acct, "test-token")
	srv.SetFaults(sample.Faults{Rate: 1, Kinds: []sample.Fault{sample.FaultTooManyRequests}})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c := sampleClient(hs.URL)
	c.Retry = cryptolens.RetryPolicy{Attempts: 2}
	var mu sync.Mutex
	var waits []logs.Progress
	_, err := openTest(t).Sync(t.Context(), c, SyncOptions{Logs: []Log{Events}, Progress: func(p logs.Progress) {
		if p.Waiting > 0 {
			mu.Lock()
			waits = append(waits, p)
			mu.Unlock()
		}
	}})
	if err == nil {
		t.Fatal("a server that always answers 429 let the sync pass")
	}
	if len(waits) == 0 || !strings.Contains(waits[0].WaitReason, "Retry-After") || waits[0].Waiting > time.Second {
		t.Errorf("progress while waiting: %+v; want the Retry-After wait of at most 1s", waits)
	}
}

// TestSyncUsageBoundedByTimeout: the Usage Analytics tables' sync has the
// same overall bound.
func TestSyncUsageBoundedByTimeout(t *testing.T) {
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 1000})
	srv := sample.NewServer(acct, "test-token")
	srv.SetLive(sample.Live{Stall: sample.StallHeaders})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	start := time.Now()
	_, err := openTest(t).SyncUsageWith(t.Context(), sampleClient(hs.URL), UsageSyncOptions{Timeout: 500 * time.Millisecond})
	if !errors.Is(err, ErrSyncTimeout) || time.Since(start) > 5*time.Second {
		t.Errorf("after %v: %v; want the time bound", time.Since(start), err)
	}
}

// TestProgressSaysCompacting: while a sync merges small segments, no
// request is under way for seconds (minutes after a 10-million-row first
// sync); the progress says it compacts, how many segments, and how far it
// got, not that the server has not answered yet.
func TestProgressSaysCompacting(t *testing.T) {
	defer func(s, w time.Duration) { slowAfter, watchEvery = s, w }(slowAfter, watchEvery)
	slowAfter, watchEvery = 20*time.Millisecond, 5*time.Millisecond
	_, _, c := startSample(t, 3000)
	s := openTest(t)
	s.cfg = config{flushRows: 300, compactRows: 1 << 20, compactMin: 1 << 20} // small segments, never compacted
	_, err := s.Sync(t.Context(), c, SyncOptions{Logs: []Log{WebAPI}, Workers: 1})
	must(t, err)
	m, err := readManifest(s.logDir(WebAPI), WebAPI)
	must(t, err)
	if len(m.Segments) < 4 {
		t.Fatalf("%d segments; the test needs small ones to compact", len(m.Segments))
	}

	create := createTemp
	defer func() { createTemp = create }()
	createTemp = func(dir, pattern string) (tempFile, error) { // the merge takes a while (waits are shown to the second)
		time.Sleep(400 * time.Millisecond)
		return create(dir, pattern)
	}
	s.cfg.compactMin = 2
	var mu sync.Mutex
	var waits []string
	_, err = s.Sync(t.Context(), c, SyncOptions{Logs: []Log{WebAPI}, Progress: func(p logs.Progress) {
		if p.Waiting > 0 {
			mu.Lock()
			waits = append(waits, p.WaitReason)
			mu.Unlock()
		}
	}})
	must(t, err)
	want := fmt.Sprintf("compacting the Web API Log: %d small segments into 1, 0 done", len(m.Segments))
	if len(waits) == 0 || waits[0] != want {
		t.Errorf("first wait said %q; want %q", waits, want)
	}
	for _, w := range waits {
		if strings.Contains(w, "no answer") {
			t.Errorf("progress said %q while compacting", w)
		}
	}
	checkMonths(t, s.logDir(WebAPI), WebAPI) // the merged segment keeps a month per row group
}
