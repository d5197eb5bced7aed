package analysis

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/logs"
)

// RenewalHorizons are the look-aheads of Renewals, in days: a license
// expiring within 30 days is in the first, within 60 the second, within 90
// the third.
var RenewalHorizons = []int{30, 60, 90}

// Use is how much a license has been used lately, from the Web API Log.
type Use string

// The kinds of recent use. A license is in use when it made a request in
// the last 14 days of the period (recentDays), fading when its last
// request was earlier in the period, and unused when the period holds no
// request of it. Read a period of 60 days or more, so "fading" has room.
const (
	InUse  Use = "in use"
	Fading Use = "fading"
	Unused Use = "unused"
)

// Renewal is one license that expires soon, with its recent use.
type Renewal struct {
	Key       string
	ProductID int
	Customer  string
	Expires   time.Time
	Within    int // the first of RenewalHorizons it expires within, in days
	Use       Use
	LastSeen  time.Time // its last request in the period; zero if none
	Recent    int       // its requests in the last 14 days of the period
	Trial     bool
}

// RenewalList is the licenses that expire within the longest of
// RenewalHorizons (90 days) after the end of the period, soonest first,
// with each one's recent use: the renewals to chase (in use: the customer
// needs it), and the ones to ask about (fading, unused). As a chart it is
// one bar per horizon: the licenses expiring within it (and not an
// earlier one).
type RenewalList struct {
	AsOf time.Time
	Rows []Renewal
}

// renewals lists the licenses of ls expiring within 90 days after api's
// period, with their use of the API in it.
func renewals(ls []license, api *logs.WebAPI) *RenewalList {
	api = webAPI(api)
	now := asOf(api)
	uses := usesByKey(api, now)
	longest := RenewalHorizons[len(RenewalHorizons)-1]
	res := &RenewalList{AsOf: now}
	for _, l := range ls {
		if !l.expiresWithin(now, nDays(longest)) {
			continue
		}
		r := Renewal{Key: l.Key, ProductID: l.ProductID, Customer: l.Customer, Expires: l.Expires, Trial: l.Trial, Use: Unused}
		for _, h := range RenewalHorizons {
			if l.expiresWithin(now, nDays(h)) {
				r.Within = h
				break
			}
		}
		if u := uses[l.Key]; u != nil {
			r.LastSeen, r.Recent, r.Use = u.Last, u.Recent, Fading
			if u.Recent > 0 {
				r.Use = InUse
			}
		}
		res.Rows = append(res.Rows, r)
	}
	slices.SortFunc(res.Rows, func(a, b Renewal) int {
		if c := a.Expires.Compare(b.Expires); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return res
}

// nDays is n days as a duration.
func nDays(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Count returns how many licenses expire within h days (one of
// RenewalHorizons, or any other) with the given use ("" for any).
func (r *RenewalList) Count(h int, use Use) int {
	n := 0
	for _, x := range r.Rows {
		if x.Within <= h && (use == "" || x.Use == use) {
			n++
		}
	}
	return n
}

// Len returns the number of horizons.
func (r *RenewalList) Len() int { return len(RenewalHorizons) }

// Label names horizon i: "≤ 30 days", "31–60 days", ...
func (r *RenewalList) Label(i int) string {
	if i == 0 {
		return "≤ " + strconv.Itoa(RenewalHorizons[0]) + " days"
	}
	return strconv.Itoa(RenewalHorizons[i-1]+1) + "–" + strconv.Itoa(RenewalHorizons[i]) + " days"
}

// Value returns the licenses expiring in horizon i and not an earlier one.
func (r *RenewalList) Value(i int) float64 {
	n := 0
	for _, x := range r.Rows {
		if x.Within == RenewalHorizons[i] {
			n++
		}
	}
	return float64(n)
}

func (r *RenewalList) columns() []col {
	return []col{
		strCol("Key", r.Rows, func(x Renewal) string { return x.Key }),
		intCol("Product", r.Rows, func(x Renewal) int { return x.ProductID }),
		strCol("Customer", r.Rows, func(x Renewal) string { return x.Customer }),
		timeCol("Expires", r.Rows, func(x Renewal) time.Time { return x.Expires }),
		intCol("Within days", r.Rows, func(x Renewal) int { return x.Within }),
		strCol("Use", r.Rows, func(x Renewal) string { return string(x.Use) }),
		timeCol("Last seen", r.Rows, func(x Renewal) time.Time { return x.LastSeen }),
		intCol("Requests last 14 days", r.Rows, func(x Renewal) int { return x.Recent }),
		boolCol("Trial", r.Rows, func(x Renewal) bool { return x.Trial }),
	}
}

// Frame returns one row per license: Key, Product, Customer, Expires,
// Within days, Use, Last seen, Requests last 14 days, Trial.
func (r *RenewalList) Frame() dataframe.DataFrame { return frameOf(r.columns()) }

// WriteCSV writes the renewals as CSV with the same columns as Frame.
func (r *RenewalList) WriteCSV(w io.Writer) error { return writeCols(w, r.columns()) }
