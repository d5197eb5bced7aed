package analysis

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

const day = 24 * time.Hour

// period is the window every license test reads: 90 days from t0.
var period = logs.Window{From: t0, To: t0.Add(90 * day)}

// periodTable is table() with period as its Period.
func periodTable(t *testing.T, rows ...row) *logs.WebAPI {
	t.Helper()
	api := table(t, rows...)
	api.Period = period
	return api
}

// node is a successful node-locked activation of key from machine at t0+d.
func node(key, machine string, d time.Duration) row {
	r := req(key, 2011, d)
	r.MachineCode = machine
	return r
}

func TestEntitlements(t *testing.T) {
	ls := []license{
		{Key: "F", ProductID: 1, CustomerID: 7, Customer: "Acme", Floating: true, Seats: 2, Activated: 2, Expires: t0.Add(100 * day)},
		{Key: "N", ProductID: 1, CustomerID: 7, Customer: "Acme", Seats: 3, Activated: 1, Expires: t0.Add(95 * day)},
		{Key: "U", ProductID: 2, Seats: 0, Expires: t0.Add(10 * day)}, // expired before the period's end
	}
	api := periodTable(t,
		seatRow("F", 2014, "m1", 10*day, 10*day+2*h),
		seatRow("F", 2014, "m2", 10*day+h, 10*day+3*h),
		seatRow("F", 2014, "m3", 20*day, 20*day+h),
		node("N", "a", 5*day), node("N", "a", 6*day), node("N", "b", 7*day),
		node("N", "c", -5*day), // before the period: not in use in it
	)
	tests := []struct {
		name string
		by   Grouping
		want []Entitlement
	}{
		{"by product", ByProduct, []Entitlement{
			{ProductID: 1, Name: "product 1", Licenses: 2, Seats: 5, Activated: 3, PeakInUse: 4, Used: 0.8,
				NextExpiry: t0.Add(95 * day), NextKey: "N"},
			{ProductID: 2, Name: "product 2", Licenses: 1, Unlimited: 1},
		}},
		{"by customer", ByCustomer, []Entitlement{
			{CustomerID: 7, Name: "Acme", Licenses: 2, Seats: 5, Activated: 3, PeakInUse: 4, Used: 0.8,
				NextExpiry: t0.Add(95 * day), NextKey: "N"},
			{Name: "no customer", Licenses: 1, Unlimited: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := entitlements(ls, api, tt.by)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Rows) != len(tt.want) {
				t.Fatalf("got %d rows %+v, want %d", len(got.Rows), got.Rows, len(tt.want))
			}
			for i, w := range tt.want {
				if g := got.Rows[i]; g.Name != w.Name || g.ProductID != w.ProductID || g.CustomerID != w.CustomerID ||
					g.Licenses != w.Licenses || g.Seats != w.Seats || g.Unlimited != w.Unlimited || g.Activated != w.Activated ||
					g.PeakInUse != w.PeakInUse || !near(g.Used, w.Used) || !g.NextExpiry.Equal(w.NextExpiry) || g.NextKey != w.NextKey {
					t.Errorf("row %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
			if recs := readCSV(t, got); len(recs) != len(tt.want)+1 || len(recs[0]) != 10 {
				t.Errorf("CSV has %d records of %d columns", len(recs), len(recs[0]))
			}
		})
	}
	all, _ := entitlements(ls, api, ByProduct)
	if tot := all.Total(); tot.Licenses != 3 || tot.Seats != 5 || tot.PeakInUse != 4 || !near(tot.Used, 0.8) || tot.NextKey != "N" {
		t.Errorf("Total() = %+v", tot)
	}
	if _, err := entitlements(ls, api, Grouping(9)); err == nil || !strings.Contains(err.Error(), "grouping 9") {
		t.Errorf("a bad grouping gave %v", err)
	}
}

func TestRenewals(t *testing.T) {
	end := period.To
	ls := []license{
		{Key: "soon-used", Expires: end.Add(10 * day)},
		{Key: "soon-fading", Expires: end.Add(20 * day)},
		{Key: "mid-unused", Expires: end.Add(45 * day)},
		{Key: "late", Expires: end.Add(90 * day), Trial: true},
		{Key: "too-late", Expires: end.Add(91 * day)},
		{Key: "past", Expires: end.Add(-day)},
	}
	api := periodTable(t,
		req("soon-used", 2011, 85*day), req("soon-used", 2011, 89*day),
		req("soon-fading", 2011, 40*day),
		req("late", 2011, 77*day),
	)
	got := renewals(ls, api)
	want := []Renewal{
		{Key: "soon-used", Within: 30, Use: InUse, Recent: 2},
		{Key: "soon-fading", Within: 30, Use: Fading},
		{Key: "mid-unused", Within: 60, Use: Unused},
		{Key: "late", Within: 90, Use: InUse, Recent: 1, Trial: true},
	}
	if len(got.Rows) != len(want) {
		t.Fatalf("got %+v, want %d rows", got.Rows, len(want))
	}
	for i, w := range want {
		if g := got.Rows[i]; g.Key != w.Key || g.Within != w.Within || g.Use != w.Use || g.Recent != w.Recent || g.Trial != w.Trial {
			t.Errorf("row %d: got %+v, want %+v", i, g, w)
		}
	}
	for _, c := range []struct {
		h    int
		use  Use
		want int
	}{{30, "", 2}, {60, "", 3}, {90, "", 4}, {90, InUse, 2}, {90, Unused, 1}} {
		if n := got.Count(c.h, c.use); n != c.want {
			t.Errorf("Count(%d, %q) = %d, want %d", c.h, c.use, n, c.want)
		}
	}
	if got.Label(1) != "31–60 days" || got.Value(0) != 2 {
		t.Errorf("chart: %q %v", got.Label(1), got.Value(0))
	}
}

func TestUpsell(t *testing.T) {
	ls := []license{
		{Key: "full", Floating: true, Seats: 1, Customer: "Acme"},
		{Key: "half", Floating: true, Seats: 2},
		{Key: "never", Floating: true, Seats: 5},
		{Key: "node", Seats: 1},
	}
	api := periodTable(t,
		// full: its one seat held 10 h, then 4 h more of which 1 h over it
		seatRow("full", 2014, "m1", 0, 10*h),
		seatRow("full", 2014, "m1", 10*h, 14*h),
		seatRow("full", 2015, "m2", 12*h, 13*h),
		seatRow("full", 2024, "m3", 12*h+time.Minute, 0),
		// half: both seats for 2 h
		seatRow("half", 2014, "a", day, day+3*h),
		seatRow("half", 2014, "b", day+h, day+3*h),
		seatRow("never", 2014, "x", day, day+h),
		node("node", "y", day),
	)
	got := upsell(ls, api)
	if top := got.Top(1); top.Len() != 1 || top.Label(0) != "full" || got.Top(-1).Len() != 2 {
		t.Errorf("Top: %+v", top.Rows)
	}
	want := []AtLimit{
		{Key: "full", Limit: 1, Peak: 2, AtLimit: 14 * h, Overdrafts: 1, Refused: 1, Customer: "Acme"},
		{Key: "half", Limit: 2, Peak: 2, AtLimit: 2 * h},
	}
	if len(got.Rows) != len(want) {
		t.Fatalf("got %+v, want %d rows", got.Rows, len(want))
	}
	for i, w := range want {
		g := got.Rows[i]
		if g.Key != w.Key || g.Limit != w.Limit || g.Peak != w.Peak || g.AtLimit != w.AtLimit ||
			g.Overdrafts != w.Overdrafts || g.Refused != w.Refused || g.Customer != w.Customer {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, g, w)
		}
		if !near(g.Share, w.AtLimit.Hours()/(90*24)) {
			t.Errorf("row %d: share %v", i, g.Share)
		}
	}
}

func TestTrialFunnel(t *testing.T) {
	created := func(d time.Duration) time.Time { return t0.Add(d) }
	ls := []license{
		// never activated
		{Key: "t1", Trial: true, Created: created(day), Expires: created(15 * day)},
		// activated, lapsed
		{Key: "t2", Trial: true, Created: created(day), Expires: created(15 * day)},
		// activated (a machine in the list), converted, still active after 30 days
		{Key: "t3", Trial: true, Created: created(2 * day), Expires: created(400 * day), Activated: 1},
		// converted, silent after 10 days
		{Key: "t4", Trial: true, Created: created(2 * day), Expires: created(400 * day)},
		// converted too late in the period to be judged at 30 days
		{Key: "t5", Trial: true, Created: created(80 * day), Expires: created(400 * day)},
		// a trial once, converted by clearing its trial flag, still active
		{Key: "t6", WasTrial: true, Created: created(3 * day), Expires: created(17 * day)},
		// not a trial; and a trial created before the period
		{Key: "paid", Created: created(day), Expires: created(400 * day)},
		{Key: "old", Trial: true, Created: created(-day), Expires: created(400 * day)},
	}
	api := periodTable(t,
		node("t2", "a", 2*day),
		node("t3", "b", 40*day),
		node("t4", "c", 3*day), node("t4", "c", 12*day),
		node("t5", "d", 81*day),
		node("t6", "g", 4*day), node("t6", "g", 60*day),
		node("paid", "e", 2*day), node("old", "f", 2*day),
	)
	f, err := trialFunnel(ls, api, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{6, 5, 4, 2}
	for i, w := range want {
		if f.Step(i) != w {
			t.Errorf("step %q: %d licenses, want %d", f.Label(i), f.Step(i), w)
		}
	}
	if f.Mature != 3 || !near(f.Steps[2].OfPrev, 0.8) || !near(f.Steps[1].OfTrials, 5.0/6) {
		t.Errorf("mature %d, steps %+v", f.Mature, f.Steps)
	}
	// t3, t4, t5 expire 398 days after creation, so a 500-day trial
	// converts only t6, which is no longer a trial.
	if f, _ := trialFunnel(ls, api, 500, 0); f.Step(2) != 1 {
		t.Errorf("with 500 trial days %d converted, want 1", f.Step(2))
	}
	if _, err := trialFunnel(ls, api, -1, 0); err == nil {
		t.Error("negative trial days accepted")
	}
}

func TestCohorts(t *testing.T) {
	from := time.Date(2026, 7, 10, 0, 0, 0, 0, time.UTC) // mid-July: July is not whole
	to := time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)  // mid-October: October is not whole
	ls := []license{
		{Key: "jul", Created: time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC)},
		{Key: "aug1", Created: time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC)},
		{Key: "aug2", Created: time.Date(2026, 8, 3, 0, 0, 0, 0, time.UTC)},
		{Key: "sep", Created: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)},
	}
	in := func(key string, m time.Month, d int) row {
		return row{Key: key, State: 2011, Time: time.Date(2026, m, d, 12, 0, 0, 0, time.UTC).Unix()}
	}
	rows := []row{in("jul", 8, 1), in("aug1", 8, 2), in("aug2", 8, 3), in("aug1", 9, 9), in("sep", 10, 1)}
	late := table(t, rows...) // the log read starts on August 1 at noon: August cannot be judged
	late.Period = logs.Window{From: from, To: to}
	if got := cohorts(ls, late); len(got.Rows) != 1 || got.Rows[0].Month.Month() != time.September {
		t.Errorf("a log starting mid-August gave cohorts %+v, want September's alone", got.Rows)
	}
	api := table(t, append([]row{in("other", 7, 15)}, rows...)...)
	api.Period = logs.Window{From: from, To: to}
	got := cohorts(ls, api)
	if len(got.Rows) != 2 || got.Months != 2 {
		t.Fatalf("got %+v, want the August and September cohorts over two months", got.Rows)
	}
	aug, sep := got.Rows[0], got.Rows[1]
	if aug.Licenses != 2 || !near(aug.Active[0], 1) || !near(aug.Active[1], 0.5) {
		t.Errorf("August: %+v", aug)
	}
	if sep.Licenses != 1 || len(sep.Active) != 1 || !near(sep.Active[0], 0) {
		t.Errorf("September: %+v", sep)
	}
	// The curve: month +0 over both cohorts (2 of 3 active), +1 over
	// August's alone (1 of 2).
	if c := got.Curve(); c.Len() != 2 || !near(c.Value(0), 2.0/3) || !near(c.Value(1), 0.5) || c.Licenses[1] != 2 || c.Label(1) != "+1" {
		t.Errorf("curve %+v", c)
	}
	if recs := readCSV(t, got); strings.Join(recs[0], ",") != "Cohort,Licenses,Month +0 share,Month +1 share" || recs[2][3] != "NaN" {
		t.Errorf("CSV %q", recs)
	}
}

func TestLostLicenses(t *testing.T) {
	ls := []license{{Key: "gone", Customer: "Acme", Blocked: true}}
	api := periodTable(t,
		node("gone", "a", day), req("gone", 2021, 5*day), // blocked, then silence
		node("here", "b", 80*day),
		node("edge", "c", 50*day), // exactly 40 days silent: not lost
	)
	got, err := lostLicenses(ls, api, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 1 {
		t.Fatalf("got %+v, want gone alone", got.Rows)
	}
	g := got.Rows[0]
	if g.Key != "gone" || g.DaysSilent != 85 || g.LastState != 2021 || g.Customer != "Acme" || !g.Blocked || g.Requests != 2 {
		t.Errorf("got %+v", g)
	}
	if got, _ := lostLicenses(ls, api, 30); len(got.Rows) != 2 {
		t.Errorf("30 days: %+v, want gone and edge", got.Rows)
	}
	if _, err := lostLicenses(ls, api, -1); err == nil {
		t.Error("negative days accepted")
	}
}

func TestNeverUsed(t *testing.T) {
	ls := []license{
		{Key: "used", Created: t0},
		{Key: "idle", ProductID: 3, Created: t0.Add(-10 * day)},
		{Key: "future", Created: t0.Add(100 * day)},
	}
	got := neverUsed(ls, periodTable(t, node("used", "a", day)))
	if len(got.Rows) != 1 || got.Rows[0].Key != "idle" || got.Rows[0].DaysSilent != 100 || got.Rows[0].ProductID != 3 {
		t.Errorf("got %+v, want idle, 100 days since created", got.Rows)
	}
}

func TestAnomalies(t *testing.T) {
	flagged := func(r row, props string) row { r.IsAnomaly, r.AnomalyProperties = true, props; return r }
	api := table(t,
		req("A", 2011, 0),
		flagged(req("B", 2022, h), `{"groupId":"g1","startingAt":2,"endingAt":4}`),
		req("C", 2011, 2*h),
		flagged(req("B", 2022, 3*h), `{"Group Id":"g1","Starting At":"2","Ending At":"4"}`),
		flagged(req("B", 2022, 4*h), `{"GROUP_ID":7,"STARTINGAT":5,"ENDINGAT":9}`),
		flagged(req("D", 2011, 5*h), `{"type":"KeySharing"}`),
		flagged(req("D", 2011, 6*h), `not json`),
	)
	got := Anomalies(api)
	if len(got.Groups) != 2 || got.Ungrouped != 1 || got.Unreadable != 1 || got.FirstBadID != 7 {
		t.Fatalf("got %+v", got)
	}
	g7, g1 := got.Groups[0], got.Groups[1]
	if g7.Group != "7" || g7.Held != 3 || g7.Whole || g7.Failures != 1 || g7.Flagged != 1 {
		t.Errorf("group 7: %+v", g7)
	}
	if g1.Group != "g1" || g1.Held != 3 || !g1.Whole || g1.Failures != 2 || g1.Flagged != 2 ||
		strings.Join(g1.Keys, ",") != "B,C" || !g1.First.Equal(t0.Add(h)) {
		t.Errorf("group g1: %+v", g1)
	}
	if rows := got.Rows("g1"); rows.Len() != 3 || rows.ID[0] != 2 || rows.ID[2] != 4 {
		t.Errorf("Rows(g1) = %v", rows.ID)
	}
	if got.Rows("nope").Len() != 0 {
		t.Error("an unknown group has rows")
	}
}

// TestSampleAnomalyGroups reads the anomaly groups the sample server
// sends for its planted failure burst: every failure of the burst is in
// a group, every group is held whole, and the shared keys' rows, flagged
// without a group, are counted apart.
func TestSampleAnomalyGroups(t *testing.T) {
	acct, _ := sampleAccount(t)
	api := &logs.WebAPI{}
	api.Append(sample.NewServer(acct, "").Classified(acct.WebAPI)...)
	got := Anomalies(api)
	p := acct.Planted
	if got.Len() == 0 || got.Unreadable != 0 || got.Ungrouped == 0 {
		t.Fatalf("%d groups, %d unreadable, %d ungrouped", got.Len(), got.Unreadable, got.Ungrouped)
	}
	flagged := 0
	for _, g := range got.Groups {
		flagged += g.Flagged
		if !g.Whole || g.Held != 25 || len(g.Keys) == 0 || !slices.Contains(g.Keys, p.BurstKey) {
			t.Errorf("group %s: %+v", g.Group, g)
		}
		if g.First.Before(p.BurstStart) || g.Failures < g.Flagged {
			t.Errorf("group %s starts %v, before the burst at %v, or has fewer failures than flagged rows", g.Group, g.First, p.BurstStart)
		}
	}
	if flagged != p.BurstFailures {
		t.Errorf("%d burst rows flagged in groups, want the %d failures", flagged, p.BurstFailures)
	}
}
