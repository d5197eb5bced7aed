package lenslog

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestProvenanceHidesUserInfo: a proxy's user and password in the API URL
// are never recorded in a report's provenance, and the account keeps the
// identity the store and the default store folder use.
func TestProvenanceHidesUserInfo(t *testing.T) {
	c := cryptolens.New("tok-provenance")
	c.BaseURL = "HTTPS://proxyuser:pw-Secret1@Proxy.example.com/api/"
	info := liveAccountInfo(c)
	text := info.String() + info.URL + info.Fingerprint
	if strings.Contains(text, "pw-Secret1") || strings.Contains(text, "proxyuser") {
		t.Errorf("provenance shows the user info: %q", text)
	}
	want := cryptolens.AccountOf("https://proxy.example.com/api", "tok-provenance")
	if info.URL != want.URL || info.Fingerprint != want.Short() {
		t.Errorf("provenance account %s %s, want the one identity %s %s", info.URL, info.Fingerprint, want.URL, want.Short())
	}
}

// TestFrontDoorKeepsSecrets: through the front door (Open, a load, the
// source line, the provenance file each load writes), neither a token a
// server echoes in any spelling nor the URL's user info shows.
func TestFrontDoorKeepsSecrets(t *testing.T) {
	clearEnv(t)
	const token = "FrontDoor-Secret_42"
	acct := sample.Generate(sample.Options{Seed: 3, End: time.Now().UTC(), WebAPIRows: 3000})
	for _, sp := range []sample.Spelling{sample.SpellLower, sample.SpellPercentLower, sample.SpellBase64, sample.SpellJSON} {
		t.Run(sp.String(), func(t *testing.T) {
			srv := sample.NewServer(acct, token)
			// Good answers first (the loads record provenance), then echoes.
			srv.SetLive(sample.Live{Echo: sample.Echo{In: sample.EchoRedirect, Spelling: sp}, EchoAfter: 2})
			proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if u, p, ok := r.BasicAuth(); !ok || u != "proxyuser" || p != "pw-Secret1" {
					http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
					return
				}
				srv.ServeHTTP(w, r)
			}))
			defer proxy.Close()
			prov := filepath.Join(t.TempDir(), "provenance.jsonl")
			a, err := openWith(t, func(c *Config) {
				c.Token = token
				c.BaseURL = strings.Replace(proxy.URL, "http://", "http://proxyuser:pw-Secret1@", 1) + "/api/"
				c.NoStore = true
				c.Provenance = prov
				c.Note = &bytes.Buffer{}
			})
			if err != nil {
				t.Fatal(err)
			}
			texts := []string{a.Source()}
			for range 6 { // until the server starts echoing
				_, err := a.WebAPI(Last(Day))
				if err != nil {
					texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
					break
				}
			}
			if len(texts) == 1 {
				t.Fatal("the echoing server never failed a load")
			}
			if b, err := os.ReadFile(prov); err == nil {
				texts = append(texts, string(b))
			} else {
				t.Errorf("no provenance recorded: %v", err)
			}
			for _, text := range texts {
				if how, ok := sample.FindSpelling(text, token); ok {
					t.Errorf("the token (%v) shows in %q", how, text)
				}
				if strings.Contains(text, "pw-Secret1") || strings.Contains(text, "proxyuser") {
					t.Errorf("the URL's user info shows in %q", text)
				}
			}
		})
	}
}
