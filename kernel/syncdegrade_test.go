package main

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/sample"
)

// TestSyncCommandDegrades: sync syncs what the token may read on what the
// server has, names what it skipped, and says which by its exit status:
// 0 all synced, 3 skipped some, 1 nothing could be synced.
func TestSyncCommandDegrades(t *testing.T) {
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1200})
	for _, c := range []struct {
		name        string
		token       string
		live        sample.Live
		code        int
		synced      []string // logs with a summary line
		skipped     []string // named on stderr as not synced
		notInStdout []string
	}{
		{"all readable", "owner", sample.Live{}, 0, []string{"webapi", "events", "objects", "usage_daily"}, nil, nil},
		{"token without object log and usage", "reader",
			sample.Live{Tokens: map[string][]string{"reader": {"GetWebAPILog", "GetEvents"}}},
			3, []string{"webapi", "events"}, []string{"objects not synced", "Usage Analytics not synced", "skipped objects, Usage Analytics"}, []string{"objects:", "usage_"}},
		{"server without usage analytics", "owner", sample.Live{Missing: []string{sample.UsageAnalytics}},
			3, []string{"webapi", "events", "objects"}, []string{"Usage Analytics not synced", "does not have this method"}, []string{"usage_"}},
		{"server without the object log", "owner", sample.Live{Missing: []string{"GetObjectLog"}},
			3, []string{"webapi", "events", "usage_daily"}, []string{"objects not synced", "404"}, []string{"objects:"}},
		{"token that may read nothing", "nothing", sample.Live{Tokens: map[string][]string{"nothing": nil}},
			1, nil, []string{"no log synced"}, nil},
		{"unknown token", "guess", sample.Live{}, 1, nil, []string{"authenticate"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := sample.NewServer(acct, "owner")
			srv.SetLive(c.live)
			hs := httptest.NewServer(srv)
			defer hs.Close()
			code, stdout, stderr := syncCmd(t, c.token, "-url", hs.URL+"/api/", "-store", filepath.Join(t.TempDir(), "s"), "-since", "0")
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			for _, l := range c.synced {
				if !strings.Contains(stdout, l+": ") {
					t.Errorf("stdout has no line for %s:\n%s", l, stdout)
				}
			}
			for _, w := range c.skipped {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			for _, w := range c.notInStdout {
				if strings.Contains(stdout, w) {
					t.Errorf("stdout reports %q, which was skipped:\n%s", w, stdout)
				}
			}
		})
	}
}

// TestSyncCommandNamesNullRows: null rows in the pages are not stored but
// counted and named on each log's line, not passed over as "+0 rows".
func TestSyncCommandNamesNullRows(t *testing.T) {
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1200})
	srv := sample.NewServer(acct, "owner")
	srv.SetLive(sample.Live{NullRows: 1})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	code, stdout, stderr := syncCmd(t, "owner", "-url", hs.URL+"/api/", "-store", filepath.Join(t.TempDir(), "s"), "-since", "0", "-usage=false")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, l := range []string{"webapi", "events", "objects"} {
		if !strings.Contains(stdout, l+": +") || !regexpNull.MatchString(stdout) {
			t.Errorf("stdout does not name %s's null rows:\n%s", l, stdout)
		}
	}
}

var regexpNull = regexp.MustCompile(`\d+ null rows dropped`)
