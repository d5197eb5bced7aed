package sample

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// TestUsageAgreesWithTheLog recomputes the daily figures and the key
// totals from the raw Web API Log, independently of usage.go's builder,
// and checks that they agree once the excluded test keys and the lag are
// accounted for, and that both of those are real.
func TestUsageAgreesWithTheLog(t *testing.T) {
	a := smallAccount(t)
	u := a.Usage()
	if len(u.Excluded) < 2 {
		t.Fatalf("only %d excluded test keys", len(u.Excluded))
	}
	excluded := map[string]bool{}
	for _, k := range u.Excluded {
		excluded[k] = true
	}
	wantAsOf := a.WebAPI[len(a.WebAPI)-1].Time - int64(UsageLag/time.Second)
	if u.AsOf.Unix() != wantAsOf {
		t.Errorf("AsOf %v, want the newest row less UsageLag", u.AsOf)
	}
	type fig struct{ total, ok, failed int64 }
	days := map[[2]int64]fig{}
	keys := map[string]fig{}
	var lagged, excludedRows int
	for _, r := range a.WebAPI {
		switch {
		case excluded[r.Key]:
			excludedRows++
			continue
		case r.Time > wantAsOf:
			lagged++
			continue
		}
		f := days[[2]int64{r.Time / 86400 * 86400, int64(r.ProductID)}]
		k := keys[r.Key]
		f.total++
		k.total++
		switch strings.ToLower(r.State.Outcome().String()) {
		case "success":
			f.ok++
			k.ok++
		case "failure":
			f.failed++
			k.failed++
		}
		days[[2]int64{r.Time / 86400 * 86400, int64(r.ProductID)}] = f
		keys[r.Key] = k
	}
	if lagged == 0 || excludedRows == 0 {
		t.Fatalf("lagged %d rows, excluded %d: the sample must show both", lagged, excludedRows)
	}
	if len(u.Daily) != len(days) {
		t.Errorf("%d daily rows, the log has %d product-days", len(u.Daily), len(days))
	}
	for _, d := range u.Daily {
		if got, want := (fig{d.TotalRequestsLogged, d.Successful, d.Failed}), days[[2]int64{d.Date, int64(d.ProductID)}]; got != want {
			t.Errorf("day %v product %d: %+v, the log says %+v", d.Day(), d.ProductID, got, want)
		}
	}
	for _, s := range u.Summaries {
		if excluded[s.Key] {
			t.Errorf("excluded key %s has a summary", s.Key)
		}
		if got := (fig{s.TotalRequests, s.TotalSuccessful, s.TotalFailed}); got != keys[s.Key] {
			t.Errorf("key %s: %+v, the log says %+v", s.Key, got, keys[s.Key])
		}
	}
	var countryTotal, dailyTotal int64
	for _, c := range u.Countries {
		countryTotal += c.TotalRequests
		if c.CountryCode == "" {
			t.Errorf("a country row without a country: %+v", c)
		}
	}
	for _, d := range u.Daily {
		dailyTotal += d.TotalRequestsLogged
	}
	if countryTotal != dailyTotal {
		t.Errorf("countries add up to %d requests, days to %d", countryTotal, dailyTotal)
	}
	for i, b := range u.Buckets {
		if b.BucketStartUtc%1800 != 0 || b.FirstEventUtc < b.BucketStartUtc || b.LastEventUtc >= b.BucketStartUtc+1800 || b.ID != int64(i+1) {
			t.Fatalf("bucket %+v is not a 30-minute bucket in id order", b)
		}
	}
}

func TestCountryOf(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"85.1.2.0", "SE"}, {"24.7.1.0", "US"}, {"110.3.3.0", "JP"},
		{"81.0.5.0", "SE"}, {"81.1.5.0", "GB"}, // an octet SE and GB share is split by the second
		{"52.174.9.0", "AU"}, {"10.1.1.0", "IN"}, {"300.1.1.0", ""}, {"", ""}, {"x.y", ""}, {"::1", ""},
	}
	for _, tt := range tests {
		if got := CountryOf(tt.ip); got != tt.want {
			t.Errorf("CountryOf(%q) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

// usageClient serves the small account and returns a client for it with
// fast retries.
func usageClient(t *testing.T, token string) (*Server, *cryptolens.Client) {
	t.Helper()
	s := NewServer(smallAccount(t), testToken)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c := &cryptolens.Client{BaseURL: ts.URL + "/api/", Token: cryptolens.Token(token),
		Retry: cryptolens.RetryPolicy{Attempts: 8, MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}}
	return s, c
}

func drainUsage[T any](t *testing.T, seq iter.Seq2[[]T, error]) []T {
	t.Helper()
	var out []T
	for page, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
	}
	return out
}

// TestUsageServedThroughTheClient pages all five methods through the
// client, with faults injected, and gets exactly the tables the server
// derived: the ISO-8601 times it writes decode to the same seconds.
func TestUsageServedThroughTheClient(t *testing.T) {
	s, c := usageClient(t, testToken)
	s.SetFaults(Faults{Rate: 0.3, Seed: 5, Kinds: []Fault{FaultTransient, FaultServerError, FaultBadGateway, FaultTruncated, FaultNotJSON, FaultMessageOnly}})
	ctx := context.Background()
	u := s.Usage()
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the client read something else than the server holds", name)
		}
	}
	check("daily", drainUsage(t, c.DailyAggregatesForward(ctx, cryptolens.DailyAggregatesQuery{})), u.Daily)
	check("countries", drainUsage(t, c.DailyCountryAggregatesForward(ctx, cryptolens.DailyCountryAggregatesQuery{})), u.Countries)
	check("summaries", drainUsage(t, c.KeyUsageSummariesForward(ctx, cryptolens.KeyUsageSummariesQuery{})), u.Summaries)
	check("devices", drainUsage(t, c.KeyDevicesForward(ctx, cryptolens.KeyDevicesQuery{})), u.Devices)
	check("buckets", drainUsage(t, c.LicenseActivityBucketsForward(ctx, cryptolens.LicenseActivityBucketsQuery{})), u.Buckets)
	if len(u.Buckets) <= cryptolens.MaxUsageLimit {
		t.Errorf("only %d buckets: paging is not exercised", len(u.Buckets))
	}
	s.SetFaults(Faults{})

	t.Run("filters", func(t *testing.T) {
		key := u.Summaries[len(u.Summaries)/2]
		got, err := c.KeyUsageSummaries(ctx, cryptolens.KeyUsageSummariesQuery{Key: key.Key})
		if err != nil || len(got) != 1 || got[0] != key {
			t.Fatalf("by key: %v %v", got, err)
		}
		dev := u.Devices[len(u.Devices)/3]
		devs, err := c.KeyDevices(ctx, cryptolens.KeyDevicesQuery{KeyID: dev.KeyID})
		if err != nil || !slices.Contains(devs, dev) {
			t.Fatalf("by key id: %v %v", devs, err)
		}
		for _, d := range devs {
			if d.KeyID != dev.KeyID {
				t.Errorf("device %+v of another key", d)
			}
		}
		day := u.Daily[len(u.Daily)/2].Day()
		daily, err := c.DailyAggregates(ctx, cryptolens.DailyAggregatesQuery{UsageRange: cryptolens.UsageRange{Start: day, End: day, ProductID: 3349}})
		if err != nil || len(daily) != 1 || daily[0].Date != day.Unix() || daily[0].ProductID != 3349 {
			t.Fatalf("one product-day: %v %v", daily, err)
		}
		se, err := c.DailyCountryAggregates(ctx, cryptolens.DailyCountryAggregatesQuery{CountryCode: "se"})
		if err != nil || len(se) == 0 {
			t.Fatalf("by country: %d rows, %v", len(se), err)
		}
		for _, r := range se {
			if r.CountryCode != "SE" {
				t.Fatalf("country filter let %q through", r.CountryCode)
			}
		}
	})
}

// TestUsageWire asks the server as a user with curl would: GET and POST,
// mixed-case paths and parameters, 0 and "" as no filter, both cursors.
func TestUsageWire(t *testing.T) {
	s, ts := startServer(t)
	u := s.Usage()
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		for _, path := range []string{"GetDailyAggregates", "getdailyaggregates", "GETDAILYAGGREGATES"} {
			r := call(t, ts, m, path, url.Values{"TOKEN": {testToken}, "limit": {"5"}, "productID": {"0"}, "Start": {""}})
			okEnvelope(t, r)
			if !strings.Contains(string(r.body), `"aggregates":[{`) || strings.Count(string(r.body), `"id":`) != 5 {
				t.Errorf("%s %s: %s", m, path, r.body)
			}
		}
	}
	// The real API answers success with "message":null, as for the logs,
	// result and message first, then the payload.
	for method, payload := range map[string]string{"GetDailyAggregates": "aggregates", "getDailyCountryAggregates": "aggregates",
		"GETKEYUSAGESUMMARIES": "summaries", "getkeydevices": "devices", "GetLicenseActivityBuckets": "buckets"} {
		r := call(t, ts, http.MethodPost, method, withToken(url.Values{"Limit": {"1"}}))
		if want := `{"result":0,"message":null,"` + payload + `":[{`; !strings.HasPrefix(string(r.body), want) {
			t.Errorf("%s: envelope starts %.60s, want %s", method, r.body, want)
		}
	}
	r := call(t, ts, http.MethodGet, "getKeyDevices", withToken(url.Values{"startingAfter": {"2"}, "endingBefore": {"10"}, "Limit": {"3"}}))
	okEnvelope(t, r)
	for _, want := range []string{`"id":9`, `"id":8`, `"id":7`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("EndingBefore must win over StartingAfter, newest first: %s", r.body)
		}
	}
	r = call(t, ts, http.MethodPost, "GetLicenseActivityBuckets", withToken(nil))
	okEnvelope(t, r)
	if n := strings.Count(string(r.body), `"bucketStartUtc":`); n != usageDefaultLimit {
		t.Errorf("%d buckets without a Limit, want the documented default %d", n, usageDefaultLimit)
	}
	r = call(t, ts, http.MethodPost, "GetDailyAggregates", withToken(url.Values{"Limit": {"5000"}}))
	if n := strings.Count(string(r.body), `"date":`); n != min(1000, len(u.Daily)) {
		t.Errorf("%d rows for Limit 5000, want it clamped to 1000 (or all %d)", n, len(u.Daily))
	}
	for _, bad := range []url.Values{{"Start": {"May 1st"}}, {"Limit": {"-1"}}, {"KeyId": {"x"}}, {"EndingBefore": {"-4"}}} {
		r := call(t, ts, http.MethodGet, "GetKeyUsageSummaries", withToken(bad))
		if msg := errorMessage(t, r); msg != MsgInputIncorrect || r.header.Get("X-Sample-Error") == "" {
			t.Errorf("%v: %q, X-Sample-Error %q", bad, msg, r.header.Get("X-Sample-Error"))
		}
	}
	r = call(t, ts, http.MethodGet, "GetKeyDevices", url.Values{"token": {"wrong"}})
	if msg := errorMessage(t, r); msg != MsgUnauthenticated {
		t.Errorf("a wrong token: %q", msg)
	}
}

// TestUsagePermission: a token the server accepts for the logs but not
// for Usage Analytics gets "Access denied" from each of the five methods,
// and the client's error names the permission.
func TestUsagePermission(t *testing.T) {
	s, c := usageClient(t, "logs-only-token")
	s.AddLogOnlyToken("logs-only-token")
	ctx := context.Background()
	if _, err := c.WebAPILog(ctx, cryptolens.WebAPILogQuery{Limit: 1}); err != nil {
		t.Fatalf("the token must still read the logs: %v", err)
	}
	calls := map[string]func() error{
		"daily": func() error { _, err := c.DailyAggregates(ctx, cryptolens.DailyAggregatesQuery{}); return err },
		"countries": func() error {
			_, err := c.DailyCountryAggregates(ctx, cryptolens.DailyCountryAggregatesQuery{})
			return err
		},
		"summaries": func() error { _, err := c.KeyUsageSummaries(ctx, cryptolens.KeyUsageSummariesQuery{}); return err },
		"devices":   func() error { _, err := c.KeyDevices(ctx, cryptolens.KeyDevicesQuery{}); return err },
		"buckets": func() error {
			_, err := c.LicenseActivityBuckets(ctx, cryptolens.LicenseActivityBucketsQuery{})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, cryptolens.ErrAccessDenied) || !strings.Contains(err.Error(), `lacks the "Usage Analytics" permission`) {
			t.Errorf("%s: %v, want an access denial naming the permission", name, err)
		}
	}
}

// TestUsageFollowsAppendedRows: rows added to the log reach the figures
// once they are older than the lag; closed days keep their ids and
// figures.
func TestUsageFollowsAppendedRows(t *testing.T) {
	s, _ := startServer(t)
	before := slices.Clone(s.Usage().Daily)
	openDay := s.Usage().AsOf.Truncate(24 * time.Hour).Unix()
	s.AppendWebAPI(50)
	after := s.Usage().Daily
	var total0, total1 int64
	for _, d := range before {
		total0 += d.TotalRequestsLogged
	}
	for _, d := range after {
		total1 += d.TotalRequestsLogged
	}
	if total1 <= total0 {
		t.Errorf("appending 50 rows now moved the figures from %d to %d requests: the lag window must move too", total0, total1)
	}
	for i, d := range before {
		if d.Date < openDay && after[i] != d {
			t.Fatalf("closed day row changed: %+v -> %+v", d, after[i])
		}
	}
}
