package analysis

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// ImpactOptions set the windows ChangeImpact compares. The zero value
// means three days before against three days after, at least 20 requests
// in each.
type ImpactOptions struct {
	Before, After time.Duration // the windows before and after a change; 0 means 72h
	MinRequests   int           // requests (with a known outcome) each window needs; 0 means 20
}

// Defaults of ImpactOptions.
const (
	DefaultImpactWindow = 72 * time.Hour
	DefaultMinRequests  = 20
)

func (o ImpactOptions) normalize() ImpactOptions {
	if o.Before == 0 {
		o.Before = DefaultImpactWindow
	}
	if o.After == 0 {
		o.After = DefaultImpactWindow
	}
	if o.MinRequests == 0 {
		o.MinRequests = DefaultMinRequests
	}
	return o
}

// ChangeEffect is how the failure rate of what one Object Log change
// affected moved: the affected key, product or data object's requests in
// the window after the change against the window before.
type ChangeEffect struct {
	Time     time.Time
	EntryID  int64  // the Object Log entry
	User     string // who made the change
	Type     cryptolens.ResourceType
	ObjectID int64
	Target   string // what the change affected, e.g. "product 5377" or "key ABCDE-..."
	Change   string // what it did, e.g. "updated: Block false → true"

	BeforeRequests, BeforeFailures int // requests with a known outcome, and failures, in the window before
	AfterRequests, AfterFailures   int // the same in the window after
	BeforeRate, AfterRate          float64

	Effect float64 // AfterRate - BeforeRate: the effect size, in rate points
	Excess float64 // failures after beyond what the rate before predicts: AfterFailures - BeforeRate*AfterRequests
	Z      float64 // two-proportion z statistic; |Z| >= 3 is unlikely to be chance
	Why    string  // one sentence with the numbers
}

// SkippedChange is a change ChangeImpact could not rank, and why.
type SkippedChange struct {
	Time    time.Time
	EntryID int64
	Target  string
	Kind    string // the reason in a few words, e.g. "too little traffic"
	Reason  string // the reason with the numbers
}

// The kinds of SkippedChange.
const (
	SkipNoLink      = "not named in the Web API Log"
	SkipKeyUnknown  = "key string unknown"
	SkipLowTraffic  = "too little traffic"
	SkipOutsideData = "window outside the loaded log"
)

// ChangeImpacts is the Object Log's changes ranked by how far failures of
// what they affected rose after them, most first; changes that cannot be
// judged are listed apart with the reason. As a chart it is the failure
// rate before and after each change (charts.GroupedBars), best with Top.
type ChangeImpacts struct {
	Options ImpactOptions
	Rows    []ChangeEffect
	Skipped []SkippedChange
}

// ChangeImpact ranks the changes in obj by how the failure rate of what
// each affected moved, in the Web API Log api, in opt.After after the
// change against opt.Before before it. A product change affects the
// product's requests, a license key change the key's (its string comes
// from the Object Log's own copy of the key, as in LicenseTimeline), a
// data-object change the requests on that data object (doId). Changes to
// anything else (customers, issuances), changes to keys whose copy the
// Object Log no longer holds, changes with fewer than opt.MinRequests
// requests in either window, and changes whose windows the loaded log does
// not cover are kept out, each with the reason.
//
// Changes are ranked by excess failures: how many more failures came after
// the change than the rate before predicts. That weighs a large rise on
// little traffic against a small rise on much; Effect (the rate's move)
// and Z (how unlikely the move is by chance) are given beside it.
func ChangeImpact(api *logs.WebAPI, obj *logs.Objects, opt ImpactOptions) (*ChangeImpacts, error) {
	opt = opt.normalize()
	if opt.Before < 0 || opt.After < 0 || opt.MinRequests < 0 {
		return nil, fmt.Errorf("change impact: windows %v before, %v after and minimum %d requests must not be negative",
			opt.Before, opt.After, opt.MinRequests)
	}
	api, obj = webAPI(api, logs.WebAPIDOID, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState), objects(obj)
	res := &ChangeImpacts{Options: opt}
	ix := newImpactIndex(api, obj)
	for i := range obj.ID {
		res.judge(ix, obj, i)
	}
	slices.SortStableFunc(res.Rows, func(a, b ChangeEffect) int {
		return cmp.Or(cmp.Compare(b.Excess, a.Excess), cmp.Compare(b.Z, a.Z), a.Time.Compare(b.Time), cmp.Compare(a.EntryID, b.EntryID))
	})
	return res, nil
}

// judge ranks or skips Object Log entry i.
func (res *ChangeImpacts) judge(ix *impactIndex, obj *logs.Objects, i int) {
	t, id := obj.Time.At(i), obj.AffectedObjectID[i]
	skip := func(target, kind, reason string) {
		res.Skipped = append(res.Skipped, SkippedChange{Time: t, EntryID: obj.ID[i], Target: target, Kind: kind, Reason: reason})
	}
	target, s, ok := ix.target(obj.ResourceType[i], id)
	switch {
	case t.IsZero():
		skip(target, SkipOutsideData, "the entry has no time")
		return
	case !ok && obj.ResourceType[i] == cryptolens.ResourceLicenseKey:
		skip(target, SkipKeyUnknown, fmt.Sprintf("the Object Log loaded holds no copy of key object %d, so its key string is unknown", id))
		return
	case !ok:
		skip(target, SkipNoLink, fmt.Sprintf("a %s change: the Web API Log does not name %ss", obj.ResourceType[i], obj.ResourceType[i]))
		return
	}
	o := res.Options
	from, to := t.Add(-o.Before), t.Add(o.After)
	switch {
	case from.Before(ix.first):
		skip(target, SkipOutsideData, fmt.Sprintf("the %s before it start before the Web API Log loaded (first row %s)", spanWords(o.Before), timeText(ix.first)))
		return
	case to.After(ix.last):
		skip(target, SkipOutsideData, fmt.Sprintf("the %s after it end after the Web API Log loaded (last row %s)", spanWords(o.After), timeText(ix.last)))
		return
	}
	e := ChangeEffect{Time: t, EntryID: obj.ID[i], User: obj.PerformedByUserID.At(i), Type: obj.ResourceType[i],
		ObjectID: id, Target: target, Change: changeWords(obj.ResourceAction[i], obj.Data[i])}
	e.BeforeRequests, e.BeforeFailures = s.count(from, t)
	e.AfterRequests, e.AfterFailures = s.count(t, to)
	if e.BeforeRequests < o.MinRequests || e.AfterRequests < o.MinRequests {
		skip(target, SkipLowTraffic, fmt.Sprintf("%s before, %s after; each window needs %s",
			format.Counted(e.BeforeRequests, "request", "requests"), format.Count(e.AfterRequests), format.Count(o.MinRequests)))
		return
	}
	e.measure()
	e.Why = e.sentence(o)
	res.Rows = append(res.Rows, e)
}

// measure computes the rates, effect, excess and z.
func (e *ChangeEffect) measure() {
	e.BeforeRate = share(e.BeforeFailures, e.BeforeRequests)
	e.AfterRate = share(e.AfterFailures, e.AfterRequests)
	e.Effect = e.AfterRate - e.BeforeRate
	e.Excess = float64(e.AfterFailures) - e.BeforeRate*float64(e.AfterRequests)
	p := share(e.BeforeFailures+e.AfterFailures, e.BeforeRequests+e.AfterRequests)
	if se := math.Sqrt(p * (1 - p) * (1/float64(e.BeforeRequests) + 1/float64(e.AfterRequests))); se > 0 {
		e.Z = e.Effect / se
	}
}

// sentence says why the change is on the list, with the numbers.
func (e *ChangeEffect) sentence(o ImpactOptions) string {
	verb, more := "rose", "more"
	if e.Effect < 0 {
		verb, more = "fell", "fewer"
	}
	if e.Effect == 0 {
		verb = "stayed"
	}
	chance := fmt.Sprintf("unlikely to be chance (z = %.1f)", e.Z)
	if math.Abs(e.Z) < 3 {
		chance = fmt.Sprintf("within what chance gives (z = %.1f)", e.Z)
	}
	return fmt.Sprintf("Failures of %s %s from %s (%s of %s) in the %s before this change (%s, by user %s) to %s (%s of %s) in the %s after: %s %s than the rate before predicts, %s.",
		e.Target, verb, format.Share(e.BeforeRate), format.Count(e.BeforeFailures), format.Count(e.BeforeRequests), spanWords(o.Before), e.Change, e.User,
		format.Share(e.AfterRate), format.Count(e.AfterFailures), format.Count(e.AfterRequests), spanWords(o.After), format.Count(int64(math.Round(math.Abs(e.Excess)))), more, chance)
}

// spanWords writes a window's length as people say it: "3 days", "36
// hours", "90 minutes".
func spanWords(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return format.Counted(int(d/(24*time.Hour)), "day", "days")
	case d%time.Hour == 0:
		return format.Counted(int(d/time.Hour), "hour", "hours")
	}
	return format.Counted(int(d.Round(time.Minute)/time.Minute), "minute", "minutes")
}

// impactIndex holds, per affected thing, its requests' times and outcomes.
type impactIndex struct {
	first, last time.Time // the Web API Log's time span
	products    map[int64]*outcomeSeries
	dataObjects map[int64]*outcomeSeries
	keys        map[string]*outcomeSeries
	keyOf       map[int64]string // key object id -> key string, from the Object Log
}

// outcomeSeries is one target's requests with a known outcome, by time:
// times ascending, failed[i] the failures among the first i.
type outcomeSeries struct {
	times  []int64
	failed []int
}

func newImpactIndex(api *logs.WebAPI, obj *logs.Objects) *impactIndex {
	ix := &impactIndex{products: map[int64]*outcomeSeries{}, dataObjects: map[int64]*outcomeSeries{},
		keys: map[string]*outcomeSeries{}, keyOf: map[int64]string{}}
	for key, l := range keyLinks(obj, "") {
		ix.keyOf[l.ObjectID] = key
	}
	for i, typ := range obj.ResourceType {
		id := obj.AffectedObjectID[i]
		switch typ {
		case cryptolens.ResourceProduct:
			ix.products[id] = &outcomeSeries{}
		case cryptolens.ResourceDataObject:
			ix.dataObjects[id] = &outcomeSeries{}
		case cryptolens.ResourceLicenseKey:
			if k, ok := ix.keyOf[id]; ok {
				ix.keys[k] = &outcomeSeries{}
			}
		}
	}
	// Two passes: count each target's rows, then fill exactly sized
	// columns (a million rows would otherwise be copied as slices grow).
	each := func(fn func(s *outcomeSeries, t int64, fail bool)) {
		for i := range api.Time {
			t := api.Time.At(i)
			o := api.State[i].Outcome()
			if t.IsZero() || o == cryptolens.OutcomeUnknown {
				continue
			}
			fail := o == cryptolens.OutcomeFailure
			if s := ix.products[int64(api.ProductID[i])]; s != nil {
				fn(s, t.Unix(), fail)
			}
			if s := ix.keys[api.Key.At(i)]; s != nil {
				fn(s, t.Unix(), fail)
			}
			if s := ix.dataObjects[api.DOID[i]]; s != nil && api.DOID[i] != 0 {
				fn(s, t.Unix(), fail)
			}
		}
	}
	sizes := map[*outcomeSeries]int{}
	each(func(s *outcomeSeries, _ int64, _ bool) { sizes[s]++ })
	fails := map[*outcomeSeries][]bool{}
	for s, n := range sizes {
		s.times = make([]int64, 0, n)
		fails[s] = make([]bool, 0, n)
	}
	each(func(s *outcomeSeries, t int64, fail bool) {
		s.times = append(s.times, t)
		fails[s] = append(fails[s], fail)
	})
	for s, f := range fails {
		if !slices.IsSorted(s.times) { // rows out of time order
			idx := make([]int, len(s.times))
			for j := range idx {
				idx[j] = j
			}
			slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(s.times[a], s.times[b]) })
			s.times, f = pick(s.times, idx), pick(f, idx)
		}
		s.failed = make([]int, len(f)+1)
		for j, bad := range f {
			s.failed[j+1] = s.failed[j]
			if bad {
				s.failed[j+1]++
			}
		}
	}
	for ti := range api.Time {
		t := api.Time.At(ti)
		if t.IsZero() {
			continue
		}
		if ix.first.IsZero() || t.Before(ix.first) {
			ix.first = t
		}
		if t.After(ix.last) {
			ix.last = t
		}
	}
	return ix
}

// pick returns xs at idx, in order.
func pick[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for j, i := range idx {
		out[j] = xs[i]
	}
	return out
}

// target returns what a change to object id of type typ affects, and its
// requests; false when the Web API Log cannot name it.
func (ix *impactIndex) target(typ cryptolens.ResourceType, id int64) (string, *outcomeSeries, bool) {
	switch typ {
	case cryptolens.ResourceProduct:
		return productLabel(int(id)), ix.products[id], true
	case cryptolens.ResourceDataObject:
		return fmt.Sprintf("data object %d", id), ix.dataObjects[id], true
	case cryptolens.ResourceLicenseKey:
		if k, ok := ix.keyOf[id]; ok {
			return "key " + k, ix.keys[k], true
		}
		return fmt.Sprintf("key object %d", id), nil, false
	}
	return fmt.Sprintf("%s %d", typ, id), nil, false
}

// count returns the requests in [from, to) and how many failed.
func (s *outcomeSeries) count(from, to time.Time) (requests, failures int) {
	if len(s.times) == 0 {
		return 0, 0
	}
	lo := sort.Search(len(s.times), func(i int) bool { return s.times[i] >= from.Unix() })
	hi := sort.Search(len(s.times), func(i int) bool { return s.times[i] >= to.Unix() })
	return hi - lo, s.failed[hi] - s.failed[lo]
}

// Top returns the first n changes (all when fewer), for a chart.
func (c *ChangeImpacts) Top(n int) *ChangeImpacts {
	out := *c
	out.Rows = c.Rows[:min(n, len(c.Rows))]
	return &out
}

// SkipCount is how many changes were kept out for one kind of reason.
type SkipCount struct {
	Kind    string
	Changes int
}

// SkippedByKind counts the skipped changes per kind of reason, most first
// (ties by kind).
func (c *ChangeImpacts) SkippedByKind() []SkipCount {
	m := map[string]int{}
	for _, s := range c.Skipped {
		m[s.Kind]++
	}
	out := make([]SkipCount, 0, len(m))
	for k, n := range m {
		out = append(out, SkipCount{k, n})
	}
	slices.SortFunc(out, func(a, b SkipCount) int {
		return cmp.Or(cmp.Compare(b.Changes, a.Changes), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

// Len returns the number of ranked changes.
func (c *ChangeImpacts) Len() int { return len(c.Rows) }

// Label names change i by its target, what it changed and its day.
func (c *ChangeImpacts) Label(i int) string {
	r := c.Rows[i]
	return shorten(r.Target, 24) + ", " + r.Time.Format("Jan 02")
}

// Series names the two windows.
func (c *ChangeImpacts) Series() []string { return []string{"Before", "After"} }

// Value returns change i's failure rate before (s = 0) or after (s = 1).
func (c *ChangeImpacts) Value(i, s int) float64 {
	if s == 0 {
		return c.Rows[i].BeforeRate
	}
	return c.Rows[i].AfterRate
}

// Percent reports that the values are shares.
func (c *ChangeImpacts) Percent() bool { return true }

func (c *ChangeImpacts) columns() []col {
	r := c.Rows
	return []col{
		timeCol("Time", r, func(x ChangeEffect) time.Time { return x.Time }),
		strCol("Target", r, func(x ChangeEffect) string { return x.Target }),
		strCol("Change", r, func(x ChangeEffect) string { return x.Change }),
		strCol("By user", r, func(x ChangeEffect) string { return x.User }),
		intCol("Requests before", r, func(x ChangeEffect) int { return x.BeforeRequests }),
		intCol("Failures before", r, func(x ChangeEffect) int { return x.BeforeFailures }),
		intCol("Requests after", r, func(x ChangeEffect) int { return x.AfterRequests }),
		intCol("Failures after", r, func(x ChangeEffect) int { return x.AfterFailures }),
		floatCol("Rate before", r, func(x ChangeEffect) float64 { return x.BeforeRate }),
		floatCol("Rate after", r, func(x ChangeEffect) float64 { return x.AfterRate }),
		floatCol("Effect", r, func(x ChangeEffect) float64 { return x.Effect }),
		floatCol("Excess failures", r, func(x ChangeEffect) float64 { return math.Round(x.Excess*10) / 10 }),
		floatCol("z", r, func(x ChangeEffect) float64 { return math.Round(x.Z*100) / 100 }),
		strCol("Why", r, func(x ChangeEffect) string { return x.Why }),
		intCol("Entry", r, func(x ChangeEffect) int64 { return x.EntryID }),
	}
}

// Frame returns one row per ranked change, most excess failures first:
// Time, Target, Change, By user, Requests/Failures before and after, Rate
// before and after, Effect, Excess failures, z, Why, Entry.
func (c *ChangeImpacts) Frame() dataframe.DataFrame { return frameOf(c.columns()) }

// WriteCSV writes the ranked changes as CSV with the same columns as Frame.
func (c *ChangeImpacts) WriteCSV(w io.Writer) error { return writeCols(w, c.columns()) }

// SkippedFrame returns the changes kept out: Time, Entry, Target, Kind,
// Reason.
func (c *ChangeImpacts) SkippedFrame() dataframe.DataFrame {
	r := c.Skipped
	return frameOf([]col{
		timeCol("Time", r, func(x SkippedChange) time.Time { return x.Time }),
		intCol("Entry", r, func(x SkippedChange) int64 { return x.EntryID }),
		strCol("Target", r, func(x SkippedChange) string { return x.Target }),
		strCol("Kind", r, func(x SkippedChange) string { return x.Kind }),
		strCol("Reason", r, func(x SkippedChange) string { return x.Reason }),
	})
}
