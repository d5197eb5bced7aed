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

// SeatPeak is the high-water mark of concurrent floating seats in one time
// bucket, for one license or one product.
type SeatPeak struct {
	Key       string    // the license; empty on a product's row
	ProductID int       // the product
	Start     time.Time // the bucket's first instant
	Peak      int       // most seats in use at any instant of the bucket
	Limit     int       // the seat limit: the caller's for a license, their sum for a product; 0 when unknown
	OverLimit bool      // Peak is above a known Limit
}

// SeatPeaks is the peak concurrent floating seats per license and per
// product, per time bucket, from the same replay as SeatAudit. Only buckets
// with a seat in use are listed. As a chart it is one series per product
// over the buckets (Stacked).
type SeatPeaks struct {
	Per      time.Duration // the bucket size
	Licenses []SeatPeak    // by key, then time
	Products []SeatPeak    // by product, then time

	// The Stacked view over Products, made by PeakSeats.
	buckets []time.Time
	names   []string
	grid    [][]int // grid[bucket][product]
}

// change is a step in the number of seats in use.
type change struct {
	at    int64
	delta int
}

// PeakSeats replays every license's floating-seat rows in api (as
// SeatAudit does) and reports, per bucket of size per (time.Hour,
// 24*time.Hour, ...; aligned to midnight UTC), the most seats in use at
// once, per license and per product. limits maps a key to its seat limit
// (MaxNoOfMachines); keys it lacks have an unknown limit. A product's
// concurrent seats are summed over its licenses instant by instant, so its
// peak can be below the sum of their peaks.
func PeakSeats(api *logs.WebAPI, limits map[string]int, per time.Duration) (*SeatPeaks, error) {
	if per < time.Second || per%time.Second != 0 {
		return nil, fmt.Errorf("peak seats: bucket size %v; want a positive whole number of seconds, e.g. time.Hour", per)
	}
	for k, n := range limits {
		if n < 0 {
			return nil, fmt.Errorf("peak seats: the seat limit of %s is %d; want 0 (unknown) or more", k, n)
		}
	}
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState, logs.WebAPIMachineCode, logs.WebAPIFriendlyName, logs.WebAPIFloatingExpires)
	size := int64(per / time.Second)
	res := &SeatPeaks{Per: per}
	byProduct := map[int][]change{}
	productLimit := map[int]int{}
	keys := seatRowsByKey(api, "")
	for _, key := range sortedKeys(keys) {
		rows := keys[key]
		p := api.ProductID[rows[0]]
		ch := keyChanges(api, rows)
		lim := limits[key]
		sweep(ch, size, func(b int64, peak int) {
			res.Licenses = append(res.Licenses, SeatPeak{Key: key, ProductID: p, Start: bucketStart(b, size),
				Peak: peak, Limit: lim, OverLimit: lim > 0 && peak > lim})
		})
		byProduct[p] = append(byProduct[p], ch...)
		if cur, seen := productLimit[p]; lim == 0 || (seen && cur == 0) {
			productLimit[p] = 0
		} else {
			productLimit[p] = cur + lim
		}
	}
	for _, p := range sortedKeys(byProduct) {
		ch := byProduct[p]
		slices.SortStableFunc(ch, func(a, b change) int {
			if c := cmp.Compare(a.at, b.at); c != 0 {
				return c
			}
			return cmp.Compare(a.delta, b.delta) // frees before takes at one instant
		})
		lim := productLimit[p]
		sweep(ch, size, func(b int64, peak int) {
			res.Products = append(res.Products, SeatPeak{ProductID: p, Start: bucketStart(b, size),
				Peak: peak, Limit: lim, OverLimit: lim > 0 && peak > lim})
		})
	}
	res.stack()
	return res, nil
}

// sortedKeys returns a map's keys in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// keyChanges replays one license's rows and returns the changes in seats in
// use, in time order, including the expiries of seats still held after its
// last row.
func keyChanges(api *logs.WebAPI, rows []int) []change {
	var ch []change
	emit := func(s step) {
		if s.delta != 0 {
			ch = append(ch, change{s.at, s.delta})
		}
	}
	r := newSeatReplay()
	for _, i := range rows {
		if api.Time.At(i).IsZero() {
			continue
		}
		at := api.Time.At(i).Unix()
		r.expire(at, emit)
		r.apply(at, api.State[i], api.MachineCode.At(i), api.FriendlyName.At(i), expiresOf(api, i), emit)
	}
	r.expire(never-1, emit)
	slices.SortStableFunc(ch, func(a, b change) int { return cmp.Compare(a.at, b.at) })
	return ch
}

// sweep walks changes in time order and calls out for every bucket in
// which seats were in use, with the most in use at any instant of it.
func sweep(ch []change, size int64, out func(bucket int64, peak int)) {
	level, peak := 0, 0
	var cur int64
	for j, c := range ch {
		b := floorDiv(c.at, size)
		if j == 0 {
			cur = b
		}
		if b != cur {
			if peak > 0 {
				out(cur, peak)
			}
			if level > 0 { // seats held right through the buckets between
				for k := cur + 1; k < b; k++ {
					out(k, level)
				}
			}
			cur, peak = b, level
		}
		level += c.delta
		peak = max(peak, level)
	}
	if peak > 0 {
		out(cur, peak)
	}
}

// stack builds the per-product chart view.
func (sp *SeatPeaks) stack() {
	at := map[time.Time]int{}
	for _, r := range sp.Products {
		at[r.Start] = 0
	}
	sp.buckets = make([]time.Time, 0, len(at))
	for t := range at {
		sp.buckets = append(sp.buckets, t)
	}
	slices.SortFunc(sp.buckets, func(a, b time.Time) int { return a.Compare(b) })
	for i, t := range sp.buckets {
		at[t] = i
	}
	col := map[int]int{}
	for _, r := range sp.Products {
		if _, ok := col[r.ProductID]; !ok {
			col[r.ProductID] = len(sp.names)
			sp.names = append(sp.names, productLabel(r.ProductID))
		}
	}
	sp.grid = make([][]int, len(sp.buckets))
	for i := range sp.grid {
		sp.grid[i] = make([]int, len(sp.names))
	}
	for _, r := range sp.Products {
		sp.grid[at[r.Start]][col[r.ProductID]] = r.Peak
	}
}

// License returns one license's peaks as a time series.
func (sp *SeatPeaks) License(key string) *TimeSeries {
	ts := &TimeSeries{Name: "Peak seats"}
	for _, r := range sp.Licenses {
		if r.Key == key {
			ts.Times = append(ts.Times, r.Start)
			ts.Values = append(ts.Values, float64(r.Peak))
		}
	}
	return ts
}

// Len returns the number of buckets with a product's seat in use.
func (sp *SeatPeaks) Len() int { return len(sp.buckets) }

// Label names bucket i: its day, or its start to the minute for buckets
// shorter than a day.
func (sp *SeatPeaks) Label(i int) string {
	return bucketLabel(sp.buckets[i], int64(sp.Per/time.Second))
}

// Series names the products.
func (sp *SeatPeaks) Series() []string { return sp.names }

// Value returns product s's peak in bucket i (0 when none was in use).
func (sp *SeatPeaks) Value(i, s int) float64 { return float64(sp.grid[i][s]) }

func (sp *SeatPeaks) columns() []col {
	rows := append(slices.Clone(sp.Licenses), sp.Products...)
	return []col{
		strCol("Scope", rows, func(r SeatPeak) string {
			if r.Key == "" {
				return "product"
			}
			return "license"
		}),
		strCol("Key", rows, func(r SeatPeak) string { return r.Key }),
		intCol("Product", rows, func(r SeatPeak) int { return r.ProductID }),
		timeCol("Bucket start", rows, func(r SeatPeak) time.Time { return r.Start }),
		intCol("Peak seats", rows, func(r SeatPeak) int { return r.Peak }),
		intCol("Seat limit", rows, func(r SeatPeak) int { return r.Limit }),
		boolCol("Over limit", rows, func(r SeatPeak) bool { return r.OverLimit }),
	}
}

// Frame returns the license rows then the product rows: Scope ("license"
// or "product"), Key, Product, Bucket start, Peak seats, Seat limit (0 =
// unknown), Over limit.
func (sp *SeatPeaks) Frame() dataframe.DataFrame { return frameOf(sp.columns()) }

// WriteCSV writes the peaks as CSV with the same columns as Frame.
func (sp *SeatPeaks) WriteCSV(w io.Writer) error { return writeCols(w, sp.columns()) }
