package analysis

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// TestReconcileSampleAgrees is the reconciliation on the sample account:
// the endpoint's daily figures and the raw log's agree exactly once the
// excluded test keys and the lagging day are accounted for; without them
// the differences are flagged.
func TestReconcileSampleAgrees(t *testing.T) {
	acct, api := sampleAccount(t)
	u := acct.Usage()
	r := Reconcile(api, dailyOf(u.Daily), ReconcileOptions{Excluded: u.Excluded, AsOf: u.AsOf})
	if f := r.Flagged(); len(f) != 0 {
		t.Fatalf("%d product-days flagged, first %+v", len(f), f[0])
	}
	var test, lag int64
	for _, d := range r.Days {
		test += d.TestKeys
		lag += d.Lagging
		if d.Endpoint != d.Expected || d.EndpointSuccessful != d.ExpectedSuccessful || d.EndpointFailed != d.ExpectedFailed {
			t.Errorf("%v product %d: endpoint %d/%d/%d, expected %d/%d/%d", d.Day, d.ProductID,
				d.Endpoint, d.EndpointSuccessful, d.EndpointFailed, d.Expected, d.ExpectedSuccessful, d.ExpectedFailed)
		}
	}
	if test == 0 || lag == 0 {
		t.Fatalf("test keys %d, lagging %d: the sample must exercise both explanations", test, lag)
	}
	if sum := r.Sum(); sum.TestKeys != test || sum.Lagging != lag || sum.Expected != sum.Endpoint || sum.Log < sum.Expected {
		t.Errorf("Sum = %+v, want test keys %d, lagging %d and the endpoint's figures expected", sum, test, lag)
	}
	if n := r.Agreeing(); n == 0 || n >= len(r.Days) {
		t.Errorf("Agreeing = %d of %d days: the sample has days that agree and days explained", n, len(r.Days))
	}

	t.Run("without the test keys the days with them are flagged", func(t *testing.T) {
		r := Reconcile(api, dailyOf(u.Daily), ReconcileOptions{AsOf: u.AsOf})
		if len(r.Flagged()) == 0 {
			t.Fatal("nothing flagged")
		}
	})
	t.Run("an unknown AsOf takes the newest day as lagging", func(t *testing.T) {
		r := Reconcile(api, dailyOf(u.Daily), ReconcileOptions{Excluded: u.Excluded})
		if f := r.Flagged(); len(f) != 0 {
			t.Fatalf("flagged %+v", f[0])
		}
		last := r.Days[len(r.Days)-1]
		if !strings.Contains(last.Explanation, "lagging") && !strings.Contains(r.Days[len(r.Days)-2].Explanation, "lagging") {
			t.Errorf("the newest days are not explained as lagging: %q", last.Explanation)
		}
	})
	t.Run("a tampered figure is flagged", func(t *testing.T) {
		daily := append([]cryptolens.DailyAggregate(nil), u.Daily...)
		daily[10].Failed++
		f := Reconcile(api, dailyOf(daily), ReconcileOptions{Excluded: u.Excluded, AsOf: u.AsOf}).Flagged()
		if len(f) != 1 || f[0].Day.Unix() != daily[10].Date || f[0].ProductID != daily[10].ProductID {
			t.Fatalf("flagged %+v, want day %v product %d", f, daily[10].Day(), daily[10].ProductID)
		}
	})
	t.Run("days before the local log are retention, not flagged", func(t *testing.T) {
		cut := u.AsOf.Add(-20 * 24 * time.Hour)
		recent := api.Where(func(i int) bool { return api.Time.At(i).After(cut) })
		r := Reconcile(recent, dailyOf(u.Daily), ReconcileOptions{Excluded: u.Excluded, AsOf: u.AsOf})
		if f := r.Flagged(); len(f) != 0 {
			t.Fatalf("flagged %+v", f[0])
		}
		if !r.Days[0].Retention || !strings.Contains(r.Days[0].Explanation, "retention") {
			t.Errorf("first day %+v not explained by retention", r.Days[0])
		}
	})
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil || !strings.HasPrefix(buf.String(), "day,product_id,endpoint,log,test_keys,lagging,expected,") {
		t.Errorf("CSV: %v %.80q", err, buf.String())
	}
}

func TestDailyKPIs(t *testing.T) {
	rows := []cryptolens.DailyAggregate{
		{ID: 1, ProductID: 1, Date: 86400 * 2, TotalRequestsLogged: 10, Successful: 8, Failed: 2, ActiveDevices: 3, ActiveKeys: 2, ActiveCustomers: 1},
		{ID: 2, ProductID: 2, Date: 86400 * 2, TotalRequestsLogged: 5, Successful: 5, ActiveDevices: 1, ActiveKeys: 1, ActiveCustomers: 1},
		{ID: 3, ProductID: 1, Date: 86400, TotalRequestsLogged: 1, Failed: 1, ActiveDevices: 1, ActiveKeys: 1},
	}
	k := DailyKPIs(dailyOf(rows), 0)
	if k.Len() != 2 || k.Time(0).Unix() != 86400 || k.Rows[1] != (KPIDay{time.Unix(2*86400, 0).UTC(), 15, 13, 2, 4, 3, 2}) {
		t.Fatalf("all products: %+v", k.Rows)
	}
	if p := DailyKPIs(dailyOf(rows), 2); p.Len() != 1 || p.Rows[0].Requests != 5 {
		t.Errorf("product 2: %+v", p.Rows)
	}
	if sum := k.Sum(); sum != (KPIDay{Requests: 16, Successful: 13, Failed: 3, ActiveDevices: 5, ActiveKeys: 4, ActiveCustomers: 2}) {
		t.Errorf("Sum = %+v", sum)
	}
	if mean := k.Mean(); mean != (KPIMean{Requests: 8, Successful: 6.5, Failed: 1.5, ActiveDevices: 2.5, ActiveKeys: 2, ActiveCustomers: 1}) {
		t.Errorf("Mean = %+v", mean)
	}
	if mean := (&KPIs{}).Mean(); mean != (KPIMean{}) {
		t.Errorf("Mean of no days = %+v, want zero", mean)
	}
	sub := k.Only("Active devices", "nonsense", "Requests")
	if got := sub.Series(); len(got) != 2 || got[0] != "Active devices" || sub.Value(1, 1) != 15 || sub.Value(1, 0) != 4 {
		t.Errorf("subset %v", got)
	}
}

func TestTopCountries(t *testing.T) {
	rows := []cryptolens.DailyCountryAggregate{
		{CountryCode: "SE", TotalRequests: 50, Successful: 45, Failed: 5},
		{CountryCode: "US", TotalRequests: 30, Successful: 30},
		{CountryCode: "SE", TotalRequests: 10, Successful: 10},
		{CountryCode: "JP", TotalRequests: 6, Failed: 6},
		{CountryCode: "FI", TotalRequests: 4, Successful: 4},
	}
	c := TopCountries(countriesOf(rows), 2)
	want := []CountryShare{{"SE", 60, 0.6, 55, 5, 5.0 / 60}, {"US", 30, 0.3, 30, 0, 0}, {"Other", 10, 0.1, 4, 6, 0.6}}
	if c.Total != 100 || len(c.Rows) != 3 {
		t.Fatalf("%+v", c)
	}
	for i, w := range want {
		if c.Rows[i] != w {
			t.Errorf("row %d: %+v, want %+v", i, c.Rows[i], w)
		}
	}
}

func TestUsageAnalysesOnSample(t *testing.T) {
	acct, api := sampleAccount(t)
	u := acct.Usage()

	// The inactive licenses from the summaries are the ones the raw log
	// gives (LastActivity), less the excluded test keys.
	fromLog, err := InactiveLicenses(api, u.AsOf, 30)
	if err != nil {
		t.Fatal(err)
	}
	fromSummaries := InactiveFromSummaries(summariesOf(u.Summaries), u.AsOf, 30)
	excluded := map[string]bool{}
	for _, k := range u.Excluded {
		excluded[k] = true
	}
	var want []string
	for _, r := range fromLog.Rows {
		if !excluded[r.Key] {
			want = append(want, r.Key)
		}
	}
	var got []string
	for _, r := range fromSummaries.Rows {
		got = append(got, r.Key)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || len(got) == 0 {
		t.Errorf("inactive from summaries %v, from the log %v", got, want)
	}
	for _, k := range acct.Planted.SilentKeys {
		if !strings.Contains(strings.Join(got, ","), k) {
			t.Errorf("planted silent key %s not found", k)
		}
	}

	// Devices per key: the planted node-locked shared key has the most
	// devices; every key over its limit has more devices than it allows
	// (devices refused with 2023 are seen too).
	var lic []cryptolens.License
	for _, l := range acct.Licenses {
		lic = append(lic, l.License)
	}
	d := DevicesPerKey(devicesOf(u.Devices), lic)
	if d.Rows[0].Key != acct.Planted.SharedKeys[0] || d.Rows[0].Devices < 20 {
		t.Errorf("most devices: %+v, want the shared key %s", d.Rows[0], acct.Planted.SharedKeys[0])
	}
	over := d.OverLimit()
	if len(over) == 0 {
		t.Error("no key over its device limit")
	}
	for _, r := range over {
		if r.Devices <= r.Limit || r.Floating {
			t.Errorf("%+v is not over its limit", r)
		}
	}

	// Offline devices: floating keys' devices whose gap exceeds the period.
	periods := map[string]time.Duration{}
	for _, l := range acct.Licenses {
		if l.Floating {
			periods[l.Key] = l.FloatingInterval
		}
	}
	off := OfflineDevices(bucketsOf(u.Buckets), periods)
	if len(off.Rows) == 0 {
		t.Fatal("no floating device ever stayed away longer than its period")
	}
	for _, r := range off.Rows {
		if r.LongestGap <= r.Period || r.Gaps < 1 {
			t.Fatalf("%+v is not offline beyond its period", r)
		}
	}
	ref := RefreshesPerBucket(bucketsOf(u.Buckets))
	var sum, wantSum int64
	for _, c := range ref.Counts {
		sum += c
	}
	for i, s := range api.State {
		if s >= 2010 && s <= 2015 && api.MachineCode.At(i) != "" && !excluded[api.Key.At(i)] && !api.Time.At(i).After(u.AsOf) {
			wantSum++
		}
	}
	if sum != wantSum {
		t.Errorf("refreshes in buckets %d, in the log %d", sum, wantSum)
	}
}
