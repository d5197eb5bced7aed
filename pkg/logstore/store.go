package logstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Store is a local copy of an account's logs: one folder per log, each a
// set of immutable Parquet segments plus a manifest. A Store is cheap to
// open and safe to use from several goroutines and processes: loads read the
// last complete state without a lock, syncs take a file lock.
type Store struct {
	dir string
	cfg config
}

// config holds the sizes that shape segments; tests shrink them.
type config struct {
	flushRows   int // a sync writes a segment every flushRows rows
	compactRows int // target rows of a compacted segment
	compactMin  int // this many consecutive small segments trigger compaction
}

var defaultConfig = config{flushRows: 50_000, compactRows: 256 * 1024, compactMin: 4}

// Open opens the store in dir, creating it (mode 0700) if it does not
// exist. It fails, changing nothing, on a store written by a newer lenslog
// (ErrNewerFormat) and on a folder it cannot write. When no sync is running
// it also removes what an interrupted sync left behind.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("logstore: open: empty store path")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("logstore: open: %w", err)
	}
	if err := readOrCreateStoreFile(dir); err != nil {
		return nil, fmt.Errorf("logstore: open %s: %w", dir, err)
	}
	s := &Store{dir: dir, cfg: defaultConfig}
	for _, l := range AllLogs() {
		if err := os.MkdirAll(s.logDir(l), 0o700); err != nil {
			return nil, fmt.Errorf("logstore: open: %w", err)
		}
		if _, err := readManifest(s.logDir(l), l); err != nil && !errors.Is(err, ErrCorrupt) {
			return nil, fmt.Errorf("logstore: open %s: %w", dir, err)
		}
	}
	if lk, err := tryLockStore(dir); err == nil && lk != nil {
		s.tidy()
		lk.unlock()
	}
	return s, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// logDir returns the folder of one log.
func (s *Store) logDir(l Log) string { return filepath.Join(s.dir, string(l)) }

// tidy removes, in every log folder, temporary files and segments no
// manifest lists: the leftovers of a sync that was killed. The caller holds
// the lock. Damaged manifests are left for Verify and Repair.
func (s *Store) tidy() {
	for _, l := range AllLogs() {
		m, err := readManifest(s.logDir(l), l)
		if err != nil {
			continue
		}
		for _, name := range strays(s.logDir(l), m) {
			os.Remove(filepath.Join(s.logDir(l), name))
		}
	}
}

// strays lists the files of a log folder that the manifest does not account
// for: temporary files and unlisted segments.
func strays(dir string, m *manifest) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	listed := make(map[string]bool, len(m.Segments))
	for _, seg := range m.Segments {
		listed[seg.File] = true
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case e.IsDir(), n == manifestName:
		case strings.HasSuffix(n, tempSuffix):
			out = append(out, n)
		case strings.HasSuffix(n, segmentExt) && !listed[n]:
			out = append(out, n)
		}
	}
	return out
}

// LogInfo summarises what a store holds of one log.
type LogInfo struct {
	Log      Log
	Rows     int
	Segments int
	Bytes    int64
	FirstID  int64     // 0 when empty
	LastID   int64     // 0 when empty
	First    time.Time // time of the oldest stored row; zero when empty
	Last     time.Time // time of the newest stored row; zero when empty
	// CompleteFrom is the instant from which every row of the source is
	// stored (up to Last); zero when the whole history is stored.
	CompleteFrom time.Time
	// HistoryStart is true when the store reached the source's oldest row.
	HistoryStart bool
	Gaps         []Gap // ranges a repair could not recover
}

// Info describes what the store holds of log l, from its manifest.
func (s *Store) Info(l Log) (LogInfo, error) {
	m, err := readManifest(s.logDir(l), l)
	if err != nil {
		return LogInfo{}, fmt.Errorf("logstore: %s: %w", l, err)
	}
	info := LogInfo{Log: l, Rows: m.rows(), Segments: len(m.Segments), HistoryStart: m.HistoryStart, Gaps: m.Gaps}
	for _, seg := range m.Segments {
		info.Bytes += seg.Size
	}
	if lo, hi, ok := m.idRange(); ok {
		info.FirstID, info.LastID = lo, hi
		info.First = time.Unix(m.Segments[0].MinTime, 0).UTC()
		info.Last = time.Unix(m.Segments[len(m.Segments)-1].MaxTime, 0).UTC()
		info.CompleteFrom = m.completeFrom()
	}
	return info, nil
}
