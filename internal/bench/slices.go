package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// A first sync of one large Web API Log through a server that holds every
// request syncLatency, one page after another and in slices by
// sliceWorkers workers, side by side in one run, each in a child process
// whose peak RSS is the sync's own.
const (
	sliceWorkers = logstore.DefaultWorkers
	sliceTarget  = 1.0 / 3 // the sliced sync within this share of the sequential one
	sliceSyncRSS = 256 << 20
)

// sliceResult is the two first syncs of the sliced-sync step.
type sliceResult struct {
	rows                 int
	sequential, parallel stepResult
}

// measureSlices syncs a rows-row Web API Log into a fresh store twice:
// with one worker, then with sliceWorkers.
func measureSlices(ctx context.Context, o *Options, rows int, stderr io.Writer) (*sliceResult, error) {
	dir, cleanup, err := o.sizeDir(rows)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	progress(stderr, "preparing a %s-row account for the first sync in slices, %s a request", format.Count(rows), format.Duration(syncLatency))
	data, err := prepareStore(dir, rows, o.Token)
	if err != nil {
		return nil, fmt.Errorf("preparing the data: %w", err)
	}
	defer data.close()
	data.srv.SetFaults(sample.Faults{Latency: syncLatency})
	r := &runner{self: o.Self, cfgPath: data.cfgPath}
	res := &sliceResult{rows: data.cfg.Rows}
	for _, way := range []struct {
		workers int
		into    *stepResult
	}{{1, &res.sequential}, {sliceWorkers, &res.parallel}} {
		if err := os.RemoveAll(data.cfg.Store); err != nil {
			return nil, err
		}
		progress(stderr, "first sync of %s rows, %d worker(s)", format.Count(rows), way.workers)
		flags := []string{"-sync-workers", strconv.Itoa(way.workers)}
		if *way.into, err = r.goStepWith(ctx, "sync", 1, flags, data.syncEnv()...); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// writeSlices writes the sliced-sync step's table.
func writeSlices(w io.Writer, s *sliceResult, why string) {
	fmt.Fprintf(w, "\n### First sync of the Web API Log in slices, %s per request\n\n", format.Duration(syncLatency))
	if s == nil {
		fmt.Fprintf(w, "%s.\n", why)
		return
	}
	seq, par := best(s.sequential.Times), best(s.parallel.Times)
	fmt.Fprintf(w, "%s rows behind the sample server holding each request %s; a fresh store each way, in a child process.\n\n",
		format.Count(s.rows), format.Duration(syncLatency))
	fmt.Fprintln(w, "| way | time | requests | peak RSS |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: |")
	fmt.Fprintf(w, "| old: one page after another (-workers 1) | %s | %d | %s |\n", fmtSeconds(seq), s.sequential.Requests, fmtBytes(s.sequential.RSS))
	fmt.Fprintf(w, "| new: %d workers on slices (-workers %d) | %s | %d | %s |\n", sliceWorkers, sliceWorkers, fmtSeconds(par), s.parallel.Requests, fmtBytes(s.parallel.RSS))
	fmt.Fprintf(w, "\nThe sliced sync takes %.2f of the sequential time (target ≤ %.2f: %s); its peak RSS is %s (target ≤ %s: %s).\n",
		par/seq, sliceTarget, yesNo(par <= sliceTarget*seq), fmtBytes(s.parallel.RSS), fmtBytes(sliceSyncRSS), yesNo(s.parallel.RSS <= sliceSyncRSS))
}
