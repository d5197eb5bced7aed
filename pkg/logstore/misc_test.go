package logstore

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	const tok = cryptolens.Token("very-secret-token")
	base, err := DefaultDir("", tok)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(base, string(tok)) || filepath.Base(filepath.Dir(base)) != "lenslog" ||
		filepath.Base(base) != cryptolens.AccountOf("", tok).Fingerprint {
		t.Fatalf("DefaultDir = %s", base)
	}
	cases := []struct {
		name string
		url  string
		tok  cryptolens.Token
		same bool
	}{
		{"default spelled out", cryptolens.DefaultBaseURL, tok, true},
		{"no trailing slash", "https://api.cryptolens.io/api", tok, true},
		{"upper-case host", "HTTPS://API.Cryptolens.io/api/", tok, true},
		{"user info", "https://proxyuser:pw@api.cryptolens.io/api/", tok, true},
		{"other server", "https://license.example.com/api/", tok, false},
		{"other token", "", "another-token", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DefaultDir(c.url, c.tok)
			if err != nil {
				t.Fatal(err)
			}
			if (got == base) != c.same {
				t.Errorf("DefaultDir(%q) = %s, base %s, want same=%v", c.url, got, base, c.same)
			}
		})
	}
	if _, err := DefaultDir("", ""); err == nil {
		t.Error("DefaultDir with no token succeeded")
	}
}

// TestTokenNeverWritten syncs with a token and looks for it in every file.
func TestTokenNeverWritten(t *testing.T) {
	acct, _, c := startSample(t, 2000)
	_ = acct
	s := openTest(t)
	if _, err := s.Sync(t.Context(), c, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	for path, body := range snapshot(t, s.Dir()) {
		if strings.Contains(body, string(c.Token)) || strings.Contains(path, string(c.Token)) {
			t.Errorf("%s holds the token", path)
		}
	}
}

func TestSyncReportsProgress(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(1000)
	var got []logs.Progress
	syncFake(t, s, a, SyncOptions{Logs: []Log{Events}, Since: time.Unix(fakeTime(500), 0),
		Progress: func(p logs.Progress) { got = append(got, p) }})
	// 5 pages back to minute 500 (the 6th request finds only older rows
	// and yields nothing), then done.
	if len(got) != 6 {
		t.Fatalf("got %d progress reports, want 6: %+v", len(got), got)
	}
	mid, last := got[2], got[len(got)-1]
	if !mid.Backward || mid.Rows != 300 || mid.Pages != 3 || mid.Fraction < 0.55 || mid.Fraction > 0.65 {
		t.Errorf("third report = %+v, want 300 rows backward, 60%% done", mid)
	}
	if !last.Done || last.Rows != 500 || last.Requests != 6 {
		t.Errorf("last report = %+v, want done with 500 rows and 6 requests", last)
	}
}

// TestDurableWrites runs a sync with fsync on, the way the store runs
// outside tests.
func TestDurableWrites(t *testing.T) {
	durable = true
	defer func() { durable = false }()
	s := openTest(t)
	a := newFakeAccount(600)
	syncFake(t, s, a, SyncOptions{})
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}
