package analysis

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

func TestMetered(t *testing.T) {
	op := func(key string, state cryptolens.State, obj, v int64) row {
		r := req(key, state, 0)
		r.DOID, r.DOIntValue = obj, v
		return r
	}
	api := table(t,
		op("A", 8011, 7, 5), op("A", 8011, 7, 10), op("A", 8021, 7, 1000), // failure not summed
		op("A", 8011, 8, 1), op("B", 8011, 9, 40), op("B", 2010, 9, 99), // not a data-object op
	)
	byKey := MeteredByKey(api)
	want := []Meter{{Key: "B", ProductID: 1, Operations: 1, Total: 40}, {Key: "A", ProductID: 1, Operations: 3, Failed: 1, Total: 16}}
	if fmt.Sprint(byKey.Rows) != fmt.Sprint(want) {
		t.Errorf("by key = %+v, want %+v", byKey.Rows, want)
	}
	byObj := MeteredByObject(api)
	if byObj.Len() != 3 || byObj.Label(0) != "object 9" || byObj.Value(0) != 40 || byObj.Rows[1].DataObject != 7 || byObj.Rows[1].Total != 15 {
		t.Errorf("by object = %+v", byObj.Rows)
	}
	if recs := readCSV(t, byObj); strings.Join(recs[0], ",") != "Data object,Key,Product,Operations,Failed,Total" {
		t.Errorf("header = %v", recs[0])
	}
}

func TestActivationsPerProduct(t *testing.T) {
	p2 := req("B", 2014, 48*h)
	p2.ProductID = 2
	api := table(t, req("A", 2010, 0), req("A", 2010, h), req("A", 2020, h), req("A", 6011, h), p2)
	d := ActivationsPerProduct(api)
	if d.Len() != 3 || len(d.Series()) != 2 || d.Value(0, 0) != 2 || d.Value(1, 0) != 0 || d.Value(2, 1) != 1 {
		t.Fatalf("daily = %+v", d)
	}
	if r, c := d.Dims(); r != 2 || c != 3 || d.Z(1, 2) != 1 || d.RowLabel(1) != "product 2" || d.ColLabel(2) != "2026-10-03" {
		t.Errorf("grid view wrong")
	}
	recs := readCSV(t, d)
	if strings.Join(recs[0], ",") != "Day,product 1,product 2,Total" || strings.Join(recs[1], ",") != "2026-10-01,2,0,2" {
		t.Errorf("csv = %v", recs)
	}
}

func TestRequestsByWeekdayHour(t *testing.T) {
	// 2026-10-01 is a Thursday.
	g := RequestsByWeekdayHour(table(t, req("A", 2010, 9*h), req("A", 2010, 9*h+time.Minute), req("A", 2010, 4*24*h)))
	if g.Counts[3][9] != 2 || g.Counts[0][0] != 1 || g.Z(3, 9) != 2 || g.RowLabel(3) != "Thursday" || g.ColLabel(9) != "09" {
		t.Errorf("grid = %v", g.Counts)
	}
	if f := g.Frame(); f.Nrow() != 7 || f.Ncol() != 25 {
		t.Errorf("frame %dx%d", f.Nrow(), f.Ncol())
	}
}

func eventsTable(evs ...cryptolens.Event) *logs.Events {
	t := &logs.Events{}
	for i, e := range evs {
		e.ID = int64(i + 1)
		if e.Time == 0 {
			e.Time = t0.Unix()
		}
		t.Append(e)
	}
	return t
}

func TestFeatureUsage(t *testing.T) {
	ev := eventsTable(
		cryptolens.Event{FeatureName: "export", EventName: "click", MachineCode: "m1", Key: "K"},
		cryptolens.Event{FeatureName: "export", EventName: "click", MachineCode: "m1", Key: "K"},
		cryptolens.Event{FeatureName: "export", EventName: "open", MachineCode: "m2", Key: "K"},
		cryptolens.Event{FeatureName: "print", EventName: "click", Key: "L"},
	)
	f := FeatureUsage(ev)
	want := []FeatureCount{{Feature: "export", Events: 3, Machines: 2, Keys: 1}, {Feature: "print", Events: 1, Keys: 1}}
	if fmt.Sprint(f.Rows) != fmt.Sprint(want) {
		t.Errorf("features = %+v", f.Rows)
	}
	fe := FeatureEvents(ev)
	if fe.Len() != 3 || fe.Label(0) != "export / click" || fe.Rows[0].Machines != 1 || fe.Value(0) != 2 {
		t.Errorf("feature events = %+v", fe.Rows)
	}
}

func TestOperatingSystems(t *testing.T) {
	md := func(s, m string) cryptolens.Event { return cryptolens.Event{Metadata: s, MachineCode: m} }
	ev := eventsTable(
		md(`{"OSName":"Windows","OSVersion":"10.0","Is64Bit":true}`, "m1"),
		md(`{"OSName":"Windows"}`, "m2"),
		md(`{"os":"Linux"}`, "m3"),
		md(`{"platform":"macOS"}`, "m4"),
		md(`{"OSName":`, "m5"), // bad JSON
		md(`[1,2]`, "m6"),      // JSON, not an object
		md(``, "m7"),
		md(`{"app":"x"}`, "m8"),
		md(`{"OSName":null,"os":"BSD"}`, "m9"),
	)
	m := OperatingSystems(ev)
	got := map[string][2]int{}
	for _, r := range m.Rows {
		got[r.OS] = [2]int{r.Events, r.Machines}
	}
	want := map[string][2]int{"Windows": {2, 2}, "Linux": {1, 1}, "macOS": {1, 1}, "BSD": {1, 1}, UnknownOS: {4, 4}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("mix = %v, want %v", got, want)
	}
	if m.BadJSON != 2 || m.NoMetadata != 1 || m.NoOSField != 1 || m.Total != 9 {
		t.Errorf("problems: bad %d none %d nofield %d total %d", m.BadJSON, m.NoMetadata, m.NoOSField, m.Total)
	}
	if m.Rows[0].OS != UnknownOS || !near(m.Value(0), 4.0/9) || !m.Percent() {
		t.Errorf("first = %+v", m.Rows[0])
	}
	if p := m.Problems(); !strings.Contains(p, "2 with bad metadata JSON") {
		t.Errorf("Problems = %q", p)
	}
}

func TestCents(t *testing.T) {
	for c, want := range map[Cents]string{0: "0.00", 5: "0.05", 2530: "25.30", -5: "-0.05", -2530: "-25.30",
		100: "1.00", math.MinInt64: "-92233720368547758.08", math.MaxInt64: "92233720368547758.07"} {
		if got := c.String(); got != want {
			t.Errorf("Cents(%d) = %q, want %q", int64(c), got, want)
		}
	}
}

func TestRevenue(t *testing.T) {
	buy := func(cur string, v int64, product int) cryptolens.Event {
		return cryptolens.Event{Currency: cur, Value: v, ProductID: product}
	}
	r := Revenue(eventsTable(
		buy("USD", 2530, 1), buy("usd ", 1, 1), buy("USD", 999, 2), buy("EUR", 10, 1),
		buy("", 0, 1),   // not a purchase
		buy("", 300, 1), // a value without a currency
	))
	var got []string
	for _, x := range r.Rows {
		got = append(got, fmt.Sprintf("%s/%d/%d/%s", x.Currency, x.ProductID, x.Purchases, x.Total))
	}
	want := []string{"/1/1/3.00", "EUR/1/1/0.10", "USD/1/2/25.31", "USD/2/1/9.99"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("revenue = %v, want %v", got, want)
	}
	if r.Label(0) != "(no currency) product 1" || r.Value(2) != 25.31 {
		t.Errorf("label %q value %v", r.Label(0), r.Value(2))
	}
	recs := readCSV(t, r)
	if strings.Join(recs[3], ",") != "USD,1,2,25.31,2531" {
		t.Errorf("csv row = %v", recs[3])
	}
}

// The Usage Analytics tables of rows, as lenslog's loaders give them.
func dailyOf(rows []cryptolens.DailyAggregate) *logs.UsageDaily {
	t := &logs.UsageDaily{}
	t.Append(rows...)
	return t
}

func countriesOf(rows []cryptolens.DailyCountryAggregate) *logs.UsageCountries {
	t := &logs.UsageCountries{}
	t.Append(rows...)
	return t
}

func summariesOf(rows []cryptolens.KeyUsageSummary) *logs.UsageSummaries {
	t := &logs.UsageSummaries{}
	t.Append(rows...)
	return t
}

func devicesOf(rows []cryptolens.KeyDevice) *logs.UsageDevices {
	t := &logs.UsageDevices{}
	t.Append(rows...)
	return t
}

func bucketsOf(rows []cryptolens.LicenseActivityBucket) *logs.UsageBuckets {
	t := &logs.UsageBuckets{}
	t.Append(rows...)
	return t
}
