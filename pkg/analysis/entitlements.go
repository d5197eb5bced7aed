package analysis

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/logs"
)

// Grouping is what an entitlement summary adds licenses up by.
type Grouping int

// The groupings.
const (
	ByProduct Grouping = iota
	ByCustomer
)

// Entitlement is what one product or customer bought, activated and used
// (Thales Sentinel's entitlement summary).
type Entitlement struct {
	ProductID  int    // the product; 0 on a customer's row
	CustomerID int    // the customer; 0 on a product's row, and for licenses sold to none
	Name       string // "product 3349", or the customer's name ("no customer" for none)
	Licenses   int    // licenses in the list
	Seats      int    // machines or floating seats purchased: the licenses' MaxNoOfMachines added up
	Unlimited  int    // licenses without a machine limit (MaxNoOfMachines 0), not in Seats
	Activated  int    // machines activated now, from the license list
	PeakInUse  int    // each license's peak in use over the period, added up (see EntitlementSummary)
	Used       float64
	NextExpiry time.Time // the soonest expiry after the period's end; zero when none expires
	NextKey    string    // the license that expires then
}

// EntitlementSummary is the licenses of an account added up per product or
// per customer: how many seats were purchased, how many machines are
// activated, and how many were in use at the busiest moment of the
// period, from the Web API Log. In use means, for a floating license, the
// most seats held at one instant (the seat replay of SeatAudit); for a
// node-locked license, the machines that activated successfully in the
// period. A group's PeakInUse adds up its licenses' peaks, which need not
// fall at the same instant. Used is PeakInUse over Seats (0 when no seats
// are counted). As a chart it is one bar per group: Used.
type EntitlementSummary struct {
	By     Grouping
	AsOf   time.Time   // the end of the period
	Period logs.Window // the period peaks are read from
	Rows   []Entitlement
}

// entitlements adds up the licenses by product or customer, reading the
// peaks in use from api over its Period.
func entitlements(ls []license, api *logs.WebAPI, by Grouping) (*EntitlementSummary, error) {
	api = webAPI(api)
	if by != ByProduct && by != ByCustomer {
		return nil, fmt.Errorf("entitlement summary: grouping %d; want ByProduct or ByCustomer", by)
	}
	now := asOf(api)
	peaks := peaksInUse(api)
	res := &EntitlementSummary{By: by, AsOf: now, Period: api.Period}
	at := map[int]int{}
	for _, l := range ls {
		id, name := l.ProductID, productLabel(l.ProductID)
		if by == ByCustomer {
			id, name = l.CustomerID, l.Customer
			if id == 0 {
				name = "no customer"
			} else if name == "" {
				name = "customer " + strconv.Itoa(id)
			}
		}
		i, ok := at[id]
		if !ok {
			i = len(res.Rows)
			at[id] = i
			e := Entitlement{Name: name}
			if by == ByProduct {
				e.ProductID = id
			} else {
				e.CustomerID = id
			}
			res.Rows = append(res.Rows, e)
		}
		e := &res.Rows[i]
		e.Licenses++
		if l.Seats > 0 {
			e.Seats += l.Seats
		} else {
			e.Unlimited++
		}
		e.Activated += l.Activated
		e.PeakInUse += peaks[l.Key]
		if l.Expires.After(now) && (e.NextExpiry.IsZero() || l.Expires.Before(e.NextExpiry)) {
			e.NextExpiry, e.NextKey = l.Expires, l.Key
		}
	}
	for i := range res.Rows {
		if e := &res.Rows[i]; e.Seats > 0 {
			e.Used = float64(e.PeakInUse) / float64(e.Seats)
		}
	}
	slices.SortFunc(res.Rows, func(a, b Entitlement) int {
		if c := cmp.Compare(b.Licenses, a.Licenses); c != 0 {
			return c
		}
		return cmp.Compare(a.ProductID+a.CustomerID, b.ProductID+b.CustomerID)
	})
	return res, nil
}

// peaksInUse returns each key's peak in use over api's period: for keys
// with floating-seat rows the most seats held at once (seats taken before
// the period count while they last), for the others the machines that
// activated successfully in it.
func peaksInUse(api *logs.WebAPI) map[string]int {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIState, logs.WebAPIMachineCode, logs.WebAPIFriendlyName, logs.WebAPIFloatingExpires)
	in := api.Period.InUnix()
	out := map[string]int{}
	for key, rows := range seatRowsByKey(api, "") {
		level, peak := 0, 0
		for _, c := range keyChanges(api, rows) {
			if in(c.at) { // the seats held just before count too: held since the period began
				peak = max(peak, level, level+c.delta)
			}
			level += c.delta
		}
		out[key] = peak
	}
	machines := map[string]map[string]bool{}
	for i, s := range api.State {
		if _, floating := out[api.Key.At(i)]; floating || !successfulActivation(s) || !in(api.Time[i]) {
			continue
		}
		k := api.Key.At(i)
		if machines[k] == nil {
			machines[k] = map[string]bool{}
		}
		machines[k][api.MachineCode.At(i)] = true
	}
	for k, m := range machines {
		out[k] = len(m)
	}
	return out
}

// Len returns the number of groups.
func (s *EntitlementSummary) Len() int { return len(s.Rows) }

// Label names group i.
func (s *EntitlementSummary) Label(i int) string { return s.Rows[i].Name }

// Value returns group i's share of seats in use at its peak.
func (s *EntitlementSummary) Value(i int) float64 { return s.Rows[i].Used }

// Percent tells charts that values are shares.
func (s *EntitlementSummary) Percent() bool { return true }

func (s *EntitlementSummary) columns() []col {
	first := intCol("Product", s.Rows, func(e Entitlement) int { return e.ProductID })
	if s.By == ByCustomer {
		first = intCol("Customer", s.Rows, func(e Entitlement) int { return e.CustomerID })
	}
	return []col{
		first,
		strCol("Name", s.Rows, func(e Entitlement) string { return e.Name }),
		intCol("Licenses", s.Rows, func(e Entitlement) int { return e.Licenses }),
		intCol("Seats purchased", s.Rows, func(e Entitlement) int { return e.Seats }),
		intCol("Unlimited licenses", s.Rows, func(e Entitlement) int { return e.Unlimited }),
		intCol("Activated", s.Rows, func(e Entitlement) int { return e.Activated }),
		intCol("Peak in use", s.Rows, func(e Entitlement) int { return e.PeakInUse }),
		floatCol("Share used", s.Rows, func(e Entitlement) float64 { return e.Used }),
		timeCol("Next expiry", s.Rows, func(e Entitlement) time.Time { return e.NextExpiry }),
		strCol("Expiring key", s.Rows, func(e Entitlement) string { return e.NextKey }),
	}
}

// Frame returns one row per group: Product (or Customer), Name, Licenses,
// Seats purchased, Unlimited licenses, Activated, Peak in use, Share used
// (Used), Next expiry, Expiring key.
func (s *EntitlementSummary) Frame() dataframe.DataFrame { return frameOf(s.columns()) }

// WriteCSV writes the summary as CSV with the same columns as Frame.
func (s *EntitlementSummary) WriteCSV(w io.Writer) error { return writeCols(w, s.columns()) }

// Total adds up every group into one row named "all": the account's (or
// the customer's) licenses, seats, activations and peaks, the soonest
// expiry, and Used over the sums.
func (s *EntitlementSummary) Total() Entitlement {
	t := Entitlement{Name: "all"}
	for _, e := range s.Rows {
		t.Licenses += e.Licenses
		t.Seats += e.Seats
		t.Unlimited += e.Unlimited
		t.Activated += e.Activated
		t.PeakInUse += e.PeakInUse
		if !e.NextExpiry.IsZero() && (t.NextExpiry.IsZero() || e.NextExpiry.Before(t.NextExpiry)) {
			t.NextExpiry, t.NextKey = e.NextExpiry, e.NextKey
		}
	}
	if t.Seats > 0 {
		t.Used = float64(t.PeakInUse) / float64(t.Seats)
	}
	return t
}
