package analysis

import (
	"cmp"
	"io"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// AtLimit is one floating license's time at or over its seat limit.
type AtLimit struct {
	Key        string
	ProductID  int
	Customer   string
	Limit      int           // seats purchased (MaxNoOfMachines)
	Peak       int           // most seats held at once in the period
	AtLimit    time.Duration // time with every seat taken, or more (overdraft)
	Share      float64       // AtLimit over the period's length
	Overdrafts int           // seats taken over the limit (2015) in the period
	Refused    int           // devices refused for want of a seat (2024) in the period
}

// UpsellList is the floating licenses ranked by how long they ran at or
// over their seat limit in the period (Zentitle's overdraft tracker): a
// customer whose seats are all taken most of the day is one to offer more
// seats, and the refusals are users who could not start the program. The
// seat replay is SeatAudit's. Licenses that never reached their limit are
// left out. As a chart it is one bar per license: hours at the limit.
type UpsellList struct {
	Period logs.Window
	Rows   []AtLimit
}

// upsell replays the seats of every floating license of ls with a limit
// over api's period.
func upsell(ls []license, api *logs.WebAPI) *UpsellList {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIState, logs.WebAPIMachineCode, logs.WebAPIFriendlyName, logs.WebAPIFloatingExpires)
	from, to := api.Period.From.Unix(), asOf(api).Unix()
	if api.Period.From.IsZero() && api.Len() > 0 {
		from = slices.Min(api.Time)
	}
	res := &UpsellList{Period: api.Period}
	rows := seatRowsByKey(api, "")
	for _, l := range ls {
		if l.Seats <= 0 || rows[l.Key] == nil { // a license with seat rows is floating, seat held now or not
			continue
		}
		a := AtLimit{Key: l.Key, ProductID: l.ProductID, Customer: l.Customer, Limit: l.Seats}
		level, since := 0, from
		for _, c := range keyChanges(api, rows[l.Key]) {
			at := min(max(c.at, from), to)
			if level >= l.Seats {
				a.AtLimit += time.Duration(at-since) * time.Second
			}
			if c.at >= from && c.at < to {
				a.Peak = max(a.Peak, level, level+c.delta)
			}
			level, since = level+c.delta, at
		}
		if level >= l.Seats {
			a.AtLimit += time.Duration(to-since) * time.Second
		}
		for _, i := range rows[l.Key] {
			if t := api.Time[i]; t < from || t >= to {
				continue
			}
			switch api.State[i] {
			case cryptolens.StateFloatingOverdraft:
				a.Overdrafts++
			case cryptolens.StateNoFreeSeat:
				a.Refused++
			}
		}
		if a.AtLimit == 0 && a.Refused == 0 {
			continue
		}
		if to > from {
			a.Share = a.AtLimit.Seconds() / float64(to-from)
		}
		res.Rows = append(res.Rows, a)
	}
	slices.SortFunc(res.Rows, func(x, y AtLimit) int {
		if c := cmp.Compare(y.AtLimit, x.AtLimit); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Refused, x.Refused); c != 0 {
			return c
		}
		return cmp.Compare(x.Key, y.Key)
	})
	return res
}

// Len returns the number of licenses.
func (u *UpsellList) Len() int { return len(u.Rows) }

// Label returns license i's key.
func (u *UpsellList) Label(i int) string { return u.Rows[i].Key }

// Value returns license i's hours at or over its limit.
func (u *UpsellList) Value(i int) float64 { return u.Rows[i].AtLimit.Hours() }

func (u *UpsellList) columns() []col {
	return []col{
		strCol("Key", u.Rows, func(a AtLimit) string { return a.Key }),
		intCol("Product", u.Rows, func(a AtLimit) int { return a.ProductID }),
		strCol("Customer", u.Rows, func(a AtLimit) string { return a.Customer }),
		intCol("Seats", u.Rows, func(a AtLimit) int { return a.Limit }),
		intCol("Peak seats", u.Rows, func(a AtLimit) int { return a.Peak }),
		floatCol("Hours at limit", u.Rows, func(a AtLimit) float64 { return a.AtLimit.Hours() }),
		floatCol("Share of period", u.Rows, func(a AtLimit) float64 { return a.Share }),
		intCol("Overdrafts", u.Rows, func(a AtLimit) int { return a.Overdrafts }),
		intCol("Refused", u.Rows, func(a AtLimit) int { return a.Refused }),
	}
}

// Frame returns one row per license: Key, Product, Customer, Seats, Peak
// seats, Hours at limit, Share of period, Overdrafts, Refused.
func (u *UpsellList) Frame() dataframe.DataFrame { return frameOf(u.columns()) }

// WriteCSV writes the list as CSV with the same columns as Frame.
func (u *UpsellList) WriteCSV(w io.Writer) error { return writeCols(w, u.columns()) }

// Top returns the list's first n licenses (all of them when n is larger
// or negative), the most time at the limit first.
func (u *UpsellList) Top(n int) *UpsellList {
	rows := u.Rows
	if n >= 0 && n < len(rows) {
		rows = rows[:n:n]
	}
	return &UpsellList{Period: u.Period, Rows: rows}
}
