package logstore

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// Environment of the child process TestKillChild runs in.
const (
	envKillChild = "LENSLOG_LOGSTORE_KILL_CHILD"
	envKillURL   = "LENSLOG_LOGSTORE_KILL_URL"
	envKillDir   = "LENSLOG_LOGSTORE_KILL_DIR"
)

// killConfig makes the child commit and compact often, so random kills
// land in every step of a sync.
var killConfig = config{flushRows: 400, compactRows: 3000, compactMin: 3}

// TestKillChild is not a test on its own: TestSyncSurvivesSIGKILL runs the
// test binary again with this test selected and the environment set, and
// kills it at a random moment.
func TestKillChild(t *testing.T) {
	if os.Getenv(envKillChild) != "1" {
		t.Skip("only runs as the child of TestSyncSurvivesSIGKILL")
	}
	s, err := Open(os.Getenv(envKillDir))
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = killConfig
	fmt.Println("ready")
	if _, err := s.Sync(context.Background(), sampleClient(os.Getenv(envKillURL)), SyncOptions{}); err != nil {
		t.Fatal(err)
	}
}

// startChild starts a syncing child on dir and returns once it is about to
// sync.
func startChild(t *testing.T, url, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKillChild+"=1", envKillURL+"="+url, envKillDir+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
		cmd.Process.Kill()
		t.Fatalf("child said %q, %v", line, err)
	}
	return cmd
}

// TestSyncSurvivesSIGKILL kills a real syncing process at random moments
// and checks after each kill that the store opens, verifies, holds no
// duplicate or half-written row, and holds exactly the source's rows over
// an unbroken id range; then that the next sync completes it.
func TestSyncSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: kills 25 child processes")
	}
	const kills = 25
	acct, srv, c := startSample(t, 20_000)
	webAPI := srv.Classified(acct.WebAPI) // the store keeps the anomaly classification
	url := c.BaseURL[:len(c.BaseURL)-len("/api/")]
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	t.Logf("seed %d", seed)

	// Time one undisturbed sync to spread the kills over.
	start := time.Now()
	if err := startChild(t, url, t.TempDir()).Wait(); err != nil {
		t.Fatalf("undisturbed child: %v", err)
	}
	full := time.Since(start)
	t.Logf("an undisturbed sync takes %v", full)

	// Kill children until enough were killed mid-sync. A child that
	// finished first has completed the store: check it whole and start over
	// on a new one, so kills keep landing all through a sync.
	// A slow machine (or -race) gets fewer kills rather than a timeout.
	dir := filepath.Join(t.TempDir(), "store")
	deadline := time.Now().Add(2 * time.Minute)
	killed := 0
	for tries := 0; killed < kills && tries < 4*kills && time.Now().Before(deadline); tries++ {
		cmd := startChild(t, url, dir)
		delay := time.Duration(rng.Int64N(int64(full)))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); err != nil && !(ok && ws.Signaled()) {
			t.Fatalf("child failed on its own: %v", err)
		}
		if err == nil {
			t.Logf("child finished before the kill at %v", delay)
			checkConsistent(t, dir, webAPI, acct.Events, acct.Objects)
			w, e, o := loadAll(t, openTestDir(t, dir))
			sameRows(t, "webapi", w, webAPI)
			sameRows(t, "events", e, acct.Events)
			sameRows(t, "objects", o, acct.Objects)
			dir = filepath.Join(t.TempDir(), "store")
			continue
		}
		killed++
		t.Logf("kill %d after %v", killed, delay)
		checkConsistent(t, dir, webAPI, acct.Events, acct.Objects)
	}
	if killed < 5 {
		t.Fatalf("only %d children were killed mid-sync", killed)
	}

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = killConfig
	if _, err := s.Sync(context.Background(), c, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	holdsRows(t, s, webAPI, acct.Events, acct.Objects)
	checkOnlyListed(t, s)
}

func openTestDir(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkConsistent opens the store in dir as a fresh process would and
// checks every log against the source rows.
func checkConsistent(t *testing.T, dir string, web []cryptolens.WebAPILogRow, ev []cryptolens.Event, obj []cryptolens.ObjectLogEntry) {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	if err := s.Verify(); err != nil {
		t.Fatalf("verify after kill: %v", err)
	}
	w, e, o := loadAll(t, s)
	checkRange(t, "webapi", w, web)
	checkRange(t, "events", e, ev)
	checkRange(t, "objects", o, obj)
}

// checkOnlyListed checks that an outside engine globbing *.parquet sees
// exactly the listed segments once a sync has run after the kills: the
// sync removed the redundant leftovers of compactions and moved the rest
// to quarantine.
func checkOnlyListed(t *testing.T, s *Store) {
	t.Helper()
	for _, l := range AllLogs() {
		m, err := readManifest(s.logDir(l), l)
		if err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(s.logDir(l), "*"+segmentExt))
		if len(files) != len(m.Segments) {
			t.Errorf("%s: %d parquet files, %d listed", l, len(files), len(m.Segments))
		}
	}
	t.Logf("quarantined after %s: %d files", s.Dir(), len(quarantined(t, s)))
}

// checkRange checks that got is exactly the source rows between its first
// and last id: no duplicates, no gaps, no changed row.
func checkRange[R cryptolens.Row](t *testing.T, what string, got, source []R) {
	t.Helper()
	if len(got) == 0 {
		return
	}
	lo := slices.IndexFunc(source, func(r R) bool { return r.RowID() == got[0].RowID() })
	if lo < 0 || lo+len(got) > len(source) {
		t.Fatalf("%s: stored rows %d..%d are not a range of the source", what, got[0].RowID(), got[len(got)-1].RowID())
	}
	sameRows(t, what, got, source[lo:lo+len(got)])
}
