package logstore

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/parquet-go/parquet-go"
)

// testdata/format2-store is a store as lenslog wrote it at format 2,
// before the Web API Log's anomaly columns: a sync of a small sample
// account by the code of that time. testdata/format2-rows.json.gz holds
// the rows that lenslog loaded from it.

// fixtureRows returns the rows the fixture store of format n holds
// (testdata/formatN-rows.json.gz).
func fixtureRows(t *testing.T, n int) (w []cryptolens.WebAPILogRow, e []cryptolens.Event, o []cryptolens.ObjectLogEntry) {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("testdata/format%d-rows.json.gz", n))
	must(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	must(t, err)
	var rows struct {
		WebAPI  []cryptolens.WebAPILogRow
		Events  []cryptolens.Event
		Objects []cryptolens.ObjectLogEntry
	}
	must(t, json.NewDecoder(zr).Decode(&rows))
	if len(rows.WebAPI) == 0 || len(rows.Events) == 0 || len(rows.Objects) == 0 {
		t.Fatalf("format %d fixture rows are missing", n)
	}
	return rows.WebAPI, rows.Events, rows.Objects
}

// copyFixture copies the fixture store of format n (testdata/formatN-store)
// into a new folder.
func copyFixture(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	must(t, os.CopyFS(dir, os.DirFS(fmt.Sprintf("testdata/format%d-store", n))))
	return dir
}

// segmentFiles returns the contents of every segment of a store by path.
func segmentFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*", "*"+segmentExt))
	must(t, err)
	out := map[string][]byte{}
	for _, f := range files {
		out[f] = readFile(t, f)
	}
	return out
}

// A format 2 store is migrated on open: its store file and manifests say
// the current format, every segment is rewritten with every column (each
// lacks the month column of format 5, the Web API ones also is_anomaly and
// anomaly_properties), and every row loads as before, the columns added
// since as zero values. Merged with a segment written since,
// the old rows keep their zero values, the new rows their anomalies, and
// the merged segment has the new columns.
func TestMigrateFormat2Store(t *testing.T) {
	wantW, wantE, wantO := fixtureRows(t, 2)
	dir := copyFixture(t, 2)
	before := segmentFiles(t, dir)
	if got := formatOf(t, filepath.Join(dir, storeFileName)); got != 2 {
		t.Fatalf("fixture store file has format %d, want 2", got)
	}
	s, err := Open(dir)
	must(t, err)
	if got := formatOf(t, filepath.Join(dir, storeFileName)); got != FormatVersion {
		t.Errorf("store file has format %d after open, want %d", got, FormatVersion)
	}
	for _, l := range AllLogs() {
		if got := formatOf(t, filepath.Join(s.logDir(l), manifestName)); got != FormatVersion {
			t.Errorf("%s manifest has format %d after open, want %d", l, got, FormatVersion)
		}
	}
	holdsRows(t, s, wantW, wantE, wantO)
	after := segmentFiles(t, dir)
	for path := range before {
		if _, kept := after[path]; kept {
			t.Errorf("migration kept %s; want every segment (lacking columns) rewritten", path)
		}
	}
	checkUniform(t, s)

	// A segment written now, then merged with the old one.
	last := wantW[len(wantW)-1]
	added := []cryptolens.WebAPILogRow{
		{ID: last.ID + 1, Time: last.Time + 1, ProductID: 3, Key: "NEWKEY", State: 2024,
			IsAnomaly: true, AnomalyProperties: `{"type":"FailureBurst","state":2024,"count":9}`},
		{ID: last.ID + 2, Time: last.Time + 2, ProductID: 3, Key: "NEWKEY", State: 1010},
	}
	wdir := s.logDir(WebAPI)
	m, err := readManifest(wdir, WebAPI)
	must(t, err)
	seg, err := writeSegment(wdir, webAPIKind, added)
	must(t, err)
	m.Segments = append(m.Segments, seg)
	must(t, writeManifest(wdir, m))
	s.cfg.compactMin = 2
	must(t, compactLog(s, webAPIKind, m, nil))
	if len(m.Segments) != 1 {
		t.Fatalf("compaction left %d segments, want 1", len(m.Segments))
	}
	w, _, _ := loadAll(t, s)
	sameRows(t, "webapi after merge", w, append(wantW, added...))
	f := openSegmentFile(t, filepath.Join(wdir, m.Segments[0].File))
	if got := segmentFormat(f); got != FormatVersion {
		t.Errorf("merged segment has format %d, want %d", got, FormatVersion)
	}
	for _, col := range []string{"is_anomaly", "anomaly_properties"} {
		if _, ok := f.Schema().Lookup(col); !ok {
			t.Errorf("merged segment has no column %s", col)
		}
	}
}

func openSegmentFile(t *testing.T, path string) *parquet.File {
	t.Helper()
	data := readFile(t, path)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	return f
}

// A segment whose footer says it was written at the current format must
// have every column of that format: one without the anomaly columns is
// damaged, and its load fails naming the file and the column, instead of
// reading zero values.
func TestCurrentFormatSegmentMissingColumnIsCorrupt(t *testing.T) {
	dir := copyFixture(t, 2)
	format2, err := filepath.Glob(filepath.Join(dir, string(WebAPI), "*"+segmentExt))
	must(t, err)
	data := readFile(t, format2[0]) // a segment without the anomaly columns
	old, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	s, err := Open(dir)
	must(t, err)
	wdir := s.logDir(WebAPI)
	m, err := readManifest(wdir, WebAPI)
	must(t, err)
	seg := &m.Segments[0]
	path := filepath.Join(wdir, seg.File)
	var buf bytes.Buffer
	pw := parquet.NewWriter(&buf, old.Schema(),
		parquet.KeyValueMetadata(keyFormat, strconv.Itoa(FormatVersion)), parquet.KeyValueMetadata(keyLog, string(WebAPI)))
	_, err = parquet.CopyRows(pw, parquet.NewReader(bytes.NewReader(data)))
	must(t, err)
	must(t, pw.Close())
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
	seg.Size, seg.CRC32C = int64(buf.Len()), crc32.Checksum(buf.Bytes(), castagnoli)
	must(t, writeManifest(wdir, m))

	_, err = s.WebAPI(logs.Window{})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path || !strings.Contains(err.Error(), `no column "is_anomaly"`) {
		t.Fatalf("load = %v, want a CorruptError for %s naming is_anomaly", err, path)
	}
}

// checkUniform fails unless every segment of every log of s has every
// column of its log, with the type a segment written now has.
func checkUniform(t *testing.T, s *Store) {
	t.Helper()
	for _, l := range AllLogs() {
		want, err := currentSchema(l)
		must(t, err)
		m, err := readManifest(s.logDir(l), l)
		must(t, err)
		for _, seg := range m.Segments {
			full, err := hasColumns(s.logDir(l), seg, want)
			must(t, err)
			if !full {
				t.Errorf("%s: segment %s lacks a column of its log", l, seg.File)
			}
		}
	}
}

// setFormat rewrites the format number of dir's store file and manifests,
// as a lenslog of that format would have left them.
func setFormat(t *testing.T, dir string, format int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*", manifestName))
	must(t, err)
	for _, path := range append(files, filepath.Join(dir, storeFileName)) {
		var v map[string]any
		must(t, json.Unmarshal(readFile(t, path), &v))
		v["format"] = format
		data, err := json.Marshal(v)
		must(t, err)
		must(t, os.WriteFile(path, data, 0o600))
	}
}

// Every way a store comes to hold segments written before a column ends
// with every segment having every column: opening a format 2 store, a
// format 3 store whose format 2 segments an earlier lenslog kept as they
// were, and rebuilding a lost manifest from format 2 segments.
func TestUpgradeFillsColumns(t *testing.T) {
	wantW, wantE, wantO := fixtureRows(t, 2)
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string) *Store
	}{
		{"format 2 store", func(t *testing.T, dir string) *Store {
			s, err := Open(dir)
			must(t, err)
			return s
		}},
		{"format 3 store with format 2 segments", func(t *testing.T, dir string) *Store {
			setFormat(t, dir, 3)
			s, err := Open(dir)
			must(t, err)
			return s
		}},
		{"manifest rebuilt from format 2 segments", func(t *testing.T, dir string) *Store {
			must(t, os.Remove(filepath.Join(dir, string(WebAPI), manifestName)))
			s, err := Open(dir)
			must(t, err)
			if got := formatOf(t, filepath.Join(dir, storeFileName)); got != 2 {
				t.Errorf("store file at format %d with a manifest lost, want 2 until it is rebuilt", got)
			}
			_, rec, err := recoverLog(s, webAPIKind, newQuarantine(dir, fakeEpoch))
			must(t, err)
			if !rec.RebuiltManifest || len(rec.Quarantined) > 0 {
				t.Errorf("recovery %+v, want the manifest rebuilt and nothing quarantined", rec)
			}
			return s
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyFixture(t, 2)
			s := tc.prepare(t, dir)
			checkUniform(t, s)
			holdsRows(t, s, wantW, wantE, wantO)
			must(t, s.Verify())
			if files, _ := filepath.Glob(filepath.Join(dir, string(WebAPI), "*")); len(files) != 2 {
				t.Errorf("webapi folder holds %v, want one segment and the manifest", files)
			}
		})
	}
}

// A migration killed after it wrote a segment's rewrite but before the
// manifest listed it leaves an unlisted copy: the next Open finishes the
// migration, loads read every row once, and the next sync's mending
// removes the copy, whose every row a listed segment holds identically.
func TestMigrationKilledMidway(t *testing.T) {
	wantW, _, _ := fixtureRows(t, 2)
	dir := copyFixture(t, 2)
	wdir := filepath.Join(dir, string(WebAPI))
	m, err := readManifest(wdir, WebAPI)
	must(t, err)
	old, err := loadSegments(wdir, m.Segments, logs.Window{}, webAPIKind, nil)
	must(t, err)
	orphan, err := writeSegment(wdir, webAPIKind, webAPIKind.rowsOf(old)) // what the killed migration wrote
	must(t, err)

	s, err := Open(dir)
	must(t, err)
	checkUniform(t, s)
	w, err := s.WebAPI(logs.Window{})
	must(t, err)
	sameRows(t, "webapi", webAPIKind.rowsOf(w), wantW)
	if _, err := os.Stat(filepath.Join(wdir, orphan.File)); err != nil {
		t.Fatalf("Open removed the unlisted copy (%v); only a sync's mending may", err)
	}
	_, rec, err := recoverLog(s, webAPIKind, newQuarantine(dir, fakeEpoch))
	must(t, err)
	if len(rec.Quarantined) > 0 {
		t.Errorf("mending quarantined %v; want the copy removed", rec.Quarantined)
	}
	if _, err := os.Stat(filepath.Join(wdir, orphan.File)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the unlisted copy is still there after mending (%v)", err)
	}
	w, err = s.WebAPI(logs.Window{})
	must(t, err)
	sameRows(t, "webapi after mending", webAPIKind.rowsOf(w), wantW)
}
