package analysis

import (
	"cmp"
	"io"
	"slices"
	"strconv"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// Meter is the metered usage of one key or one data object.
type Meter struct {
	Key        string // the key; on a data object's row, the key of its first operation
	DataObject int64  // the data object's id; 0 on a key's row
	ProductID  int
	Operations int   // successful data-object operations
	Failed     int   // failed ones, left out of Total
	Total      int64 // the sum of doIntValue over the successful operations
}

// Metered is metered usage from data-object operations (state group 80):
// the sum of the integer values passed, per key or per data object,
// largest first. An application that counts usage by incrementing a data
// object leaves exactly this trail. Failed operations changed nothing, so
// they are counted but not summed. As a chart it is one bar per key or
// object: its Total.
type Metered struct {
	By   string // "Key" or "Data object"
	Rows []Meter
}

// MeteredByKey sums doIntValue per key over the successful data-object
// operations in api.
func MeteredByKey(api *logs.WebAPI) *Metered {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState, logs.WebAPIDOIntValue)
	return meter(api, "Key", func(i int) (string, int64) { return api.Key.At(i), 0 })
}

// MeteredByObject sums doIntValue per data object (doId) over the
// successful data-object operations in api.
func MeteredByObject(api *logs.WebAPI) *Metered {
	api = webAPI(api, logs.WebAPIDOID, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState, logs.WebAPIDOIntValue)
	return meter(api, "Data object", func(i int) (string, int64) { return "", api.DOID[i] })
}

// meter groups group-80 rows by what ident returns.
func meter(api *logs.WebAPI, by string, ident func(i int) (string, int64)) *Metered {
	type id struct {
		key string
		obj int64
	}
	at := map[id]int{}
	m := &Metered{By: by}
	for i, s := range api.State {
		if s.Group() != cryptolens.GroupDataObject {
			continue
		}
		k, o := ident(i)
		j, ok := at[id{k, o}]
		if !ok {
			j = len(m.Rows)
			at[id{k, o}] = j
			m.Rows = append(m.Rows, Meter{Key: api.Key.At(i), DataObject: o, ProductID: api.ProductID[i]})
		}
		r := &m.Rows[j]
		if s.Outcome() == cryptolens.OutcomeSuccess {
			r.Operations++
			r.Total += api.DOIntValue[i]
		} else {
			r.Failed++
		}
	}
	slices.SortFunc(m.Rows, func(a, b Meter) int {
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return cmp.Compare(a.DataObject, b.DataObject)
	})
	return m
}

// Len returns the number of rows.
func (m *Metered) Len() int { return len(m.Rows) }

// Label names row i: its key, or "object N".
func (m *Metered) Label(i int) string {
	if m.Rows[i].DataObject != 0 {
		return "object " + strconv.FormatInt(m.Rows[i].DataObject, 10)
	}
	return orNone(m.Rows[i].Key)
}

// Value returns row i's total.
func (m *Metered) Value(i int) float64 { return float64(m.Rows[i].Total) }

func (m *Metered) columns() []col {
	r := m.Rows
	cols := []col{}
	if m.By == "Data object" {
		cols = append(cols, intCol("Data object", r, func(x Meter) int64 { return x.DataObject }))
	}
	return append(cols,
		strCol("Key", r, func(x Meter) string { return x.Key }),
		intCol("Product", r, func(x Meter) int { return x.ProductID }),
		intCol("Operations", r, func(x Meter) int { return x.Operations }),
		intCol("Failed", r, func(x Meter) int { return x.Failed }),
		intCol("Total", r, func(x Meter) int64 { return x.Total }),
	)
}

// Frame returns one row per key or data object: Data object (per-object
// tables), Key, Product, Operations, Failed, Total.
func (m *Metered) Frame() dataframe.DataFrame { return frameOf(m.columns()) }

// WriteCSV writes the usage as CSV with the same columns as Frame.
func (m *Metered) WriteCSV(w io.Writer) error { return writeCols(w, m.columns()) }
