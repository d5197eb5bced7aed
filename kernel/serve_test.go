package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the command while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var urlRE = regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+/api/)\n`)

// waitForURL waits until the command printed its URL.
func waitForURL(t *testing.T, out *syncBuffer, done <-chan int) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before serving; output:\n%s", code, out)
		case <-deadline:
			t.Fatalf("serve printed no URL; output:\n%s", out)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- runMain(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-token", "tok-123", "-rows", "3000",
			"-end", "2026-11-25", "-seed", "4"}, &stdout, &stderr)
	}()
	base := waitForURL(t, &stdout, done)
	resp, err := http.PostForm(base+"ai/GetWebAPILog", url.Values{"token": {"tok-123"}, "Limit": {"2"}})
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Result int               `json:"result"`
		Logs   []json.RawMessage `json:"logs"`
	}
	err = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if err != nil || page.Result != 0 || len(page.Logs) != 2 {
		t.Errorf("page: %+v, %v", page, err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d; stderr: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	if strings.Contains(stdout.String()+stderr.String(), "tok-123") {
		t.Error("the token was printed")
	}
	summary := regexp.MustCompile(`(?m)^sample account: \d{1,3}(,\d{3})* Web API rows, [\d,]+ events, [\d,]+ object-log entries, ` +
		`[\d,]+ keys, ending 2026-11-25 23:59:59 UTC \(made in \d+ m?s\)$`)
	if !summary.MatchString(stdout.String()) {
		t.Errorf("output does not say what the account holds to the end of 2026-11-25, in the house style:\n%s", stdout.String())
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"non-loopback", []string{"-addr", "0.0.0.0:18080"}, "not a loopback address"},
		{"all interfaces", []string{"-addr", ":18080"}, "not a loopback address"},
		{"bad end", []string{"-end", "25/11/2026"}, "-end"},
		{"bad faults", []string{"-faults", "2"}, "-faults"},
		{"bad fault kind", []string{"-faults", "0.1", "-fault-kinds", "flaky"}, "flaky"},
		{"bad rows", []string{"-rows", "-5"}, "-rows"},
		{"extra argument", []string{"now"}, "unexpected argument"},
		{"bad grant", []string{"-grant", "reader=GetWebLog"}, "GetWebLog"},
		{"grant without token", []string{"-grant", "GetEvents"}, "token=Method"},
		{"bad missing", []string{"-missing", "GetLicenses"}, "GetLicenses"},
		{"bad stall", []string{"-stall", "forever"}, "forever"},
		{"bad echo", []string{"-echo", "message:rot13"}, "rot13"},
		{"negative live", []string{"-live-every", "-1s"}, "-live-every"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			code := runMain(context.Background(), append([]string{"serve"}, c.args...), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr.String(), c.want)
			}
		})
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, c := range []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:1", false, true},
		{"[::1]:1", false, true},
		{"localhost:1", false, true},
		{"192.168.1.5:1", false, false},
		{"192.168.1.5:1", true, true},
		{"nonsense", true, false},
	} {
		if err := checkLoopback(c.addr, c.public); (err == nil) != c.ok {
			t.Errorf("checkLoopback(%q, %v) = %v", c.addr, c.public, err)
		}
	}
}

func TestServeLive(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- runMain(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-token", "tok-123", "-rows", "3000",
			"-live-every", "20ms", "-live-webapi", "2", "-grant", "reader=GetWebAPILog", "-missing", "GetObjectLog"}, &stdout, &stderr)
	}()
	base := waitForURL(t, &stdout, done)
	ask := func(method, token string) (int, string, int) {
		t.Helper()
		resp, err := http.PostForm(base+"ai/"+method, url.Values{"token": {token}, "Limit": {"1"}, "OrderBy": {"Id descending"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var page struct {
			Message string `json:"message"`
			Logs    []struct {
				ID int64 `json:"id"`
			} `json:"logs"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&page)
		var id int
		if len(page.Logs) > 0 {
			id = int(page.Logs[0].ID)
		}
		return resp.StatusCode, page.Message, id
	}
	_, _, first := ask("GetWebAPILog", "reader")
	time.Sleep(60 * time.Millisecond)
	if _, msg, newest := ask("GetWebAPILog", "reader"); newest <= first {
		t.Errorf("no new rows arrived: newest id %d then %d (%q)", first, newest, msg)
	}
	if _, msg, _ := ask("GetEvents", "reader"); msg != "Access denied" {
		t.Errorf("reader's GetEvents: %q, want Access denied", msg)
	}
	if code, _, _ := ask("GetObjectLog", "tok-123"); code != http.StatusNotFound {
		t.Errorf("missing GetObjectLog: status %d, want 404", code)
	}
	cancel()
	<-done
}
