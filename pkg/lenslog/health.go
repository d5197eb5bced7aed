package lenslog

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// How long Cryptolens keeps the Events and Object logs: "at least 30 days"
// and "guaranteed for 30 days"; it keeps every Web API Log row.
const (
	liveEventsRetention  = 30 * Day
	liveObjectsRetention = 30 * Day
)

// HealthInput is what analysis.DataHealth checks: the tables given (as
// loaded from this account), where each log comes from (what the source
// keeps and, for a store, what it holds and when it last synced), and the
// account's clock.
func (a *Account) HealthInput(api *logs.WebAPI, ev *logs.Events, obj *logs.Objects) (analysis.HealthInput, error) {
	pw, pe, po, err := a.origins()
	if err != nil {
		return analysis.HealthInput{}, fmt.Errorf("data health: %w", err)
	}
	return analysis.HealthInput{Now: a.Now(), WebAPI: api, Events: ev, Objects: obj,
		WebAPIFrom: pw, EventsFrom: pe, ObjectsFrom: po}, nil
}

// origins says where each log's rows come from.
func (a *Account) origins() (webAPI, events, objects analysis.Origin, err error) {
	switch s := a.src.(type) {
	case *sampleSource:
		src := "the sample account"
		return analysis.Origin{Source: src},
			analysis.Origin{Source: src, Retention: sample.EventsRetention},
			analysis.Origin{Source: src, Retention: sample.ObjectsRetention}, nil
	case *storeSource:
		var out [3]analysis.Origin
		for i, l := range logstore.AllLogs() {
			if out[i], err = storeOrigin(s.store, l); err != nil {
				return webAPI, events, objects, err
			}
		}
		return out[0], out[1], out[2], nil
	default:
		src := "the API"
		return analysis.Origin{Source: src},
			analysis.Origin{Source: src, Retention: liveEventsRetention},
			analysis.Origin{Source: src, Retention: liveObjectsRetention}, nil
	}
}

// storeOrigin reads what the store holds of log l.
func storeOrigin(st *logstore.Store, l logstore.Log) (analysis.Origin, error) {
	info, err := st.Info(l)
	if err != nil {
		return analysis.Origin{}, err
	}
	synced, err := st.LastSync(l)
	if err != nil {
		return analysis.Origin{}, err
	}
	p := analysis.Origin{Source: "the store in " + st.Dir(), Stored: true, StoreRows: info.Rows,
		First: info.First, Last: info.Last, CompleteFrom: info.CompleteFrom, LastSync: synced, Gaps: len(info.Gaps)}
	switch l {
	case logstore.Events:
		p.Retention = liveEventsRetention
	case logstore.Objects:
		p.Retention = liveObjectsRetention
	}
	for _, g := range info.Gaps {
		p.GapRows += g.Rows
	}
	d, err := st.Dropped(l)
	if err != nil {
		return analysis.Origin{}, err
	}
	p.NullRows, p.Repeated, p.Conflicts, p.ConflictIDs = d.NullRows, d.Repeated, d.Conflicts, d.ConflictIDs
	return p, nil
}

// DataHealth loads the three logs over span and checks whether figures
// made from them can be trusted (analysis.DataHealth): rows and span,
// retention, order, duplicates, days without rows, unknown states, empty
// fields, metadata, and the store's last sync and completeness.
func (a *Account) DataHealth(span Span) (*analysis.Health, error) {
	api, err := a.WebAPI(span)
	if err != nil {
		return nil, err
	}
	ev, err := a.Events(span)
	if err != nil {
		return nil, err
	}
	obj, err := a.Objects(span)
	if err != nil {
		return nil, err
	}
	in, err := a.HealthInput(api, ev, obj)
	if err != nil {
		return nil, err
	}
	return analysis.DataHealth(in), nil
}
