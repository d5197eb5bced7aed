package logstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// testConfig makes small segments so a few thousand rows exercise
// flushing and compaction.
var testConfig = config{flushRows: 250, compactRows: 2000, compactMin: 4}

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = testConfig
	return s
}

func syncFake(t *testing.T, s *Store, a *fakeAccount, opt SyncOptions) map[Log]SyncResult {
	t.Helper()
	res, err := s.sync(context.Background(), a.sources(), opt)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	out := map[Log]SyncResult{}
	for _, r := range res {
		out[r.Log] = r
	}
	return out
}

// loadAll loads every stored row of each log as wire rows.
func loadAll(t *testing.T, s *Store) ([]cryptolens.WebAPILogRow, []cryptolens.Event, []cryptolens.ObjectLogEntry) {
	t.Helper()
	w, err := s.WebAPI(logs.Window{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.Events(logs.Window{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Objects(logs.Window{})
	if err != nil {
		t.Fatal(err)
	}
	return webAPIKind.rowsOf(w), eventsKind.rowsOf(e), objectsKind.rowsOf(o)
}

// holdsRows fails t unless the store loads exactly these rows of each log,
// in this order.
func holdsRows(t *testing.T, s *Store, webAPI []cryptolens.WebAPILogRow, events []cryptolens.Event, objects []cryptolens.ObjectLogEntry) {
	t.Helper()
	w, e, o := loadAll(t, s)
	sameRows(t, "webapi", w, webAPI)
	sameRows(t, "events", e, events)
	sameRows(t, "objects", o, objects)
}

func sameRows[R any](t *testing.T, what string, got, want []R) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d rows, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s: row %d:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}

func TestSyncWholeHistoryThenResync(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(3000)
	res := syncFake(t, s, a, SyncOptions{})
	for _, l := range AllLogs() {
		if res[l].NewRows != 3000 || res[l].Total != 3000 {
			t.Errorf("%s: first sync %v, want +3000 rows, 3000 total", l, res[l])
		}
	}
	holdsRows(t, s, a.webAPI.all(), a.events.all(), a.objects.all())

	cases := []struct {
		name      string
		add       int
		wantReqs  map[Log]int
		wantTotal int
	}{
		{"nothing new", 0, map[Log]int{WebAPI: 1, Events: 1, Objects: 1}, 3000},
		{"a few new", 5, map[Log]int{WebAPI: 2, Events: 2, Objects: 2}, 3005},
		// ceil(k/page)+1: 250 rows are 1 page of the Web API Log, 3 of the others.
		{"250 new", 250, map[Log]int{WebAPI: 2, Events: 4, Objects: 4}, 3255},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.grow(c.add)
			res := syncFake(t, s, a, SyncOptions{})
			for _, l := range AllLogs() {
				if res[l].NewRows != c.add || res[l].Requests != c.wantReqs[l] || res[l].Total != c.wantTotal {
					t.Errorf("%s: %v, want +%d rows, %d requests, %d total", l, res[l], c.add, c.wantReqs[l], c.wantTotal)
				}
			}
		})
	}
	holdsRows(t, s, a.webAPI.all(), a.events.all(), a.objects.all())
}

func TestSyncWindowRemembersHowFarBack(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(2000) // one row a minute: 2000 minutes
	opt := func(minutes int) SyncOptions {
		return SyncOptions{Logs: []Log{WebAPI, Events}, Since: time.Unix(fakeTime(minutes), 0)}
	}
	// A backward sync stops at the first page wholly before the cut
	// (cryptolens.PageBefore) and keeps the page that crosses it whole: the
	// Web API Log's 1000-row pages bring back more than the window.
	steps := []struct {
		name     string
		since    int // minute index of the window start
		wantNew  map[Log]int
		wantReqs map[Log]int
	}{
		{"last 500 minutes", 1500, map[Log]int{WebAPI: 1000, Events: 500}, map[Log]int{WebAPI: 2, Events: 6}},
		// Same start: forward only, one request each, no backward request.
		{"same window", 1500, map[Log]int{}, map[Log]int{WebAPI: 1, Events: 1}},
		// A later start is covered already.
		{"narrower window", 1800, map[Log]int{}, map[Log]int{WebAPI: 1, Events: 1}},
		// A wider window fetches only the older part (the Web API Log has
		// it already, and learns so from one page before the cut).
		{"wider window", 1000, map[Log]int{Events: 500}, map[Log]int{WebAPI: 2, Events: 7}},
		{"whole history", -1, map[Log]int{WebAPI: 1000, Events: 1000}, map[Log]int{WebAPI: 3, Events: 12}},
		{"whole history again", -1, map[Log]int{}, map[Log]int{WebAPI: 1, Events: 1}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			o := opt(st.since)
			if st.since < 0 {
				o.Since = time.Time{}
			}
			res := syncFake(t, s, a, o)
			for _, l := range []Log{WebAPI, Events} {
				if res[l].NewRows != st.wantNew[l] || res[l].Requests != st.wantReqs[l] {
					t.Errorf("%s: %v, want +%d rows, %d requests", l, res[l], st.wantNew[l], st.wantReqs[l])
				}
			}
		})
	}
	w, e, _ := loadAll(t, s)
	sameRows(t, "webapi", w, a.webAPI.all())
	sameRows(t, "events", e, a.events.all())
	info, err := s.Info(Events)
	if err != nil {
		t.Fatal(err)
	}
	if !info.HistoryStart || !info.CompleteFrom.IsZero() {
		t.Errorf("info after whole history = %+v, want HistoryStart and zero CompleteFrom", info)
	}
}

func TestLoadWindow(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(3000)
	syncFake(t, s, a, SyncOptions{})
	at := func(i int) time.Time { return time.Unix(fakeTime(i), 0).UTC() }
	cases := []struct {
		name     string
		w        logs.Window
		from, to int // expected row indexes [from, to)
	}{
		{"everything", logs.Window{}, 0, 3000},
		{"from a row on", logs.Window{From: at(1234)}, 1234, 3000},
		{"up to a row (exclusive)", logs.Window{To: at(77)}, 0, 77},
		{"inside one segment", logs.Window{From: at(10), To: at(20)}, 10, 20},
		{"across segments", logs.Window{From: at(240), To: at(2760)}, 240, 2760},
		{"before history", logs.Window{To: fakeEpoch.Add(-time.Hour)}, 0, 0},
		{"after history", logs.Window{From: at(5000)}, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := s.WebAPI(c.w)
			if err != nil {
				t.Fatal(err)
			}
			sameRows(t, "webapi", webAPIKind.rowsOf(w), a.webAPI.all()[c.from:c.to])
			e, err := s.Events(c.w)
			if err != nil {
				t.Fatal(err)
			}
			sameRows(t, "events", eventsKind.rowsOf(e), a.events.all()[c.from:c.to])
			o, err := s.Objects(c.w)
			if err != nil {
				t.Fatal(err)
			}
			sameRows(t, "objects", objectsKind.rowsOf(o), a.objects.all()[c.from:c.to])
		})
	}
}

func TestLoadCodesStringsInOneDictionary(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(2000)
	syncFake(t, s, a, SyncOptions{Logs: []Log{WebAPI}})
	w, err := s.WebAPI(logs.Window{})
	if err != nil {
		t.Fatal(err)
	}
	// Segments are read in parallel into one dictionary shared by the
	// table's string columns: each distinct value is there once.
	cols := []logs.Strings{w.Key, w.IP, w.MachineCode, w.FriendlyName}
	distinct := map[string]bool{"": true}
	for _, c := range cols {
		if c.Dict != w.Key.Dict {
			t.Fatal("the string columns of one load have different dictionaries")
		}
		for _, v := range c.Values() {
			distinct[v] = true
		}
	}
	if got := w.Key.Dict.Len(); got != len(distinct) {
		t.Errorf("dictionary holds %d strings, want the %d distinct values of the columns", got, len(distinct))
	}
	if len(distinct) < 3 {
		t.Fatalf("%d distinct values in the fake account, want several", len(distinct))
	}
}

func TestCompactionKeepsSegmentsFew(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(100)
	syncFake(t, s, a, SyncOptions{})
	for range 40 {
		a.grow(60)
		syncFake(t, s, a, SyncOptions{})
	}
	for _, l := range AllLogs() {
		info, err := s.Info(l)
		if err != nil {
			t.Fatal(err)
		}
		// 2500 rows, compacted toward 2000-row segments: without
		// compaction there would be 41 segments.
		if info.Rows != 2500 || info.Segments > 8 {
			t.Errorf("%s: %d rows in %d segments, want 2500 rows in at most 8", l, info.Rows, info.Segments)
		}
		files, _ := filepath.Glob(filepath.Join(s.logDir(l), "*.parquet"))
		if len(files) != info.Segments {
			t.Errorf("%s: %d parquet files for %d segments", l, len(files), info.Segments)
		}
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	holdsRows(t, s, a.webAPI.all(), a.events.all(), a.objects.all())
}

func TestCompactionPlan(t *testing.T) {
	segs := func(rows ...int) []Segment {
		out := make([]Segment, len(rows))
		for i, r := range rows {
			out[i] = Segment{Rows: r}
		}
		return out
	}
	cases := []struct {
		name string
		segs []Segment
		want [][2]int
	}{
		{"none", nil, nil},
		{"too few small", segs(10, 10, 10), nil},
		{"four small", segs(10, 10, 10, 10), [][2]int{{0, 4}}},
		{"big ones stay", segs(900, 10, 10, 10, 10, 800), [][2]int{{1, 5}}},
		{"runs split by a big one", segs(10, 10, 10, 900, 10, 10, 10), nil},
		{"cut at target", segs(400, 400, 400, 400), [][2]int{{0, 2}, {2, 4}}},
		{"lone leftover not merged", segs(400, 400, 400, 400, 400), [][2]int{{0, 2}, {2, 4}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := compactionPlan(c.segs, 1000, 4); !reflect.DeepEqual(got, c.want) {
				t.Errorf("plan = %v, want %v", got, c.want)
			}
		})
	}
}

func TestSyncErrorKeepsFetchedRows(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(1000)
	a.events.failAt = 4 // the 4th events request fails: 3 pages in
	_, err := s.sync(context.Background(), a.sources(), SyncOptions{Logs: []Log{Events}})
	if !errors.Is(err, errFake) {
		t.Fatalf("sync error = %v, want the source's error", err)
	}
	info, _ := s.Info(Events)
	if info.Rows != 300 {
		t.Errorf("after failure stored %d rows, want the 300 fetched", info.Rows)
	}
	res := syncFake(t, s, a, SyncOptions{Logs: []Log{Events}})
	if res[Events].NewRows != 700 || res[Events].Total != 1000 {
		t.Errorf("resume: %v, want +700 rows, 1000 total", res[Events])
	}
	_, e, _ := loadAll(t, s)
	sameRows(t, "events", e, a.events.all())
}

func TestOpenRefusesNewerFormat(t *testing.T) {
	cases := []struct {
		name string
		file string // relative to the store
		body string
	}{
		{"store file", storeFileName, `{"format": 99}`},
		{"manifest", filepath.Join("events", manifestName), `{"format": 99, "log": "events", "segments": []}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openTest(t)
			syncFake(t, s, newFakeAccount(10), SyncOptions{})
			path := filepath.Join(s.Dir(), c.file)
			if err := os.WriteFile(path, []byte(c.body), 0o600); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, s.Dir())
			_, err := Open(s.Dir())
			if !errors.Is(err, ErrNewerFormat) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Open error = %v, want ErrNewerFormat naming %s", err, path)
			}
			if after := snapshot(t, s.Dir()); !reflect.DeepEqual(before, after) {
				t.Errorf("Open changed the store:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func TestOpenBadPath(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plainfile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"", file, filepath.Join(file, "sub")} {
		if _, err := Open(dir); err == nil {
			t.Errorf("Open(%q) succeeded, want an error", dir)
		}
	}
}

// snapshot maps each file of dir to its content, to prove nothing changed.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTablesAreColumnsOnly holds the logs tables to what section and setLen
// (load.go) assume: every field is a column slice or a logs.Strings,
// besides the Period they skip.
func TestTablesAreColumnsOnly(t *testing.T) {
	for _, table := range []any{logs.WebAPI{}, logs.Events{}, logs.Objects{}} {
		typ := reflect.TypeOf(table)
		for i := range typ.NumField() {
			if f := typ.Field(i); f.Type.Kind() != reflect.Slice && f.Type != reflect.TypeFor[logs.Strings]() && f.Name != "Period" {
				t.Errorf("%s.%s is a %s: the store's loader fills column slices only", typ.Name(), f.Name, f.Type)
			}
		}
	}
}

// A load of some columns reads those (and the id and time) equal to a
// whole load's, leaves the others out, and refuses a column the log has
// not.
func TestLoadSomeColumns(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(3000)
	syncFake(t, s, a, SyncOptions{})
	w := logs.Window{From: time.Unix(a.webAPI.all()[500].Time, 0), To: time.Unix(a.webAPI.all()[2500].Time, 0)}
	whole, err := s.WebAPI(w)
	must(t, err)
	part, err := s.WebAPI(w, "Key", "State")
	must(t, err)
	if part.Len() != whole.Len() || part.Len() == 0 {
		t.Fatalf("%d rows with some columns, %d with all", part.Len(), whole.Len())
	}
	if !slices.Equal(part.ID, whole.ID) || !slices.Equal(part.Time, whole.Time) || !slices.Equal(part.State, whole.State) ||
		!slices.Equal(part.Key.Values(), whole.Key.Values()) {
		t.Error("the loaded columns differ from a whole load's")
	}
	if part.Loaded("IP") || part.Loaded("ProductID") || part.IP.Codes != nil || part.ProductID != nil {
		t.Error("columns not asked for were loaded")
	}
	ev, err := s.Events(logs.Window{}, "FeatureName")
	must(t, err)
	if ev.Len() == 0 || !ev.Loaded("FeatureName") || ev.Loaded("Metadata") {
		t.Errorf("events with FeatureName: %d rows, loaded FeatureName %v, Metadata %v", ev.Len(), ev.Loaded("FeatureName"), ev.Loaded("Metadata"))
	}
	if _, err := s.WebAPI(w, "Keys"); err == nil || !strings.Contains(err.Error(), `"Keys"`) {
		t.Errorf("load of an unknown column: %v, want an error naming it", err)
	}
}
