package logstore

import (
	"context"
	"errors"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// fakeLog is a hand-written stand-in for one log of the Cryptolens API:
// rows in ascending id order, served in pages, every call counted as one
// request.
type fakeLog[R cryptolens.Row] struct {
	mu       sync.Mutex
	rows     []R
	pageSize int
	requests *atomic.Int64 // the account's requests
	own      atomic.Int64  // this log's requests
	// failAt, when > 0, makes the failAt-th request from now fail.
	failAt int
}

var errFake = errors.New("fake source: Something went wrong")

// serve returns the rows of one request, chosen by pick, or the injected
// fault.
func (f *fakeLog[R]) serve(pick func(rows []R) []R) ([]R, error) {
	f.requests.Add(1)
	f.own.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAt > 0 {
		f.failAt--
		if f.failAt == 0 {
			return nil, errFake
		}
	}
	return pick(f.rows), nil
}

func (f *fakeLog[R]) after(after int64) ([]R, error) {
	return f.serve(func(rows []R) []R {
		var out []R
		for _, r := range rows {
			if r.RowID() > after && len(out) < f.pageSize {
				out = append(out, r)
			}
		}
		return out
	})
}

func (f *fakeLog[R]) before(before int64) ([]R, error) {
	return f.serve(func(rows []R) []R {
		var out []R
		for i := len(rows) - 1; i >= 0 && len(out) < f.pageSize; i-- {
			if before == 0 || rows[i].RowID() < before {
				out = append(out, rows[i])
			}
		}
		return out
	})
}

func (f *fakeLog[R]) forward(ctx context.Context, after int64) iter.Seq2[[]R, error] {
	return func(yield func([]R, error) bool) {
		for {
			page, err := f.after(after)
			if err != nil || len(page) == 0 {
				if err != nil {
					yield(nil, err)
				}
				return
			}
			if !yield(page, nil) {
				return
			}
			after = page[len(page)-1].RowID()
		}
	}
}

func (f *fakeLog[R]) backward(ctx context.Context, before int64, since time.Time) iter.Seq2[[]R, error] {
	return func(yield func([]R, error) bool) {
		for {
			page, err := f.before(before)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(page) == 0 {
				return
			}
			if cryptolens.PageBefore(page, since, time.Now()) {
				return // the cryptolens pagers' own stop rule
			}
			if !yield(page, nil) {
				return
			}
			if len(page) < f.pageSize {
				return
			}
			before = page[len(page)-1].RowID()
		}
	}
}

func (f *fakeLog[R]) source(backward bool) source[R] {
	s := source[R]{forward: f.forward, page: func(ctx context.Context, after int64) ([]R, error) { return f.after(after) },
		requests: &f.own}
	if backward {
		s.backward = f.backward
	}
	return s
}

// add appends rows (ids must keep ascending).
func (f *fakeLog[R]) add(rows ...R) {
	f.mu.Lock()
	f.rows = append(f.rows, rows...)
	f.mu.Unlock()
}

// dropBefore forgets rows older than t, like the Events Log's retention.
func (f *fakeLog[R]) dropBefore(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := 0
	for i < len(f.rows) && f.rows[i].RowTime().Before(t) {
		i++
	}
	f.rows = f.rows[i:]
}

func (f *fakeLog[R]) all() []R {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]R(nil), f.rows...)
}

// fakeAccount is a fake source for all three logs.
type fakeAccount struct {
	requests atomic.Int64
	webAPI   *fakeLog[cryptolens.WebAPILogRow]
	events   *fakeLog[cryptolens.Event]
	objects  *fakeLog[cryptolens.ObjectLogEntry]
}

// fakeEpoch is the time of the fake account's first row.
var fakeEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newFakeAccount makes n rows of each log, one every minute from
// fakeEpoch, with ids 10, 20, 30, ... (ids need not be consecutive).
func newFakeAccount(n int) *fakeAccount {
	a := &fakeAccount{}
	a.webAPI = &fakeLog[cryptolens.WebAPILogRow]{pageSize: 1000, requests: &a.requests}
	a.events = &fakeLog[cryptolens.Event]{pageSize: 100, requests: &a.requests}
	a.objects = &fakeLog[cryptolens.ObjectLogEntry]{pageSize: 100, requests: &a.requests}
	a.grow(n)
	return a
}

// grow appends n more rows to each log.
func (a *fakeAccount) grow(n int) {
	base := len(a.webAPI.all())
	for i := base; i < base+n; i++ {
		a.webAPI.add(fakeWebAPIRow(i))
		a.events.add(fakeEvent(i))
		a.objects.add(fakeObject(i))
	}
}

func fakeTime(i int) int64 { return fakeEpoch.Add(time.Duration(i) * time.Minute).Unix() }

func fakeWebAPIRow(i int) cryptolens.WebAPILogRow {
	r := cryptolens.WebAPILogRow{
		ID: int64(10 * (i + 1)), ProductID: 3 + i%2, Key: "KEY-" + string(rune('A'+i%7)),
		IP: "10.0.0." + string(rune('0'+i%10)), Time: fakeTime(i), State: cryptolens.State(2010 + i%5),
		MachineCode: "mc" + string(rune('a'+i%13)), FriendlyName: "user" + string(rune('a'+i%3)),
		DOIntValue: int64(i % 4), DOID: int64(i % 9),
	}
	if i%3 == 0 {
		r.FloatingExpires = r.Time + 600
	}
	return r
}

func fakeEvent(i int) cryptolens.Event {
	return cryptolens.Event{ID: int64(10 * (i + 1)), ProductID: 3, Key: "KEY-" + string(rune('A'+i%7)),
		MachineCode: "mc" + string(rune('a'+i%13)), FeatureName: "f" + string(rune('0'+i%4)),
		EventName: "start", Time: fakeTime(i), Value: int64(i * 25), Currency: "USD",
		Metadata: `{"os":"linux"}`}
}

func fakeObject(i int) cryptolens.ObjectLogEntry {
	return cryptolens.ObjectLogEntry{ID: int64(10 * (i + 1)), Created: fakeTime(i),
		ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionUpdated,
		AffectedObjectID: int64(i), ObjectOwnerUserID: 7, PerformedByUserID: "7",
		Data: `{"Notes":["a","b` + string(rune('0'+i%10)) + `"]}`}
}

func (a *fakeAccount) sources() *sources {
	return &sources{webAPI: a.webAPI.source(true),
		events: a.events.source(true), objects: a.objects.source(false)}
}
