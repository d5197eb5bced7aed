package logstore

import (
	"bufio"
	"bytes"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/parquet-go/parquet-go"
)

// testdata/format4-store is a store as lenslog wrote it at format 4,
// before the month column: a sync of a small sample account (three
// months, four Web API segments) by the code of that time.
// testdata/format4-rows.json.gz holds the rows lenslog loaded from it.

// A format 4 store is upgraded once when opened: PendingUpgrade says
// beforehand what will be rewritten, Upgraded afterwards what was; every
// segment then has the month column, each row's month is its time's UTC
// month, each row group holds one month (so its statistics let an engine
// skip it), every row loads as before, and a second Open rewrites nothing.
func TestUpgradeFormat4Store(t *testing.T) {
	wantW, wantE, wantO := fixtureRows(t, 4)
	dir := copyFixture(t, 4)
	rows := len(wantW) + len(wantE) + len(wantO)
	pending, ok := PendingUpgrade(dir)
	if !ok || pending.From != 4 || pending.To != FormatVersion || pending.Segments != 7 || pending.Rows != rows || pending.Bytes == 0 {
		t.Errorf("PendingUpgrade = %+v, %v; want format 4 to %d, 7 segments, %d rows", pending, ok, FormatVersion, rows)
	}
	s, err := Open(dir)
	must(t, err)
	if u := s.Upgraded(); u.From != 4 || u.To != FormatVersion || u.Segments != 7 || u.Rows != rows || u.Took <= 0 {
		t.Errorf("Upgraded() = %+v; want 7 segments of %d rows rewritten from format 4", u, rows)
	}
	if got := formatOf(t, filepath.Join(dir, storeFileName)); got != FormatVersion {
		t.Errorf("store file has format %d after open, want %d", got, FormatVersion)
	}
	checkUniform(t, s)
	holdsRows(t, s, wantW, wantE, wantO)
	must(t, s.Verify())
	for _, l := range AllLogs() {
		checkMonths(t, s.logDir(l), l)
	}
	if _, ok := PendingUpgrade(dir); ok {
		t.Error("PendingUpgrade says an upgraded store is due one")
	}
	again, err := Open(dir)
	must(t, err)
	if u := again.Upgraded(); u != (Upgrade{}) {
		t.Errorf("a second Open upgraded %+v", u)
	}
}

// An upgrade killed midway leaves some segments rewritten and listed:
// PendingUpgrade then counts only the segments still to rewrite, which is
// what the next Open rewrites (so the line a command prints beforehand
// does not overstate the work).
func TestPendingUpgradeCountsWhatIsLeft(t *testing.T) {
	dir := copyFixture(t, 4)
	before, ok := PendingUpgrade(dir)
	if !ok {
		t.Fatal("PendingUpgrade says a format 4 store is due none")
	}
	wdir := filepath.Join(dir, string(WebAPI))
	m, err := readManifest(wdir, WebAPI)
	must(t, err)
	done := m.Segments[0] // as far as a killed upgrade got: one segment rewritten and listed
	must(t, mergeSegments(wdir, webAPIKind, m, 0, 1))

	left, ok := PendingUpgrade(dir)
	want := Upgrade{From: 4, To: FormatVersion, Segments: before.Segments - 1, Rows: before.Rows - done.Rows,
		Bytes: before.Bytes - done.Size}
	if !ok || left != want {
		t.Errorf("PendingUpgrade after one of %d segments was rewritten = %+v, %v; want %+v", before.Segments, left, ok, want)
	}
	s, err := Open(dir)
	must(t, err)
	if u := s.Upgraded(); u.Segments != left.Segments || u.Rows != left.Rows {
		t.Errorf("Open rewrote %d segments (%d rows); PendingUpgrade said %d (%d rows)", u.Segments, u.Rows, left.Segments, left.Rows)
	}
}

// checkMonths checks every listed segment of a log folder: each row's
// month column is monthOf its time, and each row group holds one month.
func checkMonths(t *testing.T, dir string, l Log) {
	t.Helper()
	m, err := readManifest(dir, l)
	must(t, err)
	timeCol := "time"
	if l == Objects {
		timeCol = "created"
	}
	for _, seg := range m.Segments {
		f := openSegmentFile(t, filepath.Join(dir, seg.File))
		tc, ok1 := f.Schema().Lookup(timeCol)
		mc, ok2 := f.Schema().Lookup("month")
		if !ok1 || !ok2 {
			t.Fatalf("%s: no %s or month column", seg.File, timeCol)
		}
		for g, rg := range f.RowGroups() {
			times := columnValues(t, rg.ColumnChunks()[tc.ColumnIndex])
			months := columnValues(t, rg.ColumnChunks()[mc.ColumnIndex])
			if len(times) != len(months) || len(times) == 0 {
				t.Fatalf("%s row group %d: %d times, %d months", seg.File, g, len(times), len(months))
			}
			for i := range times {
				want := monthOf(time.Unix(times[i].Int64()/micros, 0))
				if got := months[i].String(); got != want || got != months[0].String() {
					t.Fatalf("%s row group %d row %d: month %q, time says %q, the group's first %q",
						seg.File, g, i, got, want, months[0])
				}
			}
		}
	}
}

// columnValues reads every value of a column chunk.
func columnValues(t *testing.T, c parquet.ColumnChunk) []parquet.Value {
	t.Helper()
	var out []parquet.Value
	pages := c.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if err != nil {
			break
		}
		vals := make([]parquet.Value, p.NumValues())
		n, _ := p.Values().ReadValues(vals)
		out = append(out, vals[:n]...)
		for i := range out[len(out)-n:] {
			out[len(out)-n+i] = out[len(out)-n+i].Clone()
		}
		parquet.Release(p)
	}
	return out
}

// TestMonthOf names months as Hive's month= folders do, for any time.
func TestMonthOf(t *testing.T) {
	for _, c := range []struct {
		name string
		t    time.Time
		want string
	}{
		{"a month", time.Date(2026, 10, 31, 23, 59, 59, 0, time.UTC), "2026-10"},
		{"UTC, not local", time.Date(2026, 11, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "2026-10"},
		{"no time", time.Unix(0, 0), "1970-01"},
		{"before 1970", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), "1969-12"},
		{"far ahead", time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC), "2300-01"},
		{"last named", time.Date(2199, 12, 2, 0, 0, 0, 0, time.UTC), "2199-12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := monthOf(c.t); got != c.want {
				t.Errorf("monthOf(%v) = %q, want %q", c.t, got, c.want)
			}
		})
	}
}

// Environment of the child TestUpgradeKillChild runs in.
const envUpgradeChild = "LENSLOG_LOGSTORE_UPGRADE_CHILD"

// TestUpgradeKillChild is not a test on its own: TestUpgradeSurvivesSIGKILL
// runs the test binary again with it selected, to open (so upgrade) the
// store in the folder the environment names, each file write slowed so a
// kill lands between the upgrade's steps.
func TestUpgradeKillChild(t *testing.T) {
	dir := os.Getenv(envUpgradeChild)
	if dir == "" {
		t.Skip("only runs as the child of TestUpgradeSurvivesSIGKILL")
	}
	create := createTemp
	createTemp = func(dir, pattern string) (tempFile, error) {
		time.Sleep(15 * time.Millisecond)
		return create(dir, pattern)
	}
	os.Stdout.WriteString("ready\n")
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
}

// TestUpgradeSurvivesSIGKILL kills a process upgrading a format 4 store at
// random moments. After each kill the store is readable as it is (opened
// while another process holds the lock, so nothing finishes the upgrade,
// every row loads once); the next Open finishes the upgrade, and every
// segment has every column and every row is as before.
func TestUpgradeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: kills child processes")
	}
	wantW, wantE, wantO := fixtureRows(t, 4)
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 2))
	t.Logf("seed %d", seed)
	upgrade := func(dir string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestUpgradeKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envUpgradeChild+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
			cmd.Process.Kill()
			t.Fatalf("child said %q, %v", line, err)
		}
		return cmd
	}
	start := time.Now()
	must(t, upgrade(copyFixture(t, 4)).Wait())
	full := time.Since(start)
	t.Logf("an undisturbed upgrade takes %v", full)
	killed := 0
	for try := 0; try < 24 && killed < 8; try++ {
		dir := copyFixture(t, 4)
		cmd := upgrade(dir)
		time.Sleep(time.Duration(rng.Int64N(int64(full))))
		cmd.Process.Signal(syscall.SIGKILL)
		if cmd.Wait() == nil {
			continue // finished first
		}
		killed++
		lk, err := tryLockStore(dir)
		if err != nil || lk == nil {
			t.Fatalf("lock the killed store: %v", err)
		}
		s, err := Open(dir) // as a load does while a sync runs: no upgrade
		must(t, err)
		w, e, o := loadAll(t, s)
		sameRows(t, "webapi mid-upgrade", w, wantW)
		sameRows(t, "events mid-upgrade", e, wantE)
		sameRows(t, "objects mid-upgrade", o, wantO)
		lk.unlock()

		s, err = Open(dir)
		must(t, err)
		if got := formatOf(t, filepath.Join(dir, storeFileName)); got != FormatVersion {
			t.Errorf("store file has format %d after the upgrade was finished, want %d", got, FormatVersion)
		}
		checkUniform(t, s)
		must(t, s.Verify())
		w, e, o = loadAll(t, s)
		sameRows(t, "webapi", w, wantW)
		sameRows(t, "events", e, wantE)
		sameRows(t, "objects", o, wantO)
	}
	if killed < 3 {
		t.Fatalf("only %d upgrades were killed midway", killed)
	}
	t.Logf("%d upgrades killed midway", killed)
}

// A segment whose footer says format 5 but which lacks the month column
// (loads never read it) is damaged: its load fails naming the file and
// the column, as for a missing column of the log.
func TestFormat5SegmentWithoutMonthIsCorrupt(t *testing.T) {
	dir := copyFixture(t, 4)
	wdir := filepath.Join(dir, string(WebAPI))
	m, err := readManifest(wdir, WebAPI)
	must(t, err)
	seg := &m.Segments[0]
	path := filepath.Join(wdir, seg.File)
	data := readFile(t, path) // format 4: every column of the log, no month
	old, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	var buf bytes.Buffer
	pw := parquet.NewWriter(&buf, old.Schema(),
		parquet.KeyValueMetadata(keyFormat, "5"), parquet.KeyValueMetadata(keyLog, string(WebAPI)))
	_, err = parquet.CopyRows(pw, parquet.NewReader(bytes.NewReader(data)))
	must(t, err)
	must(t, pw.Close())
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
	seg.Size, seg.CRC32C = int64(buf.Len()), crc32.Checksum(buf.Bytes(), castagnoli)
	must(t, writeManifest(wdir, m))
	setFormat(t, dir, FormatVersion) // as if upgraded: Open rewrites nothing

	s, err := Open(dir)
	must(t, err)
	_, err = s.WebAPI(logs.Window{})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path || !strings.Contains(err.Error(), `no column "month"`) {
		t.Fatalf("load = %v, want a CorruptError for %s naming month", err, path)
	}
}
