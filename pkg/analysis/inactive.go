package analysis

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/logs"
)

// DefaultInactiveDays is how long a key must be silent to count as
// inactive when InactiveLicenses is asked for the default.
const DefaultInactiveDays = 30

// LastSeen is one key's most recent activity in the Web API Log.
type LastSeen struct {
	Key        string
	ProductID  int
	LastSeen   time.Time     // the key's latest request at or before AsOf
	Silent     time.Duration // AsOf minus LastSeen
	DaysSilent int           // whole days of Silent
	Requests   int           // the key's requests at or before AsOf
}

// KeyActivity is the last activity per license key as of an instant,
// longest silent first. As a chart it is one bar per key: its days silent.
type KeyActivity struct {
	AsOf time.Time
	Days int // the silence threshold for InactiveLicenses; 0 for LastActivity
	Rows []LastSeen
}

// LastActivity returns every key's last request in api as of now (a zero
// now means the current time), longest silent first. Rows after now are
// ignored; rows without a time too. Keys that never made a request are not
// in the Web API Log and so not here.
func LastActivity(api *logs.WebAPI, now time.Time) *KeyActivity {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIProductID)
	if now.IsZero() {
		now = time.Now().UTC().Truncate(time.Second)
	}
	type agg struct {
		last     time.Time
		product  int
		requests int
	}
	by := map[string]*agg{}
	var cur *agg
	var curKey string
	for i := range api.Time {
		t := api.Time.At(i)
		if t.IsZero() || t.After(now) {
			continue
		}
		if cur == nil || api.Key.At(i) != curKey {
			curKey = api.Key.At(i)
			cur = by[curKey]
			if cur == nil {
				cur = &agg{}
				by[curKey] = cur
			}
		}
		cur.requests++
		if t.After(cur.last) || cur.last.IsZero() {
			cur.last, cur.product = t, api.ProductID[i]
		}
	}
	a := &KeyActivity{AsOf: now.UTC(), Rows: make([]LastSeen, 0, len(by))}
	for k, g := range by {
		silent := now.Sub(g.last)
		a.Rows = append(a.Rows, LastSeen{Key: k, ProductID: g.product, LastSeen: g.last, Silent: silent,
			DaysSilent: int(silent / (24 * time.Hour)), Requests: g.requests})
	}
	slices.SortFunc(a.Rows, func(x, y LastSeen) int {
		if c := x.LastSeen.Compare(y.LastSeen); c != 0 {
			return c
		}
		return cmp.Compare(x.Key, y.Key)
	})
	return a
}

// InactiveLicenses returns the keys in api silent for more than days days
// (0 means DefaultInactiveDays, 30) as of now (zero means the current
// time), longest silent first.
func InactiveLicenses(api *logs.WebAPI, now time.Time, days int) (*KeyActivity, error) {
	if days < 0 {
		return nil, fmt.Errorf("inactive licenses: days is %d; want 0 (the default, %d) or more", days, DefaultInactiveDays)
	}
	if days == 0 {
		days = DefaultInactiveDays
	}
	a := LastActivity(api, now)
	a.Days = days
	limit := time.Duration(days) * 24 * time.Hour
	a.Rows = slices.DeleteFunc(a.Rows, func(r LastSeen) bool { return r.Silent <= limit })
	return a, nil
}

// Len returns the number of keys.
func (a *KeyActivity) Len() int { return len(a.Rows) }

// Label returns key i.
func (a *KeyActivity) Label(i int) string { return a.Rows[i].Key }

// Value returns key i's days of silence, with fractions.
func (a *KeyActivity) Value(i int) float64 { return a.Rows[i].Silent.Hours() / 24 }

func (a *KeyActivity) columns() []col {
	return []col{
		strCol("Key", a.Rows, func(r LastSeen) string { return r.Key }),
		intCol("Product", a.Rows, func(r LastSeen) int { return r.ProductID }),
		timeCol("Last seen", a.Rows, func(r LastSeen) time.Time { return r.LastSeen }),
		intCol("Days silent", a.Rows, func(r LastSeen) int { return r.DaysSilent }),
		intCol("Requests", a.Rows, func(r LastSeen) int { return r.Requests }),
	}
}

// Frame returns one row per key: Key, Product, Last seen, Days silent
// (whole days), Requests.
func (a *KeyActivity) Frame() dataframe.DataFrame { return frameOf(a.columns()) }

// WriteCSV writes the keys as CSV with the same columns as Frame.
func (a *KeyActivity) WriteCSV(w io.Writer) error { return writeCols(w, a.columns()) }
