package logstore

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// TestDefaultDirMigrates: a store kept under the folder name of the old
// normalisation is moved to the one identity's name, rows and all.
func TestDefaultDirMigrates(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	const tok = cryptolens.Token("very-secret-token")
	base := "https://Proxy.example.com/api/"
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skip(err)
	}
	legacy := filepath.Join(cache, "lenslog", legacyAccountHash(base, tok))
	if err := os.MkdirAll(legacy, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(legacy, "marker"), []byte("rows"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir, err := DefaultDir(base, tok)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != cryptolens.AccountOf(base, tok).Fingerprint {
		t.Fatalf("DefaultDir = %s, not named by the account's fingerprint", dir)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "marker")); err != nil || string(b) != "rows" {
		t.Fatalf("the legacy store was not moved: %v", err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Errorf("the legacy folder is still there: %v", err)
	}
	if again, _ := DefaultDir("https://proxy.example.com/api", tok); again != dir {
		t.Errorf("another spelling of the URL finds %s, not %s", again, dir)
	}
}

// TestStoreBoundWithUserInfo: a store whose record an older lenslog wrote
// with the proxy's user info in the URL still opens for the account (with
// or without the user info), and the next sync rewrites the record
// without it. No file ever holds the password after that sync.
func TestStoreBoundWithUserInfo(t *testing.T) {
	_, _, plain := startSample(t, 2000)
	s := openTest(t)
	if _, err := s.Sync(t.Context(), plain, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	withInfo := strings.Replace(plain.BaseURL, "http://", "http://proxyuser:pw-Secret1@", 1)
	// What the old normalisation wrote: user info kept, slash trimmed.
	editRecord(t, s.Dir(), func(r *accountRecord) { r.APIURL = strings.TrimRight(withInfo, "/") })

	c := sampleClient("")
	c.BaseURL = withInfo
	st, err := OpenFor(s.Dir(), c)
	if err != nil {
		t.Fatalf("a store bound under the old normalisation does not open: %v", err)
	}
	if _, err := OpenFor(s.Dir(), plain); err != nil {
		t.Fatalf("the same account without user info: %v", err)
	}
	if _, err := st.Sync(t.Context(), c, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	for path, body := range snapshot(t, s.Dir()) {
		if strings.Contains(body, "pw-Secret1") || strings.Contains(body, "proxyuser") {
			t.Errorf("%s holds the URL's user info", path)
		}
	}
	sf, err := readStoreFile(s.Dir())
	if err != nil || sf.Account == nil || sf.Account.APIURL != plain.Account().URL {
		t.Errorf("record after the sync: %+v, %v; want URL %s", sf.Account, err, plain.Account().URL)
	}
}

// editRecord changes the account record in a store's _lenslog.json.
func editRecord(t *testing.T, dir string, edit func(*accountRecord)) {
	t.Helper()
	sf, err := readStoreFile(dir)
	if err != nil || sf.Account == nil {
		t.Fatalf("store file: %v, %+v", err, sf)
	}
	edit(sf.Account)
	if err := writeStoreFile(dir, sf); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "_lenslog.json")); err != nil || !json.Valid(b) {
		t.Fatalf("store file after the edit: %v", err)
	}
}
