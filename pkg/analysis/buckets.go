package analysis

import (
	"slices"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// Bucket sizes in seconds. Buckets are aligned to the Unix epoch, so days
// run from midnight UTC and hours from the full hour.
const (
	hourSecs = int64(time.Hour / time.Second)
	daySecs  = 24 * hourSecs
)

// Label layouts for time buckets.
const (
	dayLayout  = "2006-01-02"
	hourLayout = "2006-01-02 15:00"
)

// floorDiv divides rounding towards minus infinity, so instants before
// 1970 still land in the bucket that starts before them.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// bucketOf returns the number of the size-second bucket holding t.
func bucketOf(t time.Time, size int64) int64 { return floorDiv(t.Unix(), size) }

// bucketStart returns the first instant of bucket b.
func bucketStart(b, size int64) time.Time { return time.Unix(b*size, 0).UTC() }

// bucketLabel names a bucket: its day for day-sized or larger buckets, else
// its start to the minute.
func bucketLabel(t time.Time, size int64) string {
	if size%daySecs == 0 {
		return t.UTC().Format(dayLayout)
	}
	return t.UTC().Format(hourLayout)
}

// webAPI, events and objects let every analysis accept a nil table as an
// empty one; webAPI and events panic, naming the column, when t was
// loaded without one of cols, the columns the analysis reads besides the
// id and the time.
func webAPI(t *logs.WebAPI, cols ...logs.WebAPIColumn) *logs.WebAPI {
	if t == nil {
		return &logs.WebAPI{}
	}
	t.Need(cols...)
	return t
}

func events(t *logs.Events, cols ...logs.EventsColumn) *logs.Events {
	if t == nil {
		return &logs.Events{}
	}
	t.Need(cols...)
	return t
}

func objects(t *logs.Objects) *logs.Objects {
	if t == nil {
		return &logs.Objects{}
	}
	return t
}

// share returns part/total, or 0 when total is 0.
func share(part, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(part) / float64(total)
}

// orNone shows an empty identifier as "(none)" in labels.
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// maxGapFill is how many buckets a time series may span and still list
// every bucket, empty ones included. A longer span (a stray timestamp years
// away) lists only the buckets that have data, so one bad row cannot make a
// table of millions of empty hours.
const maxGapFill = 100_000

// bucketer maps instants to consecutive slots of size-second buckets.
// Dense, every bucket from the first to the last with data has a slot;
// sparse, only buckets with data do. Zero times have no slot.
type bucketer struct {
	size        int64
	first, last int64
	dense       bool
	sparse      map[int64]int
	order       []int64
}

// timesOf returns ts as a logs.Times column, the zero time as 0.
func timesOf(ts ...time.Time) logs.Times {
	out := make(logs.Times, len(ts))
	for i, t := range ts {
		if !t.IsZero() {
			out[i] = t.Unix()
		}
	}
	return out
}

// newBucketer scans times once to find the span.
func newBucketer(times logs.Times, size int64) *bucketer {
	b := &bucketer{size: size, dense: true, first: 1, last: 0}
	seen := false
	for _, sec := range times {
		if sec == 0 {
			continue
		}
		k := floorDiv(sec, size)
		if !seen || k < b.first {
			b.first = k
		}
		if !seen || k > b.last {
			b.last = k
		}
		seen = true
	}
	if !seen || b.last-b.first < maxGapFill {
		return b
	}
	b.dense = false
	b.sparse = map[int64]int{}
	for _, sec := range times {
		if sec != 0 {
			b.sparse[floorDiv(sec, size)] = 0
		}
	}
	for k := range b.sparse {
		b.order = append(b.order, k)
	}
	slices.Sort(b.order)
	for i, k := range b.order {
		b.sparse[k] = i
	}
	return b
}

// slots returns the number of slots.
func (b *bucketer) slots() int {
	if b.dense {
		return int(max(0, b.last-b.first+1))
	}
	return len(b.order)
}

// slot returns the slot of t; false for the zero time.
func (b *bucketer) slot(t time.Time) (int, bool) {
	if t.IsZero() {
		return 0, false
	}
	return b.slotUnix(t.Unix())
}

// slotUnix returns the slot of a time held as unix seconds (a logs.Times
// value); false for 0, no time.
func (b *bucketer) slotUnix(sec int64) (int, bool) {
	if sec == 0 {
		return 0, false
	}
	k := floorDiv(sec, b.size)
	if b.dense {
		return int(k - b.first), true
	}
	s, ok := b.sparse[k]
	return s, ok
}

// each calls fn for every slot in time order with its bucket's start.
func (b *bucketer) each(fn func(slot int, start time.Time)) {
	if b.dense {
		for k := b.first; k <= b.last; k++ {
			fn(int(k-b.first), bucketStart(k, b.size))
		}
		return
	}
	for i, k := range b.order {
		fn(i, bucketStart(k, b.size))
	}
}
