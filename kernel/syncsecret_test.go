package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// storeText returns every file of a store, concatenated with its path.
func storeText(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		b.WriteString(path + "\n" + string(data) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSyncNeverShowsEchoedToken: a server that echoes the token (after a
// few good answers, so the store holds rows) in any place and spelling
// makes sync fail, and neither its output nor any file of the store holds
// the token in any spelling.
func TestSyncNeverShowsEchoedToken(t *testing.T) {
	const token = "Sync-Secret_Token.77"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1500})
	for _, e := range []sample.Echo{
		{In: sample.EchoMessage, Spelling: sample.SpellLower},
		{In: sample.EchoRedirect, Spelling: sample.SpellLower},
		{In: sample.EchoRedirect, Spelling: sample.SpellPercentLower},
		{In: sample.EchoHeader, Spelling: sample.SpellUpper},
		{In: sample.EchoMessage, Spelling: sample.SpellBase64},
		{In: sample.EchoMessage, Spelling: sample.SpellJSON},
		{In: sample.EchoField, Spelling: sample.SpellMixed},
	} {
		t.Run(e.In.String()+"/"+e.Spelling.String(), func(t *testing.T) {
			srv := sample.NewServer(acct, token)
			srv.SetLive(sample.Live{Echo: e, EchoAfter: 2})
			hs := httptest.NewServer(srv)
			defer hs.Close()
			store := filepath.Join(t.TempDir(), "store")
			code, stdout, stderr := syncCmd(t, token, "-url", hs.URL+"/api/", "-store", store, "-since", "0")
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			for what, text := range map[string]string{"output": stdout + stderr, "store": storeText(t, store)} {
				if sp, ok := sample.FindSpelling(text, token); ok {
					t.Errorf("the token (%v) shows in the %s:\n%s", sp, what, text[:min(len(text), 2000)])
				}
			}
		})
	}
}

// TestSyncHidesURLUserInfo: with the proxy's user and password in
// $CRYPTOLENS_API_URL, sync reaches the account through the proxy (Basic
// authentication) and shows or stores neither.
func TestSyncHidesURLUserInfo(t *testing.T) {
	const token = "secret-token-123"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1500})
	api := sample.NewServer(acct, token)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "proxyuser" || p != "pw-Secret1" {
			http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
			return
		}
		api.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	store := filepath.Join(t.TempDir(), "store")
	t.Setenv(lenslog.EnvAPIURL, strings.Replace(proxy.URL, "http://", "http://proxyuser:pw-Secret1@", 1)+"/api/")
	code, stdout, stderr := syncCmd(t, token, "-store", store, "-since", "0", "-usage=false")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for what, text := range map[string]string{"output": stdout + stderr, "store": storeText(t, store)} {
		if strings.Contains(text, "pw-Secret1") || strings.Contains(text, "proxyuser") {
			t.Errorf("the URL's user info shows in the %s:\n%s", what, text[:min(len(text), 2000)])
		}
	}
	if !strings.Contains(stderr, proxy.URL+"/api") {
		t.Errorf("stderr does not name the API (without user info): %q", stderr)
	}
}
