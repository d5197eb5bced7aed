package cryptolens

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// Account identifies one Cryptolens account as lenslog sees it, without
// revealing it: the API it is read from and a fingerprint of that API and
// the token. It is the one identity of an account: the store binds to it,
// the default store folder is named by it and a report's provenance
// records it, so one account never shows two identities.
type Account struct {
	// URL is the API base URL in one spelling (see AccountURL): never with
	// user info, so it is safe to print and store.
	URL string
	// Fingerprint is 32 hex digits of a SHA-256 over URL and the token.
	Fingerprint string
}

// AccountOf returns the identity of the account a base URL and token
// reach. An empty baseURL means DefaultBaseURL.
func AccountOf(baseURL string, tok Token) Account {
	u := AccountURL(baseURL)
	h := sha256.Sum256([]byte("lenslog account\x00" + u + "\x00" + string(tok)))
	return Account{URL: u, Fingerprint: hex.EncodeToString(h[:16])}
}

// Short is the fingerprint's first 12 hex digits, as reports show it.
func (a Account) Short() string { return a.Fingerprint[:min(12, len(a.Fingerprint))] }

// AccountURL spells a base URL one way, so that equivalent spellings name
// one account: surrounding space and trailing slashes dropped, scheme and
// host lower-cased, and user info (a proxy's user and password, which
// say nothing about the account and must not be shown) removed. An empty
// base means DefaultBaseURL. A base that is not a URL is only trimmed,
// and loses anything that looks like user info.
func AccountURL(base string) string {
	base = strings.TrimSpace(base)
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil {
		if at := strings.LastIndex(base, "@"); at >= 0 {
			if scheme := strings.Index(base, "://"); scheme >= 0 && scheme < at {
				base = base[:scheme+3] + base[at+1:]
			}
		}
		return strings.TrimRight(base, "/")
	}
	u.User = nil
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	return strings.TrimRight(u.String(), "/")
}

// userInfo splits a base URL's user info off: the URL without it, and the
// user and password (empty when there are none).
func userInfo(base string) (plain, user, password string) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || u.User == nil {
		return base, "", ""
	}
	password, _ = u.User.Password()
	user = u.User.Username()
	u.User = nil
	return u.String(), user, password
}
