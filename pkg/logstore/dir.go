package logstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// DefaultDir returns the store folder for one account and API base URL:
// <user cache dir>/lenslog/<fingerprint>, e.g. ~/.cache/lenslog/3f2a... on
// Linux, named by the account's one identity (cryptolens.AccountOf), so a
// token never appears in a path and the same account always finds its
// store. An empty baseURL means the Cryptolens default; a trailing slash,
// the case of the scheme and host and any user info do not matter. A
// store kept under the folder name of lenslog before December 2026 is
// moved to the new name (or, if it cannot be moved, used where it is).
func DefaultDir(baseURL string, tok cryptolens.Token) (string, error) {
	if tok == "" {
		return "", errors.New("logstore: default store folder: no access token")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("logstore: default store folder: %w (pass a store path instead)", err)
	}
	root := filepath.Join(cache, "lenslog")
	dir := filepath.Join(root, cryptolens.AccountOf(baseURL, tok).Fingerprint)
	return migrateDir(dir, filepath.Join(root, legacyAccountHash(baseURL, tok))), nil
}

// migrateDir moves a store from its legacy folder to dir when only the
// legacy one exists, and returns the folder to use.
func migrateDir(dir, legacy string) string {
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return dir
	}
	if _, err := os.Stat(legacy); err != nil {
		return dir
	}
	if os.Rename(legacy, dir) != nil {
		return legacy // in use elsewhere (Windows), or not ours to move: keep reading it there
	}
	return dir
}

// legacyAccountHash is the folder name lenslog gave an account's store
// before the account had one identity: 32 hex digits of a SHA-256 over the
// base URL as it then normalised it and the token. Only DefaultDir's
// migration uses it.
func legacyAccountHash(baseURL string, tok cryptolens.Token) string {
	base := strings.TrimSpace(baseURL)
	if base == "" {
		base = cryptolens.DefaultBaseURL
	}
	if u, err := url.Parse(base); err == nil {
		u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		base = u.String()
	}
	h := sha256.New()
	h.Write([]byte("lenslog store\x00"))
	h.Write([]byte(strings.TrimRight(base, "/")))
	h.Write([]byte{0})
	h.Write([]byte(tok))
	return hex.EncodeToString(h.Sum(nil)[:16])
}
