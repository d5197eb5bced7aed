package lenslog

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// The three logs load through one path, loadLog: resolve the span
// against the account's now, fetch the rows of the window from the source
// (the sample account, the store after a sync, or the API), cap them at a
// replay's pins, record the read, narrow by product, redact, and note the
// window in the table's Period. What differs per log is a logKind value:
// the columns, the source hooks and the redaction. The kinds and the
// Account methods that load them (Account.WebAPI, ...) are generated from
// the description in internal/logschema (kinds_gen.go), as are the
// tables' own methods, which do the rest.

// logKind describes one log to loadLog: its rows R and its table T.
type logKind[R cryptolens.Row, T any] struct {
	name     string       // provenance and pins name: "webapi"
	title    string       // for messages: "Web API Log"
	learned  string       // its name among the logs redaction learns: "web api"
	freeText bool         // it has free text, which loses the other logs' identifiers too
	columns  logs.Columns // every column, for Columns filters
	// products returns the table's product column; nil for a log without
	// one, which Product cannot narrow.
	products func(*T) []int
	ids      func(*T) []int64
	sample   func(*sample.Account) []R                                                    // the sample account's rows
	stored   logstore.Log                                                                 // the store's name for it
	load     func(*logstore.Store, logs.Window, ...string) (*T, error)                    // a load from the store
	pages    func(context.Context, *cryptolens.Client, logs.Window) iter.Seq2[[]R, error] // the API's pages for a window
	redact   func(*logs.Redactor, *T) *T
	learn    func(*logs.Redactor, *T) // teaches the redactor the table's identifiers
	period   func(*T, logs.Window)    // records the window the table was loaded for
}

// table is what loadLog asks of a log's table type.
type table[R any, T any] interface {
	*T
	Append(...R)
	Only(logs.Columns) *T
	Where(keep func(i int) bool) *T
	Len() int
}

// loadLog loads one log for span: the rows in the window, below a
// replay's id cap, recorded, narrowed by the filters, redacted, with the
// window in the table's Period.
func loadLog[R cryptolens.Row, T any, P table[R, T]](a *Account, k logKind[R, T], span Span, filters []Filter) (*T, error) {
	w := span.Window(a.Now())
	f := combine(filters)
	f.previous = span.IsBefore()
	if f.product != 0 && k.products == nil {
		return nil, fmt.Errorf("%s: it has no product, so it cannot be narrowed to %s", lower(k.title), f)
	}
	cols, err := f.loadColumns(k.title, k.columns)
	if err != nil {
		return nil, err
	}
	t, err := fetch[R, T, P](a.ctx, a.src, k, w, cols)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lower(k.title), err)
	}
	if cut, ok := a.pins.MaxIDs[k.name]; ok {
		ids := k.ids(t)
		t = P(t).Where(func(i int) bool { return ids[i] <= cut })
	}
	r := a.newRead(k.name, span, w, k.ids(t))
	if f.product != 0 {
		all := k.products(t)
		t = P(t).Where(func(i int) bool { return all[i] == f.product })
		err = a.finish(&r, f, P(t).Len(), all, k.title)
	} else {
		err = a.finish(&r, f, P(t).Len(), nil, "")
	}
	if err != nil {
		return nil, err
	}
	if t, err = redactLog(a, k, t, w, cols == nil); err != nil {
		return nil, err
	}
	k.period(t, w)
	return t, nil
}

// fetch reads the rows of window w with columns cols (all when nil) from
// the source: the sample account's rows, the store's (synced first), or
// the API's pages.
func fetch[R cryptolens.Row, T any, P table[R, T]](ctx context.Context, src source, k logKind[R, T], w logs.Window, cols logs.Columns) (*T, error) {
	switch s := src.(type) {
	case *sampleSource:
		t := P(new(T))
		t.Append(inWindow(k.sample(s.acct), w)...)
		return t.Only(cols), nil
	case *storeSource:
		if err := s.sync(ctx, k.stored, w); err != nil {
			return nil, err
		}
		return k.load(s.store, w, cols...)
	case *apiSource:
		t := P(new(T))
		err := collect(k.pages(ctx, s.client, w), w, t.Append)
		return t.Only(cols), err
	}
	return nil, fmt.Errorf("no source of the %s: %T", k.title, src)
}

// redactLog redacts a table loaded for w, once the identifiers of the
// other logs in w are learned (the Events and Object Logs hold free text
// that may name them); its own identifiers count as learned for w when
// the table has every column (whole).
func redactLog[R cryptolens.Row, T any](a *Account, k logKind[R, T], t *T, w logs.Window, whole bool) (*T, error) {
	if a.redactor == nil {
		return t, nil
	}
	if k.freeText {
		if err := a.learnOthers(k.learned, w); err != nil {
			return nil, err
		}
	}
	t = k.redact(a.redactor, t)
	if whole {
		a.learned.add(k.learned, w)
	}
	return t, nil
}

// learnLog has the redactor learn the identifiers of one log in w.
func learnLog[R cryptolens.Row, T any, P table[R, T]](a *Account, k logKind[R, T], w logs.Window) error {
	t, err := fetch[R, T, P](a.ctx, a.src, k, w, nil)
	if t != nil {
		k.learn(a.redactor, t)
	}
	return err
}

// lower returns a title as it reads inside a sentence: "web api log".
func lower(title string) string {
	return strings.ToLower(title)
}
