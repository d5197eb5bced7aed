package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

func TestSyncCommand(t *testing.T) {
	const token = "secret-token-123"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 3000})
	hs := httptest.NewServer(sample.NewServer(acct, token))
	defer hs.Close()
	store := filepath.Join(t.TempDir(), "store")
	t.Setenv(lenslog.EnvToken, token)
	line := regexp.MustCompile(`^(webapi|events|objects): \+(\d{1,3}(?:,\d{3})* rows?), (\d{1,3}(?:,\d{3})* requests?), \d{1,3}(?:,\d{3})* total$`)
	usageLine := regexp.MustCompile(`^(usage_\w+): [\d,]+ rows? fetched, [\d,]+ stored, ([\d,]+ requests?)$`)
	inventoryLine := regexp.MustCompile(`^(inventory) snapshot \d{4}-\d\d-\d\d[ \d:]* UTC: 4 products, 40 licenses, [\d,]+ machines, [\d,]+ customers$`)

	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantLogs []string
		wantReqs string // requests per log as the line says them ("1 request"), "" to skip
		wantErr  string
	}{
		{"first sync", []string{"-log", "all", "-since", "0"}, 0, []string{"webapi", "events", "objects",
			"usage_daily", "usage_countries", "usage_summaries", "usage_devices", "usage_buckets", "inventory"}, "", ""},
		{"nothing new", []string{"-since", "0"}, 0, []string{"webapi", "events", "objects",
			"usage_daily", "usage_countries", "usage_summaries", "usage_devices", "usage_buckets", "inventory"}, "1 request", ""},
		{"without usage", []string{"-since", "0", "-usage=false"}, 0, []string{"webapi", "events", "objects", "inventory"}, "1 request", ""},
		{"without inventory", []string{"-since", "0", "-usage=false", "-inventory=false"}, 0, []string{"webapi", "events", "objects"}, "1 request", ""},
		{"one log", []string{"-log", "events"}, 0, []string{"events"}, "1 request", ""},
		{"bad log", []string{"-log", "everything"}, 2, nil, "", "unknown log"},
		{"bad since", []string{"-since", "soon"}, 2, nil, "", "invalid value"},
		{"stray argument", []string{"extra"}, 2, nil, "", "unexpected arguments"},
		{"bad workers", []string{"-workers", "0"}, 2, nil, "", "-workers 0; want 1 or more"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"sync", "-url", hs.URL + "/api/", "-store", store}, c.args...)
			code := runMain(context.Background(), args, &stdout, &stderr)
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.wantCode, &stderr)
			}
			if strings.Contains(stdout.String()+stderr.String(), token) {
				t.Fatal("the token appears in the output")
			}
			if c.wantErr != "" && !strings.Contains(stderr.String(), c.wantErr) {
				t.Errorf("stderr %q does not say %q", &stderr, c.wantErr)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
				if l == "" {
					continue
				}
				m := line.FindStringSubmatch(l)
				if u := usageLine.FindStringSubmatch(l); u != nil {
					m = []string{l, u[1], "", u[2]}
				}
				if u := inventoryLine.FindStringSubmatch(l); u != nil {
					m = []string{l, u[1], "", c.wantReqs}
				}
				if m == nil {
					t.Fatalf("line %q is not a summary line", l)
				}
				if c.wantReqs != "" && m[3] != c.wantReqs {
					t.Errorf("%q: want %s", l, c.wantReqs)
				}
				got = append(got, m[1])
			}
			if strings.Join(got, ",") != strings.Join(c.wantLogs, ",") {
				t.Errorf("summaries for %v, want %v", got, c.wantLogs)
			}
		})
	}
}

func TestSyncCommandWrongToken(t *testing.T) {
	acct := sample.Generate(sample.Options{WebAPIRows: 1000})
	hs := httptest.NewServer(sample.NewServer(acct, "right"))
	defer hs.Close()
	t.Setenv(lenslog.EnvToken, "wrong-secret")
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), []string{"sync", "-url", hs.URL + "/api/",
		"-store", t.TempDir(), "-log", "webapi"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "authenticate") {
		t.Errorf("exit %d, stderr %q; want 1 and an authentication error", code, &stderr)
	}
	if strings.Contains(stdout.String()+stderr.String(), "wrong-secret") {
		t.Error("the token appears in the output")
	}
}

// TestSyncTokenNotInArguments: the token comes from the environment or a
// file; -token, which would show it in ps, is refused without echoing it.
func TestSyncTokenNotInArguments(t *testing.T) {
	const token = "file-secret-456"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1000})
	hs := httptest.NewServer(sample.NewServer(acct, token))
	defer hs.Close()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	plain, asJSON := write("token", token+"\n"), write("tokens.json", `{"GetWebAPILogToken":"`+token+`"}`)
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"token file", []string{"-token-file", plain}, 0, "token from file " + plain},
		{"JSON token file", []string{"-token-file", asJSON}, 0, "GetWebAPILogToken"},
		{"token in the arguments", []string{"-token", token}, 2, "-token is refused"},
		{"empty token in the arguments", []string{"-token="}, 2, "set $CRYPTOLENS_TOKEN or pass -token-file"},
		{"missing token file", []string{"-token-file", filepath.Join(dir, "none")}, 1, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(lenslog.EnvToken, "")
			t.Chdir(t.TempDir()) // no apitokens.json
			var stdout, stderr bytes.Buffer
			args := append([]string{"sync", "-url", hs.URL + "/api/", "-store", filepath.Join(dir, "store"), "-log", "objects"}, c.args...)
			code := runMain(context.Background(), args, &stdout, &stderr)
			if code != c.wantCode || !strings.Contains(stderr.String(), c.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, &stderr, c.wantCode, c.wantErr)
			}
			if strings.Contains(stdout.String()+stderr.String(), token) {
				t.Error("the token appears in the output")
			}
		})
	}
}

// byToken serves each token's requests from its own handler, so two
// accounts share one API URL.
type byToken map[string]http.Handler

func (b byToken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if h, ok := b[r.PostForm.Get("token")]; ok {
		h.ServeHTTP(w, r)
		return
	}
	b[""].ServeHTTP(w, r)
}

// syncCmd runs the sync command with the token in $CRYPTOLENS_TOKEN and
// returns its exit code and output.
func syncCmd(t *testing.T, token string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv(lenslog.EnvToken, token)
	var out, errOut bytes.Buffer
	code = runMain(context.Background(), append([]string{"sync"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSyncCommandRefusesAnotherAccount(t *testing.T) {
	const tokA, tokA2, tokB = "token-of-account-a", "new-token-of-account-a", "token-of-account-b"
	a := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1000, Seed: 1})
	b := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1000, Seed: 2})
	hs := httptest.NewServer(byToken{tokA: sample.NewServer(a, tokA), tokA2: sample.NewServer(a, tokA2),
		tokB: sample.NewServer(b, tokB), "": sample.NewServer(a, tokA)})
	defer hs.Close()
	store := filepath.Join(t.TempDir(), "store")
	common := []string{"-url", hs.URL + "/api/", "-store", store, "-since", "0"}
	if code, _, stderr := syncCmd(t, tokA, common...); code != 0 {
		t.Fatalf("first sync: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := syncCmd(t, tokB, common...)
	if code != 1 || !strings.Contains(stderr, "another account") || !strings.Contains(stderr, "-rebind") {
		t.Fatalf("sync with another token: exit %d, stderr %q; want 1 and how to rebind", code, stderr)
	}
	if strings.Contains(stdout+stderr, tokA) || strings.Contains(stdout+stderr, tokB) {
		t.Fatal("a token appears in the output")
	}
	// -rebind to another account's token is refused, naming what differed,
	// and nothing of that account is stored.
	code, _, stderr = syncCmd(t, tokB, append(common, "-rebind")...)
	if code != 1 || !strings.Contains(stderr, "rebind refused") || !strings.Contains(stderr, "webapi row") {
		t.Fatalf("sync -rebind with another account's token: exit %d, stderr %q; want 1 and what differed", code, stderr)
	}
	if code, _, stderr := syncCmd(t, tokA, common...); code != 0 {
		t.Fatalf("the first token after a refused rebind: exit %d\n%s", code, stderr)
	}
	// A new token for the same account is accepted, and then only it.
	if code, _, stderr := syncCmd(t, tokA2, append(common, "-rebind")...); code != 0 {
		t.Fatalf("sync -rebind with a new token of the same account: exit %d\n%s", code, stderr)
	}
	if code, _, _ := syncCmd(t, tokA, common...); code != 1 {
		t.Fatalf("the first token after the rebind: exit %d, want 1", code)
	}
}

// damageFirstSegment removes the first segment the log's manifest lists
// and returns its path.
func damageFirstSegment(t *testing.T, store, log string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(store, log, "_manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Segments []struct{ File string } }
	if err := json.Unmarshal(data, &m); err != nil || len(m.Segments) == 0 {
		t.Fatalf("manifest of %s: %v, %d segments", log, err, len(m.Segments))
	}
	path := filepath.Join(store, log, m.Segments[0].File)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSyncCommandDamage(t *testing.T) {
	const token = "secret-token-123"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 3000})
	var current atomic.Pointer[sample.Server]
	current.Store(sample.NewServer(acct, token))
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) }))
	defer hs.Close()
	store := filepath.Join(t.TempDir(), "store")
	common := []string{"-url", hs.URL + "/api/", "-store", store, "-since", "0"}
	if code, _, stderr := syncCmd(t, token, common...); code != 0 {
		t.Fatalf("first sync: exit %d\n%s", code, stderr)
	}

	// A plain sync names the damaged segment and says to repair.
	path := damageFirstSegment(t, store, "events")
	code, _, stderr := syncCmd(t, token, common...)
	if code != 1 || !strings.Contains(stderr, path) || !strings.Contains(stderr, "sync -repair") {
		t.Fatalf("sync over a damaged segment: exit %d, stderr %q; want 1, the file and `sync -repair`", code, stderr)
	}

	// The source forgets its older events: a repair cannot recover them,
	// says so, and exits 1.
	older := *acct
	older.Events = acct.Events[len(acct.Events)/2:]
	current.Store(sample.NewServer(&older, token))
	code, stdout, stderr := syncCmd(t, token, append(common, "-repair")...)
	if code != 1 || !strings.Contains(stdout, "lost") || !strings.Contains(stderr, "could not be recovered") {
		t.Fatalf("repair with a gap: exit %d, stdout %q, stderr %q; want 1 and the loss reported", code, stdout, stderr)
	}
	// The gap is recorded: a plain sync afterwards is clean.
	if code, _, stderr := syncCmd(t, token, common...); code != 0 {
		t.Fatalf("sync after the repair: exit %d\n%s", code, stderr)
	}
}

// TestSyncCommandWithoutUsagePermission: a token that reads the logs but
// lacks the "Usage Analytics" permission syncs the logs, and the Usage
// Analytics tables are skipped with a note naming the permission; exit
// status 3 says some was skipped.
func TestSyncCommandWithoutUsagePermission(t *testing.T) {
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1000})
	srv := sample.NewServer(acct, "full-token")
	srv.AddLogOnlyToken("logs-only-token")
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv(lenslog.EnvToken, "logs-only-token")
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), []string{"sync", "-url", hs.URL + "/api/", "-store", t.TempDir(), "-since", "0"}, &stdout, &stderr)
	if code != 3 || !strings.Contains(stderr.String(), `Usage Analytics not synced`) ||
		!strings.Contains(stderr.String(), `lacks the "Usage Analytics" permission`) {
		t.Errorf("exit %d, stderr %q; want 3 and a note naming the permission", code, &stderr)
	}
	if !strings.Contains(stdout.String(), "webapi: +") || strings.Contains(stdout.String(), "usage_") {
		t.Errorf("stdout %q: want the logs synced and no usage table", &stdout)
	}
	if strings.Contains(stdout.String()+stderr.String(), "logs-only-token") {
		t.Error("the token appears in the output")
	}
}

// TestSyncCommandWithoutInventoryPermission: a token allowed the logs and
// product/GetProducts but not GetKeys or GetCustomers keeps a snapshot of
// the products, names the tables it skipped and the permissions, and
// exits 3.
func TestSyncCommandWithoutInventoryPermission(t *testing.T) {
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1000})
	srv := sample.NewServer(acct, "full-token")
	srv.SetLive(sample.Live{Tokens: map[string][]string{"partial-token": {"GetWebAPILog", "GetEvents", "GetObjectLog", "UsageAnalytics", "GetProducts"}}})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv(lenslog.EnvToken, "partial-token")
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), []string{"sync", "-url", hs.URL + "/api/", "-store", t.TempDir(), "-since", "0"}, &stdout, &stderr)
	for _, want := range []string{`inventory licenses not kept`, `lacks the "GetKeys" permission`, `inventory customers not kept`,
		`lacks the "GetCustomers" permission`, "skipped inventory licenses, inventory machines, inventory customers"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, &stderr)
		}
	}
	if code != 3 || !strings.Contains(stdout.String(), "4 products, licenses skipped, machines skipped, customers skipped") {
		t.Errorf("exit %d, stdout %q; want 3 and the products kept", code, &stdout)
	}
	if strings.Contains(stdout.String()+stderr.String(), "partial-token") {
		t.Error("the token appears in the output")
	}
}

// A sync of a store written by an older lenslog says on one line what it
// upgrades and how long that took; a current store opens without a word.
func TestSyncSaysItUpgrades(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	if err := os.CopyFS(dir, os.DirFS("../pkg/logstore/testdata/format4-store")); err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`^upgrading the local store once, from format 4 to 5: 7 segments \(3,829 rows, 0 MB\)… done in \d+ (ms|s)\n$`)
	for _, c := range []struct {
		name string
		want *regexp.Regexp
	}{
		{"format 4", want},
		{"upgraded", regexp.MustCompile(`^$`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if _, err := openUpgrading(dir, &stderr); err != nil {
				t.Fatal(err)
			}
			if !c.want.MatchString(stderr.String()) {
				t.Errorf("stderr %q, want %v", &stderr, c.want)
			}
		})
	}
}
