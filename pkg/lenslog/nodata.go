package lenslog

import (
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// logTitles are the logs' names in messages, by the name a Read records.
var logTitles = map[string]string{"webapi": "Web API Log", "events": "Events Log", "objects": "Object Log"}

// Held is what a source holds of one log: its rows and the times of the
// oldest and the newest (zero when it holds none).
type Held struct {
	Rows        int
	First, Last time.Time
	// Stored says the rows are what a local store synced so far, which
	// need not reach back to the log's first row.
	Stored bool
}

// String says what is held, e.g. "holds 812 rows, from 2026-07-08 09:12
// to 2026-11-05 23:58 UTC", after the log's name.
func (h Held) String() string {
	const day = "2006-01-02 15:04"
	switch {
	case h.Rows == 0 && h.Stored:
		return "has no rows in the local store: the account had none in the periods read so far"
	case h.Rows == 0:
		return "has no rows at all"
	case h.Stored:
		return fmt.Sprintf("has %d rows in the local store, from %s to %s UTC", h.Rows, h.First.UTC().Format(day), h.Last.UTC().Format(day))
	}
	return fmt.Sprintf("holds %d rows, from %s to %s UTC", h.Rows, h.First.UTC().Format(day), h.Last.UTC().Format(day))
}

// holder is a source that can tell what it holds of a log without fetching
// anything: the sample account and the local store can, the API read
// directly cannot.
type holder interface {
	held(log string) (Held, error)
}

// emptyLoad is what a load whose window held no rows returns: a
// *NoDataError saying why and what the log does hold, or nil when an
// empty table is a fair answer. The Web API Log is every notebook's
// subject, so an empty window of it is always "no data"; the Events and
// Object logs may be quiet for a while, or unused, so an empty window of
// theirs is "no data" only when the period lies outside what they hold
// (after the account's now, or before their oldest row); a Usage
// Analytics table's, only after the account's now.
func (a *Account) emptyLoad(r Read) error {
	w := r.Window()
	name := logTitles[r.Log]
	if name == "" { // a Usage Analytics table: only a period after now is sure to name nothing
		if w.From.IsZero() || w.From.Before(a.Now()) {
			return nil
		}
		return &NoDataError{What: "the period " + r.Span, Log: "Usage Analytics table " + r.Log, Window: w,
			Hint: "it starts after the account's now, " + a.Now().Format("2006-01-02 15:04 UTC")}
	}
	nd := &NoDataError{What: "the period " + r.Span, Log: name, Window: w}
	h, canTell := a.src.(holder)
	var held Held
	if canTell {
		var err error
		if held, err = h.held(r.Log); err != nil {
			return err
		}
	}
	switch {
	case !w.From.IsZero() && !w.From.Before(a.Now()):
		nd.Hint = "it starts after the account's now, " + a.Now().Format("2006-01-02 15:04 UTC")
	case canTell && held.Rows > 0 && !w.To.IsZero() && !w.To.After(held.First):
		nd.Hint = "it ends before the log's oldest row"
	case r.Log != "webapi":
		return nil
	case canTell && held.Rows == 0 && !held.Stored:
		nd.What, nd.Hint = "the account", "no client has called the API yet, or the token reads another account"
		return nd
	default:
		nd.Hint = "no request was logged in it"
	}
	if canTell {
		nd.Hint += "; the " + name + " " + held.String()
	} else {
		nd.Hint += ": widen the period"
	}
	return nd
}

// held is what the sample account holds of a log.
func (s *sampleSource) held(log string) (Held, error) {
	switch log {
	case "webapi":
		return heldRows(s.acct.WebAPI), nil
	case "events":
		return heldRows(s.acct.Events), nil
	default:
		return heldRows(s.acct.Objects), nil
	}
}

// heldRows is what rows hold; their times need not be in order.
func heldRows[R cryptolens.Row](rows []R) Held {
	h := Held{Rows: len(rows)}
	for i, r := range rows {
		t := r.RowTime()
		if i == 0 || t.Before(h.First) {
			h.First = t
		}
		if t.After(h.Last) {
			h.Last = t
		}
	}
	return h
}

// held is what the local store holds of a log, from its manifest.
func (s *storeSource) held(log string) (Held, error) {
	info, err := s.store.Info(logstore.Log(log))
	if err != nil {
		return Held{}, err
	}
	h := Held{Rows: info.Rows, First: info.First, Last: info.Last, Stored: !info.HistoryStart}
	return h, nil
}

// noData records nd in the provenance, as a read of the Web API Log that
// narrowed a loaded table (no rows read), so the report lists the notebook
// as "no data"; it returns nd, or the error recording it met.
func (a *Account) noData(nd *NoDataError) error {
	r := Read{Account: a.Info(), Now: a.Now(), Log: "webapi", From: nd.Window.From, To: nd.Window.To,
		Filter: nd.What, Pinned: a.pins.Pinned(), NoData: nd.Error()}
	if err := record(a.provenance, r); err != nil {
		return err
	}
	return nd
}
