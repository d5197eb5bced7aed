package logstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FormatVersion is the version of the store layout this package writes. A
// store with a larger version was written by a newer lenslog and is refused,
// untouched. Version 2 added each segment's bounds to its footer and the
// account record to _lenslog.json; version 3 added the Web API Log's
// is_anomaly and anomaly_properties columns; version 4 gave every segment
// every column of its log; version 5 added the month column (monthOf).
// Open migrates an older store by rewriting the segments that lack a
// column (with its zero value, which is what a load reads from them
// anyway, and month from each row's time), then its manifests and store
// file; other segments stay as they are. The number is generated: the largest
// Column.Since in internal/logschema, or its LayoutFormat.
const FormatVersion = schemaFormat

// File names inside a store. Names starting with "_" or "." are skipped by
// Spark, Hive and friends when they read a log folder as a table.
const (
	manifestName  = "_manifest.json" // in each log folder
	storeFileName = "_lenslog.json"  // at the store's root
	lockName      = "_lock"          // at the store's root, held with flock while syncing
	segmentExt    = ".parquet"
)

// ErrNewerFormat reports a store written by a newer lenslog. Nothing is
// read from or written to such a store.
var ErrNewerFormat = errors.New("store was written by a newer lenslog")

// Segment describes one immutable Parquet file of a log, as the manifest
// lists it.
type Segment struct {
	File    string `json:"file"`     // file name inside the log folder
	Rows    int    `json:"rows"`     // number of rows
	MinID   int64  `json:"min_id"`   // first row id
	MaxID   int64  `json:"max_id"`   // last row id
	MinTime int64  `json:"min_time"` // earliest row time, unix seconds
	MaxTime int64  `json:"max_time"` // latest row time, unix seconds
	Size    int64  `json:"size"`     // file size in bytes
	CRC32C  uint32 `json:"crc32c"`   // CRC-32C (Castagnoli) of the whole file
}

// Gap is a range of ids the store once held (or should hold) but could not
// recover from the source: a repair records it so the loss is known and
// reported, not silently papered over.
type Gap struct {
	AfterID  int64  `json:"after_id"`  // the gap holds ids greater than this
	BeforeID int64  `json:"before_id"` // and less than this
	Rows     int    `json:"rows"`      // rows lost, as far as known
	Reason   string `json:"reason"`
}

// manifest is the table of contents of one log folder. It is replaced
// atomically, after the segments it lists are durable, so a reader that
// reads it sees a complete state.
type manifest struct {
	Format   int       `json:"format"`
	Log      Log       `json:"log"`
	Segments []Segment `json:"segments"` // ascending, disjoint id ranges
	// CompleteBackTo is the unix second from which on every row the source
	// had (up to the newest stored id) is stored; 0 when only the stored id
	// range is known.
	CompleteBackTo int64 `json:"complete_back_to,omitempty"`
	// HistoryStart is true when a backward sync reached the source's
	// oldest row: nothing older can be fetched.
	HistoryStart bool      `json:"history_start,omitempty"`
	Gaps         []Gap     `json:"gaps,omitempty"`
	Updated      time.Time `json:"updated"`
}

// rows returns the number of rows the manifest lists.
func (m *manifest) rows() int {
	n := 0
	for _, s := range m.Segments {
		n += s.Rows
	}
	return n
}

// idRange returns the stored ids' bounds; ok is false for an empty log.
func (m *manifest) idRange() (lo, hi int64, ok bool) {
	if len(m.Segments) == 0 {
		return 0, 0, false
	}
	return m.Segments[0].MinID, m.Segments[len(m.Segments)-1].MaxID, true
}

// completeFrom returns the instant from which the stored rows are known
// complete: CompleteBackTo when set, else just after the latest time in
// the oldest segment. Row times need not follow ids (one row of that
// segment may say 1970), so no single stored time is trusted to bound
// the rows below the stored ids: the next sync that wants older rows asks
// (a request or two) and then records CompleteBackTo. The zero time means
// from the beginning of history.
func (m *manifest) completeFrom() time.Time {
	if m.HistoryStart {
		return time.Time{}
	}
	if m.CompleteBackTo != 0 {
		return time.Unix(m.CompleteBackTo, 0).UTC()
	}
	if len(m.Segments) == 0 {
		return time.Unix(1<<62, 0) // nothing known
	}
	return time.Unix(m.Segments[0].MaxTime+1, 0).UTC()
}

// readManifest reads the manifest of log folder dir. A missing one is an
// empty log when the folder holds no segment files, else a *CorruptError:
// the manifest was lost, and the next sync or repair rebuilds it.
func readManifest(dir string, log Log) (*manifest, error) {
	path := filepath.Join(dir, manifestName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if holdsSegments(dir) {
			return nil, &CorruptError{Path: path, Reason: "manifest is missing but the folder holds segment files " +
				"(the next sync or repair rebuilds it from them)", Err: err}
		}
		return &manifest{Format: FormatVersion, Log: log}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &CorruptError{Path: path, Reason: "manifest is not valid JSON", Err: err}
	}
	if m.Format > FormatVersion {
		return nil, fmt.Errorf("%s has format %d, this lenslog reads up to %d: %w",
			path, m.Format, FormatVersion, ErrNewerFormat)
	}
	if m.Log != log {
		return nil, &CorruptError{Path: path, Reason: fmt.Sprintf("manifest is for log %q, not %q", m.Log, log)}
	}
	if err := m.check(); err != nil {
		return nil, &CorruptError{Path: path, Reason: err.Error()}
	}
	return &m, nil
}

// holdsSegments reports whether log folder dir holds any *.parquet file.
func holdsSegments(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), segmentExt) {
			return true
		}
	}
	return false
}

// check validates what a damaged or hand-edited manifest could get wrong.
func (m *manifest) check() error {
	for i, s := range m.Segments {
		if s.File != filepath.Base(s.File) || !strings.HasSuffix(s.File, segmentExt) || strings.HasPrefix(s.File, ".") {
			return fmt.Errorf("segment %d has a bad file name %q", i, s.File)
		}
		if s.Rows <= 0 || s.MinID > s.MaxID || s.MinTime > s.MaxTime {
			return fmt.Errorf("segment %s has bad bounds", s.File)
		}
		if i > 0 && s.MinID <= m.Segments[i-1].MaxID {
			return fmt.Errorf("segment %s overlaps %s", s.File, m.Segments[i-1].File)
		}
	}
	return nil
}

// ensureManifest writes m when log folder dir has no manifest yet, before
// a sync puts its first segment there: a sync killed between that segment
// and its manifest update then leaves an unlisted file, as at any other
// moment, never a folder whose manifest looks lost.
func ensureManifest(dir string, m *manifest) error {
	_, err := os.Stat(filepath.Join(dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		return writeManifest(dir, m)
	}
	return err
}

// writeManifest replaces the manifest of log folder dir atomically.
func writeManifest(dir string, m *manifest) error {
	m.Format = FormatVersion
	m.Updated = time.Now().UTC().Truncate(time.Second)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	_, _, err = writeFileAtomic(dir, manifestName, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("replace manifest of %s: %w", dir, err)
	}
	return nil
}

// storeFile is the store's root marker, _lenslog.json: it makes the folder
// recognisable, carries the format version before any log has data, and
// records whose logs the store holds.
type storeFile struct {
	Format  int            `json:"format"`
	Created time.Time      `json:"created"`
	Account *accountRecord `json:"account,omitempty"` // nil until the first sync records it
}

// readStoreFile reads the root marker of dir.
func readStoreFile(dir string) (*storeFile, error) {
	path := filepath.Join(dir, storeFileName)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var sf storeFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, &CorruptError{Path: path, Reason: "store file is not valid JSON", Err: err}
	}
	if sf.Format > FormatVersion {
		return nil, fmt.Errorf("%s has format %d, this lenslog reads up to %d: %w",
			path, sf.Format, FormatVersion, ErrNewerFormat)
	}
	return &sf, nil
}

// readOrCreateStoreFile checks the root marker of dir, writing one into a
// new store, and returns it.
func readOrCreateStoreFile(dir string) (*storeFile, error) {
	sf, err := readStoreFile(dir)
	if errors.Is(err, os.ErrNotExist) {
		sf = &storeFile{Format: FormatVersion, Created: time.Now().UTC().Truncate(time.Second)}
		return sf, writeStoreFile(dir, sf)
	}
	return sf, err
}

// writeStoreFile replaces the root marker of dir atomically, at the
// current format.
func writeStoreFile(dir string, sf *storeFile) error {
	sf.Format = FormatVersion
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return fmt.Errorf("encode store file: %w", err)
	}
	_, _, err = writeFileAtomic(dir, storeFileName, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
	return err
}
