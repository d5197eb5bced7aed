package logstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/parquet-go/parquet-go"
)

// makeFormat1 turns a store written now into one as lenslog wrote it at
// format 1: store file and manifests say format 1, with no account, and
// the first Web API segment has a format 1 footer (the log only, no
// bounds).
func makeFormat1(t *testing.T, s *Store) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(s.Dir(), storeFileName), []byte(`{"format": 1, "created": "2026-01-01T00:00:00Z"}`), 0o600))
	for _, l := range AllLogs() {
		m, err := readManifest(s.logDir(l), l)
		must(t, err)
		if l == WebAPI {
			seg := &m.Segments[0]
			tbl, err := loadSegments(s.logDir(l), []Segment{*seg}, logs.Window{}, webAPIKind, nil)
			must(t, err)
			var buf bytes.Buffer
			pw := parquet.NewGenericWriter[webAPIRecord](&buf, parquet.NewSchema("webapi", parquet.SchemaOf(new(webAPIRecord))),
				parquet.KeyValueMetadata(keyFormat, "1"), parquet.KeyValueMetadata(keyLog, "webapi"))
			_, err = pw.Write(convert(webAPIKind.rowsOf(tbl), webAPIRecordOf))
			must(t, err)
			must(t, pw.Close())
			must(t, os.WriteFile(filepath.Join(s.logDir(l), seg.File), buf.Bytes(), 0o600))
			seg.Size, seg.CRC32C = int64(buf.Len()), crc32.Checksum(buf.Bytes(), castagnoli)
		}
		data, err := json.Marshal(m)
		must(t, err)
		data = bytes.Replace(data, []byte(fmt.Sprintf(`"format":%d`, FormatVersion)), []byte(`"format":1`), 1)
		must(t, os.WriteFile(filepath.Join(s.logDir(l), manifestName), data, 0o600))
	}
}

func formatOf(t *testing.T, path string) int {
	t.Helper()
	var v struct{ Format int }
	must(t, json.Unmarshal(readFile(t, path), &v))
	return v.Format
}

// A format 1 store is migrated on open, loads as before, and a lost
// manifest is rebuilt from its old segments by reading their rows.
func TestMigrateFormat1Store(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := openHostileStore(t, dir)
	s.cfg.compactMin = 1000
	a := newFakeAccount(1000)
	a.webAPI.pageSize = 100 // several segments
	syncFake(t, s, a, SyncOptions{})
	makeFormat1(t, s)

	s = openHostileStore(t, dir)
	s.cfg.compactMin = 1000
	if f := formatOf(t, filepath.Join(dir, storeFileName)); f != FormatVersion {
		t.Errorf("store file at format %d after open, want %d", f, FormatVersion)
	}
	for _, l := range AllLogs() {
		if f := formatOf(t, filepath.Join(s.logDir(l), manifestName)); f != FormatVersion {
			t.Errorf("%s manifest at format %d after open, want %d", l, f, FormatVersion)
		}
	}
	storedEqual(t, s, a.webAPI.all(), a.events.all(), a.objects.all())
	must(t, s.Verify())

	m, err := readManifest(s.logDir(WebAPI), WebAPI)
	must(t, err)
	must(t, os.Remove(filepath.Join(s.logDir(WebAPI), manifestName)))
	res := syncFake(t, s, a, SyncOptions{Logs: []Log{WebAPI}})
	if r := res[WebAPI].Recovery; !r.RebuiltManifest || len(r.Quarantined) > 0 || r.Segments != len(m.Segments) || r.Segments < 2 {
		t.Errorf("recovery %+v: want the manifest rebuilt from all %d segments, the format 1 one among them", r, len(m.Segments))
	}
	storedEqual(t, s, a.webAPI.all(), a.events.all(), a.objects.all())
	must(t, s.Verify())
	if strings.Contains(string(readFile(t, filepath.Join(dir, storeFileName))), "token") {
		t.Error("a sync from a source that names no account recorded one")
	}
}

// The footer of every segment holds its manifest entry but for the file's
// size and checksum, so a rebuilt manifest is the lost one, exactly.
func TestRebuiltManifestIsExact(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(2500)
	syncFake(t, s, a, SyncOptions{})
	checkRebuild(t, s, webAPIKind)
	checkRebuild(t, s, eventsKind)
	checkRebuild(t, s, objectsKind)
}

func checkRebuild[R cryptolens.Row, T any](t *testing.T, s *Store, k kind[R, T]) {
	t.Helper()
	dir := s.logDir(k.log)
	want, err := readManifest(dir, k.log)
	must(t, err)
	must(t, os.Remove(filepath.Join(dir, manifestName)))
	var rec Recovery
	got, err := rebuildManifest(dir, k, newQuarantine(s.Dir(), fakeEpoch), &rec)
	must(t, err)
	if len(rec.Quarantined) > 0 || len(got.Segments) != len(want.Segments) || len(got.Segments) < 2 {
		t.Fatalf("%s: rebuilt %d segments (quarantined %v), want %d", k.log, len(got.Segments), rec.Quarantined, len(want.Segments))
	}
	for i := range got.Segments {
		if got.Segments[i] != want.Segments[i] {
			t.Errorf("%s: segment %d rebuilt as %+v, was %+v", k.log, i, got.Segments[i], want.Segments[i])
		}
	}
}
