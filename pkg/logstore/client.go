package logstore

import (
	"context"
	"iter"
	"sync/atomic"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// clientSources fetches the three logs with c. It works on a copy of c
// whose Observe also counts requests, so c itself is not changed. The Web
// API Log is asked for its anomaly classification, so that every field
// the API can send reaches the store.
func clientSources(c *cryptolens.Client) *sources {
	n := new(atomic.Int64)
	cc := *c
	observe := c.Observe
	cc.Observe = func(r cryptolens.Request) {
		n.Add(1)
		if observe != nil {
			observe(r)
		}
	}
	return &sources{
		requests: n,
		account:  accountOf(c),
		webAPI: source[cryptolens.WebAPILogRow]{
			forward: func(ctx context.Context, after int64) iter.Seq2[[]cryptolens.WebAPILogRow, error] {
				return cc.WebAPILogForward(ctx, cryptolens.WebAPILogQuery{StartingAfter: after, AnomalyClassification: true})
			},
			backward: func(ctx context.Context, before int64, since time.Time) iter.Seq2[[]cryptolens.WebAPILogRow, error] {
				return cc.WebAPILogBackward(ctx, cryptolens.WebAPILogQuery{EndingBefore: before, AnomalyClassification: true}, since)
			},
			page: func(ctx context.Context, after int64) ([]cryptolens.WebAPILogRow, error) {
				return cc.WebAPILog(ctx, cryptolens.WebAPILogQuery{StartingAfter: after, AnomalyClassification: true})
			},
		},
		events: source[cryptolens.Event]{
			forward: func(ctx context.Context, after int64) iter.Seq2[[]cryptolens.Event, error] {
				return cc.EventsForward(ctx, cryptolens.EventsQuery{StartingAfter: after})
			},
			backward: func(ctx context.Context, before int64, since time.Time) iter.Seq2[[]cryptolens.Event, error] {
				return cc.EventsBackward(ctx, cryptolens.EventsQuery{EndingBefore: before}, since)
			},
			page: func(ctx context.Context, after int64) ([]cryptolens.Event, error) {
				return cc.Events(ctx, cryptolens.EventsQuery{StartingAfter: after})
			},
		},
		objects: source[cryptolens.ObjectLogEntry]{
			forward: func(ctx context.Context, after int64) iter.Seq2[[]cryptolens.ObjectLogEntry, error] {
				return cc.ObjectLogForward(ctx, cryptolens.ObjectLogQuery{StartingAfter: after})
			},
			page: func(ctx context.Context, after int64) ([]cryptolens.ObjectLogEntry, error) {
				return cc.ObjectLog(ctx, cryptolens.ObjectLogQuery{StartingAfter: after})
			},
		},
	}
}
