package main

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logstore"
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

// TestSyncCommandNamesDroppedRows: null rows and rows repeating an id of
// their page are not stored but counted and named on each log's line, not
// passed over as "+0 rows", and the command exits 3 (partly done), so a
// scheduler sees it; the store's record counts them for data health.
func TestSyncCommandNamesDroppedRows(t *testing.T) {
	for _, tc := range []struct {
		name string
		live sample.Live
		line *regexp.Regexp
		rec  func(logstore.Dropped) int
	}{
		{"null rows", sample.Live{NullRows: 1}, regexpNull, func(d logstore.Dropped) int { return d.NullRows }},
		{"repeated ids", sample.Live{RepeatRows: 2}, regexp.MustCompile(`(1 row repeated an id of its page|[\d,]+ rows repeated an id of their page), the first kept`),
			func(d logstore.Dropped) int { return d.Repeated }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1200})
			srv := sample.NewServer(acct, "owner")
			srv.SetLive(tc.live)
			hs := httptest.NewServer(srv)
			defer hs.Close()
			dir := filepath.Join(t.TempDir(), "s")
			code, stdout, stderr := syncCmd(t, "owner", "-url", hs.URL+"/api/", "-store", dir, "-since", "0", "-usage=false")
			if code != 3 || !strings.Contains(stderr, "did not store some rows the source sent of webapi, events, objects") {
				t.Errorf("exit %d, want 3 naming the logs; stderr:\n%s", code, stderr)
			}
			st, err := logstore.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range logstore.AllLogs() {
				if !strings.Contains(stdout, string(l)+": +") || !tc.line.MatchString(stdout) {
					t.Errorf("stdout does not name %s's dropped rows:\n%s", l, stdout)
				}
				if d, err := st.Dropped(l); err != nil || tc.rec(d) == 0 {
					t.Errorf("%s: recorded %+v, %v; want the rows counted", l, d, err)
				}
			}
		})
	}
}

var regexpNull = regexp.MustCompile(`[\d,]+ null rows? dropped`)
