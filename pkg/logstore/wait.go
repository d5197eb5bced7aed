package logstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
)

// ErrSyncTimeout reports a sync stopped by SyncOptions.Timeout: the rows it
// fetched until then are kept, and the next sync goes on from there.
var ErrSyncTimeout = errors.New("the sync reached its time bound")

// boundSync returns ctx bounded by the sync's Timeout, if any.
func boundSync(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, timeout,
		fmt.Errorf("%w of %v (SyncOptions.Timeout; kernel sync -timeout): the rows fetched so far are kept", ErrSyncTimeout, timeout))
}

// timeoutError replaces err by the time bound's cause when the bound is
// what stopped the sync, so the message says which bound and that nothing
// fetched was lost.
func timeoutError(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, ErrSyncTimeout) {
		return fmt.Errorf("logstore: sync: %w (%v)", cause, err)
	}
	return err
}

// slowAfter is how long a request may go unanswered before the progress
// says the sync waits for the server.
var slowAfter = 3 * time.Second

// watchEvery is how often a waiting sync's progress is refreshed.
var watchEvery = time.Second

// activity is what one log's client is doing, for progress: when it last
// heard from the server, and the retry wait it is in, if any. It is fed by
// the client's Observe and Waiting callbacks (see counting).
type activity struct {
	mu        sync.Mutex
	last      time.Time // the last attempt's end, or the start
	waitUntil time.Time // the end of the retry wait under way
	reason    string
	work      string    // local work under way instead of a request (compacting), in words
	workSince time.Time // when it began
	nulls     int       // null rows the pages held (the pagers drop them; history.go counts them)
	repeated  int       // rows repeating an id of their page (the pagers keep one)
}

func newActivity() *activity { return &activity{last: time.Now()} }

func (a *activity) attempted(r cryptolens.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.last, a.waitUntil, a.reason = time.Now(), time.Time{}, ""
	a.nulls += r.NullRows
	a.repeated += r.RepeatedRows
}

// dropped returns the null rows and the rows repeating an id of their
// page seen so far; zero for a nil activity.
func (a *activity) dropped() Dropped {
	if a == nil {
		return Dropped{}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return Dropped{NullRows: a.nulls, Repeated: a.repeated}
}

func (a *activity) waiting(w cryptolens.Wait) {
	a.mu.Lock()
	defer a.mu.Unlock()
	why := "backing off"
	if w.RetryAfter {
		why = "the server asked to wait (Retry-After)"
	}
	a.waitUntil = time.Now().Add(w.For)
	a.reason = fmt.Sprintf("retry %s of %s: %s after %v", format.Count(w.Attempt-1), w.Method, why, w.Err)
}

// busy says the sync does local work rather than wait for the server, in
// words ("compacting the Web API Log: ..."), until idle: progress then
// names it instead of "no answer from the server yet". A nil activity (a
// test's fake source) ignores it.
func (a *activity) busy(what string) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.work == "" {
		a.workSince = time.Now()
	}
	a.work = what
}

// idle ends the local work busy began.
func (a *activity) idle() {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.work, a.last = "", time.Now()
}

// now says whether the client waits, how long (the time left of a retry
// wait, the time a request has gone unanswered, or the time local work
// has taken) and why.
func (a *activity) now() (time.Duration, string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t := time.Now()
	switch {
	case a.work != "":
		return max(t.Sub(a.workSince).Round(100*time.Millisecond), 100*time.Millisecond), a.work, true
	case !a.waitUntil.IsZero() && a.waitUntil.After(t):
		return a.waitUntil.Sub(t).Round(100 * time.Millisecond), a.reason, true
	case a.waitUntil.IsZero() && t.Sub(a.last) >= slowAfter:
		return t.Sub(a.last).Round(time.Second), "no answer from the server yet", true
	}
	return 0, "", false
}

// watch reports, while the log syncs, each wait of its client as progress
// (Progress.Waiting and WaitReason), until the returned stop is called.
// A nil activity (a test's fake source) watches nothing.
func (t *tracker) watch(a *activity) (stop func()) {
	if a == nil || t.report == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(watchEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if d, why, ok := a.now(); ok {
					t.waiting(d, why)
				}
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// waiting sends a snapshot that says the sync waits.
func (t *tracker) waiting(d time.Duration, why string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.update(0)
	t.p.Waiting, t.p.WaitReason = d, why
	t.emit()
	t.p.Waiting, t.p.WaitReason = 0, ""
}
