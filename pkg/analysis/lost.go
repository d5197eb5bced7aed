package analysis

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// DefaultLostDays is how long a license must be silent to be declared
// lost (Revenera's default).
const DefaultLostDays = 40

// Lost is one license declared lost, with the last state seen before its
// silence.
type Lost struct {
	Key         string
	ProductID   int
	Customer    string
	LastSeen    time.Time
	DaysSilent  int
	LastState   cryptolens.State // what its last request got
	LastMachine string
	LastName    string // the last request's friendly name
	Requests    int    // its requests in the period
	Expires     time.Time
	Blocked     bool
}

// LostList is the licenses that made requests in the period and then
// none for more than Days days before its end (an installation declared
// lost), longest silent first, each with the last request seen: its
// state (a failure there may be why the customer stopped), machine and
// friendly name, and the license's expiry and block (an expired or
// blocked license going quiet is no surprise). Licenses never seen in
// the period are not here: see NeverUsed. As a chart it is one bar per
// license: days silent.
type LostList struct {
	AsOf time.Time
	Days int
	Rows []Lost
}

// lostLicenses finds the keys of api silent for more than days days (0:
// DefaultLostDays), with what ls says of them.
func lostLicenses(ls []license, api *logs.WebAPI, days int) (*LostList, error) {
	api = webAPI(api)
	if days < 0 {
		return nil, fmt.Errorf("lost licenses: days is %d; want 0 (the default, %d) or more", days, DefaultLostDays)
	}
	days = cmpOr(days, DefaultLostDays)
	now := asOf(api)
	byKey := make(map[string]license, len(ls))
	for _, l := range ls {
		byKey[l.Key] = l
	}
	res := &LostList{AsOf: now, Days: days}
	for key, u := range usesByKey(api, now) {
		silent := now.Sub(u.Last)
		if silent <= nDays(days) {
			continue
		}
		l := byKey[key]
		res.Rows = append(res.Rows, Lost{Key: key, ProductID: l.ProductID, Customer: l.Customer, LastSeen: u.Last,
			DaysSilent: int(silent / (24 * time.Hour)), LastState: u.LastState, LastMachine: u.LastMachine,
			LastName: u.LastName, Requests: u.Requests, Expires: l.Expires, Blocked: l.Blocked})
	}
	slices.SortFunc(res.Rows, func(a, b Lost) int {
		if c := a.LastSeen.Compare(b.LastSeen); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return res, nil
}

// Len returns the number of licenses.
func (l *LostList) Len() int { return len(l.Rows) }

// Label returns license i's key.
func (l *LostList) Label(i int) string { return l.Rows[i].Key }

// Value returns license i's whole days of silence.
func (l *LostList) Value(i int) float64 { return float64(l.Rows[i].DaysSilent) }

func (l *LostList) columns() []col {
	return []col{
		strCol("Key", l.Rows, func(x Lost) string { return x.Key }),
		intCol("Product", l.Rows, func(x Lost) int { return x.ProductID }),
		strCol("Customer", l.Rows, func(x Lost) string { return x.Customer }),
		timeCol("Last seen", l.Rows, func(x Lost) time.Time { return x.LastSeen }),
		intCol("Days silent", l.Rows, func(x Lost) int { return x.DaysSilent }),
		intCol("Last state", l.Rows, func(x Lost) cryptolens.State { return x.LastState }),
		strCol("Last state means", l.Rows, func(x Lost) string { return x.LastState.Description() }),
		strCol("Last machine", l.Rows, func(x Lost) string { return x.LastMachine }),
		strCol("Last friendly name", l.Rows, func(x Lost) string { return x.LastName }),
		intCol("Requests", l.Rows, func(x Lost) int { return x.Requests }),
		timeCol("Expires", l.Rows, func(x Lost) time.Time { return x.Expires }),
		boolCol("Blocked", l.Rows, func(x Lost) bool { return x.Blocked }),
	}
}

// Frame returns one row per license: Key, Product, Customer, Last seen,
// Days silent, Last state, Last state means, Last machine, Last friendly
// name, Requests, Expires, Blocked.
func (l *LostList) Frame() dataframe.DataFrame { return frameOf(l.columns()) }

// WriteCSV writes the licenses as CSV with the same columns as Frame.
func (l *LostList) WriteCSV(w io.Writer) error { return writeCols(w, l.columns()) }

// neverUsed returns the licenses of ls without a request in api up to
// its period's end, as KeyActivity rows (a zero LastSeen), oldest
// created first: the inactive licenses the log alone cannot show.
func neverUsed(ls []license, api *logs.WebAPI) *KeyActivity {
	api = webAPI(api)
	now := asOf(api)
	uses := usesByKey(api, now)
	a := &KeyActivity{AsOf: now}
	for _, l := range ls {
		if uses[l.Key] == nil && !l.Created.After(now) {
			a.Rows = append(a.Rows, LastSeen{Key: l.Key, ProductID: l.ProductID, Silent: now.Sub(l.Created),
				DaysSilent: int(now.Sub(l.Created) / (24 * time.Hour))})
		}
	}
	slices.SortStableFunc(a.Rows, func(x, y LastSeen) int { return cmp.Compare(y.Silent, x.Silent) })
	return a
}
