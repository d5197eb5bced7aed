package cryptolens_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// These tests run the client against the sample package's
// Cryptolens-compatible server with every fault switched on, and check that
// every row arrives exactly once.

var sampleEnd = time.Date(2025, 6, 30, 18, 0, 0, 0, time.UTC)

func sampleAccount(t *testing.T) *sample.Account {
	t.Helper()
	rows := 60_000
	if testing.Short() {
		rows = 8_000
	}
	return sample.Generate(sample.Options{Seed: 7, End: sampleEnd, WebAPIRows: rows})
}

// startSample serves the account with faults on and returns a client with
// enough patience to get through them, and a count of failed attempts.
func startSample(t *testing.T, a *sample.Account, rate float64) (*sample.Server, *cryptolens.Client, *atomic.Int64) {
	t.Helper()
	s := sample.NewServer(a, "sample-token")
	s.SetFaults(sample.Faults{Rate: rate, Seed: 3, Delay: 5 * time.Millisecond})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	var failed atomic.Int64
	c := &cryptolens.Client{
		BaseURL: srv.URL + "/api/",
		Token:   "sample-token",
		Retry: cryptolens.RetryPolicy{Attempts: 12, MinDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond,
			MaxRetryAfter: 5 * time.Millisecond},
		Observe: func(r cryptolens.Request) {
			if r.Err != nil {
				failed.Add(1)
			}
		},
	}
	return s, c, &failed
}

// drain collects a pager's rows, failing the test on an error.
func drain[T any](t *testing.T, seq func(func([]T, error) bool)) []T {
	t.Helper()
	var out []T
	for page, err := range seq {
		if err != nil {
			t.Fatalf("after %d rows: %v", len(out), err)
		}
		out = append(out, page...)
	}
	return out
}

func idsOf[T cryptolens.Row](rows []T) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.RowID()
	}
	return out
}

func reversed(x []int64) []int64 {
	y := slices.Clone(x)
	slices.Reverse(y)
	return y
}

func TestSampleServerWithFaults(t *testing.T) {
	a := sampleAccount(t)
	_, c, failed := startSample(t, a, 0.25)
	ctx := context.Background()
	since := sampleEnd.Add(-30 * 24 * time.Hour)
	var recent []int64
	for _, r := range a.WebAPI {
		if !r.RowTime().Before(since) {
			recent = append(recent, r.ID)
		}
	}
	tests := []struct {
		name string
		got  func() []int64
		want []int64
	}{
		{"web api log backward, whole history", func() []int64 {
			return idsOf(drain(t, c.WebAPILogBackward(ctx, cryptolens.WebAPILogQuery{}, time.Time{})))
		}, reversed(idsOf(a.WebAPI))},
		{"web api log backward, last 30 days", func() []int64 {
			var in []cryptolens.WebAPILogRow // whole pages come back: keep those in the window
			for _, r := range drain(t, c.WebAPILogBackward(ctx, cryptolens.WebAPILogQuery{}, since)) {
				if !r.RowTime().Before(since) {
					in = append(in, r)
				}
			}
			return idsOf(in)
		}, reversed(recent)},
		{"web api log forward", func() []int64 {
			return idsOf(drain(t, c.WebAPILogForward(ctx, cryptolens.WebAPILogQuery{Limit: 700})))
		}, idsOf(a.WebAPI)},
		{"events backward", func() []int64 {
			return idsOf(drain(t, c.EventsBackward(ctx, cryptolens.EventsQuery{}, time.Time{})))
		}, reversed(idsOf(a.Events))},
		{"events forward", func() []int64 {
			return idsOf(drain(t, c.EventsForward(ctx, cryptolens.EventsQuery{})))
		}, idsOf(a.Events)},
		{"object log forward", func() []int64 {
			return idsOf(drain(t, c.ObjectLogForward(ctx, cryptolens.ObjectLogQuery{})))
		}, idsOf(a.Objects)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.got()
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %d rows, want %d, each once and in order", len(got), len(tt.want))
			}
		})
	}
	if failed.Load() < 10 {
		t.Errorf("only %d attempts failed: the faults were not exercised", failed.Load())
	}
}

// TestSampleFaultKinds checks that the client takes each fault the sample
// server injects as transient, and gets through a slow answer.
func TestSampleFaultKinds(t *testing.T) {
	a := sampleAccount(t)
	for _, kind := range sample.AllFaults() {
		t.Run(kind.String(), func(t *testing.T) {
			s, c, failed := startSample(t, a, 0)
			s.SetFaults(sample.Faults{Rate: 1, Kinds: []sample.Fault{kind}, Delay: 5 * time.Millisecond})
			c.Retry.Attempts = 2
			rows, err := c.WebAPILog(context.Background(), cryptolens.WebAPILogQuery{Limit: 5})
			if kind == sample.FaultSlow {
				if err != nil || len(rows) != 5 {
					t.Errorf("slow answer: got %d rows, %v", len(rows), err)
				}
				return
			}
			if !errors.Is(err, cryptolens.ErrTransient) || failed.Load() != 2 {
				t.Errorf("got %v after %d failed attempts, want ErrTransient after 2", err, failed.Load())
			}
		})
	}
}

func TestSampleRowsMatch(t *testing.T) {
	a := sampleAccount(t)
	_, c, _ := startSample(t, a, 0.1)
	got := drain(t, c.WebAPILogForward(context.Background(), cryptolens.WebAPILogQuery{}))
	if !slices.Equal(got, a.WebAPI) {
		t.Error("rows read through the server differ from the account's")
	}
	objs := drain(t, c.ObjectLogForward(context.Background(), cryptolens.ObjectLogQuery{}))
	if !slices.Equal(objs, a.Objects) {
		t.Error("object log rows differ from the account's")
	}
}

func TestSampleResync(t *testing.T) {
	a := sampleAccount(t)
	s, c, _ := startSample(t, a, 0)
	ctx := context.Background()
	last := a.WebAPI[len(a.WebAPI)-1].ID
	start := s.Requests()
	if rows := drain(t, c.WebAPILogForward(ctx, cryptolens.WebAPILogQuery{StartingAfter: last})); len(rows) != 0 {
		t.Errorf("re-sync with nothing new got %d rows", len(rows))
	}
	if n := s.Requests() - start; n != 1 {
		t.Errorf("re-sync with nothing new cost %d requests, want 1", n)
	}
	added := s.AppendWebAPI(5)
	rows := drain(t, c.WebAPILogForward(ctx, cryptolens.WebAPILogQuery{StartingAfter: last}))
	if !slices.Equal(rows, added) {
		t.Errorf("re-sync got ids %v, want %v", idsOf(rows), idsOf(added))
	}
}

func TestSampleTypedErrors(t *testing.T) {
	a := sampleAccount(t)
	_, c, _ := startSample(t, a, 0)
	c.Token = "wrong"
	if _, err := c.WebAPILog(context.Background(), cryptolens.WebAPILogQuery{}); !errors.Is(err, cryptolens.ErrUnauthenticated) {
		t.Errorf("wrong token: got %v", err)
	}
}
