package sample

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLivePermissions(t *testing.T) {
	s, ts := startServer(t)
	s.SetLive(Live{Tokens: map[string][]string{
		"logs-only": {"GetWebAPILog", "getevents", "GetObjectLog"},
		"usage":     {UsageAnalytics},
	}})
	for _, c := range []struct {
		name, token, method, want string // want "" means a successful answer
	}{
		{"own token reads all", testToken, "GetDailyAggregates", ""},
		{"granted method", "logs-only", "GetEvents", ""},
		{"method not granted", "logs-only", "GetKeyDevices", MsgAccessDenied},
		{"group grant", "usage", "GetKeyDevices", ""},
		{"group grant only", "usage", "GetWebAPILog", MsgAccessDenied},
		{"unknown token", "nobody", "GetWebAPILog", MsgUnauthenticated},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, ts, http.MethodPost, c.method, url.Values{"token": {c.token}})
			if c.want == "" {
				okEnvelope(t, r)
				return
			}
			if got := errorMessage(t, r); got != c.want {
				t.Errorf("message %q, want %q", got, c.want)
			}
		})
	}
}

func TestLiveMissingMethods(t *testing.T) {
	s, ts := startServer(t)
	s.SetLive(Live{Missing: []string{UsageAnalytics, "getobjectlog"}})
	for method, missing := range map[string]bool{"GetObjectLog": true, "GetDailyAggregates": true, "GetKeyDevices": true, "GetEvents": false} {
		r := call(t, ts, http.MethodPost, method, withToken(nil))
		if got := r.status == http.StatusNotFound && strings.Contains(string(r.body), MsgNoResource); got != missing {
			t.Errorf("%s: status %d body %s, want missing=%v", method, r.status, r.body, missing)
		}
	}
}

func TestLiveRowsArrive(t *testing.T) {
	s, ts := startServer(t)
	before := len(s.web)
	lastID := s.web[before-1].ID
	s.SetLive(Live{Every: 20 * time.Millisecond, WebAPIRows: 3, Events: 2})
	time.Sleep(70 * time.Millisecond)
	rows := webRows(t, call(t, ts, http.MethodPost, "GetWebAPILog", withToken(url.Values{"StartingAfter": {strconv.FormatInt(lastID, 10)}, "Limit": {"1000"}})))
	if len(rows) < 9 || len(rows)%3 != 0 {
		t.Fatalf("%d new rows after three or more intervals of 3, want a positive multiple of 3 ≥ 9", len(rows))
	}
	for i, r := range rows {
		if i > 0 && r.ID <= rows[i-1].ID {
			t.Errorf("ids not increasing: %d after %d", r.ID, rows[i-1].ID)
		}
		if age := time.Since(time.Unix(r.Time, 0)); age < -time.Second || age > 5*time.Second {
			t.Errorf("row %d is at %v, not the wall clock's now", r.ID, time.Unix(r.Time, 0))
		}
	}
}

func TestLiveEchoes(t *testing.T) {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, in := range []EchoPlace{EchoMessage, EchoRedirect, EchoHeader, EchoField} {
		for _, sp := range AllSpellings() {
			s, ts := startServer(t)
			s.SetLive(Live{Echo: Echo{In: in, Spelling: sp}, EchoAfter: 1})
			first := call(t, ts, http.MethodPost, "GetEvents", withToken(nil))
			okEnvelope(t, first)
			resp, err := noRedirect.PostForm(ts.URL+"/api/ai/GetEvents", withToken(nil))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			seen := string(body) + resp.Header.Get("Location") + resp.Header.Get("WWW-Authenticate")
			want := Spell(testToken, sp)
			if in == EchoMessage || in == EchoField {
				want = strings.ReplaceAll(want, `\`, `\\`) // JSON-quoted in the body
			}
			if !strings.Contains(seen, want) {
				t.Errorf("echo %d spelling %v: %q not in %q", in, sp, want, seen)
			}
		}
	}
}

func TestSpell(t *testing.T) {
	for _, c := range []struct {
		sp   Spelling
		want string
	}{
		{SpellAsIs, "Ab-1"}, {SpellLower, "ab-1"}, {SpellUpper, "AB-1"}, {SpellMixed, "Ab-1"},
		{SpellPercent, "%41%62%2D%31"}, {SpellPercentLower, "%61%62%2d%31"}, {SpellJSON, `\u0041\u0062\u002d\u0031`},
		{SpellBase64, base64.StdEncoding.EncodeToString([]byte("Ab-1"))}, {SpellBase64URL, "QWItMQ"}, {SpellHex, "41622d31"},
	} {
		if got := Spell("Ab-1", c.sp); got != c.want {
			t.Errorf("%v: %q, want %q", c.sp, got, c.want)
		}
		if p, err := ParseSpelling(c.sp.String()); err != nil || p != c.sp {
			t.Errorf("ParseSpelling(%q) = %v, %v", c.sp, p, err)
		}
	}
}

func TestLiveStalls(t *testing.T) {
	for _, c := range []struct {
		name  string
		stall Stall
	}{{"headers never sent", StallHeaders}, {"bytes trickle", StallTrickle}} {
		t.Run(c.name, func(t *testing.T) {
			s, ts := startServer(t)
			s.SetLive(Live{Stall: c.stall, StallAfter: 1, TrickleEvery: 50 * time.Millisecond})
			okEnvelope(t, call(t, ts, http.MethodPost, "GetEvents", withToken(nil)))
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/api/ai/GetEvents", strings.NewReader(withToken(nil).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			start := time.Now()
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				var got []byte
				got, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				if c.stall == StallTrickle && (len(got) == 0 || len(got) > 10) {
					t.Errorf("trickled %d bytes in 300ms at one per 50ms", len(got))
				}
			}
			if err == nil {
				t.Fatal("a stalled request completed")
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the client's deadline was not honoured: %v", d)
			}
		})
	}
}

func TestLiveNullRows(t *testing.T) {
	s, ts := startServer(t)
	s.SetLive(Live{NullRows: 2})
	r := call(t, ts, http.MethodPost, "GetEvents", withToken(url.Values{"Limit": {"3"}}))
	okEnvelope(t, r)
	if !strings.Contains(string(r.env.Events), "[null,null,{") {
		t.Errorf("page %s does not start with two null rows", r.env.Events)
	}
	empty := call(t, ts, http.MethodPost, "GetEvents", withToken(url.Values{"StartingAfter": {"999999999999"}}))
	if string(empty.env.Events) != "[null,null]" {
		t.Errorf("empty page %s, want [null,null]", empty.env.Events)
	}
}
