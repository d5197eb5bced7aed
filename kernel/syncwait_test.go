package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/sample"
)

// TestSyncCommandStalledServer: a server that stops answering cannot hold
// sync past -timeout; sync says it is waiting (stderr is no terminal here,
// so as plain lines), then that it stopped at the bound, and exits 1.
func TestSyncCommandStalledServer(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the server to be slow")
	}
	const token = "secret-token-123"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1500})
	srv := sample.NewServer(acct, token)
	srv.SetLive(sample.Live{Stall: sample.StallHeaders, StallAfter: 4})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	start := time.Now()
	code, _, stderr := syncCmd(t, token, "-url", hs.URL+"/api/", "-store", filepath.Join(t.TempDir(), "s"),
		"-since", "0", "-timeout", "5s")
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("sync took %v with -timeout 5s", took)
	}
	if code != 1 || !strings.Contains(stderr, "time bound of 5s") || !strings.Contains(stderr, "waiting") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1, the waits and the bound", code, stderr)
	}
}
