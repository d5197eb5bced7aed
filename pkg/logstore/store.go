package logstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/parquet-go/parquet-go"
)

// Store is a local copy of an account's logs: one folder per log, each a
// set of immutable Parquet segments plus a manifest. A Store is cheap to
// open and safe to use from several goroutines and processes: loads read the
// last complete state without a lock, syncs take a file lock.
type Store struct {
	dir      string
	cfg      config
	account  *account // set by OpenFor: loads check the store holds it
	upgraded Upgrade  // what Open did to bring an older store up to date
}

// Upgrade is what bringing a store written by an older lenslog to
// FormatVersion takes or took: the command that opens it says so, since
// rewriting every segment of a large store takes a while (7.3 s for 2.2
// million rows on a 2-core VM, one segment in memory at a time).
type Upgrade struct {
	From, To int           // the store formats before and after
	Segments int           // segments to rewrite, or rewritten
	Rows     int           // the rows they hold
	Bytes    int64         // their size
	Took     time.Duration // how long the rewrite took; 0 before it
}

// PendingUpgrade reports what opening the store in dir will rewrite to
// bring it to FormatVersion: ok is false when there is no store there, or
// it is current (or newer, which Open refuses). It reads only the store's
// small JSON files and each segment's footer, so a command can say what is
// about to happen before Open does it. It counts the segments that lack a
// column of their log, as Open's rewrite picks them: after an upgrade that
// was killed midway, only those still to rewrite (a damaged segment counts
// too: it is still due, once repaired).
func PendingUpgrade(dir string) (u Upgrade, ok bool) {
	sf, err := readStoreFile(dir)
	if err != nil || sf.Format >= FormatVersion {
		return Upgrade{}, false
	}
	u = Upgrade{From: sf.Format, To: FormatVersion}
	for _, l := range AllLogs() {
		ldir := filepath.Join(dir, string(l))
		m, err := readManifest(ldir, l)
		if err != nil {
			continue
		}
		want, err := currentSchema(l)
		if err != nil {
			continue
		}
		for _, seg := range m.Segments {
			if full, err := hasColumns(ldir, seg, want); full && err == nil {
				continue
			}
			u.Segments++
			u.Rows += seg.Rows
			u.Bytes += seg.Size
		}
	}
	return u, true
}

// currentSchema is the Parquet schema of a segment of log l written now.
func currentSchema(l Log) (*parquet.Schema, error) {
	switch l {
	case WebAPI:
		return segmentSchema(webAPIKind)
	case Events:
		return segmentSchema(eventsKind)
	case Objects:
		return segmentSchema(objectsKind)
	}
	return nil, fmt.Errorf("logstore: unknown log %q", l)
}

// String says what the upgrade rewrites, for a command's line:
// "from format 4 to 5: 41 segments (10,235,238 rows, 229 MB)".
func (u Upgrade) String() string {
	return fmt.Sprintf("from format %d to %d: %s (%s, %d MB)",
		u.From, u.To, format.Counted(u.Segments, "segment", "segments"), format.Counted(u.Rows, "row", "rows"), (u.Bytes+1<<19)>>20)
}

// Doing is the line a command or notebook cell shows while Open upgrades
// the store, given what PendingUpgrade said: "upgrading the local store
// once, from format 4 to 5: 41 segments (10,235,238 rows, 229 MB)…".
// Result, of what Open did, ends it.
func (u Upgrade) Doing() string { return "upgrading the local store once, " + u.String() + "…" }

// Result ends the line Doing began, given what Open did (Store.Upgraded):
// "done in 7 s", or, when another process held the store's lock so Open
// upgraded nothing, that the next one will.
func (u Upgrade) Result() string {
	if u.To == 0 {
		return "not now: another process holds the store (the next sync or load upgrades it)"
	}
	return "done in " + format.Duration(u.Took)
}

// Inspect opens the store in dir only to describe it (Info, LastSync,
// Verify, PendingUpgrade): unlike Open it writes nothing, so it makes no
// folder, removes no temporary file and upgrades no older format, and
// describing a store takes as long as reading its small files. It fails
// when dir holds no store (no _lenslog.json) or a newer one.
func Inspect(dir string) (*Store, error) {
	if _, err := readStoreFile(dir); err != nil {
		return nil, fmt.Errorf("logstore: inspect %s: %w", dir, err)
	}
	return &Store{dir: dir, cfg: defaultConfig}, nil
}

// Upgraded returns what Open rewrote to bring an older store to
// FormatVersion; the zero Upgrade when the store was current.
func (s *Store) Upgraded() Upgrade { return s.upgraded }

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
// it also removes the temporary files of a sync that was killed, and
// migrates a store written by an older lenslog to FormatVersion. It never
// removes a segment: mending a log folder (a lost manifest, files it
// cannot account for) is left to Sync and Repair, which report it.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("logstore: open: empty store path")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("logstore: open: %w", err)
	}
	sf, err := readOrCreateStoreFile(dir)
	if err != nil {
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
		defer lk.unlock()
		s.removeTemp()
		if sf.Format < FormatVersion {
			from, start := sf.Format, time.Now()
			if err := s.migrate(sf); err != nil {
				return nil, fmt.Errorf("logstore: open %s: migrate from format %d: %w", dir, from, err)
			}
			s.upgraded.From, s.upgraded.To, s.upgraded.Took = from, FormatVersion, time.Since(start)
		}
	}
	return s, nil
}

// OpenFor opens the store in dir, as Open, for the account c reads: it
// fails with an *AccountError when the store records another account
// (another API URL or token), and every load checks that again. A store
// that records no account yet opens; its first sync records c's.
func OpenFor(dir string, c *cryptolens.Client) (*Store, error) {
	s, err := Open(dir)
	if err != nil {
		return nil, err
	}
	s.account = accountOf(c)
	if err := s.checkAccount(s.account); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// logDir returns the folder of one log.
func (s *Store) logDir(l Log) string { return filepath.Join(s.dir, string(l)) }

// removeTemp removes, in every log folder and at the root, the temporary
// files of a sync that was killed: they were never renamed into place, so
// they never held committed rows. The caller holds the lock.
func (s *Store) removeTemp() {
	for _, dir := range []string{s.dir, s.logDir(WebAPI), s.logDir(Events), s.logDir(Objects)} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), tempSuffix) {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}

// migrate brings an older store to FormatVersion. In every log, segments
// lacking a column added since they were written are rewritten with every
// column, the absent ones as zero values (fillColumns), so each log folder
// reads as one table in any engine; other segments stay byte for byte.
// Then the manifests, and last the store file, are rewritten at the
// current format. A log whose manifest or segments are damaged is left for
// the next sync or repair, and the store file keeps its old format, so a
// later Open finishes the job. The caller holds the lock.
func (s *Store) migrate(sf *storeFile) error {
	done := true
	for _, migrateOne := range []func() (bool, error){
		func() (bool, error) { return migrateLog(s, webAPIKind, &s.upgraded) },
		func() (bool, error) { return migrateLog(s, eventsKind, &s.upgraded) },
		func() (bool, error) { return migrateLog(s, objectsKind, &s.upgraded) },
	} {
		complete, err := migrateOne()
		if err != nil {
			return err
		}
		done = done && complete
	}
	if !done {
		return nil
	}
	return writeStoreFile(s.dir, sf)
}

// migrateLog rewrites one log's segments that lack columns, then its
// manifest, at FormatVersion, counting them in u. It reports false, having
// changed nothing more, when the manifest or a segment is damaged.
func migrateLog[R cryptolens.Row, T any](s *Store, k kind[R, T], u *Upgrade) (bool, error) {
	dir := s.logDir(k.log)
	if _, err := os.Stat(filepath.Join(dir, manifestName)); err != nil {
		return !holdsSegments(dir), nil
	}
	m, err := readManifest(dir, k.log)
	if err != nil {
		return false, nil
	}
	kept := map[string]bool{}
	for _, seg := range m.Segments {
		kept[seg.File] = true
	}
	_, err = fillColumns(dir, k, m)
	for _, seg := range m.Segments {
		if !kept[seg.File] { // a rewrite
			u.Segments, u.Rows, u.Bytes = u.Segments+1, u.Rows+seg.Rows, u.Bytes+seg.Size
		}
	}
	if errors.Is(err, ErrCorrupt) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, writeManifest(dir, m)
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
