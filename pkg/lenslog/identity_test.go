package lenslog

import (
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
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
