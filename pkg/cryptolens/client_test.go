package cryptolens

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder answers every request with an empty page and remembers it.
type recorder struct {
	mu      sync.Mutex
	method  string
	path    string
	ctype   string
	rawURL  string
	form    url.Values
	rawBody string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	rec.mu.Lock()
	rec.method, rec.path, rec.ctype, rec.rawURL = r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.URL.String()
	rec.form, rec.rawBody = form, string(body)
	rec.mu.Unlock()
	_, _ = io.WriteString(w, `{"result":0,"message":null,"logs":[],"events":[]}`)
}

func TestRequests(t *testing.T) {
	const tok = "tok/with+special=chars"
	tests := []struct {
		name string
		call func(ctx context.Context, c *Client) error
		path string
		want url.Values
	}{
		{"web api log, zero query", func(ctx context.Context, c *Client) error {
			_, err := c.WebAPILog(ctx, WebAPILogQuery{})
			return err
		}, "/api/ai/GetWebAPILog", url.Values{"Limit": {"1000"}}},
		{"web api log, every parameter", func(ctx context.Context, c *Client) error {
			_, err := c.WebAPILog(ctx, WebAPILogQuery{ProductID: 3349, Key: "ABCD-EFGH", MachineCode: "mc1",
				FriendlyName: "alice", States: []State{2014, 2015}, Limit: 250, StartingAfter: 10,
				EndingBefore: 99, OrderBy: "Time descending", AnomalyClassification: true,
				Time: TimeFilter{GTE: 1700000000, LT: 1700086400}})
			return err
		}, "/api/ai/GetWebAPILog", url.Values{"ProductId": {"3349"}, "Key": {"ABCD-EFGH"}, "MachineCode": {"mc1"},
			"FriendlyName": {"alice"}, "States": {"[2014,2015]"}, "Limit": {"250"}, "StartingAfter": {"10"},
			"EndingBefore": {"99"}, "OrderBy": {"Time descending"}, "AnomalyClassification": {"true"},
			"Time": {`{"gte":1700000000,"lt":1700086400}`}}},
		{"web api log, limit clamped", func(ctx context.Context, c *Client) error {
			_, err := c.WebAPILog(ctx, WebAPILogQuery{Limit: 5000})
			return err
		}, "/api/ai/GetWebAPILog", url.Values{"Limit": {"1000"}}},
		{"events, every parameter", func(ctx context.Context, c *Client) error {
			_, err := c.Events(ctx, EventsQuery{ProductID: 1, Key: "K", Metadata: "os", Limit: 500,
				StartingAfter: 5, EndingBefore: 50, Time: TimeFilter{GT: 1, LTE: 2}})
			return err
		}, "/api/ai/GetEvents", url.Values{"ProductId": {"1"}, "Key": {"K"}, "Metadata": {"os"}, "Limit": {"100"},
			"StartingAfter": {"5"}, "EndingBefore": {"50"}, "Time": {`{"gt":1,"lte":2}`}}},
		{"object log", func(ctx context.Context, c *Client) error {
			_, err := c.ObjectLog(ctx, ObjectLogQuery{Limit: 7, StartingAfter: 12})
			return err
		}, "/api/ai/GetObjectLog", url.Values{"Limit": {"7"}, "StartingAfter": {"12"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := startFake(t, rec, tok)
			if err := tt.call(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			if rec.method != http.MethodPost || rec.ctype != "application/x-www-form-urlencoded" {
				t.Errorf("sent %s with Content-Type %q, want a POSTed form", rec.method, rec.ctype)
			}
			if rec.path != tt.path {
				t.Errorf("path %q, want %q", rec.path, tt.path)
			}
			if strings.Contains(rec.rawURL, "tok") || strings.Contains(rec.rawURL, "?") {
				t.Errorf("URL %q carries parameters or the token", rec.rawURL)
			}
			want := url.Values{"token": {tok}}
			for k, v := range tt.want {
				want[k] = v
			}
			if !reflect.DeepEqual(rec.form, want) {
				t.Errorf("form\n got %v\nwant %v", rec.form, want)
			}
		})
	}
}

func TestQueryValidation(t *testing.T) {
	tests := []struct {
		name string
		call func(c *Client) error
		want string
	}{
		{"negative limit", func(c *Client) error {
			_, err := c.WebAPILog(context.Background(), WebAPILogQuery{Limit: -1})
			return err
		},
			"Limit is -1"},
		{"key without product", func(c *Client) error {
			_, err := c.WebAPILog(context.Background(), WebAPILogQuery{Key: "K"})
			return err
		},
			"Key needs ProductID"},
		{"bad state", func(c *Client) error {
			_, err := c.WebAPILog(context.Background(), WebAPILogQuery{States: []State{2014, 42}})
			return err
		}, "States[1] is 42"},
		{"bad order", func(c *Client) error {
			_, err := c.WebAPILog(context.Background(), WebAPILogQuery{OrderBy: "key"})
			return err
		},
			`OrderBy is "key"`},
		{"negative cursor", func(c *Client) error {
			_, err := c.Events(context.Background(), EventsQuery{EndingBefore: -3})
			return err
		},
			"EndingBefore is -3"},
		{"negative time", func(c *Client) error {
			_, err := c.Events(context.Background(), EventsQuery{Time: TimeFilter{GT: -1}})
			return err
		}, "negative bound"},
		{"object log limit", func(c *Client) error {
			_, err := c.ObjectLog(context.Background(), ObjectLogQuery{Limit: -5})
			return err
		},
			"GetObjectLog: Limit is -5"},
		{"order in a pager", func(c *Client) error {
			for _, err := range c.WebAPILogForward(context.Background(), WebAPILogQuery{OrderBy: "Id"}) {
				return err
			}
			return nil
		}, "OrderBy must be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := startFake(t, rec, "tok")
			err := tt.call(c)
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want ErrBadInput saying %q", err, tt.want)
			}
			if rec.method != "" {
				t.Error("a request was sent for a bad query")
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name, base, env, want, wantErr string
	}{
		{"default", "", "", DefaultBaseURL + "ai/GetEvents", ""},
		{"field", "https://ls.example.com/api/", "", "https://ls.example.com/api/ai/GetEvents", ""},
		{"no trailing slash", "https://proxy.example.com/cl/api", "", "https://proxy.example.com/cl/api/ai/GetEvents", ""},
		{"root", "http://127.0.0.1:9000", "", "http://127.0.0.1:9000/ai/GetEvents", ""},
		{"no scheme", "api.cryptolens.io/api/", "", "", "want an http or https URL"},
		{"ftp", "ftp://x/api/", "", "", "want an http or https URL"},
		{"no host", "http:///api/", "", "", "has no host"},
		{"query", "https://x/api/?a=1", "", "", "want no query"},
		{"not a URL", "http://x/%zz", "", "", "is not a URL"},
		{"user info goes to Basic auth", "https://proxyuser:pw-Secret1@Proxy.example.com/api/", "", "https://Proxy.example.com/api/ai/GetEvents", ""},
		{"user info never in an error", "ftp://proxyuser:pw-Secret1@x/api/", "", "", "want an http or https URL"},
		{"user info in a broken URL", "http://proxyuser:pw-Secret1@x/%zz", "", "", "is not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := (&Client{BaseURL: tt.base}).endpoint(methodEvents)
			if err != nil && (strings.Contains(err.Error(), "pw-Secret1") || strings.Contains(err.Error(), "proxyuser")) {
				t.Errorf("the user info shows in %q", err)
			}
			if strings.Contains(tt.base, "@") && err == nil && (got.user != "proxyuser" || got.password != "pw-Secret1" || !got.basic) {
				t.Errorf("user info not kept for Basic authentication: %+v", got)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("got %q, %v; want error %q", got.url, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.url != tt.want {
				t.Errorf("got %q, %v; want %q", got.url, err, tt.want)
			}
		})
	}
}

// script answers the nth request with steps[n] (the last one repeats).
type script struct {
	steps []func(w http.ResponseWriter)
	n     atomic.Int32
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	s.steps[min(i, len(s.steps)-1)](w)
}

func status(code int, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

func retryAfterStatus(code int, after string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", after)
		w.WriteHeader(code)
	}
}

// truncated promises more body than it sends, so the client sees an
// unexpected EOF.
func truncated(w http.ResponseWriter) {
	w.Header().Set("Content-Length", "1000")
	_, _ = io.WriteString(w, `{"result":0,"logs":[{"id":1`)
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

var okPage = status(200, `{"result":0,"message":null,"logs":[{"id":1,"key":"K"}]}`)

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		steps    []func(w http.ResponseWriter)
		attempts int    // requests the client should make
		wantErr  string // "" for success
		is       error
	}{
		{"500 then ok", []func(http.ResponseWriter){status(500, "oops"), okPage}, 2, "", nil},
		{"502 503 then ok", []func(http.ResponseWriter){status(502, ""), status(503, ""), okPage}, 3, "", nil},
		{"429 with Retry-After", []func(http.ResponseWriter){retryAfterStatus(429, "0"), okPage}, 2, "", nil},
		{"429 with Retry-After date", []func(http.ResponseWriter){retryAfterStatus(429, "Wed, 21 Oct 2015 07:28:00 GMT"), okPage}, 2, "", nil},
		{"408", []func(http.ResponseWriter){status(408, ""), okPage}, 2, "", nil},
		{"truncated body", []func(http.ResponseWriter){truncated, okPage}, 2, "", nil},
		{"connection dropped", []func(http.ResponseWriter){hangUp, okPage}, 2, "", nil},
		{"non-JSON body", []func(http.ResponseWriter){status(200, "<html>gateway</html>"), okPage}, 2, "", nil},
		{"message only", []func(http.ResponseWriter){status(200, `{"message":"An error has occurred."}`), okPage}, 2, "", nil},
		{"something went wrong", []func(http.ResponseWriter){
			status(200, `{"result":1,"message":"Something went wrong. Please contact support@cryptolens.io"}`), okPage}, 2, "", nil},
		{"always 503", []func(http.ResponseWriter){status(503, "")}, 4,
			"GetWebAPILog: temporary failure, gave up after 4 attempts: HTTP 503 Service Unavailable", ErrTransient},
		{"always truncated", []func(http.ResponseWriter){truncated}, 4, "gave up after 4 attempts", ErrTransient},
		{"unauthenticated", []func(http.ResponseWriter){status(200, `{"result":1,"message":"Unable to authenticate"}`)}, 1,
			"GetWebAPILog: Unable to authenticate (check the access token)", ErrUnauthenticated},
		{"access denied", []func(http.ResponseWriter){status(200, `{"result":1,"message":"Access denied"}`)}, 1,
			"Access denied", ErrAccessDenied},
		{"not enough permission", []func(http.ResponseWriter){
			status(200, `{"result":1,"message":"Not enough permission and/or key not found."}`)}, 1, "Not enough permission", ErrAccessDenied},
		{"bad input", []func(http.ResponseWriter){
			status(200, `{"result":1,"message":"The input parameters were incorrect."}`)}, 1, "The input parameters were incorrect.", ErrBadInput},
		{"no subscription", []func(http.ResponseWriter){
			status(200, `{"result":1,"message":"No active subscription found. Please contact support."}`)}, 1, "No active subscription", ErrNoSubscription},
		{"401 with a message", []func(http.ResponseWriter){status(401, `{"result":1,"message":"Unable to authenticate"}`)}, 1,
			"Unable to authenticate", ErrUnauthenticated},
		{"404 says check the base URL", []func(http.ResponseWriter){status(404, "not here")}, 1, "check the base URL", ErrNoMethod},
		{"redirect not followed", []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://elsewhere.example.com/api/ai/GetWebAPILog")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}}, 1, "HTTP 307 Temporary Redirect to https://elsewhere.example.com/api/ai/GetWebAPILog (not followed", nil},
		{"wrong type is not retried", []func(http.ResponseWriter){status(200, `{"result":0,"logs":[{"id":"1"}]}`)}, 1,
			`logs[0]: field "id": want number, got string`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := &script{steps: tt.steps}
			c := startFake(t, sc, "tok")
			var observed []Request
			c.Observe = func(r Request) { observed = append(observed, r) }
			rows, err := c.WebAPILog(context.Background(), WebAPILogQuery{})
			if got := int(sc.n.Load()); got != tt.attempts || len(observed) != tt.attempts {
				t.Errorf("%d requests, %d observed; want %d", got, len(observed), tt.attempts)
			}
			if tt.wantErr == "" {
				if err != nil || len(rows) != 1 || rows[0].Key != "K" {
					t.Fatalf("got %v, %v; want the page", rows, err)
				}
				if last := observed[len(observed)-1]; last.Err != nil || last.Rows != 1 || last.Status != 200 {
					t.Errorf("last attempt observed as %+v", last)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if tt.is != ErrTransient && errors.Is(err, ErrTransient) {
				t.Errorf("error %v should not be transient", err)
			}
		})
	}
}

func TestUnknownMessageIsAPIError(t *testing.T) {
	c := startFake(t, &script{steps: []func(http.ResponseWriter){status(200, `{"result":1,"message":"Key is blocked."}`)}}, "tok")
	_, err := c.Events(context.Background(), EventsQuery{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "Key is blocked." || apiErr.Err != nil || apiErr.Method != "GetEvents" {
		t.Fatalf("got %v, want an *APIError with the server's message", err)
	}
	if apiErr.Attempts != 1 {
		t.Errorf("Attempts = %d, want 1 (not retried)", apiErr.Attempts)
	}
}

func TestRetryAfterIsBounded(t *testing.T) {
	sc := &script{steps: []func(http.ResponseWriter){retryAfterStatus(429, "3600"), okPage}}
	c := startFake(t, sc, "tok")
	c.Retry.MaxRetryAfter = 10 * time.Millisecond
	start := time.Now()
	if _, err := c.WebAPILog(context.Background(), WebAPILogQuery{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("waited %v: Retry-After was not bounded", d)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, h string
		want    time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "7", 7 * time.Second},
		{"zero", "0", 0},
		{"negative", "-3", 0},
		{"date", "Wed, 01 Jan 2025 00:00:30 GMT", 30 * time.Second},
		{"past date", "Tue, 31 Dec 2024 00:00:00 GMT", 0},
		{"junk", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.h, now); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.h, got, tt.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	if p.Attempts != 5 || p.MinDelay != 200*time.Millisecond || p.MaxDelay != 10*time.Second {
		t.Errorf("defaults %+v", p)
	}
	for n := 1; n <= 10; n++ {
		full := min(p.MinDelay<<(n-1), p.MaxDelay)
		for range 50 {
			if d := p.delay(n, 0); d < full/2 || d > full {
				t.Fatalf("delay(%d) = %v, want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
	if d := p.delay(1, 2*time.Hour); d != p.MaxRetryAfter {
		t.Errorf("Retry-After of 2h waits %v, want the bound %v", d, p.MaxRetryAfter)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	sc := &script{steps: []func(http.ResponseWriter){status(503, "")}}
	c := startFake(t, sc, "tok")
	c.Retry = RetryPolicy{Attempts: 5, MinDelay: time.Hour, MaxDelay: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	c.Observe = func(Request) { cancel() }
	done := make(chan error)
	go func() {
		_, err := c.WebAPILog(ctx, WebAPILogQuery{})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || sc.n.Load() != 1 {
			t.Errorf("got %v after %d requests, want context.Canceled after 1", err, sc.n.Load())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("cancel did not interrupt the backoff sleep")
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	sc := &script{steps: []func(http.ResponseWriter){okPage}}
	c := startFake(t, sc, "tok")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.WebAPILog(ctx, WebAPILogQuery{}); !errors.Is(err, context.Canceled) || sc.n.Load() != 0 {
		t.Errorf("got %v after %d requests", err, sc.n.Load())
	}
}

func TestAttemptTimeout(t *testing.T) {
	release := make(chan struct{})
	slow := func(w http.ResponseWriter) { <-release }
	sc := &script{steps: []func(http.ResponseWriter){slow, okPage}}
	c := startFake(t, sc, "tok")
	defer close(release)
	c.HTTPClient = &http.Client{Timeout: 50 * time.Millisecond}
	rows, err := c.WebAPILog(context.Background(), WebAPILogQuery{})
	if err != nil || len(rows) != 1 || sc.n.Load() != 2 {
		t.Errorf("got %v, %v after %d requests; want the page on the second", rows, err, sc.n.Load())
	}
}

func TestNoToken(t *testing.T) {
	c := startFake(t, &recorder{}, "")
	if _, err := c.WebAPILog(context.Background(), WebAPILogQuery{}); !errors.Is(err, ErrNoToken) {
		t.Errorf("got %v, want ErrNoToken", err)
	}
}
