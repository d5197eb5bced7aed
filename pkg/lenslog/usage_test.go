package lenslog

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// usageTables are the five tables as an account loads them.
type usageTables struct {
	Daily     []cryptolens.DailyAggregate
	Countries []cryptolens.DailyCountryAggregate
	Summaries []cryptolens.KeyUsageSummary
	Devices   []cryptolens.KeyDevice
	Buckets   []cryptolens.LicenseActivityBucket
}

// loadAllUsage loads the five tables for span through a, as rows.
func loadAllUsage(t *testing.T, a *Account, span Span, filters ...Filter) usageTables {
	t.Helper()
	return usageTables{
		Daily:     Must(a.DailyAggregates(span, filters...)).Rows(),
		Countries: Must(a.DailyCountryAggregates(span, filters...)).Rows(),
		Summaries: Must(a.KeyUsageSummaries(span, filters...)).Rows(),
		Devices:   Must(a.KeyDevices(span, filters...)).Rows(),
		Buckets:   Must(a.LicenseActivityBuckets(span, filters...)).Rows(),
	}
}

// TestUsageFromSample checks the loaders on the sample account: each
// table holds exactly the rows of the sample's figures in the span (by
// the row's own time), a product filter keeps that product's rows, each
// load is recorded in the provenance under its table's name, and a
// product without rows is a *NoDataError naming the products there are.
func TestUsageFromSample(t *testing.T) {
	a, prov := openSample(t, Pins{})
	span := Last(10 * Day)
	w := span.Window(a.Now())
	u := loadAllUsage(t, a, span)
	full := sample.Generate(sample.Options{End: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), WebAPIRows: 20000}).Usage()

	var want usageTables
	for _, r := range full.Daily {
		if w.Contains(time.Unix(r.Date, 0)) {
			want.Daily = append(want.Daily, r)
		}
	}
	for _, r := range full.Summaries {
		if w.Overlaps(time.Unix(r.FirstSeenUtc, 0), time.Unix(r.LastSeenUtc, 0)) {
			want.Summaries = append(want.Summaries, r)
		}
	}
	for _, r := range full.Buckets {
		if w.Contains(r.BucketStart()) {
			want.Buckets = append(want.Buckets, r)
		}
	}
	if len(want.Daily) == 0 || len(want.Summaries) == len(full.Summaries) || len(want.Buckets) == 0 {
		t.Fatalf("the span selects %d days, %d of %d summaries, %d buckets: a poor test", len(want.Daily),
			len(want.Summaries), len(full.Summaries), len(want.Buckets))
	}
	if !reflect.DeepEqual(u.Daily, want.Daily) || !reflect.DeepEqual(u.Summaries, want.Summaries) ||
		!reflect.DeepEqual(u.Buckets, want.Buckets) {
		t.Errorf("loaded %d days, %d summaries, %d buckets; want %d, %d, %d", len(u.Daily), len(u.Summaries),
			len(u.Buckets), len(want.Daily), len(want.Summaries), len(want.Buckets))
	}
	if len(u.Countries) == 0 || len(u.Devices) == 0 {
		t.Errorf("%d country rows, %d devices", len(u.Countries), len(u.Devices))
	}

	reads, err := ReadProvenance(prov)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, r := range reads {
		rows[r.Log] = r.Rows
	}
	wantRows := map[string]int{"usage_daily": len(u.Daily), "usage_countries": len(u.Countries),
		"usage_summaries": len(u.Summaries), "usage_devices": len(u.Devices), "usage_buckets": len(u.Buckets)}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("provenance rows %v, want %v", rows, wantRows)
	}
	if ids := MaxIDs(reads); ids["usage_buckets"] != u.Buckets[len(u.Buckets)-1].ID {
		t.Errorf("MaxIDs = %v", ids)
	}

	product := u.Daily[0].ProductID
	one := loadAllUsage(t, a, span, Product(product))
	if len(one.Daily) == 0 || len(one.Daily) == len(u.Daily) {
		t.Fatalf("product %d: %d of %d days", product, len(one.Daily), len(u.Daily))
	}
	for _, r := range one.Buckets {
		if r.ProductID != product {
			t.Fatalf("product filter kept %+v", r)
		}
	}
	_, err = a.KeyDevices(span, Product(999999))
	var nd *NoDataError
	if !errors.As(err, &nd) || !strings.Contains(err.Error(), "products with rows there") {
		t.Errorf("product without rows: %v, want a *NoDataError with a hint", err)
	}
}

// TestUsageSameFromEverySource checks that the three sources give the same
// tables: the sample account in memory, the same account served over
// HTTP read through the store (synced first; a second load makes one
// request per table), and read directly.
func TestUsageSameFromEverySource(t *testing.T) {
	s := serveSample(t, sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 20000})
	span := Last(20 * Day)
	want := loadAllUsage(t, s.sample(t), span)
	s.eachSource(t, func(t *testing.T, dir string) {
		a := s.open(t, servedToken, dir)
		got := loadAllUsage(t, a, span)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the tables differ from the sample's (%d/%d days, %d/%d buckets)",
				len(got.Daily), len(want.Daily), len(got.Buckets), len(want.Buckets))
		}
		if dir == "" {
			return
		}
		before := s.srv.Requests()
		loadAllUsage(t, a, span)
		if n := s.srv.Requests() - before; n != 5 {
			t.Errorf("loading the five tables again made %d requests, want one per table", n)
		}
	})
}

// TestUsageRedactedLikeTheLogs checks that a redacted account gives a key
// and a machine code in the usage tables the pseudonyms they get in the
// Web API Log, and shows no real one.
func TestUsageRedactedLikeTheLogs(t *testing.T) {
	plain, red := plainAndRedacted(t)
	span := Last(3 * Day)
	api := Must(red.WebAPI(span))
	inLog := map[string]bool{}
	for i := range api.Len() {
		inLog[api.Key.At(i)+" "+api.MachineCode.At(i)] = true
	}
	devices := Must(red.KeyDevices(span)).Rows()
	buckets := Must(red.LicenseActivityBuckets(span)).Rows()
	real := Must(plain.KeyDevices(span)).Rows()
	for i, d := range devices {
		if d.Key == real[i].Key || d.MachineCode == real[i].MachineCode {
			t.Fatalf("device %d not redacted: %+v", i, d)
		}
		if d.Key != red.Key(real[i].Key) {
			t.Fatalf("device %d: key %s, want the pseudonym %s", i, d.Key, red.Key(real[i].Key))
		}
	}
	matched := 0
	for _, b := range buckets {
		if inLog[b.Key+" "+b.MachineCode] {
			matched++
		}
	}
	if matched != len(buckets) || matched == 0 {
		t.Errorf("%d of %d buckets name a key and machine the redacted log has", matched, len(buckets))
	}
	sums := Must(red.KeyUsageSummaries(span)).Rows()
	if len(sums) == 0 || !strings.HasPrefix(sums[0].Key, "key-") {
		t.Errorf("summaries not redacted: %+v", sums[:min(1, len(sums))])
	}
}

// TestUsageWithoutPermission checks that a token without the "Usage
// Analytics" permission gets a *PermissionError naming it, from the store
// and directly, that does not show the token, while the logs still load.
func TestUsageWithoutPermission(t *testing.T) {
	checkWithoutPermission(t, "Usage Analytics", func(a *Account) error {
		_, err := a.DailyAggregates(Last(7 * Day))
		return err
	})
}

// TestUsagePins checks that a replay's id cap applies to a usage table
// and that the pins name it.
func TestUsagePins(t *testing.T) {
	a, _ := openSample(t, Pins{})
	all := Must(a.DailyAggregates(All()))
	cut := all.ID[all.Len()/2]
	p, _ := openSample(t, Pins{Now: a.Now(), MaxIDs: map[string]int64{"usage_daily": cut}})
	got := Must(p.DailyAggregates(All()))
	if got.Len() == 0 || got.ID[got.Len()-1] != cut {
		t.Errorf("pinned read ends at %d rows, want ids up to %d", got.Len(), cut)
	}
	pins, err := parsePins("", "webapi=3,usage_daily=7,usage_buckets=9")
	if err != nil || pins.MaxIDs["usage_daily"] != 7 {
		t.Errorf("pins %+v, %v", pins, err)
	}
}

// TestReconcileOptions checks both ways of explaining the aggregates: the
// sample account's own settings, and, for the same account served over
// HTTP, the excluded keys inferred from the summaries, which must be the
// sample's test keys that have requests in the span. Either way the
// reconciliation flags nothing.
func TestReconcileOptions(t *testing.T) {
	clearEnv(t)
	end := sampleEnd.Add(13*time.Hour + 17*time.Minute) // mid-day: the newest day is partly aggregated
	opt := sample.Options{Seed: 3, End: end, WebAPIRows: 20000}
	hs := httptest.NewServer(sample.NewServer(sample.Generate(opt), "tok"))
	t.Cleanup(hs.Close)
	mem, err := openWith(t, func(c *Config) {
		c.UseSample, c.Sample = true, opt
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	live, err := openWith(t, func(c *Config) {
		c.Token = "tok"
		c.BaseURL = hs.URL + "/api/"
		c.StoreDir = filepath.Join(t.TempDir(), "s")
		c.Clock = func() time.Time { return end }
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	span := Last(20 * Day)
	var known analysis.ReconcileOptions
	for i, a := range []*Account{mem, live} {
		daily := Must(a.DailyAggregates(span))
		api := Must(a.WebAPI(Between(daily.Date.At(0), end.Add(time.Second))))
		o, how := a.ReconcileOptions(api, Must(a.KeyUsageSummaries(All())))
		if f := analysis.Reconcile(api, daily, o).Flagged(); len(f) != 0 {
			t.Errorf("%s: %d days flagged, first %+v", how, len(f), f[0])
		}
		if i == 0 {
			known = o
			continue
		}
		if !strings.HasPrefix(how, "inferred") || len(o.Excluded) == 0 || o.AsOf.After(known.AsOf) ||
			o.AsOf.Before(known.AsOf.Add(-time.Hour)) {
			t.Fatalf("live: %q, %d keys, as of %v (the sample's %v)", how, len(o.Excluded), o.AsOf, known.AsOf)
		}
		flagged := map[string]bool{}
		for _, k := range known.Excluded {
			flagged[k] = true
		}
		for _, k := range o.Excluded {
			if !flagged[k] {
				t.Errorf("inferred %s as excluded, which the sample does not flag", k)
			}
		}
	}
}

// TestFloatingPeriods checks the periods read from the log against the
// sample's licenses.
func TestFloatingPeriods(t *testing.T) {
	a, _ := openSample(t, Pins{})
	periods := FloatingPeriods(Must(a.WebAPI(Last(30 * Day))))
	acct := sample.Generate(sample.Options{End: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), WebAPIRows: 20000})
	if len(periods) == 0 {
		t.Fatal("no floating periods found")
	}
	for k, p := range periods {
		l, ok := acct.License(k)
		if !ok || !l.Floating || l.FloatingInterval != p {
			t.Errorf("%s: period %v, license %+v", k, p, l)
		}
	}
}
