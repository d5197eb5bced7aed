package bench

import (
	"context"
	"io"
	"runtime"
	"runtime/debug"
)

// How steps are repeated. A step that loads data (decoding, end to end,
// the store) runs once per child process, -reps processes in turn with its
// peer's (lenslog, peer, lenslog, peer, ...): a fresh process is what a
// user's run is, and on a VM the first touch of fresh memory can cost
// more than the work (see RESULTS.md), which in-process repetitions would
// hide. The in-memory steps load their input once, untimed, and repeat
// the analysis inside the process, at least minInMemoryReps times: a few
// milliseconds are noisy on a shared machine.
var coldSteps = map[string]bool{"decode": true, "decode-json": true, "e2e": true, "e2e-append": true, "store": true}

var inMemorySteps = map[string]bool{"success": true, "heaviest": true, "perday": true, "sharing": true,
	"seats": true, "frame": true, "display": true}

const minInMemoryReps = 5

// collector runs steps and keeps their results, so a step two rows share
// runs once.
type collector struct {
	done   map[string]*stepResult
	stderr io.Writer
}

// side is one step to run: its key in the collector and how to run it
// with a number of in-process repetitions.
type side struct {
	key string
	run func(reps int) (stepResult, error)
}

// once runs s with reps in-process repetitions, unless it ran before.
func (c *collector) once(s side, reps int) (*stepResult, error) {
	if res, ok := c.done[s.key]; ok {
		return res, nil
	}
	progress(c.stderr, "running %s (%d in-process runs)", s.key, reps)
	res, err := s.run(reps)
	if err != nil {
		return nil, err
	}
	c.done[s.key] = &res
	return &res, nil
}

// alternate runs each side that has not run before reps times, one run
// per process, taking turns, and merges each side's runs.
func (c *collector) alternate(reps int, sides ...side) error {
	var todo []side
	for _, s := range sides {
		if _, ok := c.done[s.key]; !ok {
			todo = append(todo, s)
		}
	}
	runs := make([][]stepResult, len(todo))
	for i := range reps {
		for j, s := range todo {
			progress(c.stderr, "running %s (process %d of %d)", s.key, i+1, reps)
			res, err := s.run(1)
			if err != nil {
				return err
			}
			runs[j] = append(runs[j], res)
		}
	}
	for j, s := range todo {
		c.done[s.key] = mergeRuns(runs[j])
	}
	return nil
}

// mergeRuns folds single runs of one step into one result: all the times,
// the largest peak RSS, the last run's counts and checks.
func mergeRuns(runs []stepResult) *stepResult {
	out := runs[len(runs)-1]
	out.Times = nil
	for _, r := range runs {
		out.Times = append(out.Times, r.Times...)
		out.RSS = max(out.RSS, r.RSS)
	}
	return &out
}

// measureAll runs the rows' steps in order and pairs their results.
func measureAll(ctx context.Context, o *Options, r *runner, data *benchData, stderr io.Writer) ([]measured, error) {
	c := &collector{done: map[string]*stepResult{}, stderr: stderr}
	var out []measured
	for _, row := range benchRows {
		m, err := c.measureRow(ctx, o, r, data, row)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// measureRow runs one row's steps, or takes them from earlier rows.
func (c *collector) measureRow(ctx context.Context, o *Options, r *runner, data *benchData, row benchRow) (measured, error) {
	var env []string
	switch row.ours {
	case "sync":
		env = data.syncEnv()
	case "resync":
		data.srv.AppendWebAPI(1000)
		env = data.syncEnv()
	}
	ours := side{"lenslog " + row.ours, func(reps int) (stepResult, error) { return r.goStep(ctx, row.ours, reps, env...) }}
	peer, hasPeer := r.peerSide(ctx, row)
	cold := coldSteps[row.ours] && !row.warm
	if row.warm {
		ours.key += " (warm)"
		peer.key += " (warm)"
	}
	if hasPeer && inMemorySteps[row.peerStep] && row.peer == "pandas" {
		prep := side{"pandas prepare", func(int) (stepResult, error) { return r.pandasStep(ctx, "prepare", 1) }}
		if _, err := c.once(prep, 1); err != nil {
			return measured{}, err
		}
	}
	var err error
	switch {
	case cold && hasPeer:
		err = c.alternate(o.Reps, ours, peer)
	case cold:
		err = c.alternate(o.Reps, ours)
	default:
		reps := o.Reps
		if inMemorySteps[row.ours] || row.warm {
			reps = max(reps, minInMemoryReps)
		}
		if _, err = c.once(ours, reps); err == nil && hasPeer {
			_, err = c.once(peer, reps)
		}
	}
	if err != nil {
		return measured{}, err
	}
	if row.ours == "resync" {
		data.close() // the server is done with: give its memory back before the other steps
		runtime.GC()
		debug.FreeOSMemory()
	}
	m := measured{row: row, ours: c.done[ours.key]}
	if hasPeer {
		m.peer = c.done[peer.key]
	}
	return m, nil
}

// peerSide returns the row's peer step, if it has one that can run.
func (r *runner) peerSide(ctx context.Context, row benchRow) (side, bool) {
	switch {
	case row.peer == "encoding/json":
		return side{"encoding/json " + row.peerStep, func(reps int) (stepResult, error) { return r.goStep(ctx, row.peerStep, reps) }}, true
	case row.peer == "pandas" && r.python != "":
		return side{"pandas " + row.peerStep, func(reps int) (stepResult, error) { return r.pandasStep(ctx, row.peerStep, reps) }}, true
	}
	return side{}, false
}
