package logstore

import (
	"context"
	"iter"
	"sync/atomic"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// clientSources fetches the three logs with c. Each log works on a copy of
// c whose Observe also counts that log's requests, so c itself is not
// changed and the logs, fetched at the same time, count apart. The Web
// API Log is asked for its anomaly classification, so that every field
// the API can send reaches the store.
func clientSources(c *cryptolens.Client) *sources {
	g := &gate{} // one for the three logs: they share a server
	web, ev, obj := counting(c, g), counting(c, g), counting(c, g)
	return &sources{
		account: accountOf(c),
		webAPI: source[cryptolens.WebAPILogRow]{
			requests: web.n, activity: web.act,
			forward: func(ctx context.Context, after int64) iter.Seq2[[]cryptolens.WebAPILogRow, error] {
				return web.c.WebAPILogForward(ctx, cryptolens.WebAPILogQuery{StartingAfter: after, AnomalyClassification: true})
			},
			backward: func(ctx context.Context, before int64, since time.Time) iter.Seq2[[]cryptolens.WebAPILogRow, error] {
				return web.c.WebAPILogBackward(ctx, cryptolens.WebAPILogQuery{EndingBefore: before, AnomalyClassification: true}, since)
			},
			page: func(ctx context.Context, after int64) ([]cryptolens.WebAPILogRow, error) {
				return web.c.WebAPILog(ctx, cryptolens.WebAPILogQuery{StartingAfter: after, AnomalyClassification: true})
			},
			firstAt: func(ctx context.Context, t int64) ([]cryptolens.WebAPILogRow, error) {
				return web.c.WebAPILog(ctx, cryptolens.WebAPILogQuery{Limit: 1, Time: cryptolens.TimeFilter{GTE: t}})
			},
			gate: g,
		},
		events: source[cryptolens.Event]{
			requests: ev.n, activity: ev.act,
			forward: func(ctx context.Context, after int64) iter.Seq2[[]cryptolens.Event, error] {
				return ev.c.EventsForward(ctx, cryptolens.EventsQuery{StartingAfter: after})
			},
			backward: func(ctx context.Context, before int64, since time.Time) iter.Seq2[[]cryptolens.Event, error] {
				return ev.c.EventsBackward(ctx, cryptolens.EventsQuery{EndingBefore: before}, since)
			},
			page: func(ctx context.Context, after int64) ([]cryptolens.Event, error) {
				return ev.c.Events(ctx, cryptolens.EventsQuery{StartingAfter: after})
			},
			firstAt: func(ctx context.Context, t int64) ([]cryptolens.Event, error) {
				return ev.c.Events(ctx, cryptolens.EventsQuery{Limit: 1, Time: cryptolens.TimeFilter{GTE: t}})
			},
			gate: g,
		},
		objects: source[cryptolens.ObjectLogEntry]{
			requests: obj.n, activity: obj.act,
			forward: func(ctx context.Context, after int64) iter.Seq2[[]cryptolens.ObjectLogEntry, error] {
				return obj.c.ObjectLogForward(ctx, cryptolens.ObjectLogQuery{StartingAfter: after})
			},
			page: func(ctx context.Context, after int64) ([]cryptolens.ObjectLogEntry, error) {
				return obj.c.ObjectLog(ctx, cryptolens.ObjectLogQuery{StartingAfter: after})
			},
		},
	}
}

// countingClient is a copy of a client, the count of its requests and
// what it is doing (for progress while it waits).
type countingClient struct {
	c   *cryptolens.Client
	n   *atomic.Int64
	act *activity
}

// counting returns a copy of c whose Observe counts each attempt, tells
// g, then calls c's own Observe, if any. The caller's Observe may thus be
// called from several goroutines at once, as for any Client used
// concurrently.
func counting(c *cryptolens.Client, g *gate) countingClient {
	n, act := new(atomic.Int64), newActivity()
	cc := *c
	observe, waiting := c.Observe, c.Waiting
	cc.Observe = func(r cryptolens.Request) {
		n.Add(1)
		g.observe(r)
		act.attempted(r)
		if observe != nil {
			observe(r)
		}
	}
	cc.Waiting = func(w cryptolens.Wait) {
		act.waiting(w)
		if waiting != nil {
			waiting(w)
		}
	}
	return countingClient{c: &cc, n: n, act: act}
}
