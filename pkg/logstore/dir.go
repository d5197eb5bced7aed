package logstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// DefaultDir returns the store folder for one account and API base URL:
// <user cache dir>/lenslog/<hash>, e.g. ~/.cache/lenslog/3f2a... on Linux.
// The folder name is a SHA-256 of the base URL and the token, so a token
// never appears in a path and the same account always finds its store.
// An empty baseURL means the Cryptolens default; a trailing slash and the case of the scheme and host do not matter.
func DefaultDir(baseURL string, tok cryptolens.Token) (string, error) {
	if tok == "" {
		return "", errors.New("logstore: default store folder: no access token")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("logstore: default store folder: %w (pass a store path instead)", err)
	}
	return filepath.Join(cache, "lenslog", accountHash(baseURL, tok)), nil
}

// accountHash names an account's store: 32 hex digits of a SHA-256 over
// the normalised base URL and the token.
func accountHash(baseURL string, tok cryptolens.Token) string {
	h := sha256.New()
	h.Write([]byte("lenslog store\x00"))
	h.Write([]byte(normalBaseURL(baseURL)))
	h.Write([]byte{0})
	h.Write([]byte(tok))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// normalBaseURL spells a base URL one way, so equivalent spellings share a
// store.
func normalBaseURL(base string) string {
	base = strings.TrimSpace(base)
	if base == "" {
		base = cryptolens.DefaultBaseURL
	}
	if u, err := url.Parse(base); err == nil {
		u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		base = u.String()
	}
	return strings.TrimRight(base, "/")
}
