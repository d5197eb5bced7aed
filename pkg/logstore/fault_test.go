package logstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// damage breaks one segment file of log l in the way named, and returns
// its path.
func damage(t *testing.T, s *Store, l Log, index int, how string) string {
	t.Helper()
	m, err := readManifest(s.logDir(l), l)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.logDir(l), m.Segments[index].File)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch how {
	case "flip":
		data[len(data)/2] ^= 0x40
		err = os.WriteFile(path, data, 0o600)
	case "truncate":
		err = os.WriteFile(path, data[:len(data)-100], 0o600)
	case "delete":
		err = os.Remove(path)
	case "empty":
		err = os.WriteFile(path, nil, 0o600)
	default:
		t.Fatalf("unknown damage %q", how)
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDamagedSegmentIsDetectedAndRepaired(t *testing.T) {
	for _, how := range []string{"flip", "truncate", "delete", "empty"} {
		t.Run(how, func(t *testing.T) {
			s := openTest(t)
			s.cfg.compactMin = 1000 // keep the 250-row segments apart
			a := newFakeAccount(1000)
			a.webAPI.pageSize = 50
			syncFake(t, s, a, SyncOptions{})
			path := damage(t, s, WebAPI, 1, how) // rows 250..499

			// A load touching the damaged segment fails and names it.
			_, err := s.WebAPI(logs.Window{})
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Path != path || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("load error = %v, want a *CorruptError for %s", err, path)
			}
			// A load of a window that does not touch it works.
			at := func(i int) time.Time { return time.Unix(fakeTime(i), 0) }
			if w, err := s.WebAPI(logs.Window{From: at(600)}); err != nil || w.Len() != 400 {
				t.Fatalf("load beside the damage: %v rows, error %v", w, err)
			}
			if err := s.Verify(); err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("Verify = %v, want it to name %s", err, path)
			}

			rep, err := s.repair(context.Background(), a.sources())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Lost() || rep.Logs[0].Recovered != 250 || len(rep.Logs[0].Damaged) != 1 {
				t.Errorf("repair report:\n%v", rep)
			}
			if err := s.Verify(); err != nil {
				t.Fatal(err)
			}
			w, _, _ := loadAll(t, s)
			sameRows(t, "webapi after repair", w, a.webAPI.all())
		})
	}
}

func TestRepairReportsWhatTheSourceNoLongerHas(t *testing.T) {
	s := openTest(t)
	s.cfg.compactMin = 1000
	a := newFakeAccount(1000)
	a.events.pageSize = 50
	syncFake(t, s, a, SyncOptions{})
	damage(t, s, Events, 0, "flip")                  // rows 0..249
	a.events.dropBefore(time.Unix(fakeTime(100), 0)) // the source forgot rows 0..99

	rep, err := s.repair(context.Background(), a.sources())
	if err != nil {
		t.Fatal(err)
	}
	ev := rep.Logs[1]
	if ev.Log != Events || ev.Recovered != 150 || len(ev.Lost) != 1 || ev.Lost[0].Rows != 100 {
		t.Fatalf("events repair = %+v", ev)
	}
	if !strings.Contains(rep.String(), "lost 100 rows") {
		t.Errorf("report does not say what was lost:\n%s", rep)
	}
	info, _ := s.Info(Events)
	if info.Rows != 900 || len(info.Gaps) != 1 {
		t.Errorf("after repair: %d rows, gaps %v; want 900 rows and the gap recorded", info.Rows, info.Gaps)
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	_, e, _ := loadAll(t, s)
	sameRows(t, "events", e, a.events.all())
}

func TestRepairRebuildsALostManifest(t *testing.T) {
	s := openTest(t)
	s.cfg.compactMin = 1000
	a := newFakeAccount(1000)
	syncFake(t, s, a, SyncOptions{})
	if err := os.WriteFile(filepath.Join(s.logDir(Objects), manifestName), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Objects(logs.Window{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("load with a broken manifest: %v, want ErrCorrupt", err)
	}
	rep, err := s.repair(context.Background(), a.sources())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Logs[2].Recovery.RebuiltManifest {
		t.Errorf("report = %+v, want the manifest rebuilt", rep.Logs[2])
	}
	_, _, o := loadAll(t, s)
	sameRows(t, "objects", o, a.objects.all())
}

// fullDisk is a temporary file that takes limit bytes, then fails like a
// full disk.
type fullDisk struct {
	*os.File
	limit int
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n, _ := f.File.Write(p[:f.limit])
		f.limit = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.limit -= len(p)
	return f.File.Write(p)
}

func TestFullDiskLosesNothing(t *testing.T) {
	for _, limit := range []int{0, 100, 5000} {
		t.Run(fmt.Sprint(limit, " bytes free"), func(t *testing.T) {
			s := openTest(t)
			a := newFakeAccount(1000)
			syncFake(t, s, a, SyncOptions{})
			a.grow(600)

			defer func(orig func(string, string) (tempFile, error)) { createTemp = orig }(createTemp)
			createTemp = func(dir, pattern string) (tempFile, error) {
				f, err := os.CreateTemp(dir, pattern)
				return &fullDisk{File: f, limit: limit}, err
			}
			_, err := s.sync(context.Background(), a.sources(), SyncOptions{})
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("sync on a full disk: %v, want ENOSPC", err)
			}
			createTemp = func(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

			// Everything stored before is still there, and no temporary
			// file is left behind.
			w, err := s.WebAPI(logs.Window{})
			if err != nil || w.Len() != 1000 {
				t.Fatalf("after full disk: %v rows, error %v", w, err)
			}
			if err := s.Verify(); err != nil {
				t.Fatal(err)
			}
			for _, l := range AllLogs() {
				m, _ := readManifest(s.logDir(l), l)
				if st := unlisted(t, s.logDir(l), m); len(st) > 0 {
					t.Errorf("%s: stray files %v", l, st)
				}
			}
			res := syncFake(t, s, a, SyncOptions{})
			if res[WebAPI].Total != 1600 {
				t.Errorf("resync after freeing space: %v", res[WebAPI])
			}
		})
	}
}

func TestSecondSyncWaitsForTheLock(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(500)
	syncFake(t, s, a, SyncOptions{})
	lk, err := tryLockStore(s.Dir())
	if err != nil || lk == nil {
		t.Fatalf("take lock: %v", err)
	}
	// While another "process" holds the lock, a sync waits and gives up
	// with its context; a load does not need the lock.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if _, err := s.sync(ctx, a.sources(), SyncOptions{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("sync under a held lock: %v, want DeadlineExceeded", err)
	}
	if w, err := s.WebAPI(logs.Window{}); err != nil || w.Len() != 500 {
		t.Errorf("load under a held lock: %v rows, error %v", w, err)
	}
	// Once released, a waiting sync proceeds.
	done := make(chan error)
	go func() {
		_, err := s.sync(context.Background(), a.sources(), SyncOptions{})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	lk.unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentSyncsAndLoads(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(2000)
	errs := make(chan error, 8)
	for range 4 {
		go func() {
			other, err := Open(s.Dir()) // as another notebook would
			if err == nil {
				other.cfg = testConfig
				_, err = other.sync(context.Background(), a.sources(), SyncOptions{})
			}
			errs <- err
		}()
		go func() {
			_, err := s.WebAPI(logs.Window{})
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	holdsRows(t, s, a.webAPI.all(), a.events.all(), a.objects.all())
}

func TestReadOnlyStore(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions")
	}
	s := openTest(t)
	a := newFakeAccount(500)
	syncFake(t, s, a, SyncOptions{})
	a.grow(100)
	dir := s.logDir(WebAPI)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	_, err := s.sync(context.Background(), a.sources(), SyncOptions{Logs: []Log{WebAPI}})
	if !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("sync into a read-only folder: %v, want a permission error naming %s", err, dir)
	}
	if w, err := s.WebAPI(logs.Window{}); err != nil || w.Len() != 500 {
		t.Fatalf("load from a read-only folder: %v rows, error %v", w, err)
	}
}

// TestLoadNamesTheFirstDamagedSegment damages two segments: however the
// parallel readers share the work, the load fails naming the earlier one,
// and returns no table.
func TestLoadNamesTheFirstDamagedSegment(t *testing.T) {
	s := openTest(t)
	s.cfg.compactMin = 1000 // keep the 250-row segments apart
	a := newFakeAccount(1000)
	a.webAPI.pageSize = 50
	syncFake(t, s, a, SyncOptions{})
	first := damage(t, s, WebAPI, 2, "flip") // the last two: readers often fail on both at once
	damage(t, s, WebAPI, 3, "truncate")
	for range 20 {
		w, err := s.WebAPI(logs.Window{})
		var ce *CorruptError
		if !errors.As(err, &ce) || ce.Path != first || w != nil {
			t.Fatalf("load = %v rows, error %v; want no table and a *CorruptError for %s", w, err, first)
		}
	}
}

// TestSyncFailedLogLeavesOthers checks that the logs, synced at the same
// time, are independent: one that fails names itself in the error and
// keeps what it fetched, and the others still complete.
func TestSyncFailedLogLeavesOthers(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(1000)
	a.events.failAt = 4 // 3 pages of 100 events, then a failure retries do not cure
	res, err := s.sync(context.Background(), a.sources(), SyncOptions{})
	if !errors.Is(err, errFake) || !strings.Contains(err.Error(), "sync events") {
		t.Fatalf("sync: %v, want the fake's error for events", err)
	}
	want := map[Log]int{WebAPI: 1000, Events: 300, Objects: 1000}
	if len(res) != len(AllLogs()) {
		t.Fatalf("%d results, want one per log: %v", len(res), res)
	}
	for i, r := range res {
		if l := AllLogs()[i]; r.Log != l || r.Total != want[l] {
			t.Errorf("result %d: %v, want %s with %d total", i, r, l, want[l])
		}
	}
}
