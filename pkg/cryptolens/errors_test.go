package cryptolens

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"
)

// hostile is server text that would drive a terminal: clear the screen,
// set the window title, colour, a C1 CSI, a bidi override that reverses
// what follows, a zero-width space, and a line break that forges a line.
const hostile = "\x1b[2J\x1b]0;owned\x07Access denied\x1b[31m red \u009b1m\u202egnp.exe\u2066x\u2069\u200b\r\ncryptolens: all good\x00\x7f"

// assertPrintable fails if any way of printing v holds a control, format
// (bidi, zero-width) or line-break character.
func assertPrintable(t *testing.T, what string, v any) {
	t.Helper()
	for _, verb := range []string{"%v", "%+v", "%s"} {
		text := fmt.Sprintf(verb, v)
		if i := strings.IndexFunc(text, func(r rune) bool {
			return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
		}); i >= 0 {
			t.Errorf("%s printed with %s holds %U at byte %d: %q", what, verb, []rune(text[i:])[0], i, text)
		}
	}
}

func TestServerTextCannotDriveTheTerminal(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string // what the message must still say
	}{
		{"message", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"result":1,"message":%s}`, jsonText(hostile))
		}, "Access denied"},
		{"message only", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"message":%s}`, jsonText(hostile))
		}, "Access denied"},
		{"message of a 403", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(403)
			fmt.Fprintf(w, `{"message":%s}`, jsonText(hostile))
		}, "Access denied"},
		{"message of a 500", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(500)
			fmt.Fprintf(w, `{"message":%s}`, jsonText(hostile))
		}, "HTTP 500"},
		{"redirect", rawResponse("HTTP/1.1 302 Found\r\nLocation: /x\u009b2J\u202eevil\u200b\r\nContent-Length: 0\r\n\r\n"), "not followed"},
		{"bad JSON", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"result":0,"logs":[{"id":1,"key":%s,`, jsonText(hostile))
		}, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			var observed []error
			c := &Client{BaseURL: srv.URL + "/api/", Token: "tok-123456", Retry: RetryPolicy{Attempts: 1},
				Observe: func(r Request) { observed = append(observed, r.Err) }}
			_, err := c.WebAPILog(context.Background(), WebAPILogQuery{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			assertPrintable(t, "error", err)
			for _, e := range observed {
				assertPrintable(t, "observed error", e)
			}
		})
	}
}

// jsonText encodes s as a JSON string.
func jsonText(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// rawResponse writes resp as the whole HTTP response, so that header
// values Go's server would refuse reach the client.
func rawResponse(resp string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		_, _ = conn.Write([]byte(resp))
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Access denied", "Access denied"},
		{"CSI colour", "a\x1b[31;1mb\x1b[0m", "ab"},
		{"OSC title, BEL", "a\x1b]0;title\x07b", "ab"},
		{"OSC title, ST", "a\x1b]0;title\x1b\\b", "ab"},
		{"C1 CSI", "a\u009b2Jb", "ab"},
		{"two-byte escape", "a\x1bcb", "ab"},
		{"line breaks", "a\r\nb\tc", "a b c"},
		{"bidi override", "a\u202egnp.exe\u202c", "agnp.exe"},
		{"isolates and marks", "\u2066a\u2069\u200e\u200f\u061c", "a"},
		{"zero width", "a\u200bb\ufeff", "ab"},
		{"C0 and DEL", "a\x00b\x7fc", "a b c"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
		{"unterminated CSI", "a\x1b[31", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanText(tt.in); got != tt.want {
				t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "abc", 5, "abc"},
		{"long", strings.Repeat("x", 3000), maxMessage, strings.Repeat("x", maxMessage) + "…"},
		{"inside a rune", "ééé", 3, "é…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clip(tt.in, tt.n); got != tt.want {
				t.Errorf("clip = %q, want %q", got, tt.want)
			}
		})
	}
}
