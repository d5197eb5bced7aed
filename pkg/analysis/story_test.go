package analysis

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// logsOf returns an account's three logs as tables.
func logsOf(a *sample.Account) (*logs.WebAPI, *logs.Events, *logs.Objects) {
	api, ev, obj := &logs.WebAPI{}, &logs.Events{}, &logs.Objects{}
	api.Append(a.WebAPI...)
	ev.Append(a.Events...)
	obj.Append(a.Objects...)
	return api, ev, obj
}

var storyOnce = sync.OnceValues(func() (*sample.Account, [3]any) {
	a, _ := sampleOnce()
	api, ev, obj := logsOf(a)
	return a, [3]any{api, ev, obj}
})

// story returns the planted sample account and its three logs.
func story(t *testing.T) (*sample.Account, *logs.WebAPI, *logs.Events, *logs.Objects) {
	t.Helper()
	a, l := storyOnce()
	return a, l[0].(*logs.WebAPI), l[1].(*logs.Events), l[2].(*logs.Objects)
}

func TestSampleBlockedKeyTimeline(t *testing.T) {
	a, api, ev, obj := story(t)
	p := a.Planted
	w := logs.Window{From: a.Now.AddDate(0, 0, -30), To: a.Now}
	tl, err := LicenseTimeline(during(api, w), ev, obj, p.BlockedKey)
	if err != nil {
		t.Fatal(err)
	}
	if tl.ObjectID != p.BlockedKeyObjectID || len(tl.Notes) != 0 {
		t.Fatalf("object %d (%s), notes %v; want object %d from its Added copy", tl.ObjectID, tl.Link, tl.Notes, p.BlockedKeyObjectID)
	}
	for i := 1; i < len(tl.Rows); i++ {
		if tl.Rows[i].Time.Before(tl.Rows[i-1].Time) {
			t.Fatalf("row %d (%v) before row %d (%v)", i, tl.Rows[i].Time, i-1, tl.Rows[i-1].Time)
		}
	}
	// The block, from the Object Log, then only failures.
	block := slices.IndexFunc(tl.Rows, func(r TimelineRow) bool { return r.ID == p.BlockEntry })
	if block < 0 || tl.Rows[block].Source != SourceObjectLog || !strings.Contains(tl.Rows[block].What, "Block false → true") {
		t.Fatalf("no block row for entry %d", p.BlockEntry)
	}
	before, after := 0, 0
	for i, r := range tl.Rows {
		if r.Source != SourceWebAPI || r.State.Group() != cryptolens.GroupActivation {
			continue
		}
		switch {
		case i < block && r.Outcome == "Success":
			before++
		case i > block && r.Outcome != "Failure":
			t.Errorf("%v: activation %v (%s) after the block at %v", r.Time, r.State, r.Outcome, tl.Rows[block].Time)
		case i > block:
			after++
		}
	}
	if before == 0 || after < 20 {
		t.Errorf("%d successful activations before the block, %d failures after", before, after)
	}
	mine := func(i int) bool { return api.Key.At(i) == p.BlockedKey && w.Contains(api.Time.At(i)) }
	failed := func(i int) bool { return mine(i) && api.State[i].Outcome() == cryptolens.OutcomeFailure }
	if tl.Failures != countRows(api, failed) || tl.Requests != countRows(api, mine) {
		t.Errorf("timeline counts %d requests, %d failures; log has others", tl.Requests, tl.Failures)
	}
	groups, grouped := tl.FailureGroups(), 0
	for _, g := range groups {
		grouped += g.Failures
		if g.State == 2021 && g.First.Before(tl.Rows[block].Time) {
			t.Errorf("%s failed with 2021 at %v, before the block", g.Device, g.First)
		}
	}
	if grouped != tl.Failures || groups[0].State != 2021 {
		t.Errorf("failure groups add up to %d of %d failures; first %+v", grouped, tl.Failures, groups[0])
	}
	if r := tl.Rows[block]; r.Limit == 0 || r.InUse != 0 {
		t.Errorf("block row: limit %d from the Added copy, in use %d", r.Limit, r.InUse)
	}
	o := tl.Outcomes()
	if o.MarkCount() == 0 || o.Len() < 29 {
		t.Errorf("chart view: %d days, %d marks", o.Len(), o.MarkCount())
	}
}

func countRows(api *logs.WebAPI, keep func(i int) bool) int {
	n := 0
	for i := range api.ID {
		if keep(i) {
			n++
		}
	}
	return n
}

func TestSampleTimelineWithoutLink(t *testing.T) {
	a, api, ev, obj := story(t)
	key := a.Planted.SharedKeys[0] // created long before the Object Log's history
	tl, err := LicenseTimeline(during(api, logs.Window{From: a.Now.AddDate(0, 0, -7)}), ev, obj, key)
	if err != nil {
		t.Fatal(err)
	}
	if tl.ObjectID != 0 || len(tl.Notes) != 1 || !strings.Contains(tl.Notes[0], "NOT shown") {
		t.Errorf("object %d, notes %q: want the missing link said", tl.ObjectID, tl.Notes)
	}
	if tl.KeyChanges != 0 || tl.Requests == 0 {
		t.Errorf("%d key changes, %d requests", tl.KeyChanges, tl.Requests)
	}
}

func TestSampleFloatingTimelineSeats(t *testing.T) {
	a, api, ev, obj := story(t)
	p := a.Planted
	lic, _ := a.License(p.BurstKey)
	w := logs.Window{From: p.BurstStart.Add(-2 * time.Hour), To: p.BurstEnd.Add(time.Hour)}
	tl, err := LicenseTimeline(during(api, w), ev, obj, p.BurstKey)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := SeatAudit(during(api, w), p.BurstKey, lic.MaxNoOfMachines)
	if err != nil {
		t.Fatal(err)
	}
	// The timeline's running seat count is the seat audit's, event by event.
	var seats []int
	for _, r := range tl.Rows {
		if r.Source == SourceSeatReplay || isSeatState(r.State) {
			seats = append(seats, r.InUse)
		}
	}
	var want []int
	for _, e := range audit.Events {
		want = append(want, e.InUse)
	}
	if !tl.Floating || !slices.Equal(seats, want) {
		t.Errorf("floating %v, seats in use %v, seat audit %v", tl.Floating, seats, want)
	}
	// Who kept failing: the planted rogue node, refused a seat each time,
	// with both seats held.
	g := tl.FailureGroups()
	if len(g) == 0 || g[0].Device != p.BurstMachine || g[0].State != p.BurstState || g[0].Failures != p.BurstFailures || g[0].InUseAtFirst != lic.MaxNoOfMachines {
		t.Errorf("failure groups %+v; planted %d failures of %s", g, p.BurstFailures, p.BurstMachine)
	}
}

func TestSamplePlantedChangeRanksFirst(t *testing.T) {
	a, api, _, obj := story(t)
	res, err := ChangeImpact(api, obj, ImpactOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Len() < 2 || res.Rows[0].EntryID != a.Planted.ProductChangeEntry {
		t.Fatalf("first change %+v, want entry %d", res.Rows[0], a.Planted.ProductChangeEntry)
	}
	top := res.Rows[0]
	if top.Z < 3 || top.Effect < 0.1 || !strings.Contains(top.Why, "rose") || !strings.Contains(top.Why, a.Planted.ProductChangeField) {
		t.Errorf("top change: effect %.3f, z %.1f, why %q", top.Effect, top.Z, top.Why)
	}
	// The counts, independently: the product's requests with a known
	// outcome in the 72 hours either side.
	count := func(from, to time.Time) (n, f int) {
		for _, r := range a.WebAPI {
			if tm := r.RowTime(); r.ProductID == a.Planted.ProductChangeID && !tm.Before(from) && tm.Before(to) && r.State.Outcome() != cryptolens.OutcomeUnknown {
				n++
				if r.State.Outcome() == cryptolens.OutcomeFailure {
					f++
				}
			}
		}
		return n, f
	}
	at := a.Planted.ProductChangeAt
	if n, f := count(at.Add(-72*time.Hour), at); n != top.BeforeRequests || f != top.BeforeFailures {
		t.Errorf("before: %d/%d, counted %d/%d", top.BeforeFailures, top.BeforeRequests, f, n)
	}
	if n, f := count(at, at.Add(72*time.Hour)); n != top.AfterRequests || f != top.AfterFailures {
		t.Errorf("after: %d/%d, counted %d/%d", top.AfterFailures, top.AfterRequests, f, n)
	}
	revert := slices.IndexFunc(res.Rows, func(e ChangeEffect) bool { return e.EntryID == a.Planted.ProductRevertEntry })
	if revert < 0 || res.Rows[revert].Effect >= 0 {
		t.Errorf("the revert is not ranked as a fall: %d", revert)
	}
	kinds := map[string]int{}
	for _, k := range res.SkippedByKind() {
		kinds[k.Kind] = k.Changes
	}
	for _, k := range []string{SkipNoLink, SkipKeyUnknown, SkipLowTraffic} {
		if kinds[k] == 0 {
			t.Errorf("no change skipped as %q: %v", k, kinds)
		}
	}
	for _, s := range res.Skipped {
		if s.Reason == "" {
			t.Fatalf("skipped %+v without a reason", s)
		}
	}
}

// sampleOrigins is what the front door says of the sample account.
func sampleOrigins() (web, ev, obj Origin) {
	return Origin{Source: "the sample account"},
		Origin{Source: "the sample account", Retention: sample.EventsRetention},
		Origin{Source: "the sample account", Retention: sample.ObjectsRetention}
}

func healthOf(a *sample.Account) *Health {
	api, ev, obj := logsOf(a)
	pw, pe, po := sampleOrigins()
	return DataHealth(HealthInput{Now: a.Now, WebAPI: api, Events: ev, Objects: obj,
		WebAPIFrom: pw, EventsFrom: pe, ObjectsFrom: po})
}

func TestSampleDataHealthFlagsPlanted(t *testing.T) {
	a, _ := sampleOnce()
	p := a.Planted
	h := healthOf(a)
	day := p.OutageDay.Format("2006-01-02")
	for _, log := range []string{"Web API Log", "Events Log", "Object Log"} {
		c, _ := h.Find(log, "days without rows")
		if c.Status != StatusLook || !strings.Contains(c.Figure, day) || !strings.HasPrefix(c.Figure, "1 day:") {
			t.Errorf("%s: %+v, want the outage day %s", log, c, day)
		}
	}
	c, _ := h.Find("Web API Log", "rows out of time order")
	if c.Status != StatusLook || !strings.HasPrefix(c.Figure, "5 rows") || !strings.Contains(c.Figure, idList(p.OutOfOrderIDs)) {
		t.Errorf("out of order: %+v, planted %v", c, p.OutOfOrderIDs)
	}
	c, _ = h.Find("Web API Log", "unknown state codes")
	if c.Status != StatusLook || !strings.Contains(c.Figure, "5 rows with 3 codes: 4030 (2), 7090 (2), 9011 (1)") {
		t.Errorf("unknown states: %+v", c)
	}
	var flagged []string
	for _, c := range h.Problems() {
		flagged = append(flagged, c.Log+": "+c.Check)
	}
	want := []string{"Web API Log: rows out of time order", "Web API Log: days without rows", "Web API Log: unknown state codes",
		"Events Log: days without rows", "Object Log: days without rows"}
	slices.Sort(flagged)
	slices.Sort(want)
	if !slices.Equal(flagged, want) {
		t.Errorf("flagged %q, want %q", flagged, want)
	}
}

func TestSampleDataHealthCleanAccount(t *testing.T) {
	for _, opt := range []sample.Options{{Seed: 42, End: sampleEnd, Clean: true}, {Seed: 7, End: sampleEnd, Clean: true, WebAPIRows: 20_000}} {
		h := healthOf(sample.Generate(opt))
		for _, c := range h.Problems() {
			t.Errorf("seed %d, %d rows: clean account flagged: %+v", opt.Seed, opt.WebAPIRows, c)
		}
		if h.Len() != 3*6+1+3+1 {
			t.Errorf("%d checks, want 23", h.Len())
		}
	}
}
