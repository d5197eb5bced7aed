package bench

import (
	"context"
	"net/http/httptest"
	"os"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// Parameters of the first-sync-over-the-internet step: a small account (its
// three logs take 29, 19 and 3 pages) behind a server that holds every
// request for syncLatency, as the real API's round trip does.
const (
	syncLatency     = 150 * time.Millisecond
	syncLatencyRows = 10_000
)

// latencyResult is the first sync of all logs through a slow link, one log
// after the other (the old way) and all at once (Store.Sync).
type latencyResult struct {
	perLog     map[logstore.Log]float64 // each log alone, seconds
	sequential float64                  // the sum: one after the other
	concurrent float64                  // one Sync of all logs
	requests   int
}

// measureSyncLatency syncs the same account into two fresh stores: log by
// log, then all logs in one Sync; each log one page after another (the
// slices of a first sync are measured by measureSlices).
func measureSyncLatency(ctx context.Context) (latencyResult, error) {
	acct := sample.Generate(sample.Options{WebAPIRows: syncLatencyRows})
	token := randomToken()
	srv := sample.NewServer(acct, token)
	srv.SetFaults(sample.Faults{Latency: syncLatency})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c := cryptolens.New(cryptolens.Token(token))
	c.BaseURL = hs.URL + "/api/"
	res := latencyResult{perLog: map[logstore.Log]float64{}}
	open := func() (*logstore.Store, func(), error) {
		dir, err := os.MkdirTemp("", "lenslog-latency-")
		if err != nil {
			return nil, nil, err
		}
		st, err := logstore.Open(dir)
		return st, func() { os.RemoveAll(dir) }, err
	}
	seq, done, err := open()
	if err != nil {
		return res, err
	}
	defer done()
	for _, l := range logstore.AllLogs() {
		start := time.Now()
		if _, err := seq.Sync(ctx, c, logstore.SyncOptions{Logs: []logstore.Log{l}, Workers: 1}); err != nil {
			return res, err
		}
		res.perLog[l] = time.Since(start).Seconds()
		res.sequential += res.perLog[l]
	}
	all, done2, err := open()
	if err != nil {
		return res, err
	}
	defer done2()
	start := time.Now()
	rs, err := all.Sync(ctx, c, logstore.SyncOptions{Workers: 1})
	res.concurrent = time.Since(start).Seconds()
	for _, r := range rs {
		res.requests += r.Requests
	}
	return res, err
}

// slowest returns the longest single log's time.
func (r latencyResult) slowest() float64 {
	m := 0.0
	for _, t := range r.perLog {
		m = max(m, t)
	}
	return m
}
