package analysis

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// objEntry is an Object Log entry at t0+d (objectsTable renumbers ids 1, 2, ...).
func objEntry(id int64, d time.Duration, typ cryptolens.ResourceType, action cryptolens.ResourceAction, object int64, data string) cryptolens.ObjectLogEntry {
	return cryptolens.ObjectLogEntry{ID: id, Created: at(d), ResourceType: typ, ResourceAction: action,
		AffectedObjectID: object, PerformedByUserID: "7", Data: data}
}

func TestLicenseTimelineMerges(t *testing.T) {
	api := table(t,
		row{Key: "KEY-A", State: 2010, Time: at(time.Hour), ProductID: 9, MachineCode: "m1"},
		row{Key: "KEY-B", State: 2010, Time: at(time.Hour), ProductID: 9, MachineCode: "m9"},
		row{Key: "KEY-A", State: 2010, Time: at(2 * time.Hour), ProductID: 9, MachineCode: "m2"},
		row{Key: "KEY-A", State: 6010, Time: at(3 * time.Hour), ProductID: 9, MachineCode: "m1"},
		row{Key: "KEY-A", State: 2021, Time: at(5 * time.Hour), ProductID: 9, MachineCode: "m1"},
	)
	ev := eventsTable(cryptolens.Event{ID: 1, Key: "KEY-A", Time: at(2 * time.Hour), FeatureName: "Export", EventName: "click", MachineCode: "m2"})
	obj := objectsTable(
		objEntry(10, 0, cryptolens.ResourceLicenseKey, cryptolens.ActionAdded, 500, `{"ID":500,"Key":"KEY-A","MaxNoOfMachines":2}`),
		objEntry(11, 4*time.Hour, cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, 500, `{"Block":[false,true],"MaxNoOfMachines":[2,3]}`),
		objEntry(12, 4*time.Hour, cryptolens.ResourceProduct, cryptolens.ActionUpdated, 9, `{"F1Name":["","Pro"]}`),
		objEntry(13, 4*time.Hour, cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, 501, `{"Block":[false,true]}`),
	)
	tl, err := LicenseTimeline(during(api, logs.Window{From: t0.Add(90 * time.Minute)}), ev, obj, "KEY-A")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range tl.Rows {
		got = append(got, strings.Join([]string{r.Time.Format("15:04"), string(r.Source), r.What, r.Outcome,
			strconv.Itoa(r.InUse), strconv.Itoa(r.Limit)}, " | "))
	}
	want := []string{
		"02:00 | Web API Log | node-locked activation succeeded | Success | 2 | 2",
		"02:00 | Events Log | event Export / click |  | 0 | 0",
		"03:00 | Web API Log | deactivation succeeded | Success | 1 | 2",
		"04:00 | Object Log | key updated: Block false → true; MaxNoOfMachines 2 → 3 |  | 0 | 3",
		"04:00 | Object Log | product 9 updated: F1Name \"\" → Pro |  | 0 | 3",
		"05:00 | Web API Log | activation failed (code 2021: detail not documented) | Failure | 1 | 3",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if tl.ObjectID != 500 || tl.Requests != 3 || tl.Failures != 1 || tl.Events != 1 || tl.KeyChanges != 1 || tl.ProductChanges != 1 || len(tl.Notes) != 0 {
		t.Errorf("summary %s, notes %v", tl.Summary(), tl.Notes)
	}
	if ok, failed, first := tl.After(t0.Add(4 * time.Hour)); ok != 0 || failed != 1 || first == nil || first.State != 2021 {
		t.Errorf("after the block: %d succeeded, %d failed, first %+v", ok, failed, first)
	}
	if g := tl.FailureGroups(); len(g) != 1 || g[0].Failures != 1 || g[0].Device != "m1" || g[0].State != 2021 || g[0].InUseAtFirst != 1 {
		t.Errorf("failure groups %+v", g)
	}
	if rows := tl.KeyChangeRows(); len(rows) != 1 || rows[0].Change != "key" {
		t.Errorf("key changes %+v", rows)
	}
	if recs := readCSV(t, tl); len(recs) != len(want)+1 || recs[0][7] != "Machines in use" {
		t.Errorf("CSV %v", recs)
	}
}

func TestLicenseTimelineLink(t *testing.T) {
	api := table(t, row{Key: "NEW-KEY", State: 2011, Time: at(time.Hour), ProductID: 1, MachineCode: "m"})
	tests := []struct {
		name     string
		obj      *logs.Objects
		objectID int64
		note     string
	}{
		{"no object log", nil, 0, "No Object Log was loaded"},
		{"no copy of the key", objectsTable(objEntry(1, 0, cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, 7, `{"Notes":["","x"]}`)),
			0, "holds no entry naming NEW-KEY"},
		{"renamed key", objectsTable(objEntry(1, 0, cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, 7, `{"Key":["OLD-KEY","NEW-KEY"]}`)), 7, ""},
		{"deleted copy", objectsTable(objEntry(1, 0, cryptolens.ResourceLicenseKey, cryptolens.ActionDeleted, 8, `{"Key":"NEW-KEY"}`)), 8, ""},
		{"copy of another key", objectsTable(objEntry(1, 0, cryptolens.ResourceLicenseKey, cryptolens.ActionAdded, 9, `{"Key":"NEW-KEY-2"}`)),
			0, "holds no entry naming NEW-KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl, err := LicenseTimeline(during(api, logs.Window{}), nil, tt.obj, "NEW-KEY")
			if err != nil {
				t.Fatal(err)
			}
			note := strings.Join(tl.Notes, " ")
			if tl.ObjectID != tt.objectID || (tt.note == "") != (note == "") || !strings.Contains(note, tt.note) {
				t.Errorf("object %d, notes %q; want object %d, a note with %q", tl.ObjectID, note, tt.objectID, tt.note)
			}
		})
	}
}

func TestLicenseTimelineRejects(t *testing.T) {
	if _, err := LicenseTimeline(nil, nil, nil, ""); !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "no license key") {
		t.Errorf("empty key: %v, want ErrNoData", err)
	}
	w := logs.Window{From: t0, To: t0}
	if _, err := LicenseTimeline(during(nil, w), nil, nil, "K"); !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty window: %v, want ErrNoData", err)
	}
}

func TestChangeImpactRanks(t *testing.T) {
	var rows []row
	// Product 1: 1 failure in 10 before the change at 100h, 6 in 10 after.
	// Product 2: the same traffic, no change in rate. Product 3: 5 requests.
	for h := range 200 {
		d := time.Duration(h) * time.Hour
		st := cryptolens.State(2011)
		if h%10 == 0 || (h >= 100 && h%10 < 6) {
			st = 2020
		}
		rows = append(rows, req("P1", st, d), req("P2", 2011, d))
		rows[len(rows)-1].ProductID = 2
		if h%40 == 0 {
			rows = append(rows, req("P3", 2020, d))
			rows[len(rows)-1].ProductID = 3
		}
	}
	api := table(t, rows...)
	obj := objectsTable(
		objEntry(1, 100*time.Hour, cryptolens.ResourceProduct, cryptolens.ActionUpdated, 1, `{"X":[1,2]}`),
		objEntry(2, 100*time.Hour, cryptolens.ResourceProduct, cryptolens.ActionUpdated, 2, `{"X":[1,2]}`),
		objEntry(3, 100*time.Hour, cryptolens.ResourceProduct, cryptolens.ActionUpdated, 3, `{"X":[1,2]}`),
		objEntry(4, 100*time.Hour, cryptolens.ResourceCustomer, cryptolens.ActionUpdated, 4, `{"X":[1,2]}`),
		objEntry(5, 100*time.Hour, cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, 5, `{"X":[1,2]}`),
		objEntry(6, 190*time.Hour, cryptolens.ResourceProduct, cryptolens.ActionUpdated, 1, `{"X":[2,3]}`),
	)
	res, err := ChangeImpact(api, obj, ImpactOptions{Before: 48 * time.Hour, After: 48 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if res.Len() != 2 || res.Rows[0].EntryID != 1 || res.Rows[1].EntryID != 2 {
		t.Fatalf("ranked %+v", res.Rows)
	}
	top := res.Rows[0]
	if top.BeforeRequests != 48 || top.BeforeFailures != 4 || top.AfterRequests != 48 || top.AfterFailures != 30 {
		t.Errorf("counts %d/%d before, %d/%d after", top.BeforeFailures, top.BeforeRequests, top.AfterFailures, top.AfterRequests)
	}
	if !near(top.Effect, 26.0/48) || top.Z < 3 ||
		top.Why != "Failures of product 1 rose from 8.3% (4 of 48) in the 2 days before this change (updated: X 1 → 2, by user 7) to 62.5% (30 of 48) in the 2 days after: 26 more than the rate before predicts, unlikely to be chance (z = 5.5)." {
		t.Errorf("effect %v, z %v, why %q", top.Effect, top.Z, top.Why)
	}
	kinds := map[int64]string{}
	for _, s := range res.Skipped {
		kinds[s.EntryID] = s.Kind
	}
	want := map[int64]string{3: SkipLowTraffic, 4: SkipNoLink, 5: SkipKeyUnknown, 6: SkipOutsideData}
	for id, k := range want {
		if kinds[id] != k {
			t.Errorf("entry %d skipped as %q, want %q", id, kinds[id], k)
		}
	}
	if _, err := ChangeImpact(api, obj, ImpactOptions{Before: -time.Hour}); err == nil {
		t.Error("a negative window was accepted")
	}
	if res.Top(1).Len() != 1 || res.Value(0, 1) != top.AfterRate || !res.Percent() {
		t.Error("chart view")
	}
}

func TestKeyWithMostFailures(t *testing.T) {
	api := table(t, req("B", 2021, 0), req("A", 2021, time.Hour), req("C", 2011, time.Hour), req("C", 2011, time.Hour),
		req("A", 2011, 2*time.Hour), req("B", 2022, 3*time.Hour), req("A", 2024, 4*time.Hour))
	if k := KeyWithMostFailures(api); k != "A" {
		t.Errorf("got %q, want A (2 failures, tie with B broken by key)", k)
	}
	if k := KeyWithMostFailures(table(t, req("C", 2011, 0))); k != "" {
		t.Errorf("no failures: got %q", k)
	}
}

// TestFailureTraits: the failed requests of one code say what they share,
// and a block in the Object Log before the first is named as the reason.
func TestFailureTraits(t *testing.T) {
	api := table(t,
		row{Key: "KEY-A", State: 2010, Time: at(time.Hour), ProductID: 9, MachineCode: "m1"},
		row{Key: "KEY-A", State: 2021, Time: at(5 * time.Hour), ProductID: 9, MachineCode: "m1"},
		row{Key: "KEY-A", State: 2021, Time: at(6 * time.Hour), ProductID: 9, MachineCode: "m1"},
		row{Key: "KEY-A", State: 2024, Time: at(7 * time.Hour), ProductID: 9, MachineCode: "m2"},
	)
	obj := objectsTable(
		objEntry(10, 0, cryptolens.ResourceLicenseKey, cryptolens.ActionAdded, 500, `{"ID":500,"Key":"KEY-A","MaxNoOfMachines":2}`),
		objEntry(11, 4*time.Hour, cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, 500, `{"Block":[false,true]}`),
	)
	tl, err := LicenseTimeline(during(api, logs.Window{}), nil, obj, "KEY-A")
	if err != nil {
		t.Fatal(err)
	}
	traits := tl.FailureTraits()
	if len(traits) != 2 {
		t.Fatalf("%d traits, want 2 (2021 and 2024): %+v", len(traits), traits)
	}
	want := "2 of 3 failures are state 2021, activation failed (code 2021: detail not documented), all from one device (m1), " +
		"2026-10-01 05:00 UTC to 2026-10-01 06:00 UTC; before the first, the key was blocked on 2026-10-01 04:00 UTC (user 7)."
	if got := traits[0].String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if traits[1].State != 2024 || traits[1].Failures != 1 {
		t.Errorf("second trait %+v", traits[1])
	}
}

// TestLicenseTimelineUnknownKey checks that a key no log mentions gets a
// note naming the keys the window does have.
func TestLicenseTimelineUnknownKey(t *testing.T) {
	api := &logs.WebAPI{}
	api.Append(
		cryptolens.WebAPILogRow{ID: 1, Key: "A", Time: t0.Unix() + 10, State: 2011},
		cryptolens.WebAPILogRow{ID: 2, Key: "A", Time: t0.Unix() + 20, State: 2011},
		cryptolens.WebAPILogRow{ID: 3, Key: "B", Time: t0.Unix() + 30, State: 2011},
	)
	tl, err := LicenseTimeline(during(api, logs.Window{From: t0, To: t0.Add(time.Hour)}), nil, nil, "NOPE")
	if err != nil {
		t.Fatal(err)
	}
	want := "No log loaded mentions NOPE: check the key, or widen the window. The busiest keys there: A (2), B (1)."
	if !slices.Contains(tl.Notes, want) {
		t.Errorf("notes %q, want %q", tl.Notes, want)
	}
}

// The timeline's window is the part of time every table was loaded for: a
// Web API Log loaded with a lookback (for the seats in use at the start)
// or an Object Log loaded whole does not widen the Events Log's window.
func TestLicenseTimelineWindowIsWhatAllTablesCover(t *testing.T) {
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	narrow := logs.Window{From: t0.Add(24 * time.Hour), To: t0.Add(48 * time.Hour)}
	api := during(table(t, row{Key: "K", State: 2010, Time: t0.Add(time.Hour).Unix(), MachineCode: "m1"}),
		logs.Window{From: t0, To: narrow.To})
	ev := eventsTable(cryptolens.Event{ID: 1, Key: "K", Time: t0.Add(30 * time.Hour).Unix(), FeatureName: "f", EventName: "e"})
	ev.Period = narrow
	obj := objectsTable()
	tl, err := LicenseTimeline(api, ev, obj, "K")
	if err != nil {
		t.Fatal(err)
	}
	if !tl.From.Equal(narrow.From) || !tl.To.Equal(narrow.To) {
		t.Errorf("timeline over %s .. %s, want the Events Log's %s", tl.From, tl.To, narrow)
	}
}
