package analysis

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// BurstOptions are the thresholds of FailureBursts. The zero value means
// the defaults.
type BurstOptions struct {
	Bucket      time.Duration // bucket size; 0 means 1 hour
	MinFailures int           // a bucket needs at least this many failures; 0 means 5
	Factor      float64       // ... and at least Factor times the key's baseline; 0 means 5
}

// The defaults of BurstOptions.
const (
	DefaultBurstBucket      = time.Hour
	DefaultBurstMinFailures = 5
	DefaultBurstFactor      = 5.0
)

// withDefaults fills in zero fields and checks the rest.
func (o BurstOptions) withDefaults() (BurstOptions, error) {
	if o.Bucket == 0 {
		o.Bucket = DefaultBurstBucket
	}
	if o.MinFailures == 0 {
		o.MinFailures = DefaultBurstMinFailures
	}
	if o.Factor == 0 {
		o.Factor = DefaultBurstFactor
	}
	switch {
	case o.Bucket < time.Second || o.Bucket%time.Second != 0:
		return o, fmt.Errorf("failure bursts: Bucket is %v; want a positive whole number of seconds, e.g. time.Hour", o.Bucket)
	case o.MinFailures < 1:
		return o, fmt.Errorf("failure bursts: MinFailures is %d; want at least 1", o.MinFailures)
	case math.IsNaN(o.Factor) || math.IsInf(o.Factor, 0) || o.Factor < 0:
		return o, fmt.Errorf("failure bursts: Factor is %v; want a finite number of at least 0", o.Factor)
	}
	return o, nil
}

// Burst is a run of consecutive buckets in which one key's failures
// spiked.
type Burst struct {
	Key       string
	ProductID int
	Start     time.Time        // the first bucket's first instant
	End       time.Time        // the instant after the last bucket
	Failures  int              // failures in the burst
	Peak      int              // failures in its worst bucket
	Baseline  float64          // the key's failures per bucket outside its bursts
	TopState  cryptolens.State // the most frequent failure state in the burst
	TopStates int              // how many of the failures had TopState
}

// Bursts lists failure bursts, most failures first. As a chart it is one
// bar per burst: its failures.
//
// The rule: a key's failures are counted per bucket over its own span
// (from the bucket of its first request to the bucket of its last, empty
// buckets included). A bucket with c failures spikes when
//
//	c >= max(MinFailures, Factor × baseline)
//
// where baseline is the key's mean failures per bucket in the other
// buckets of its span (leaving the bucket itself out, so a spike does not
// raise its own bar; a key with a single bucket has baseline 0).
// Consecutive spiking buckets form one burst.
type Bursts struct {
	Options BurstOptions // the thresholds used, defaults filled in
	Rows    []Burst
}

// FailureBursts finds the time buckets in which one key's failed requests
// spike against that key's own baseline (see Bursts for the rule), like the
// bursts Cryptolens' anomaly dashboard flags.
func FailureBursts(api *logs.WebAPI, opt BurstOptions) (*Bursts, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState)
	size := int64(opt.Bucket / time.Second)
	keys := burstCounts(api, size)
	res := &Bursts{Options: opt}
	flagged := map[string]map[int64]int{} // key -> bucket -> index in res.Rows
	for _, key := range sortedKeys(keys) {
		k := keys[key]
		for _, b := range k.spikes(opt) {
			res.Rows = append(res.Rows, b.burst(key, k, size))
			idx := len(res.Rows) - 1
			if flagged[key] == nil {
				flagged[key] = map[int64]int{}
			}
			for x := b.first; x <= b.last; x++ {
				flagged[key][x] = idx
			}
		}
	}
	res.topStates(api, size, flagged, keys)
	slices.SortFunc(res.Rows, func(a, b Burst) int {
		if c := cmp.Compare(b.Failures, a.Failures); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return a.Start.Compare(b.Start)
	})
	return res, nil
}

// keyFailures is one key's failures per bucket over its span.
type keyFailures struct {
	product     int
	first, last int64         // the span, in bucket numbers
	perBucket   map[int64]int // buckets with failures
	total       int
}

// burstCounts counts each key's failures per bucket and finds its span.
func burstCounts(api *logs.WebAPI, size int64) map[string]*keyFailures {
	keys := map[string]*keyFailures{}
	var cur *keyFailures
	curKey := ""
	for i := range api.Time {
		t := api.Time.At(i)
		if t.IsZero() {
			continue
		}
		if cur == nil || api.Key.At(i) != curKey {
			curKey = api.Key.At(i)
			if cur = keys[curKey]; cur == nil {
				cur = &keyFailures{product: api.ProductID[i], first: math.MaxInt64, last: math.MinInt64, perBucket: map[int64]int{}}
				keys[curKey] = cur
			}
		}
		b := floorDiv(t.Unix(), size)
		cur.first, cur.last = min(cur.first, b), max(cur.last, b)
		if api.State[i].Outcome() == cryptolens.OutcomeFailure {
			cur.perBucket[b]++
			cur.total++
		}
	}
	return keys
}

// run is a run of consecutive spiking buckets.
type run struct {
	first, last int64
	failures    int
	peak        int
}

// spikes applies the rule to every bucket with failures and merges
// consecutive spikes into runs, in time order.
func (k *keyFailures) spikes(opt BurstOptions) []run {
	span := k.last - k.first + 1
	var hot []int64
	for b, c := range k.perBucket {
		base := 0.0
		if span > 1 {
			base = float64(k.total-c) / float64(span-1)
		}
		if c >= opt.MinFailures && float64(c) >= opt.Factor*base {
			hot = append(hot, b)
		}
	}
	slices.Sort(hot)
	var runs []run
	for _, b := range hot {
		c := k.perBucket[b]
		if n := len(runs); n > 0 && runs[n-1].last == b-1 {
			r := &runs[n-1]
			r.last, r.failures, r.peak = b, r.failures+c, max(r.peak, c)
			continue
		}
		runs = append(runs, run{first: b, last: b, failures: c, peak: c})
	}
	return runs
}

// burst turns a run into a reported burst; topStates fills in the rest.
func (r run) burst(key string, k *keyFailures, size int64) Burst {
	return Burst{Key: key, ProductID: k.product, Start: bucketStart(r.first, size), End: bucketStart(r.last+1, size),
		Failures: r.failures, Peak: r.peak}
}

// topStates finds each burst's most frequent failure state and fills in
// the baselines, in one more pass over the failures.
func (res *Bursts) topStates(api *logs.WebAPI, size int64, flagged map[string]map[int64]int, keys map[string]*keyFailures) {
	states := make([]map[cryptolens.State]int, len(res.Rows))
	hot := map[string]int{} // key -> failures in its bursts
	for i, s := range api.State {
		if s.Outcome() != cryptolens.OutcomeFailure || api.Time.At(i).IsZero() {
			continue
		}
		buckets := flagged[api.Key.At(i)]
		if buckets == nil {
			continue
		}
		idx, ok := buckets[floorDiv(api.Time.At(i).Unix(), size)]
		if !ok {
			continue
		}
		if states[idx] == nil {
			states[idx] = map[cryptolens.State]int{}
		}
		states[idx][s]++
		hot[api.Key.At(i)]++
	}
	for i := range res.Rows {
		b := &res.Rows[i]
		for s, n := range states[i] {
			if n > b.TopStates || (n == b.TopStates && s < b.TopState) {
				b.TopState, b.TopStates = s, n
			}
		}
		k := keys[b.Key]
		quiet := k.last - k.first + 1 - int64(len(flagged[b.Key]))
		if quiet > 0 {
			b.Baseline = float64(k.total-hot[b.Key]) / float64(quiet)
		}
	}
}

// Len returns the number of bursts.
func (res *Bursts) Len() int { return len(res.Rows) }

// Label names burst i: its key and start.
func (res *Bursts) Label(i int) string {
	return res.Rows[i].Key + " " + bucketLabel(res.Rows[i].Start, int64(res.Options.Bucket/time.Second))
}

// Value returns burst i's failures.
func (res *Bursts) Value(i int) float64 { return float64(res.Rows[i].Failures) }

func (res *Bursts) columns() []col {
	r := res.Rows
	return []col{
		strCol("Key", r, func(b Burst) string { return b.Key }),
		intCol("Product", r, func(b Burst) int { return b.ProductID }),
		timeCol("Start", r, func(b Burst) time.Time { return b.Start }),
		timeCol("End", r, func(b Burst) time.Time { return b.End }),
		intCol("Failures", r, func(b Burst) int { return b.Failures }),
		intCol("Peak", r, func(b Burst) int { return b.Peak }),
		floatCol("Baseline", r, func(b Burst) float64 { return b.Baseline }),
		strCol("Top state", r, func(b Burst) string { return b.TopState.String() }),
		strCol("Top state meaning", r, func(b Burst) string { return b.TopState.Description() }),
		intCol("Top state failures", r, func(b Burst) int { return b.TopStates }),
	}
}

// Frame returns one row per burst: Key, Product, Start, End, Failures,
// Peak (worst bucket), Baseline (failures per bucket outside bursts), Top
// state with its meaning and count.
func (res *Bursts) Frame() dataframe.DataFrame { return frameOf(res.columns()) }

// WriteCSV writes the bursts as CSV with the same columns as Frame.
func (res *Bursts) WriteCSV(w io.Writer) error { return writeCols(w, res.columns()) }
