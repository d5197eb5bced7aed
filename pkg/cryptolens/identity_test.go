package cryptolens

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAccountOneIdentity(t *testing.T) {
	const tok Token = "tok-identity"
	want := AccountOf("https://proxy.example.com/api/", tok)
	for _, c := range []struct{ name, base string }{
		{"trailing slash", "https://proxy.example.com/api"},
		{"two trailing slashes", "https://proxy.example.com/api//"},
		{"scheme and host case", "HTTPS://Proxy.Example.COM/api/"},
		{"user info", "https://user:secret@proxy.example.com/api/"},
		{"user only", "https://user@proxy.example.com/api"},
		{"space around", "  https://proxy.example.com/api/ \n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := AccountOf(c.base, tok); got != want {
				t.Errorf("AccountOf(%q) = %+v, want %+v", c.base, got, want)
			}
		})
	}
	if got := AccountOf("https://proxy.example.com/API/", tok); got == want {
		t.Error("the path's case changed nothing: paths are case-sensitive")
	}
	if got := AccountOf("https://proxy.example.com/api/", "other"); got.Fingerprint == want.Fingerprint {
		t.Error("another token has the same fingerprint")
	}
	if AccountOf("", tok) != AccountOf(DefaultBaseURL, tok) {
		t.Error("an empty base URL is not the default API")
	}
	for _, base := range []string{"https://user:secret@proxy.example.com/api/", "http://user:secret@x/%zz"} {
		if u := AccountURL(base); strings.Contains(u, "secret") || strings.Contains(u, "user") {
			t.Errorf("AccountURL(%q) = %q keeps the user info", base, u)
		}
	}
}

// TestAccountShortMatchesOldProvenance: reports recorded before the one
// identity named a plainly spelled account by the same 12 hex digits.
func TestAccountShortMatchesOldProvenance(t *testing.T) {
	const tok Token = "tok-identity"
	base := "https://api.cryptolens.io/api/"
	old := sha256.Sum256([]byte("lenslog account\x00" + strings.TrimRight(base, "/") + "\x00" + string(tok)))
	if got := AccountOf(base, tok).Short(); got != hex.EncodeToString(old[:6]) {
		t.Errorf("Short() = %s, want the old provenance fingerprint %x", got, old[:6])
	}
}

func TestClientUserInfoIsBasicAuth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "proxyuser" || p != "pw-Secret1" {
			w.Header().Set("WWW-Authenticate", `Basic realm="proxy"`)
			http.Error(w, "proxy authentication required, you sent "+r.Header.Get("Authorization"), http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"result":0,"message":"","events":[]}`)) //nolint:errcheck
	}))
	defer srv.Close()
	with := strings.Replace(srv.URL, "http://", "http://proxyuser:pw-Secret1@", 1) + "/api/"
	c := &Client{BaseURL: with, Token: "tok-identity"}
	if _, err := c.Events(context.Background(), EventsQuery{}); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	wrong := strings.Replace(srv.URL, "http://", "http://proxyuser:pw-Wrong99@", 1) + "/api/"
	c = &Client{BaseURL: wrong, Token: "tok-identity", Retry: RetryPolicy{Attempts: 1}}
	_, err := c.Events(context.Background(), EventsQuery{})
	if err == nil {
		t.Fatal("a wrong proxy password passed")
	}
	for _, text := range []string{err.Error(), c.String()} {
		if strings.Contains(text, "pw-Wrong99") || strings.Contains(text, "proxyuser") || strings.Contains(text, "cHJveHl1c2Vy") {
			t.Errorf("the user info shows in %q", text)
		}
	}
	closed := &Client{BaseURL: "http://proxyuser:pw-Secret1@127.0.0.1:1/api/", Token: "tok-identity", Retry: RetryPolicy{Attempts: 1}}
	if _, err := closed.Events(context.Background(), EventsQuery{}); err == nil || strings.Contains(err.Error(), "proxyuser") {
		t.Errorf("a connection error shows the user info: %v", err)
	}
}
