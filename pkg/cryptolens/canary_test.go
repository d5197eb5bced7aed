package cryptolens

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// canary is a token whose every form the tests look for in every error.
const canary = "CANARY-s3cr3t+/=tok en"

// canaryForms are the ways the canary could show: as is, quoted, and
// percent-encoded as query and path (hex digits of either case, '+' or
// %20 for its space, or every byte encoded), each also in hex as %x and
// %X print it, and a fragment of it.
func canaryForms() []string {
	lower := func(s string) string {
		return regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(s, strings.ToLower)
	}
	var every strings.Builder
	for _, b := range []byte(canary) {
		fmt.Fprintf(&every, "%%%02x", b)
	}
	quoted := strconv.Quote(canary)
	base := []string{canary, quoted[1 : len(quoted)-1], url.QueryEscape(canary), lower(url.QueryEscape(canary)),
		url.PathEscape(canary), lower(url.PathEscape(canary)), every.String(), strings.ToUpper(every.String()), "s3cr3t"}
	forms := slices.Clone(base)
	for _, f := range base {
		forms = append(forms, hex.EncodeToString([]byte(f)), strings.ToUpper(hex.EncodeToString([]byte(f))))
	}
	return forms
}

// printVerbs are the verbs assertNoCanary prints with.
var printVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"}

// canaryIn returns the first form of the canary text holds, if any.
func canaryIn(text string) (string, bool) {
	for _, f := range canaryForms() {
		if strings.Contains(text, f) {
			return f, true
		}
	}
	return "", false
}

// assertNoCanary fails if any form of the canary shows in any way fmt can
// print v.
func assertNoCanary(t testing.TB, what string, v any) {
	t.Helper()
	for _, verb := range printVerbs {
		text := fmt.Sprintf(verb, v)
		if f, ok := canaryIn(text); ok {
			t.Errorf("%s printed with %s shows the token (as %q): %s", what, verb, f, text)
		}
	}
	if err, ok := v.(error); ok {
		assertNoCanary(t, what+" (Error())", err.Error())
	}
}

// TestAssertNoCanaryCanFail makes sure the assertion can fail: every verb
// it prints with shows a leaked token in a form it looks for (a token
// printed with %x is hex, not the token), and every form it looks for is
// noticed.
func TestAssertNoCanaryCanFail(t *testing.T) {
	for _, verb := range printVerbs {
		for _, v := range []any{canary, errors.New("x " + canary), struct{ S string }{canary}} {
			if _, ok := canaryIn(fmt.Sprintf(verb, v)); !ok {
				t.Errorf("a leak printed with %s is not noticed: %s", verb, fmt.Sprintf(verb, v))
			}
		}
	}
	for _, f := range canaryForms() {
		rec := &failRecorder{TB: t}
		assertNoCanary(rec, "probe", errors.New("x "+f))
		if !rec.failed {
			t.Errorf("assertNoCanary does not notice %q", f)
		}
	}
}

// failRecorder is a testing.TB that records a failure instead of failing.
type failRecorder struct {
	testing.TB
	failed bool
}

func (r *failRecorder) Helper()               {}
func (r *failRecorder) Errorf(string, ...any) { r.failed = true }

// echo is a server that puts the token it receives into its answer.
func echo(code int, format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		tok := r.PostForm.Get("token")
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, format, tok, url.QueryEscape(tok))
	}
}

// Encodings a hostile server may echo the token in.
var (
	lowerHex = regexp.MustCompile(`%[0-9A-F]{2}`)
	// queryLower is the query escape with lower-case hex digits.
	queryLower = func(s string) string { return lowerHex.ReplaceAllStringFunc(url.QueryEscape(s), strings.ToLower) }
	// everyByte percent-encodes every byte.
	everyByte = func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			fmt.Fprintf(&b, "%%%02x", c)
		}
		return b.String()
	}
)

// echoEncoded answers with the token, encoded by enc, in the body.
func echoEncoded(code int, format string, enc func(string) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, format, enc(r.PostForm.Get("token")))
	}
}

// redirect answers code with a Location built from the token.
func redirect(code int, location func(tok string) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Location", location(r.PostForm.Get("token")))
		w.WriteHeader(code)
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	closed := closedPort(t)
	hang := make(chan struct{})
	defer close(hang)
	tests := []struct {
		name    string
		handler http.Handler // nil: use base as is
		base    string
		timeout time.Duration
		cancel  bool
		follow  bool   // use an http.Client that follows redirects
		call    string // "webapi" (default), "events", "objects", "backward", "forward", "products", "keys", "customers", "customerlicenses"
	}{
		{name: "bad base URL", base: "http://x/" + canary + "/%zz"},
		{name: "base URL not http", base: "ftp://" + url.PathEscape(canary) + "@x/api/"},
		{name: "base URL with query", base: "https://x/api/?token=" + url.QueryEscape(canary)},
		{name: "connection refused", base: "http://" + closed + "/" + url.PathEscape(canary) + "/"},
		{name: "timeout", handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm() // read the body, so the server notices the client leave
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}), timeout: 20 * time.Millisecond},
		{name: "500 echoing the token", handler: echo(500, `{"message":"bad token %s / %s"}`)},
		{name: "502 html echoing", handler: echo(502, `<html>%s %s</html>`)},
		{name: "429", handler: echo(429, `%s %s`)},
		{name: "404 echoing", handler: echo(404, `no such token %s %s`)},
		{name: "401 with message", handler: echo(401, `{"result":1,"message":"Unable to authenticate %s %s"}`)},
		{name: "bad JSON echoing", handler: echo(200, `{"result":0,"logs":[{"key":"%s %s"`)},
		{name: "wrong type echoing", handler: echo(200, `{"result":0,"logs":[{"id":"%s","%s":[}]}`)},
		{name: "token as a key", handler: echo(200, `{"result":0,"logs":[{"%s":"x","%s":1.5e}]}`)},
		{name: "bad value under the token's key", handler: echo(200, `{"result":0,"events":[],"%s":[1,],"%s":1}`), call: "events"},
		{name: "escaped echo", handler: echo(200, `{"result":1,"message":"\u0043ANARY-s3cr3t+\/=tok en %s %s"}`)},
		{name: "message only echoing", handler: echo(200, `{"message":"%s %s"}`)},
		{name: "unauthenticated echoing", handler: echo(200, `{"result":1,"message":"Unable to authenticate %s %s"}`)},
		{name: "access denied echoing", handler: echo(200, `{"result":1,"message":"Access denied for %s %s"}`)},
		{name: "permission echoing", handler: echo(200, `{"result":1,"message":"Not enough permission %s %s"}`)},
		{name: "bad input echoing", handler: echo(200, `{"result":1,"message":"The input parameters were incorrect. %s %s"}`)},
		{name: "no subscription echoing", handler: echo(200, `{"result":1,"message":"No active subscription found %s %s"}`)},
		{name: "something went wrong echoing", handler: echo(200, `{"result":1,"message":"Something went wrong %s %s"}`)},
		{name: "unknown message echoing", handler: echo(200, `{"result":1,"message":"Token %s (%s) is blocked"}`), call: "objects"},
		{name: "context cancelled", handler: echo(503, `%s%s`), cancel: true},
		{name: "lower-case percent echo", handler: echoEncoded(200, `{"result":1,"message":"Access denied for %s"}`, queryLower)},
		{name: "every byte percent-encoded", handler: echoEncoded(200, `{"result":1,"message":"token=%s"}`, everyByte)},
		{name: "upper-case every byte in a 400", handler: echoEncoded(400, `{"message":"bad %s"}`, func(s string) string { return strings.ToUpper(everyByte(s)) })},
		{name: "redirect to a lower-case query", handler: redirect(302, func(tok string) string { return "/moved?t=" + queryLower(tok) })},
		{name: "redirect to the token as a path", handler: redirect(307, func(tok string) string { return "https://elsewhere.example/" + url.PathEscape(tok) + "/api/" })},
		{name: "redirect to every byte encoded", handler: redirect(301, func(tok string) string { return "/x?" + everyByte(tok) })},
		{name: "followed redirect that fails (URL error)", follow: true,
			handler: redirect(307, func(tok string) string { return "http://" + closed + "/x?t=" + queryLower(tok) })},
		{name: "followed redirect to a path that fails (URL error)", follow: true,
			handler: redirect(308, func(tok string) string { return "http://" + closed + "/" + everyByte(tok) })},
		{name: "pager error", handler: echo(200, `{"result":1,"message":"Access denied %s %s"}`), call: "backward"},
		{name: "pager stuck", handler: echo(200, `{"result":0,"logs":[{"id":5,"key":"%s"},{"id":4,"key":"%s"}]}`), call: "forward"},
		{name: "products, access denied echoing", handler: echo(200, `{"result":1,"message":"Access denied for %s %s"}`), call: "products"},
		{name: "keys, wrong type echoing", handler: echo(200, `{"result":0,"licenseKeys":[{"id":"%s","%s":[}]}`), call: "keys"},
		{name: "keys, bad machine time echoing", handler: echo(200, `{"result":0,"licenseKeys":[{"id":1,"activatedMachines":[{"mid":"%s","time":"%s"}]}]}`), call: "keys"},
		{name: "keys, bad customer echoing", handler: echo(200, `{"result":0,"licenseKeys":[{"id":1,"customer":{"id":"%s","%s":1.5e}}]}`), call: "keys"},
		{name: "keys pager stuck", handler: echo(200, `{"result":0,"licenseKeys":[{"id":5,"key":"%s"},{"id":5,"key":"%s"}],"pageCount":9}`), call: "keys"},
		{name: "customers, 500 echoing", handler: echo(500, `{"message":"bad token %s / %s"}`), call: "customers"},
		{name: "customer licenses, unknown message echoing", handler: echo(200, `{"result":1,"message":"Token %s (%s) is blocked"}`), call: "customerlicenses"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{BaseURL: tt.base, Token: canary, Retry: RetryPolicy{Attempts: 2, MinDelay: time.Millisecond}}
			if tt.handler != nil {
				srv := httptest.NewServer(tt.handler)
				t.Cleanup(srv.Close)
				c.BaseURL = srv.URL + "/" + url.PathEscape(canary) + "/api/"
			}
			if tt.timeout > 0 {
				c.HTTPClient = &http.Client{Timeout: tt.timeout}
			}
			if tt.follow {
				c.HTTPClient = &http.Client{Timeout: 5 * time.Second}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				c.Observe = func(Request) { cancel() }
			}
			var observed []Request
			observe := c.Observe
			c.Observe = func(r Request) {
				observed = append(observed, r)
				if observe != nil {
					observe(r)
				}
			}
			err := callFor(ctx, c, tt.call)
			if err == nil {
				t.Fatal("no error")
			}
			assertNoCanary(t, "error", err)
			for _, r := range observed {
				assertNoCanary(t, "observed request", r)
				assertNoCanary(t, "observed error", r.Err)
			}
			assertNoCanary(t, "client", c)
			assertNoCanary(t, "client value", *c)
		})
	}
}

func callFor(ctx context.Context, c *Client, call string) error {
	var err error
	switch call {
	case "events":
		_, err = c.Events(ctx, EventsQuery{})
	case "objects":
		_, err = c.ObjectLog(ctx, ObjectLogQuery{})
	case "backward":
		for _, e := range c.WebAPILogBackward(ctx, WebAPILogQuery{}, time.Time{}) {
			err = e
		}
	case "forward":
		for _, e := range c.WebAPILogForward(ctx, WebAPILogQuery{Limit: 2}) {
			err = e
		}
	case "products":
		_, err = c.Products(ctx)
	case "keys":
		for _, e := range c.AllKeys(ctx, KeysQuery{}) {
			err = e
		}
	case "customers":
		_, err = c.Customers(ctx, CustomersQuery{})
	case "customerlicenses":
		_, err = c.CustomerLicenses(ctx, 1)
	default:
		_, err = c.WebAPILog(ctx, WebAPILogQuery{Key: "k", ProductID: 1})
	}
	return err
}

// closedPort returns a local address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestTokenFormatting(t *testing.T) {
	tok := Token(canary)
	assertNoCanary(t, "token", tok)
	assertNoCanary(t, "token pointer", &tok)
	assertNoCanary(t, "struct holding a token", struct{ T Token }{tok})
	assertNoCanary(t, "slice of tokens", []Token{tok})
	assertNoCanary(t, "client", New(tok))
	assertNoCanary(t, "client value", *New(tok))
	if got := fmt.Sprint(tok); got != "[token redacted]" {
		t.Errorf("Sprint = %q", got)
	}
	if tok.String() != "[token redacted]" || tok.GoString() != "[token redacted]" {
		t.Error("String or GoString shows the token")
	}
	text, _ := tok.MarshalText()
	assertNoCanary(t, "MarshalText", string(text))
	if string(tok) != canary {
		t.Error("string(tok) must still give the token")
	}
}

func TestTokenFromDirErrorsHideToken(t *testing.T) {
	dir := t.TempDir()
	for _, content := range []string{`{"token": "` + canary + `"`, `["` + canary + `"]`, `{"token": 5, "x": "` + canary + `"}`, canary} {
		if err := os.WriteFile(filepath.Join(dir, TokenFile), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, err := TokenFromDir(dir)
		if err == nil {
			t.Fatalf("no error for %s", content)
		}
		assertNoCanary(t, "TokenFromDir error", err)
	}
	_ = io.EOF
}
