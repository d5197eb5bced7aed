package lenslog

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/logs"
)

// Filter narrows what a load returns; see Product and Columns.
type Filter struct {
	product int
	columns logs.Columns
	// previous marks the load of a previous period for value boxes
	// (a Previous span): finding no rows there is a figure of the
	// report, not what its parameters named, so the load returns the
	// empty table and the provenance records no NoData for it.
	previous bool
}

// Product keeps the rows of one product (its ProductId in the dashboard);
// 0 keeps every product, so a notebook parameter "product = 0" means all.
func Product(id int) Filter { return Filter{product: id} }

// Columns loads only the named columns of a log (the table's field names,
// e.g. "Key", "State"), besides the id and the time, which every load
// has: a cell that needs three columns of a million rows reads and holds
// those three. The analyses say which columns they read; one that needs a
// column the table lacks panics naming it. Without Columns a load has
// every column.
func Columns(names ...string) Filter { return Filter{columns: names} }

// combine merges filters: a later product wins, columns add up.
func combine(fs []Filter) Filter {
	var f Filter
	for _, x := range fs {
		if x.product != 0 {
			f.product = x.product
		}
		f.columns = append(f.columns, x.columns...)
	}
	return f
}

// loadColumns returns the columns a load with f reads, checked against
// the table's (all), with what the filter itself needs; nil means all.
func (f Filter) loadColumns(table string, all logs.Columns) (logs.Columns, error) {
	if len(f.columns) == 0 {
		return nil, nil
	}
	if err := all.Check(table, f.columns); err != nil {
		return nil, err
	}
	cols := slices.Clone(f.columns)
	if f.product != 0 {
		cols = append(cols, "ProductID")
	}
	return cols, nil
}

// String says what the filter keeps, e.g. "product 3941"; "" for all.
func (f Filter) String() string {
	if f.product == 0 {
		return ""
	}
	return fmt.Sprintf("product %d", f.product)
}

// NoDataError says that a value the notebook was given names nothing in
// the account: a product without rows in the window, a key that made no
// request. In a notebook, Must shows it as a message and skips the rest of
// the cell instead of failing.
type NoDataError struct {
	What   string // e.g. "product 9999"
	Log    string // e.g. "Web API Log"
	Window logs.Window
	Hint   string // what there is instead, e.g. "products with rows there: 3941 (2,113), 3942 (870)"
}

// Error says what has no rows, where, and what there is instead.
func (e *NoDataError) Error() string {
	s := fmt.Sprintf("%s has no rows in the %s over %s", e.What, e.Log, e.Window)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// newRead starts the provenance record of one load.
func (a *Account) newRead(log string, span Span, w logs.Window, ids []int64) Read {
	r := Read{Account: a.Info(), Now: a.Now(), Log: log, Span: span.String(), From: w.From, To: w.To,
		Rows: len(ids), Pinned: a.pins.Pinned()}
	for _, id := range ids {
		r.MaxID = max(r.MaxID, id)
	}
	if cut, ok := a.pins.MaxIDs[log]; ok {
		r.Cut = cut
	}
	return r
}

// finish records a load and, when a filter left nothing of rows that were
// there, returns a NoDataError naming what there is instead.
func (a *Account) finish(r *Read, f Filter, kept int, products []int, logName string) error {
	r.Filter, r.Kept = f.String(), kept
	var noData error
	if r.Rows == 0 {
		if err := a.emptyLoad(*r); err != nil {
			if !errors.As(err, new(*NoDataError)) {
				return err
			}
			noData = err
		}
	}
	if f.product != 0 && kept == 0 && noData == nil {
		noData = &NoDataError{What: f.String(), Log: logName, Window: r.Window(), Hint: productHint(products)}
	}
	if f.previous {
		noData = nil
	}
	if noData != nil {
		r.NoData = noData.Error()
	}
	if err := record(a.provenance, *r); err != nil {
		return err
	}
	return noData
}

// productHint lists the products that do have rows, busiest first.
func productHint(products []int) string {
	if len(products) == 0 {
		return "the log has no rows at all in this window: widen the period"
	}
	n := map[int]int{}
	for _, p := range products {
		n[p]++
	}
	ids := make([]int, 0, len(n))
	for p := range n {
		ids = append(ids, p)
	}
	slices.SortFunc(ids, func(x, y int) int { return cmp.Or(cmp.Compare(n[y], n[x]), cmp.Compare(x, y)) })
	var parts []string
	for i, p := range ids {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ids)-10))
			break
		}
		parts = append(parts, fmt.Sprintf("%d (%d rows)", p, n[p]))
	}
	return "products with rows there: " + strings.Join(parts, ", ")
}

// KeyRows returns the rows of api for one license key, typed by a person
// (it is mapped as Key maps it) or as the table shows it (a pseudonym
// when redacting, e.g. a key an analysis picked), or a NoDataError naming
// the busiest keys when the key made no request in api.
func (a *Account) KeyRows(api *logs.WebAPI, key string) (*logs.WebAPI, error) {
	k := a.Key(key)
	if _, shown := api.Key.Code(key); shown {
		k = key
	}
	if code, ok := api.Key.Code(k); ok {
		if one := api.Where(func(i int) bool { return api.Key.Codes[i] == code }); one.Len() > 0 {
			return one, nil
		}
	}
	err := &NoDataError{What: "key " + k, Log: "Web API Log", Window: tableWindow(api), Hint: keyHint(api)}
	w := err.Window
	r := Read{Account: a.Info(), Now: a.Now(), Log: "webapi", From: w.From, To: w.To, Filter: err.What,
		Pinned: a.pins.Pinned(), NoData: err.Error()} // narrowed a loaded table: no rows read
	if rerr := record(a.provenance, r); rerr != nil {
		return nil, rerr
	}
	return nil, err
}

// keyHint lists the busiest keys of api.
func keyHint(api *logs.WebAPI) string {
	top := analysis.RequestsByKey(api).Top(5)
	if len(top.Rows) == 0 {
		return "the log has no rows at all in this window: widen the period"
	}
	var keys []string
	for _, r := range top.Rows {
		keys = append(keys, r.Label)
	}
	return "the busiest keys there: " + strings.Join(keys, ", ")
}

// tableWindow is the span of times a table holds, for messages.
func tableWindow(api *logs.WebAPI) logs.Window {
	if api.Len() == 0 {
		return logs.Window{}
	}
	return logs.Window{From: api.Time.At(0), To: api.Time.At(api.Len() - 1)}
}
