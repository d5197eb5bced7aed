package alert

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWebhookPost(t *testing.T) {
	rep := &Report{Fired: 1, Results: []Result{{Rule: "failures-up", Kind: FailureShare, Fired: true, Summary: "31.0% of 900 requests failed"}}}
	cases := []struct {
		name     string
		answers  []int         // the status of each attempt in turn; the last repeats
		delay    time.Duration // how long the server takes to answer
		retries  int
		wantErr  string // "" means success
		attempts int32
	}{
		{"accepted at once", []int{204}, 0, 3, "", 1},
		{"a failing server, then accepted", []int{500, 503, 200}, 0, 3, "", 3},
		{"too many requests, then accepted", []int{429, 200}, 0, 3, "", 2},
		{"always failing", []int{502}, 0, 2, "answered 502 Bad Gateway", 3},
		{"refused: no retry", []int{400}, 0, 3, "answered 400 Bad Request", 1},
		{"too slow", []int{200}, 300 * time.Millisecond, 1, "deadline exceeded", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n atomic.Int32
			var last atomic.Value // the last body the server got
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("%s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
				}
				b, _ := io.ReadAll(r.Body)
				last.Store(b)
				select {
				case <-time.After(c.delay):
				case <-r.Context().Done():
					return
				}
				code := c.answers[min(i, len(c.answers)-1)]
				if code == http.StatusTooManyRequests {
					w.Header().Set("Retry-After", "0")
				}
				w.WriteHeader(code)
			}))
			defer srv.Close()
			wh := &Webhook{URL: srv.URL + "/hooks/T1/secret-path", Retries: c.retries, Timeout: 100 * time.Millisecond, Backoff: time.Millisecond}
			err := wh.Post(context.Background(), rep)
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("error %v, want one saying %q", err, c.wantErr)
			case err != nil && strings.Contains(err.Error(), "secret-path"):
				t.Errorf("the error repeats the webhook's URL: %v", err)
			}
			if got := n.Load(); got != c.attempts {
				t.Errorf("%d attempts, want %d", got, c.attempts)
			}
			body, _ := last.Load().([]byte)
			var back Report
			if err := json.Unmarshal(body, &back); err != nil || back.Fired != 1 || back.Results[0].Rule != "failures-up" {
				t.Errorf("the server got %s (%v)", body, err)
			}
		})
	}
}

// TestWebhookCancelled stops waiting between retries when the context ends.
func TestWebhookCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	wh := &Webhook{URL: srv.URL, Retries: 5, Backoff: time.Hour}
	if err := wh.Post(ctx, &Report{}); err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Fatalf("error %v, want the context's", err)
	}
}
