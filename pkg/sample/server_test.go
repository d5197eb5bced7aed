package sample

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

const testToken = "s3cret-token-value"

// envelope is a decoded response.
type envelope struct {
	Result  *int            `json:"result"`
	Message *string         `json:"message"`
	Logs    json.RawMessage `json:"logs"`
	Events  json.RawMessage `json:"events"`
}

// reply is what one request got back.
type reply struct {
	status int
	header http.Header
	body   []byte
	env    envelope
	err    error // reading or decoding failed
}

// startServer serves the small account with the test token.
func startServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s := NewServer(smallAccount(t), testToken)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// call sends one request: GET with a query string, or POST with a form.
func call(t *testing.T, ts *httptest.Server, httpMethod, method string, v url.Values) reply {
	t.Helper()
	u := ts.URL + "/api/ai/" + method
	var resp *http.Response
	var err error
	if httpMethod == http.MethodGet {
		resp, err = http.Get(u + "?" + v.Encode())
	} else {
		resp, err = http.PostForm(u, v)
	}
	if err != nil {
		t.Fatalf("%s %s: %v", httpMethod, method, err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	r.body, r.err = io.ReadAll(resp.Body)
	if r.err == nil {
		r.err = json.Unmarshal(r.body, &r.env)
	}
	return r
}

// withToken returns v plus the test token.
func withToken(v url.Values) url.Values {
	out := url.Values{"token": {testToken}}
	for k, vs := range v {
		out[k] = vs
	}
	return out
}

// webRows decodes a successful GetWebAPILog reply.
func webRows(t *testing.T, r reply) []cryptolens.WebAPILogRow {
	t.Helper()
	okEnvelope(t, r)
	var rows []cryptolens.WebAPILogRow
	if err := json.Unmarshal(r.env.Logs, &rows); err != nil {
		t.Fatalf("decoding logs: %v", err)
	}
	return rows
}

// okEnvelope checks result 0 and an empty message.
func okEnvelope(t *testing.T, r reply) {
	t.Helper()
	if r.err != nil || r.status != http.StatusOK || r.env.Result == nil || *r.env.Result != 0 ||
		r.env.Message != nil && *r.env.Message != "" {
		t.Fatalf("not a successful reply: %d %v %s", r.status, r.err, r.body)
	}
}

// errorMessage returns the message of a result-1 reply.
func errorMessage(t *testing.T, r reply) string {
	t.Helper()
	if r.err != nil || r.env.Result == nil || *r.env.Result != 1 || r.env.Message == nil {
		t.Fatalf("not an error reply: %d %v %s", r.status, r.err, r.body)
	}
	return *r.env.Message
}

func ids(rows []cryptolens.WebAPILogRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestWireConventions(t *testing.T) {
	_, ts := startServer(t)
	a := smallAccount(t)
	firstTen := ids(a.WebAPI[:10])
	for _, c := range []struct {
		name, httpMethod, method string
		params                   url.Values
	}{
		{"GET", http.MethodGet, "GetWebAPILog", url.Values{"token": {testToken}}},
		{"POST form", http.MethodPost, "GetWebAPILog", url.Values{"token": {testToken}}},
		{"lower-case method", http.MethodGet, "getwebapilog", url.Values{"token": {testToken}}},
		{"upper-case names", http.MethodPost, "GETWEBAPILOG", url.Values{"TOKEN": {testToken}, "LIMIT": {"10"}}},
		{"mixed-case names", http.MethodGet, "GetWebApiLog", url.Values{"Token": {testToken}, "lImIt": {"10"}}},
		{"SDK sends every parameter", http.MethodPost, "GetWebAPILog", url.Values{"token": {testToken},
			"ProductId": {"0"}, "Key": {""}, "MachineCode": {""}, "FriendlyName": {""}, "Limit": {"0"},
			"StartingAfter": {"0"}, "EndingBefore": {"0"}, "OrderBy": {""}, "States": {""},
			"AnomalyClassification": {""}, "Time": {""}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, ts, c.httpMethod, c.method, c.params)
			if got := ids(webRows(t, r)); !reflect.DeepEqual(got, firstTen) {
				t.Errorf("ids %v, want the oldest ten %v", got, firstTen)
			}
			if !bytes.HasPrefix(r.body, []byte(`{"result":0,"message":null,"logs":[`)) {
				t.Errorf("envelope starts %.60s", r.body)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	_, ts := startServer(t)
	for _, c := range []struct {
		name   string
		method string
		params url.Values
		want   string
		detail string // in X-Sample-Error
	}{
		{"no token", "GetWebAPILog", url.Values{}, MsgUnauthenticated, ""},
		{"wrong token", "GetWebAPILog", url.Values{"token": {"nope"}}, MsgUnauthenticated, ""},
		{"wrong token on events", "GetEvents", url.Values{"token": {"nope"}}, MsgUnauthenticated, ""},
		{"key without product", "GetWebAPILog", withToken(url.Values{"Key": {"ABCDE-ABCDE-ABCDE-ABCDE"}}), MsgInputIncorrect, "key: needs ProductId"},
		{"key without product on events", "GetEvents", withToken(url.Values{"Key": {"ABCDE-ABCDE-ABCDE-ABCDE"}}), MsgInputIncorrect, "key"},
		{"limit not a number", "GetWebAPILog", withToken(url.Values{"Limit": {"ten"}}), MsgInputIncorrect, `limit: "ten" is not an integer`},
		{"negative limit", "GetObjectLog", withToken(url.Values{"Limit": {"-1"}}), MsgInputIncorrect, "limit"},
		{"bad states", "GetWebAPILog", withToken(url.Values{"States": {"[2014,x]"}}), MsgInputIncorrect, "states"},
		{"bad order", "GetWebAPILog", withToken(url.Values{"OrderBy": {"Name"}}), MsgInputIncorrect, "orderBy"},
		{"bad time", "GetEvents", withToken(url.Values{"Time": {`{"after":5}`}}), MsgInputIncorrect, "time"},
		{"bad cursor", "GetWebAPILog", withToken(url.Values{"StartingAfter": {"-5"}}), MsgInputIncorrect, "startingafter"},
		{"bad anomaly flag", "GetWebAPILog", withToken(url.Values{"AnomalyClassification": {"maybe"}}), MsgInputIncorrect, "anomalyclassification"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, ts, http.MethodPost, c.method, c.params)
			if got := errorMessage(t, r); got != c.want {
				t.Errorf("message %q, want %q", got, c.want)
			}
			if d := r.header.Get("X-Sample-Error"); !strings.Contains(d, c.detail) {
				t.Errorf("X-Sample-Error %q, want it to mention %q", d, c.detail)
			}
			if bytes.Contains(r.body, []byte(testToken)) || strings.Contains(r.header.Get("X-Sample-Error"), testToken) {
				t.Error("the reply contains the token")
			}
		})
	}
	t.Run("unknown method", func(t *testing.T) {
		r := call(t, ts, http.MethodGet, "GetKey", withToken(nil))
		if r.status != http.StatusNotFound {
			t.Errorf("status %d, want 404", r.status)
		}
	})
}

func TestPagingAndOrder(t *testing.T) {
	_, ts := startServer(t)
	a := smallAccount(t)
	n := len(a.WebAPI)
	mid := a.WebAPI[n/2].ID
	newestFirst := func(from, count int) []int64 { // ids of rows from..from-count+1
		var out []int64
		for i := from; i > from-count; i-- {
			out = append(out, a.WebAPI[i].ID)
		}
		return out
	}
	for _, c := range []struct {
		name   string
		params url.Values
		want   []int64
	}{
		{"default limit", nil, ids(a.WebAPI[:10])},
		{"StartingAfter", url.Values{"StartingAfter": {strconv.FormatInt(mid, 10)}, "Limit": {"5"}}, ids(a.WebAPI[n/2+1 : n/2+6])},
		{"StartingAfter between ids", url.Values{"StartingAfter": {strconv.FormatInt(mid-1, 10)}, "Limit": {"2"}}, ids(a.WebAPI[n/2 : n/2+2])},
		{"EndingBefore is newest first", url.Values{"EndingBefore": {strconv.FormatInt(mid, 10)}, "Limit": {"5"}}, newestFirst(n/2-1, 5)},
		{"OrderBy Id descending", url.Values{"OrderBy": {"Id descending"}, "Limit": {"3"}}, newestFirst(n-1, 3)},
		{"OrderBy time DESCENDING", url.Values{"orderby": {"time DESCENDING"}, "Limit": {"3"}}, newestFirst(n-1, 3)},
		{"OrderBy Id", url.Values{"OrderBy": {"Id"}, "Limit": {"3"}}, ids(a.WebAPI[:3])},
		{"EndingBefore with OrderBy descending", url.Values{"OrderBy": {"Id descending"}, "EndingBefore": {strconv.FormatInt(mid, 10)}, "Limit": {"2"}}, newestFirst(n/2-1, 2)},
		{"both cursors", url.Values{"StartingAfter": {strconv.FormatInt(a.WebAPI[10].ID, 10)}, "EndingBefore": {strconv.FormatInt(a.WebAPI[14].ID, 10)}, "Limit": {"100"}}, newestFirst(13, 3)},
		{"past the end", url.Values{"StartingAfter": {strconv.FormatInt(a.WebAPI[n-1].ID, 10)}}, []int64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ids(webRows(t, call(t, ts, http.MethodPost, "GetWebAPILog", withToken(c.params))))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("ids %v, want %v", got, c.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	_, ts := startServer(t)
	for _, c := range []struct {
		method, limit string
		want          int
	}{
		{"GetWebAPILog", "", 10},
		{"GetWebAPILog", "1000", 1000},
		{"GetWebAPILog", "5000", 1000},
		{"GetEvents", "", 10},
		{"GetEvents", "100", 100},
		{"GetEvents", "1000", 100},
		{"GetObjectLog", "", 10},
		{"GetObjectLog", "250", 100},
	} {
		t.Run(c.method+"/"+c.limit, func(t *testing.T) {
			r := call(t, ts, http.MethodGet, c.method, withToken(url.Values{"Limit": {c.limit}}))
			okEnvelope(t, r)
			payload := r.env.Logs
			if c.method != "GetWebAPILog" {
				payload = r.env.Events
			}
			var rows []json.RawMessage
			if err := json.Unmarshal(payload, &rows); err != nil || len(rows) != c.want {
				t.Errorf("%d rows (%v), want %d", len(rows), err, c.want)
			}
		})
	}
}

func TestWebAPIFilters(t *testing.T) {
	_, ts := startServer(t)
	a := smallAccount(t)
	floating := a.FloatingKeys()[0]
	sample := a.WebAPI[len(a.WebAPI)/3]
	for sample.MachineCode == "" || sample.FriendlyName == "" {
		sample = a.WebAPI[sample.ID%1000]
	}
	from := a.WebAPI[len(a.WebAPI)-50].Time
	for _, c := range []struct {
		name   string
		params url.Values
		keep   func(r cryptolens.WebAPILogRow) bool
	}{
		{"product", url.Values{"ProductId": {"3350"}}, func(r cryptolens.WebAPILogRow) bool { return r.ProductID == 3350 }},
		{"key", url.Values{"ProductId": {strconv.Itoa(floating.ProductID)}, "Key": {floating.Key}},
			func(r cryptolens.WebAPILogRow) bool { return r.Key == floating.Key }},
		{"machine code", url.Values{"MachineCode": {sample.MachineCode}}, func(r cryptolens.WebAPILogRow) bool { return r.MachineCode == sample.MachineCode }},
		{"machine code is case-sensitive", url.Values{"MachineCode": {strings.ToUpper(sample.MachineCode)}}, func(cryptolens.WebAPILogRow) bool { return false }},
		{"friendly name contains, any case", url.Values{"FriendlyName": {strings.ToUpper(sample.FriendlyName[1:6])}},
			func(r cryptolens.WebAPILogRow) bool {
				return strings.Contains(strings.ToLower(r.FriendlyName), strings.ToLower(sample.FriendlyName[1:6]))
			}},
		{"states as JSON", url.Values{"States": {"[2014,2015,6011,2024]"}}, func(r cryptolens.WebAPILogRow) bool {
			return r.State == 2014 || r.State == 2015 || r.State == 6011 || r.State == 2024
		}},
		{"states comma-separated", url.Values{"States": {"3010, 7010"}}, func(r cryptolens.WebAPILogRow) bool { return r.State == 3010 || r.State == 7010 }},
		{"states repeated", url.Values{"States": {"3010", "7010"}}, func(r cryptolens.WebAPILogRow) bool { return r.State == 3010 || r.State == 7010 }},
		{"time gte", url.Values{"Time": {`{"gte":` + strconv.FormatInt(from, 10) + `}`}}, func(r cryptolens.WebAPILogRow) bool { return r.Time >= from }},
		{"time gt and lt", url.Values{"Time": {`{"gt":` + strconv.FormatInt(from, 10) + `,"lt":` + strconv.FormatInt(from+3600, 10) + `}`}},
			func(r cryptolens.WebAPILogRow) bool { return r.Time > from && r.Time < from+3600 }},
		{"time as unix seconds", url.Values{"Time": {strconv.FormatInt(from, 10)}}, func(r cryptolens.WebAPILogRow) bool { return r.Time >= from }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want []int64
			for _, r := range a.WebAPI {
				if c.keep(r) && len(want) < 1000 {
					want = append(want, r.ID)
				}
			}
			if want == nil {
				want = []int64{}
			}
			p := withToken(c.params)
			p.Set("Limit", "1000")
			got := ids(webRows(t, call(t, ts, http.MethodPost, "GetWebAPILog", p)))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %d rows, want %d (first got %v, want %v)", len(got), len(want), head(got), head(want))
			}
		})
	}
}

func head(s []int64) []int64 { return s[:min(3, len(s))] }

func TestNullsAndAnomalies(t *testing.T) {
	_, ts := startServer(t)
	a := smallAccount(t)
	r := call(t, ts, http.MethodGet, "GetWebAPILog", withToken(url.Values{"States": {"[3010]"}, "Limit": {"1"}}))
	okEnvelope(t, r)
	if !bytes.Contains(r.body, []byte(`"machineCode":null`)) || !bytes.Contains(r.body, []byte(`"friendlyName":null`)) {
		t.Errorf("key creation row without null machineCode: %s", r.body)
	}
	if bytes.Contains(r.body, []byte("isAnomaly")) {
		t.Error("isAnomaly sent without AnomalyClassification")
	}
	p := a.Planted
	r = call(t, ts, http.MethodGet, "GetWebAPILog", withToken(url.Values{"AnomalyClassification": {"true"},
		"ProductId": {"4812"}, "Key": {p.BurstKey}, "States": {"[2024]"}, "Limit": {"1000"}}))
	okEnvelope(t, r)
	var rows []struct {
		ID                int64           `json:"id"`
		IsAnomaly         *bool           `json:"isAnomaly"`
		AnomalyProperties json.RawMessage `json:"anomalyProperties"`
	}
	if err := json.Unmarshal(r.env.Logs, &rows); err != nil {
		t.Fatal(err)
	}
	anomalies := 0
	for _, row := range rows {
		if row.IsAnomaly == nil {
			t.Fatalf("row %d has no isAnomaly", row.ID)
		}
		if *row.IsAnomaly {
			anomalies++
			var props map[string]any
			if err := json.Unmarshal(row.AnomalyProperties, &props); err != nil || props["type"] != "FailureBurst" {
				t.Errorf("anomalyProperties %s", row.AnomalyProperties)
			}
		}
	}
	if anomalies != p.BurstFailures {
		t.Errorf("%d anomalous rows, want the %d burst failures", anomalies, p.BurstFailures)
	}
}

func TestEventsEndpoint(t *testing.T) {
	_, ts := startServer(t)
	a := smallAccount(t)
	e := a.Events[len(a.Events)/2]
	for _, c := range []struct {
		name   string
		params url.Values
		keep   func(e cryptolens.Event) bool
		desc   bool
	}{
		{"all", nil, func(cryptolens.Event) bool { return true }, false},
		{"key", url.Values{"ProductId": {strconv.Itoa(e.ProductID)}, "Key": {e.Key}}, func(x cryptolens.Event) bool { return x.Key == e.Key }, false},
		{"metadata contains", url.Values{"Metadata": {"Windows 11"}}, func(x cryptolens.Event) bool { return strings.Contains(x.Metadata, "Windows 11") }, false},
		{"time object", url.Values{"Time": {`{"gte":` + strconv.FormatInt(e.Time, 10) + `}`}}, func(x cryptolens.Event) bool { return x.Time >= e.Time }, false},
		{"time seconds", url.Values{"Time": {strconv.FormatInt(e.Time, 10)}}, func(x cryptolens.Event) bool { return x.Time >= e.Time }, false},
		{"ending before", url.Values{"EndingBefore": {strconv.FormatInt(e.ID, 10)}}, func(x cryptolens.Event) bool { return x.ID < e.ID }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want []cryptolens.Event
			for _, x := range a.Events {
				if c.keep(x) {
					want = append(want, x)
				}
			}
			if c.desc {
				for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
					want[i], want[j] = want[j], want[i]
				}
			}
			want = want[:min(100, len(want))]
			p := withToken(c.params)
			p.Set("Limit", "100")
			r := call(t, ts, http.MethodPost, "GetEvents", p)
			okEnvelope(t, r)
			var got []cryptolens.Event
			if err := json.Unmarshal(r.env.Events, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %d events, want %d", len(got), len(want))
			}
		})
	}
}

func TestObjectLogEndpoint(t *testing.T) {
	_, ts := startServer(t)
	a := smallAccount(t)
	var got []cryptolens.ObjectLogEntry
	after := int64(0)
	for range len(a.Objects) {
		r := call(t, ts, http.MethodGet, "GetObjectLog", withToken(url.Values{
			"StartingAfter": {strconv.FormatInt(after, 10)}, "Limit": {"100"},
			"EndingBefore": {"5"}, "ProductId": {"3349"}})) // ignored: the Object Log has no such parameters
		okEnvelope(t, r)
		var page []cryptolens.ObjectLogEntry
		if err := json.Unmarshal(r.env.Events, &page); err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		after = page[len(page)-1].ID
	}
	if !reflect.DeepEqual(got, a.Objects) {
		t.Errorf("paged %d entries, want the account's %d", len(got), len(a.Objects))
	}
}

func TestSyncWholeLog(t *testing.T) {
	s, ts := startServer(t)
	a := smallAccount(t)
	before := s.Requests()
	var got []cryptolens.WebAPILogRow
	after := int64(0)
	for {
		rows := webRows(t, call(t, ts, http.MethodPost, "GetWebAPILog", withToken(url.Values{
			"StartingAfter": {strconv.FormatInt(after, 10)}, "Limit": {"1000"}})))
		if len(rows) == 0 {
			break
		}
		got = append(got, rows...)
		after = rows[len(rows)-1].ID
	}
	if !reflect.DeepEqual(got, a.WebAPI) {
		t.Fatalf("synced %d rows, want the account's %d", len(got), len(a.WebAPI))
	}
	if n, want := s.Requests()-before, int64(len(a.WebAPI)/1000+2); n != want {
		t.Errorf("%d requests, want %d", n, want)
	}
	added := s.AppendWebAPI(3)
	rows := webRows(t, call(t, ts, http.MethodPost, "GetWebAPILog", withToken(url.Values{
		"StartingAfter": {strconv.FormatInt(after, 10)}, "Limit": {"1000"}})))
	if !reflect.DeepEqual(rows, added) || added[0].ID <= after || added[0].Time < got[len(got)-1].Time {
		t.Errorf("re-sync got %v, want the appended %v", ids(rows), ids(added))
	}
	if len(a.WebAPI) != len(got) {
		t.Error("AppendWebAPI changed the account")
	}
	for _, st := range []cryptolens.State{2014, 2015, 2024, 6011} {
		for _, r := range added {
			if r.State == st {
				t.Errorf("appended a floating row %d", st)
			}
		}
	}
}

func TestAppendEventsAndObjects(t *testing.T) {
	s, ts := startServer(t)
	a := smallAccount(t)
	ev := s.AppendEvents(2)
	ob := s.AppendObjects(2)
	if ev[0].ID <= a.Events[len(a.Events)-1].ID || ob[0].ID <= a.Objects[len(a.Objects)-1].ID || ob[1].ID <= ob[0].ID {
		t.Fatal("appended ids do not continue")
	}
	r := call(t, ts, http.MethodGet, "GetEvents", withToken(url.Values{"StartingAfter": {strconv.FormatInt(a.Events[len(a.Events)-1].ID, 10)}}))
	okEnvelope(t, r)
	var got []cryptolens.Event
	if err := json.Unmarshal(r.env.Events, &got); err != nil || !reflect.DeepEqual(got, ev) {
		t.Errorf("events after the last: %v, want %v", got, ev)
	}
}

func TestFaults(t *testing.T) {
	s, ts := startServer(t)
	p := withToken(url.Values{"Limit": {"50"}})
	for _, c := range []struct {
		fault  Fault
		status int
		check  func(t *testing.T, r reply)
	}{
		{FaultTransient, 200, func(t *testing.T, r reply) {
			if m := errorMessage(t, r); !strings.HasPrefix(m, "Something went wrong. Please contact support@cryptolens.io") {
				t.Errorf("message %q", m)
			}
		}},
		{FaultServerError, 500, nil},
		{FaultBadGateway, 502, nil},
		{FaultUnavailable, 503, nil},
		{FaultTooManyRequests, 429, func(t *testing.T, r reply) {
			if r.header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
		}},
		{FaultTruncated, 200, func(t *testing.T, r reply) {
			var se *json.SyntaxError
			if r.err == nil || !errors.Is(r.err, io.ErrUnexpectedEOF) && !errors.As(r.err, &se) {
				t.Errorf("truncated body read without error: %v", r.err)
			}
		}},
		{FaultNotJSON, 200, func(t *testing.T, r reply) {
			if r.err == nil {
				t.Error("non-JSON body decoded")
			}
		}},
		{FaultMessageOnly, 200, func(t *testing.T, r reply) {
			if r.err != nil || r.env.Result != nil || r.env.Message == nil || r.env.Logs != nil {
				t.Errorf("want only a message: %s", r.body)
			}
		}},
		{FaultSlow, 200, func(t *testing.T, r reply) { webRows(t, r) }},
	} {
		t.Run(c.fault.String(), func(t *testing.T) {
			s.SetFaults(Faults{Rate: 1, Kinds: []Fault{c.fault}, Delay: 20 * time.Millisecond})
			t.Cleanup(func() { s.SetFaults(Faults{}) })
			start := time.Now()
			r := call(t, ts, http.MethodPost, "GetWebAPILog", p)
			if r.status != c.status {
				t.Errorf("status %d, want %d", r.status, c.status)
			}
			if c.fault == FaultSlow && time.Since(start) < 20*time.Millisecond {
				t.Error("slow response was not slow")
			}
			if bytes.Contains(r.body, []byte(testToken)) {
				t.Error("fault body contains the token")
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

func TestFaultsAreDeterministic(t *testing.T) {
	s, ts := startServer(t)
	run := func() []int {
		s.SetFaults(Faults{Rate: 0.3, Seed: 9, Kinds: []Fault{FaultServerError, FaultTooManyRequests}})
		var statuses []int
		for range 40 {
			statuses = append(statuses, call(t, ts, http.MethodGet, "GetObjectLog", withToken(nil)).status)
		}
		return statuses
	}
	first, second := run(), run()
	s.SetFaults(Faults{})
	if !reflect.DeepEqual(first, second) {
		t.Errorf("same seed, different faults:\n%v\n%v", first, second)
	}
	failed := 0
	for _, st := range first {
		if st != 200 {
			failed++
		}
	}
	if failed < 4 || failed > 24 {
		t.Errorf("%d of 40 requests failed at rate 0.3", failed)
	}
}

func TestParseFault(t *testing.T) {
	for _, f := range AllFaults() {
		if got, err := ParseFault(f.String()); err != nil || got != f {
			t.Errorf("ParseFault(%q) = %v, %v", f, got, err)
		}
	}
	if _, err := ParseFault("flaky"); err == nil || !strings.Contains(err.Error(), `"flaky"`) {
		t.Errorf("ParseFault(flaky) error %v", err)
	}
}

// TestGoldenPage checks the exact bytes of a page against
// testdata/webapi_page.golden; go test -run GoldenPage -update rewrites it.
func TestGoldenPage(t *testing.T) {
	a := Generate(Options{End: testEnd, WebAPIRows: 3000, Seed: 3})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/api/ai/GetWebAPILog?token=t&limit=4&states=[3010,2014,8010]&AnomalyClassification=true", nil)
	NewServer(a, "t").ServeHTTP(rec, req)
	got := rec.Body.Bytes()
	golden := filepath.Join("testdata", "webapi_page.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("page differs from %s:\n got %s\nwant %s", golden, got, want)
	}
	if !json.Valid(got) {
		t.Error("page is not valid JSON")
	}
}
