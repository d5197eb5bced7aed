package logstore

import (
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// tracker builds Progress values for one log's sync. Its methods may be
// called from the sync and from its watch at once.
type tracker struct {
	mu       sync.Mutex
	p        logs.Progress
	start    time.Time
	report   func(logs.Progress)
	requests func() int64 // requests made so far by the whole sync
	req0     int64
	// from and to bound the time span the current direction covers, in
	// unix seconds; the span fetched so far grows from from toward to.
	from, to int64
	known    bool // whether to is known, so a fraction can be estimated
}

func newTracker(l Log, report func(logs.Progress), requests func() int64) *tracker {
	return &tracker{p: logs.Progress{Log: string(l), Fraction: -1}, start: time.Now(), report: report,
		requests: requests, req0: requests()}
}

// direction starts a phase covering the unix seconds from..to; 0 for from
// means the time of the first row fetched. known is false when the end of
// the span is not known (a backward fetch of the whole history).
func (t *tracker) direction(backward bool, from, to int64, known bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.p.Backward, t.from, t.to, t.known = backward, from, to, known
}

// page records a fetched page whose first row is at unix second first and
// whose furthest row is at unix second at.
func (t *tracker) page(rows int, first, at int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.from == 0 {
		t.from = first
	}
	t.p.Pages++
	t.p.Rows += rows
	t.update(at)
	t.emit()
}

func (t *tracker) update(at int64) {
	t.p.Elapsed = time.Since(t.start)
	t.p.Requests = int(t.requests() - t.req0)
	if s := t.p.Elapsed.Seconds(); s > 0 {
		t.p.RowsPerSecond = float64(t.p.Rows) / s
	}
	t.p.Fraction, t.p.Remaining = -1, 0
	span := t.to - t.from
	if !t.known || span == 0 || at == 0 {
		return
	}
	f := float64(at-t.from) / float64(span)
	f = min(max(f, 0), 1)
	t.p.Fraction = f
	if f > 0 {
		t.p.Remaining = time.Duration(float64(t.p.Elapsed) * (1 - f) / f)
	}
}

// done sends the final snapshot.
func (t *tracker) done() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.update(0)
	t.p.Done = true
	t.p.Fraction, t.p.Remaining = 1, 0
	t.emit()
}

func (t *tracker) emit() {
	if t.report != nil {
		t.report(t.p)
	}
}
