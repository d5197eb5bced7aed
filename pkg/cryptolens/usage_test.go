package cryptolens

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestUsageQueryForms(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []formCase{
		{name: "daily, nothing set", form: DailyAggregatesQuery{}.form, want: "Limit=1000"},
		{name: "daily, every parameter", form: DailyAggregatesQuery{UsageRange{ProductID: 3, Start: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC),
			End: time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC), Limit: 50, StartingAfter: 7}}.form,
			want: "End=2026-05-31&Limit=50&ProductId=3&Start=2026-05-01&StartingAfter=7"},
		{name: "dates are taken in UTC", form: DailyAggregatesQuery{UsageRange{Start: time.Date(2026, 5, 2, 0, 30, 0, 0, cet)}}.form,
			want: "Limit=1000&Start=2026-05-01"},
		{name: "EndingBefore wins over StartingAfter", form: DailyAggregatesQuery{UsageRange{StartingAfter: 5, EndingBefore: 9}}.form,
			want: "EndingBefore=9&Limit=1000"},
		{name: "Limit is clamped", form: DailyAggregatesQuery{UsageRange{Limit: 5000}}.form, want: "Limit=1000"},
		{name: "country", form: DailyCountryAggregatesQuery{UsageRange{ProductID: 1}, "SE"}.form,
			want: "CountryCode=SE&Limit=1000&ProductId=1"},
		{name: "summaries", form: KeyUsageSummariesQuery{UsageRange{}, 42, "ABCDE"}.form,
			want: "Key=ABCDE&KeyId=42&Limit=1000"},
		{name: "devices", form: KeyDevicesQuery{UsageRange{EndingBefore: 3}, 42, "mc"}.form,
			want: "EndingBefore=3&KeyId=42&Limit=1000&MachineCode=mc"},
		{name: "buckets", form: LicenseActivityBucketsQuery{UsageRange{}, 1, "K", "M"}.form,
			want: "Key=K&KeyId=1&Limit=1000&MachineCode=M"},
		{name: "End before Start", form: DailyAggregatesQuery{UsageRange{Start: time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC),
			End: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}}.form, wantErr: "End 2026-05-01 is before Start 2026-05-02"},
		{name: "negative Limit", form: DailyAggregatesQuery{UsageRange{Limit: -1}}.form, wantErr: "Limit is -1"},
		{name: "negative KeyId", form: KeyDevicesQuery{KeyID: -2}.form, wantErr: "KeyId is -2"},
		{name: "negative ProductId", form: KeyUsageSummariesQuery{UsageRange: UsageRange{ProductID: -1}}.form, wantErr: "ProductId is -1"},
		{name: "negative cursor beside EndingBefore", form: DailyAggregatesQuery{UsageRange{StartingAfter: -1, EndingBefore: 4}}.form,
			wantErr: "StartingAfter is -1"},
	}
	checkForms(t, tests)
}

// may1 is 2026-05-01 00:00 UTC, in unix seconds.
var may1 = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC).Unix()

func TestUsageDecoders(t *testing.T) {
	tests := []decodeCase{
		{name: "daily, ISO date", decode: wrap(DecodeDailyAggregatesPage),
			body: `{"result":0,"message":null,"aggregates":[{"id":1,"productId":3,"date":"2026-05-01T00:00:00","totalRequestsLogged":10,"successful":8,"failed":2,"activeDevices":4,"activeKeys":3,"activeCustomers":2}]}`,
			want: []DailyAggregate{{1, 3, may1, 10, 8, 2, 4, 3, 2}}},
		{name: "daily, unix date, bare date, zone", decode: wrap(DecodeDailyAggregatesPage),
			body: `{"result":0,"aggregates":[{"id":1,"date":1777593600},{"id":2,"date":"2026-05-01"},{"id":3,"date":"2026-05-01T02:00:00+02:00"},{"id":4,"date":"2026-05-01T00:00:00.0000000Z"}]}`,
			want: []DailyAggregate{{ID: 1, Date: may1}, {ID: 2, Date: may1}, {ID: 3, Date: may1}, {ID: 4, Date: may1}}},
		{name: "daily, nulls and unknown fields", decode: wrap(DecodeDailyAggregatesPage),
			body: `{"result":0,"aggregates":[null,{"id":2,"date":null,"failed":null,"newCounter":{"a":[1,2]},"Successful":5}],"extra":1}`,
			want: []DailyAggregate{{}, {ID: 2, Successful: 5}}},
		{name: "daily, null payload", decode: wrap(DecodeDailyAggregatesPage), body: `{"result":0,"aggregates":null}`,
			want: []DailyAggregate{}},
		{name: "daily, wrong type", decode: wrap(DecodeDailyAggregatesPage),
			body: `{"result":0,"aggregates":[{"id":9,"activeKeys":"3"}]}`, wantErr: `aggregates[0] (id 9): field "activeKeys": want number, got string`},
		{name: "daily, bad date text", decode: wrap(DecodeDailyAggregatesPage),
			body: `{"result":0,"aggregates":[{"id":9,"date":"May 1st"}]}`, wantErr: `field "date": want an ISO-8601 time`},
		{name: "daily, date of the wrong kind", decode: wrap(DecodeDailyAggregatesPage),
			body: `{"result":0,"aggregates":[{"date":true,"id":9}]}`, wantErr: `aggregates[0] (id 9): field "date": want time (ISO-8601 string or unix seconds), got bool`},
		{name: "daily, missing payload", decode: wrap(DecodeDailyAggregatesPage), body: `{"result":0}`, wantErr: `no "aggregates" array`},
		{name: "country", decode: wrap(DecodeDailyCountryAggregatesPage),
			body: `{"result":0,"aggregates":[{"id":5,"productId":1,"date":"2026-05-01","countryCode":"SE","totalRequests":7,"successful":6,"failed":1}]}`,
			want: []DailyCountryAggregate{{5, 1, may1, "SE", 7, 6, 1}}},
		{name: "country, wrong type", decode: wrap(DecodeDailyCountryAggregatesPage),
			body: `{"result":0,"aggregates":[{"id":5,"countryCode":46}]}`, wantErr: `field "countryCode": want string, got number`},
		{name: "summaries", decode: wrap(DecodeKeyUsageSummariesPage),
			body: `{"result":0,"summaries":[{"id":1,"productId":2,"keyId":3,"key":"ABCDE","totalRequests":9,"totalSuccessful":8,"totalFailed":1,"firstSeenUtc":"2026-05-01T00:00:00Z","lastSeenUtc":1777600800,"totalActivations":4}]}`,
			want: []KeyUsageSummary{{ID: 1, ProductID: 2, KeyID: 3, Key: "ABCDE", TotalRequests: 9, TotalSuccessful: 8, TotalFailed: 1,
				FirstSeenUtc: may1, LastSeenUtc: may1 + 7200}}},
		{name: "summaries, with the activation counter", decode: wrap(DecodeKeyUsageSummariesPage),
			body: `{"result":0,"summaries":[{"id":1,"key":"ABCDE","activationsSucceeded":5}]}`,
			want: []KeyUsageSummary{{ID: 1, Key: "ABCDE", ActivationsSucceeded: 5}}},
		{name: "summaries, times as numeric text", decode: wrap(DecodeKeyUsageSummariesPage),
			body: `{"result":0,"summaries":[{"id":1,"firstSeenUtc":"1777593600","lastSeenUtc":""}]}`,
			want: []KeyUsageSummary{{ID: 1, FirstSeenUtc: may1}}},
		{name: "summaries, fractional count", decode: wrap(DecodeKeyUsageSummariesPage),
			body: `{"result":0,"summaries":[{"id":1,"totalFailed":1.5}]}`, wantErr: `field "totalFailed": want integer, got number 1.5`},
		{name: "devices", decode: wrap(DecodeKeyDevicesPage),
			body: `{"result":0,"devices":[{"id":1,"productId":2,"keyId":3,"key":"K","machineCode":"abc","firstSeenUtc":"2026-05-01T00:00:00","lastSeenUtc":"2026-05-01T01:00:00","totalRequests":4}]}`,
			want: []KeyDevice{{1, 2, 3, "K", "abc", may1, may1 + 3600, 4}}},
		{name: "devices, wrong payload type", decode: wrap(DecodeKeyDevicesPage), body: `{"result":0,"devices":{}}`,
			wantErr: `field "devices": want array, got object`},
		{name: "buckets", decode: wrap(DecodeLicenseActivityBucketsPage),
			body: `{"result":0,"buckets":[{"id":1,"productId":2,"keyId":3,"key":"K","machineCode":"m","bucketStartUtc":"2026-05-01T00:30:00Z","refreshCount":3,"deactivationCount":1,"firstEventUtc":1777595400,"lastEventUtc":1777596000,"lastEventState":6011,"gapFromPreviousEventSeconds":900.6}]}`,
			want: []LicenseActivityBucket{{1, 2, 3, "K", "m", may1 + 1800, 3, 1, may1 + 1800, may1 + 2400, 6011, 901}}},
		{name: "buckets, null gap", decode: wrap(DecodeLicenseActivityBucketsPage),
			body: `{"result":0,"buckets":[{"id":1,"gapFromPreviousEventSeconds":null}]}`, want: []LicenseActivityBucket{{ID: 1}}},
		{name: "buckets, gap of the wrong type", decode: wrap(DecodeLicenseActivityBucketsPage),
			body: `{"result":0,"buckets":[{"id":1,"gapFromPreviousEventSeconds":"15"}]}`, wantErr: `field "gapFromPreviousEventSeconds": want number, got string`},
		{name: "buckets, gap out of range", decode: wrap(DecodeLicenseActivityBucketsPage),
			body: `{"result":0,"buckets":[{"id":1,"gapFromPreviousEventSeconds":1e300}]}`, wantErr: `out of range for seconds`},
		{name: "truncated", decode: wrap(DecodeLicenseActivityBucketsPage), body: `{"result":0,"buckets":[{"id":1,`, wantErr: `invalid JSON`},
		{name: "access denied", decode: wrap(DecodeKeyDevicesPage), body: `{"result":1,"message":"Access denied"}`,
			wantErr: `GetKeyDevices: Access denied (the token lacks the "Usage Analytics" permission`},
	}
	checkDecodes(t, tests)
}

// wrap makes a typed page decoder return any.
func wrap[T any](decode func([]byte) ([]T, error)) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		rows, err := decode(b)
		if rows == nil && err == nil {
			rows = []T{}
		}
		return rows, err
	}
}

func TestParseUsageTime(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"2026-05-01", may1, false},
		{"2026-05-01T00:00:00", may1, false},
		{"2026-05-01T00:00:00.1234567", may1, false},
		{"2026-05-01T00:00:00Z", may1, false},
		{"2026-05-01 00:00:00", may1, false},
		{"2026-05-01T03:00:00+03:00", may1, false},
		{" 1777593600 ", may1, false},
		{"", 0, false},
		{"01/05/2026", 0, true},
		{"2026-13-01", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseUsageTime(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseUsageTime(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// usageFake serves n daily aggregates (ids 1..n) at /api/ai/GetDailyAggregates
// with the API's cursor semantics, failing the first `faults` attempts
// with 503.
type usageFake struct {
	n        int64
	faults   atomic.Int64
	requests atomic.Int64
	last     atomic.Value // url.Values of the last request
}

func (f *usageFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	_ = r.ParseForm()
	f.last.Store(r.PostForm)
	if !strings.EqualFold(r.URL.Path, "/api/ai/GetDailyAggregates") {
		http.NotFound(w, r)
		return
	}
	if f.faults.Add(-1) >= 0 {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if r.PostForm.Get("token") != "tok" {
		writeJSON(w, map[string]any{"result": 1, "message": "Access denied"})
		return
	}
	limit := int64(atoi(r.PostForm.Get("Limit")))
	after, before := int64(atoi(r.PostForm.Get("StartingAfter"))), int64(atoi(r.PostForm.Get("EndingBefore")))
	var rows []map[string]any
	add := func(id int64) {
		rows = append(rows, map[string]any{"id": id, "productId": 1, "date": time.Unix(may1+id*86400, 0).UTC().Format("2006-01-02T15:04:05"),
			"totalRequestsLogged": id * 2, "successful": id, "failed": id})
	}
	if before > 0 {
		for id := before - 1; id >= 1 && int64(len(rows)) < limit; id-- {
			add(id)
		}
	} else {
		for id := after + 1; id <= f.n && int64(len(rows)) < limit; id++ {
			add(id)
		}
	}
	writeJSON(w, map[string]any{"result": 0, "message": "", "aggregates": rows})
}

func TestUsagePagingAndRetries(t *testing.T) {
	f := &usageFake{n: 2500}
	f.faults.Store(2)
	c := startFake(t, f, "tok")
	var got []int64
	pages := 0
	for page, err := range c.DailyAggregatesForward(context.Background(), DailyAggregatesQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page {
			got = append(got, r.ID)
			if r.Date != may1+r.ID*86400 || r.Failed != r.ID {
				t.Fatalf("row %+v decoded wrong", r)
			}
		}
	}
	if len(got) != 2500 || got[0] != 1 || got[2499] != 2500 || pages != 3 {
		t.Fatalf("got %d rows in %d pages (%v...), want 2500 in 3", len(got), pages, got[:min(3, len(got))])
	}
	if n := f.requests.Load(); n != 2+4 {
		t.Errorf("%d requests, want 6 (2 retried faults, 3 pages, 1 empty page)", n)
	}

	t.Run("re-sync with nothing new is one request", func(t *testing.T) {
		before := f.requests.Load()
		for _, err := range c.DailyAggregatesForward(context.Background(), DailyAggregatesQuery{UsageRange{StartingAfter: 2500}}) {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := f.requests.Load() - before; n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("ceiling", func(t *testing.T) {
		var n int
		for page, err := range c.DailyAggregatesForward(context.Background(), DailyAggregatesQuery{UsageRange{Limit: 10, StartingAfter: 5, EndingBefore: 31}}) {
			if err != nil {
				t.Fatal(err)
			}
			n += len(page)
			if last := f.last.Load().(url.Values); last.Has("EndingBefore") {
				t.Errorf("the pager sent its ceiling: %v", last)
			}
		}
		if n != 25 {
			t.Errorf("%d rows between 5 and 31, want 25", n)
		}
	})
	t.Run("one page backwards", func(t *testing.T) {
		rows, err := c.DailyAggregates(context.Background(), DailyAggregatesQuery{UsageRange{Limit: 3, StartingAfter: 1, EndingBefore: 10}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0].ID != 9 || rows[2].ID != 7 {
			t.Errorf("rows %v, want ids 9, 8, 7 (EndingBefore wins)", rows)
		}
	})
	t.Run("faults outlive the retries", func(t *testing.T) {
		f.faults.Store(10)
		defer f.faults.Store(0)
		_, err := c.DailyAggregates(context.Background(), DailyAggregatesQuery{})
		if !errors.Is(err, ErrTransient) || !strings.Contains(err.Error(), "gave up after 4 attempts") {
			t.Errorf("err = %v, want a transient failure after 4 attempts", err)
		}
	})
}

func TestUsagePermissionError(t *testing.T) {
	f := &usageFake{n: 1}
	c := startFake(t, f, "no-usage-permission")
	_, err := c.DailyAggregates(context.Background(), DailyAggregatesQuery{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v, want an *APIError for ErrAccessDenied", err)
	}
	want := `cryptolens: GetDailyAggregates: Access denied (the token lacks the "Usage Analytics" permission, or is locked to another product or key)`
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	if f.requests.Load() != 1 {
		t.Errorf("%d requests: an access denial is not retried", f.requests.Load())
	}
	// The logs' methods keep the general hint.
	logErr := (&APIError{Method: methodWebAPILog, Message: "Access denied", Err: ErrAccessDenied}).Error()
	if strings.Contains(logErr, UsagePermission) {
		t.Errorf("a log method's denial names the Usage Analytics permission: %s", logErr)
	}
}

// usageCalls call each Usage Analytics method and pager, for the canary.
var usageCalls = map[string]func(context.Context, *Client) error{
	"daily": func(ctx context.Context, c *Client) error {
		_, err := c.DailyAggregates(ctx, DailyAggregatesQuery{})
		return err
	},
	"country": func(ctx context.Context, c *Client) error {
		_, err := c.DailyCountryAggregates(ctx, DailyCountryAggregatesQuery{CountryCode: "SE"})
		return err
	},
	"summaries": func(ctx context.Context, c *Client) error {
		_, err := c.KeyUsageSummaries(ctx, KeyUsageSummariesQuery{Key: "K"})
		return err
	},
	"devices": func(ctx context.Context, c *Client) error {
		_, err := c.KeyDevices(ctx, KeyDevicesQuery{MachineCode: "m"})
		return err
	},
	"buckets": func(ctx context.Context, c *Client) error {
		_, err := c.LicenseActivityBuckets(ctx, LicenseActivityBucketsQuery{Key: "K"})
		return err
	},
	"buckets pager": func(ctx context.Context, c *Client) error {
		var err error
		for _, e := range c.LicenseActivityBucketsForward(ctx, LicenseActivityBucketsQuery{UsageRange: UsageRange{Limit: 2}}) {
			err = e
		}
		return err
	},
	"summaries pager": func(ctx context.Context, c *Client) error {
		var err error
		for _, e := range c.KeyUsageSummariesForward(ctx, KeyUsageSummariesQuery{UsageRange: UsageRange{Limit: 2}}) {
			err = e
		}
		return err
	},
}

// TestTokenNeverPrintedUsage runs the canary over the Usage Analytics
// paths: hostile answers echoing the token, in each method's payload key,
// never get it into an error, an observed request or the client.
func TestTokenNeverPrintedUsage(t *testing.T) {
	handlers := map[string]http.Handler{
		"500 echoing":            echo(500, `{"message":"bad token %s / %s"}`),
		"404 echoing":            echo(404, `no such token %s %s`),
		"access denied echoing":  echo(200, `{"result":1,"message":"Access denied for %s %s"}`),
		"unknown message":        echo(200, `{"result":1,"message":"Token %s (%s) is blocked"}`),
		"bad JSON echoing":       echo(200, `{"result":0,"aggregates":[{"key":"%s %s"`),
		"wrong type echoing":     echo(200, `{"result":0,"summaries":[{"id":"%s"}],"buckets":[{"id":"%s"}],"aggregates":[{"date":{}}],"devices":[{"id":[]}]}`),
		"token as a time":        echo(200, `{"result":0,"aggregates":[{"date":"%s"}],"summaries":[{"firstSeenUtc":"%s"}],"devices":[{"lastSeenUtc":"%[1]s"}],"buckets":[{"bucketStartUtc":"%[1]s"}]}`),
		"token as a key":         echo(200, `{"result":0,"buckets":[{"%s":"x","%s":1.5e}]}`),
		"every byte echoed":      echoEncoded(200, `{"result":1,"message":"token=%s"}`, everyByte),
		"redirect to the token":  redirect(302, func(tok string) string { return "/moved?t=" + queryLower(tok) }),
		"pager stuck":            echo(200, `{"result":0,"buckets":[{"id":5,"key":"%s"},{"id":4,"key":"%s"}],"summaries":[{"id":5,"key":"%[1]s"},{"id":4}]}`),
		"message only echoing":   echo(200, `{"message":"%s %s"}`),
		"something went wrong":   echo(200, `{"result":1,"message":"Something went wrong %s %s"}`),
		"permission echoing 403": echo(403, `{"result":1,"message":"Not enough permission %s %s"}`),
	}
	for hname, h := range handlers {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		for cname, call := range usageCalls {
			if hname == "pager stuck" && !strings.HasSuffix(cname, "pager") {
				continue // its pages are valid one at a time
			}
			t.Run(hname+"/"+cname, func(t *testing.T) {
				var observed []Request
				c := &Client{BaseURL: srv.URL + "/" + url.PathEscape(canary) + "/api/", Token: canary,
					Retry: RetryPolicy{Attempts: 2, MinDelay: time.Millisecond}, Observe: func(r Request) { observed = append(observed, r) }}
				err := call(context.Background(), c)
				if err == nil {
					t.Fatal("no error")
				}
				assertNoCanary(t, "error", err)
				for _, r := range observed {
					assertNoCanary(t, "observed request", r)
				}
				assertNoCanary(t, "client", c)
			})
		}
	}
	t.Run("bad query", func(t *testing.T) {
		c := &Client{BaseURL: "http://x/", Token: canary}
		_, err := c.KeyDevices(context.Background(), KeyDevicesQuery{KeyID: -1, MachineCode: canary})
		if err == nil {
			t.Fatal("no error")
		}
		assertNoCanary(t, "error", err)
	})
}
