package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/alert"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestAlertCommand runs `kernel alert` on a served sample account through
// the client and the store, judged the day after its planted product
// change (which sends the product's failures above 35%: 40 to 72%
// whichever day the history ends), with a webhook on a
// loopback server, and holds the token to appearing nowhere: not in the
// output, alerts.json or the webhook's body.
func TestAlertCommand(t *testing.T) {
	const token = "canary-token-5f3a9c"
	// the history ends today, so that `sync`'s default -since reaches the change
	acct := sample.Generate(sample.Options{End: time.Now().UTC().Truncate(24 * time.Hour), WebAPIRows: 20_000})
	api := httptest.NewServer(sample.NewServer(acct, token))
	defer api.Close()
	var mu sync.Mutex
	var posted [][]byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posted = append(posted, b)
		mu.Unlock()
	}))
	defer hook.Close()
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	t.Setenv(lenslog.EnvToken, token)
	t.Setenv(lenslog.EnvNow, acct.Planted.ProductChangeAt.Add(24*time.Hour).Format(time.RFC3339))
	rules := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	webhook := "webhook:\n  url: " + hook.URL + "/hook\n  timeout: 5s\n"
	fires := rules("fires.yaml", "rules:\n  - name: release-failures\n    kind: failure-share\n    above: 35%\n    product: 5377\n"+
		"  - name: shared\n    kind: machines-per-key\n    above: 30\n"+webhook)
	quiet := rules("quiet.yaml", "rules:\n  - name: release-failures\n    kind: failure-share\n    above: 90%\n"+webhook)
	bad := rules("bad.yaml", "rules:\n  - name: release-failures\n    kind: failure-share\n    above: -5%\n")

	cases := []struct {
		name      string
		args      []string
		code      int
		fired     []string // rules that fired, in alerts.json
		posts     int      // webhook posts
		redacted  bool
		stdoutHas string
		stderrHas string
	}{
		{"bad rules stop before anything runs", []string{"-rules", bad, "-sync"}, 2, nil, 0, false, "",
			`bad.yaml:4: rule "release-failures": field "above": want 0 or more`},
		{"first sync, then rules fire", []string{"-rules", fires, "-sync"}, 4, []string{"release-failures", "shared"}, 1, false,
			"FIRED release-failures (failure-share)", "2 of 2 rules fired"},
		{"the store as it is, nothing fires", []string{"-rules", quiet}, 0, nil, 0, false, "ok    release-failures", ""},
		{"redacted", []string{"-rules", fires, "-redact"}, 4, []string{"release-failures", "shared"}, 1, true, "FIRED shared", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mu.Lock()
			posted = nil
			mu.Unlock()
			out := filepath.Join(dir, "alerts.json")
			os.Remove(out)
			var stdout, stderr bytes.Buffer
			args := append([]string{"alert", "-url", api.URL + "/api/", "-store", store, "-out", out}, c.args...)
			code := runMain(context.Background(), args, &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, c.code, &stdout, &stderr)
			}
			if !strings.Contains(stdout.String(), c.stdoutHas) || !strings.Contains(stderr.String(), c.stderrHas) {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant %q and %q", &stdout, &stderr, c.stdoutHas, c.stderrHas)
			}
			data, _ := os.ReadFile(out)
			mu.Lock()
			all := stdout.String() + stderr.String() + string(data) + string(bytes.Join(posted, nil))
			nPosts := len(posted)
			mu.Unlock()
			if strings.Contains(all, token) {
				t.Fatal("the token appears in the output, alerts.json or the webhook's body")
			}
			if nPosts != c.posts {
				t.Errorf("%d webhook posts, want %d", nPosts, c.posts)
			}
			if c.code == 2 {
				if data != nil {
					t.Error("a bad rules file wrote alerts.json")
				}
				return
			}
			var rep alert.Report
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatalf("alerts.json: %v", err)
			}
			var fired []string
			for _, r := range rep.Results {
				if r.Fired {
					fired = append(fired, r.Rule)
				}
			}
			if strings.Join(fired, ",") != strings.Join(c.fired, ",") {
				t.Errorf("fired %v, want %v", fired, c.fired)
			}
			if k := acct.Planted.SharedKeys[0]; slices.Contains(c.fired, "shared") && strings.Contains(all, k) == c.redacted {
				t.Errorf("shared key %s in the results: %v; redacted: %v", k, !c.redacted, c.redacted)
			}
		})
	}
}
