package logstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// The store tried as an attacker would, against the hostile server
// (hostile_test.go): each test is one way the store used to lose or mix
// history.

const alpha, beta = "alpha-secret-token", "beta-secret-token"

// openHostileStore opens (or reopens) the store in dir with small segments.
func openHostileStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = testConfig
	return s
}

// syncClient syncs s from c and fails the test on an error.
func syncClient(t *testing.T, s *Store, c *cryptolens.Client, opt SyncOptions) []SyncResult {
	t.Helper()
	res, err := s.Sync(context.Background(), c, opt)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

// storedEqual checks that the store holds exactly the rows given.
func storedEqual(t *testing.T, s *Store, web []cryptolens.WebAPILogRow, ev []cryptolens.Event, obj []cryptolens.ObjectLogEntry) {
	t.Helper()
	holdsRows(t, s, web, ev, obj)
}

// A lost or broken manifest used to make the next Open delete every
// segment of the log as a stray, and `sync -repair` then found "no
// damage": history the source no longer had was gone.
func TestLostManifestKeepsHistory(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(t *testing.T, s *Store, l Log)
		kept   bool // the broken manifest is kept in quarantine
	}{
		{"deleted", func(t *testing.T, s *Store, l Log) {
			must(t, os.Remove(filepath.Join(s.logDir(l), manifestName)))
		}, false},
		{"garbage", func(t *testing.T, s *Store, l Log) {
			must(t, os.WriteFile(filepath.Join(s.logDir(l), manifestName), []byte("{garbage"), 0o600))
		}, true},
		{"empty", func(t *testing.T, s *Store, l Log) {
			must(t, os.WriteFile(filepath.Join(s.logDir(l), manifestName), nil, 0o600))
		}, true},
		{"another log's", func(t *testing.T, s *Store, l Log) {
			path := filepath.Join(s.logDir(l), manifestName)
			other := `"log": "objects"`
			if l == Objects {
				other = `"log": "events"`
			}
			data := strings.Replace(string(readFile(t, path)), `"log": "`+string(l)+`"`, other, 1)
			must(t, os.WriteFile(path, []byte(data), 0o600))
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			acct := newHostileAccount(3000)
			web, ev, obj := acct.web, acct.events, acct.objects
			h, url := startHostile(t, map[string]*hostileAccount{alpha: acct})
			client := hostileClient(url, alpha)
			dir := filepath.Join(t.TempDir(), "store")
			syncClient(t, openHostileStore(t, dir), client, SyncOptions{})

			// The source forgets its older rows (retention), then the
			// manifests are lost.
			h.with(alpha, func(a *hostileAccount) {
				a.web, a.events, a.objects = a.web[2000:], a.events[2000:], a.objects[2000:]
			})
			s := openHostileStore(t, dir)
			for _, l := range AllLogs() {
				c.break_(t, s, l)
			}
			if _, err := s.Events(logs.Window{}); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("load with a lost manifest: %v, want ErrCorrupt", err)
			}

			s = openHostileStore(t, dir) // Open used to delete the segments here
			res := syncClient(t, s, client, SyncOptions{})
			for _, r := range res {
				if !r.Recovery.RebuiltManifest || !strings.Contains(r.String(), "manifest rebuilt") {
					t.Errorf("%s: result %q does not say the manifest was rebuilt", r.Log, r)
				}
			}
			storedEqual(t, s, web, ev, obj)
			if err := s.Verify(); err != nil {
				t.Fatal(err)
			}
			if q := quarantined(t, s); c.kept != hasSuffixIn(q, manifestName) {
				t.Errorf("quarantine %v: broken manifest kept = %v, want %v", q, !c.kept, c.kept)
			}
			rep, err := s.Repair(context.Background(), client)
			if err != nil || rep.Lost() {
				t.Fatalf("repair after the rebuild: %v, %v", rep, err)
			}
			storedEqual(t, s, web, ev, obj)
		})
	}
}

// Files the store cannot account for used to be deleted (unlisted
// segments) or, with the manifest lost, silently skipped. They are moved
// to quarantine and named in the sync's result.
func TestUnaccountedFilesAreQuarantined(t *testing.T) {
	for _, lostManifest := range []bool{false, true} {
		name := "manifest present"
		if lostManifest {
			name = "manifest lost"
		}
		t.Run(name, func(t *testing.T) {
			acct := newHostileAccount(1500)
			_, url := startHostile(t, map[string]*hostileAccount{alpha: acct})
			client := hostileClient(url, alpha)
			dir := filepath.Join(t.TempDir(), "store")
			s := openHostileStore(t, dir)
			syncClient(t, s, client, SyncOptions{})

			m, err := readManifest(s.logDir(WebAPI), WebAPI)
			must(t, err)
			evm, err := readManifest(s.logDir(Events), Events)
			must(t, err)
			listed := m.Segments[0]
			// A segment over a listed range whose rows differ from the
			// stored ones: not a leftover copy.
			var forged []cryptolens.WebAPILogRow
			for _, r := range acct.web {
				if r.ID >= listed.MinID && r.ID <= listed.MaxID {
					forged = append(forged, r)
				}
			}
			forged[0].Key = "FORGED"
			tmp := t.TempDir()
			fs, err := writeSegment(tmp, webAPIKind, forged)
			must(t, err)
			foreign := map[string][]byte{
				"notes.txt":                       []byte("not a segment"),
				segmentName(WebAPI, 1, 2, "abcd"): []byte("PAR1 not really"),
				segmentName(WebAPI, listed.MinID, listed.MaxID, "beef"): readFile(t, filepath.Join(tmp, fs.File)),
				evm.Segments[0].File: readFile(t, filepath.Join(s.logDir(Events), evm.Segments[0].File)),
			}
			// An identical copy of a listed segment (what a compaction cut
			// short leaves) holds nothing of its own: it is removed.
			copyName := segmentName(WebAPI, listed.MinID, listed.MaxID, "c0de")
			must(t, os.WriteFile(filepath.Join(s.logDir(WebAPI), copyName), readFile(t, filepath.Join(s.logDir(WebAPI), listed.File)), 0o600))
			for n, data := range foreign {
				must(t, os.WriteFile(filepath.Join(s.logDir(WebAPI), n), data, 0o600))
			}
			must(t, os.WriteFile(filepath.Join(s.logDir(WebAPI), ".webapi-x.parquet.123.tmp"), []byte("half"), 0o600))
			if lostManifest {
				must(t, os.Remove(filepath.Join(s.logDir(WebAPI), manifestName)))
			}

			s = openHostileStore(t, dir)
			res := syncClient(t, s, client, SyncOptions{Logs: []Log{WebAPI}})
			out := res[0].String()
			q := quarantined(t, s)
			moved := 0
			for n := range foreign {
				if _, err := os.Stat(filepath.Join(s.logDir(WebAPI), n)); err == nil {
					// A copy of a listed segment may be the one kept.
					if !strings.Contains(out, "overlaps "+n) {
						t.Errorf("%s is still in the log folder", n)
					}
					continue
				}
				moved++
				if !hasSuffixIn(q, n) {
					t.Errorf("%s was removed, not quarantined (quarantine %v)", n, q)
				}
				if !strings.Contains(out, n) {
					t.Errorf("result %q does not name %s", out, n)
				}
			}
			if moved != len(foreign) && !lostManifest {
				t.Errorf("%d of %d foreign files moved", moved, len(foreign))
			}
			if _, err := os.Stat(filepath.Join(s.logDir(WebAPI), copyName)); err == nil && !lostManifest {
				t.Error("an identical copy of a listed segment was left")
			}
			if _, err := os.Stat(filepath.Join(s.logDir(WebAPI), ".webapi-x.parquet.123.tmp")); err == nil {
				t.Error("a temporary file of a killed sync was left")
			}
			m, err = readManifest(s.logDir(WebAPI), WebAPI)
			must(t, err)
			if u := unlisted(t, s.logDir(WebAPI), m); len(u) > 0 {
				t.Errorf("unlisted files left: %v", u)
			}
			storedEqual(t, s, acct.web, acct.events, acct.objects)
			if err := s.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// One row whose time is out of order used to end the backward sync: 2,999
// of 6,000 rows stored, the log recorded complete, and re-syncs added
// nothing.
func TestOutOfOrderTimeCannotEndSync(t *testing.T) {
	future := time.Now().Add(10 * 365 * 24 * time.Hour).Unix()
	cases := []struct {
		name string
		skew func(rows []cryptolens.WebAPILogRow)
	}{
		{"time 0", func(r []cryptolens.WebAPILogRow) { r[3000].Time = 0 }},
		{"a week back", func(r []cryptolens.WebAPILogRow) { r[3000].Time -= 7 * 24 * 3600 }},
		{"negative", func(r []cryptolens.WebAPILogRow) { r[3000].Time = -1 }},
		{"in the future", func(r []cryptolens.WebAPILogRow) { r[3000].Time = future }},
		{"the oldest row of each page skewed back", func(r []cryptolens.WebAPILogRow) {
			for i := 0; i < len(r); i += 1000 {
				r[i].Time -= 7 * 24 * 3600
			}
		}},
		{"a whole page with time 0", func(r []cryptolens.WebAPILogRow) {
			for i := 3000; i < 4000; i++ {
				r[i].Time = 0
			}
		}},
		{"a whole page in the future", func(r []cryptolens.WebAPILogRow) {
			for i := 3000; i < 4000; i++ {
				r[i].Time = future
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			acct := newHostileAccount(6000)
			c.skew(acct.web)
			_, url := startHostile(t, map[string]*hostileAccount{alpha: acct})
			client := hostileClient(url, alpha)
			s := openHostileStore(t, filepath.Join(t.TempDir(), "store"))
			opt := SyncOptions{Logs: []Log{WebAPI}, Since: time.Unix(fakeTime(0), 0)}
			res := syncClient(t, s, client, opt)
			if res[0].NewRows != 6000 {
				t.Errorf("first sync: %v, want +6000 rows", res[0])
			}
			res = syncClient(t, s, client, opt)
			if res[0].NewRows != 0 || res[0].Total != 6000 {
				t.Errorf("re-sync: %v, want +0 rows, 6000 total", res[0])
			}
			w, err := s.WebAPI(logs.Window{})
			must(t, err)
			sameRows(t, "webapi", webAPIKind.rowsOf(w), acct.web)
		})
	}
}

// A sync with another account's token (or another API) into the same
// store used to succeed and mix the two accounts' rows.
func TestOtherAccountIsRefused(t *testing.T) {
	other := newHostileAccount(300)
	for i := range other.web {
		other.web[i].Key = "OTHER-" + other.web[i].Key
	}
	h, url := startHostile(t, map[string]*hostileAccount{alpha: newHostileAccount(500), beta: other})
	_, url2 := startHostile(t, map[string]*hostileAccount{alpha: newHostileAccount(500)})
	dir := filepath.Join(t.TempDir(), "store")
	s := openHostileStore(t, dir)
	syncClient(t, s, hostileClient(url, alpha), SyncOptions{})
	for p, content := range snapshot(t, dir) {
		if strings.Contains(content, alpha) || strings.Contains(p, alpha) {
			t.Fatalf("%s holds the token", p)
		}
	}
	if sf := readFile(t, filepath.Join(dir, storeFileName)); !strings.Contains(string(sf), `"token_hmac"`) {
		t.Fatalf("the store file records no account:\n%s", sf)
	}

	refused := []struct {
		name   string
		client *cryptolens.Client
	}{
		{"another token", hostileClient(url, beta)},
		{"another API", hostileClient(url2, alpha)},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			before, reqs := snapshot(t, dir), h.requests.Load()
			res, err := s.Sync(context.Background(), r.client, SyncOptions{})
			var ae *AccountError
			if !errors.As(err, &ae) || !errors.Is(err, ErrOtherAccount) || len(res) != 0 {
				t.Fatalf("sync: %v, %v; want an *AccountError", res, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "-rebind") || strings.Contains(msg, alpha) || strings.Contains(msg, beta) {
				t.Errorf("error %q: want how to rebind, and no token", msg)
			}
			if h.requests.Load() != reqs {
				t.Error("the refused sync made requests")
			}
			if after := snapshot(t, dir); len(after) != len(before) {
				t.Error("the refused sync wrote files")
			} else {
				for p, c := range before {
					if after[p] != c {
						t.Errorf("the refused sync changed %s", p)
					}
				}
			}
			if _, err := s.Repair(context.Background(), r.client); !errors.Is(err, ErrOtherAccount) {
				t.Errorf("repair: %v, want ErrOtherAccount", err)
			}
			if _, err := OpenFor(dir, r.client); !errors.Is(err, ErrOtherAccount) {
				t.Errorf("OpenFor: %v, want ErrOtherAccount", err)
			}
		})
	}

	// Loads through a store opened for alpha refuse once the store is
	// rebound to beta (the same account with a new token, says the user).
	forAlpha, err := OpenFor(dir, hostileClient(url, alpha))
	must(t, err)
	if _, err := forAlpha.WebAPI(logs.Window{}); err != nil {
		t.Fatal(err)
	}
	// A rebind to another account's token is refused: its rows differ.
	if _, err := s.Sync(context.Background(), hostileClient(url, beta), SyncOptions{Rebind: true}); !errors.Is(err, ErrNotSameAccount) {
		t.Fatalf("rebind to another account: %v, want ErrNotSameAccount", err)
	}
	const gamma = "gamma-secret-token" // a new token for alpha's account
	h.mu.Lock()
	h.accounts[gamma] = h.accounts[alpha]
	h.mu.Unlock()
	syncClient(t, s, hostileClient(url, gamma), SyncOptions{Rebind: true})
	if _, err := forAlpha.WebAPI(logs.Window{}); !errors.Is(err, ErrOtherAccount) {
		t.Errorf("load for alpha after the rebind: %v, want ErrOtherAccount", err)
	}
	if _, err := s.Sync(context.Background(), hostileClient(url, alpha), SyncOptions{}); !errors.Is(err, ErrOtherAccount) {
		t.Errorf("alpha after the rebind: %v, want ErrOtherAccount", err)
	}
	must(t, s.Rebind(context.Background(), hostileClient(url, alpha)))
	syncClient(t, s, hostileClient(url, alpha), SyncOptions{})
}

// A store made before lenslog recorded accounts adopts the account of its
// first sync; an unauthenticated sync records nothing.
func TestStoreWithoutAccountAdoptsFirstSync(t *testing.T) {
	_, url := startHostile(t, map[string]*hostileAccount{alpha: newHostileAccount(100), beta: newHostileAccount(50)})
	dir := filepath.Join(t.TempDir(), "store")
	s := openHostileStore(t, dir)
	if _, err := s.Sync(context.Background(), hostileClient(url, "wrong-token"), SyncOptions{}); !errors.Is(err, cryptolens.ErrUnauthenticated) {
		t.Fatalf("sync with a wrong token: %v", err)
	}
	syncClient(t, s, hostileClient(url, alpha), SyncOptions{})
	if _, err := s.Sync(context.Background(), hostileClient(url, beta), SyncOptions{}); !errors.Is(err, ErrOtherAccount) {
		t.Errorf("beta after alpha adopted the store: %v", err)
	}
}

// A source that sends full pages of new ids forever used to keep a sync
// going (and the disk filling) forever.
func TestEndlessSourceIsBounded(t *testing.T) {
	for _, l := range []Log{WebAPI, Objects} {
		t.Run(string(l), func(t *testing.T) {
			h, url := startHostile(t, map[string]*hostileAccount{alpha: newHostileAccount(100)})
			client := hostileClient(url, alpha)
			s := openHostileStore(t, filepath.Join(t.TempDir(), "store"))
			syncClient(t, s, client, SyncOptions{Logs: []Log{l}})
			h.with(alpha, func(a *hostileAccount) { a.endless = true })

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			const max = 3000
			res, err := s.Sync(ctx, client, SyncOptions{Logs: []Log{l}, MaxRows: max})
			if !errors.Is(err, ErrTooManyRows) || !strings.Contains(err.Error(), "MaxRows") {
				t.Fatalf("sync of an endless source: %v; want ErrTooManyRows", err)
			}
			if n := res[0].NewRows; n < max || n > max+1000 {
				t.Errorf("+%d rows, want about %d", n, max)
			}
			info, err := s.Info(l)
			must(t, err)
			if info.Rows != 100+res[0].NewRows {
				t.Errorf("store holds %d rows, want the %d fetched kept", info.Rows, 100+res[0].NewRows)
			}
			must(t, s.Verify())
		})
	}
}

// A plain sync that meets a damaged segment says so, names the file, and
// still fetches what is new.
func TestSyncReportsDamagedSegment(t *testing.T) {
	acct := newHostileAccount(1000)
	h, url := startHostile(t, map[string]*hostileAccount{alpha: acct})
	client := hostileClient(url, alpha)
	s := openHostileStore(t, filepath.Join(t.TempDir(), "store"))
	s.cfg.compactMin = 1000
	syncClient(t, s, client, SyncOptions{Logs: []Log{Events}})
	for _, how := range []string{"delete", "truncate"} {
		t.Run(how, func(t *testing.T) {
			path := damage(t, s, Events, 0, how)
			h.with(alpha, func(a *hostileAccount) {
				n := len(a.events)
				a.events = append(a.events, fakeEvent(n), fakeEvent(n+1))
			})
			res, err := s.Sync(context.Background(), client, SyncOptions{Logs: []Log{Events}})
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
				t.Fatalf("sync: %v; want a *CorruptError naming %s", err, path)
			}
			if res[0].NewRows != 2 {
				t.Errorf("%v: want the 2 new rows fetched all the same", res[0])
			}
			rep, err := s.Repair(context.Background(), client)
			if err != nil || rep.Lost() || len(rep.Logs[1].Damaged) != 1 {
				t.Fatalf("repair: %v, %v", rep, err)
			}
			if q := quarantined(t, s); !hasSuffixIn(q, filepath.Base(path)) && how != "delete" {
				t.Errorf("the damaged segment was not kept in quarantine: %v", q)
			}
			_, e, _ := loadAll(t, s)
			h.with(alpha, func(a *hostileAccount) { sameRows(t, "events", e, a.events) })
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A backward sync cut short resumes even when the oldest rows it stored
// include one whose time is 0: how far back the log is complete is not
// taken from the smallest time stored.
func TestInterruptedSyncResumesPastAZeroTime(t *testing.T) {
	for _, since := range []time.Time{{}, time.Unix(fakeTime(0), 0)} {
		t.Run("since "+since.Format(time.DateOnly), func(t *testing.T) {
			s := openTest(t)
			a := newFakeAccount(1000)
			a.events.rows[750].Time = 0 // in the oldest page fetched before the fault
			a.events.failAt = 4         // 3 pages in: ids of rows 700..999 stored
			opt := SyncOptions{Logs: []Log{Events}, Since: since}
			if _, err := s.sync(context.Background(), a.sources(), opt); !errors.Is(err, errFake) {
				t.Fatalf("sync error = %v, want the source's error", err)
			}
			res := syncFake(t, s, a, opt)
			if res[Events].Total != 1000 {
				t.Errorf("resume: %v, want 1000 total", res[Events])
			}
		})
	}
}
