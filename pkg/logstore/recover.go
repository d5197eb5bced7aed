package logstore

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/parquet-go/parquet-go"
)

// quarantineName is the folder at the store's root where files the store
// cannot account for are moved: <store>/_quarantine/<UTC time>/<log>/<file>.
// lenslog never deletes a file that may hold history; it moves it here and
// says so. Nothing in it is read again.
const quarantineName = "_quarantine"

// segmentName names a segment file: <log>-<first id>-<last id>-<tag>.parquet,
// ids zero-padded to 16 digits so names sort by id.
func segmentName(l Log, minID, maxID int64, tag string) string {
	return fmt.Sprintf("%s-%016d-%016d-%s%s", l, minID, maxID, tag, segmentExt)
}

var segmentNameRE = regexp.MustCompile(`^(webapi|events|objects)-(\d{16})-(\d{16})-([0-9a-f]+)\.parquet$`)

// parseSegmentName reads the log and id range from a segment's file name.
func parseSegmentName(name string) (l Log, minID, maxID int64, ok bool) {
	m := segmentNameRE.FindStringSubmatch(name)
	if m == nil {
		return "", 0, 0, false
	}
	lo, err1 := strconv.ParseInt(m[2], 10, 64)
	hi, err2 := strconv.ParseInt(m[3], 10, 64)
	return Log(m[1]), lo, hi, err1 == nil && err2 == nil
}

// Quarantined is a file the store could not account for, moved aside.
type Quarantined struct {
	From   string // where it was
	To     string // where it is now, under <store>/_quarantine
	Reason string // why the store could not use it
	store  string // the store's folder, for String
}

// String says what was moved where and why, with paths inside the store.
func (q Quarantined) String() string {
	rel := func(p string) string {
		if r, err := filepath.Rel(q.store, p); err == nil && q.store != "" && !strings.HasPrefix(r, "..") {
			return r
		}
		return p
	}
	return fmt.Sprintf("moved %s to %s (%s)", rel(q.From), rel(q.To), q.Reason)
}

// Recovery tells what a sync or repair had to mend in one log folder
// before it could start: a manifest rebuilt from the segment files, files
// moved to quarantine. The zero value means nothing was wrong.
type Recovery struct {
	// RebuiltManifest is set when the manifest was missing or unreadable
	// and was rebuilt from the segments' footers and contents. How far
	// back the log was known complete is re-derived from the oldest
	// segment (the next sync re-checks older history with a request or
	// two); gaps a repair had recorded are forgotten.
	RebuiltManifest bool
	Segments        int           // segments the rebuilt manifest lists
	Quarantined     []Quarantined // files moved aside, never deleted
}

// String is a summary for the sync and repair output, "" when nothing was
// done.
func (r Recovery) String() string {
	var parts []string
	if r.RebuiltManifest {
		parts = append(parts, "manifest rebuilt from "+format.Counted(r.Segments, "segment file", "segment files"))
	}
	for _, q := range r.Quarantined {
		parts = append(parts, q.String())
	}
	return strings.Join(parts, "; ")
}

// quarantine moves files into one time-stamped folder under the store's
// quarantine, made on first use.
type quarantine struct {
	store string
	root  string // <store>/_quarantine/<time>
}

func newQuarantine(store string, now time.Time) *quarantine {
	return &quarantine{store: store, root: filepath.Join(store, quarantineName, now.UTC().Format("20060102T150405Z"))}
}

// move moves the file name of log folder dir (of log l) into the
// quarantine and records it in rec.
func (q *quarantine) move(dir string, l Log, name, reason string, rec *Recovery) error {
	to := filepath.Join(q.root, string(l))
	if err := os.MkdirAll(to, 0o700); err != nil {
		return fmt.Errorf("quarantine %s: %w", name, err)
	}
	target := filepath.Join(to, name)
	for i := 2; ; i++ { // never replace an earlier quarantined file
		if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
			break
		}
		target = filepath.Join(to, fmt.Sprintf("%s.%d", name, i))
	}
	from := filepath.Join(dir, name)
	if err := os.Rename(from, target); err != nil {
		return fmt.Errorf("quarantine %s: %w", from, err)
	}
	if durable {
		if err := syncDir(dir); err != nil {
			return err
		}
	}
	rec.Quarantined = append(rec.Quarantined, Quarantined{From: from, To: target, Reason: reason, store: q.store})
	return nil
}

// recoverLog makes a log folder consistent before a sync or repair writes
// to it; the caller holds the store's lock. A missing or unreadable
// manifest is rebuilt from the segment files, and those of them that lack
// a column of the log are rewritten with it (fillColumns). Temporary files (never
// committed) are removed, and so are unlisted segments whose every row the
// listed segments hold identically (the inputs or output of a compaction
// cut short); every other file the manifest does not list is moved to
// quarantine. It returns the manifest to work from.
func recoverLog[R cryptolens.Row, T any](s *Store, k kind[R, T], q *quarantine) (*manifest, Recovery, error) {
	dir := s.logDir(k.log)
	var rec Recovery
	m, err := readManifest(dir, k.log)
	if errors.Is(err, ErrCorrupt) {
		if _, statErr := os.Lstat(filepath.Join(dir, manifestName)); statErr == nil {
			if err := q.move(dir, k.log, manifestName, "unreadable manifest: "+err.Error(), &rec); err != nil {
				return nil, rec, err
			}
		}
		m, err = rebuildManifest(dir, k, q, &rec)
		if err != nil {
			return nil, rec, err
		}
		if err := writeManifest(dir, m); err != nil {
			return nil, rec, err
		}
		rec.RebuiltManifest, rec.Segments = true, len(m.Segments)
		if _, err := fillColumns(dir, k, m); err != nil { // a segment from before a column, as migrate does
			return nil, rec, err
		}
	}
	if err != nil {
		return nil, rec, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, rec, fmt.Errorf("read %s: %w", dir, err)
	}
	listed := make(map[string]bool, len(m.Segments))
	for _, seg := range m.Segments {
		listed[seg.File] = true
	}
	for _, e := range entries {
		n := e.Name()
		switch {
		case e.IsDir(), n == manifestName, listed[n]:
		case strings.HasSuffix(n, tempSuffix):
			os.Remove(filepath.Join(dir, n)) // never renamed into place: never committed
		case redundant(dir, k, m, n):
			os.Remove(filepath.Join(dir, n)) // every row of it is stored, identically, in listed segments
		default:
			reason := "not listed in the manifest: left by a sync cut short, or put there by hand"
			if l, _, _, ok := parseSegmentName(n); !ok || l != k.log {
				reason = "not a segment file of this log"
			}
			if err := q.move(dir, k.log, n, reason, &rec); err != nil {
				return nil, rec, err
			}
		}
	}
	return m, rec, nil
}

// redundant reports whether the unlisted file name is a readable segment
// of this log every row of which the listed segments hold, identically: a
// copy that a compaction cut short left behind, which holds no history of
// its own.
func redundant[R cryptolens.Row, T any](dir string, k kind[R, T], m *manifest, name string) bool {
	seg, reason := describeSegment(dir, k, name)
	if reason != "" {
		return false
	}
	var cover []Segment
	for _, l := range m.Segments {
		if l.MaxID >= seg.MinID && l.MinID <= seg.MaxID {
			cover = append(cover, l)
		}
	}
	if len(cover) == 0 || cover[0].MinID > seg.MinID || cover[len(cover)-1].MaxID < seg.MaxID {
		return false
	}
	mine, err1 := loadSegments(dir, []Segment{seg}, logs.Window{}, k, nil)
	theirs, err2 := loadSegments(dir, cover, logs.Window{}, k, nil)
	if err1 != nil || err2 != nil {
		return false
	}
	stored := make(map[int64]R, k.len(theirs))
	for _, r := range k.rowsOf(theirs) {
		stored[r.RowID()] = r
	}
	for _, r := range k.rowsOf(mine) {
		if s, ok := stored[r.RowID()]; !ok || !reflect.DeepEqual(s, r) {
			return false
		}
	}
	return true
}

// rebuildManifest lists the segments of a log folder whose manifest is
// lost or damaged, from the files themselves: each is read whole and its
// rows checked against its name and footer. A file that is not a readable
// segment of this log, or whose id range overlaps a wider one (a
// compaction cut short), is moved to quarantine. How far back history is
// complete is not known from the files: the rebuilt manifest claims only
// the stored id range, and the next sync asks the source about older rows.
func rebuildManifest[R cryptolens.Row, T any](dir string, k kind[R, T], q *quarantine, rec *Recovery) (*manifest, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("rebuild manifest of %s: %w", dir, err)
	}
	type found struct {
		seg Segment
		mod time.Time
	}
	var segs []found
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || n == manifestName || strings.HasSuffix(n, tempSuffix) {
			continue
		}
		seg, reason := describeSegment(dir, k, n)
		if reason != "" {
			if err := q.move(dir, k.log, n, reason, rec); err != nil {
				return nil, err
			}
			continue
		}
		var mod time.Time
		if info, err := e.Info(); err == nil {
			mod = info.ModTime()
		}
		segs = append(segs, found{seg, mod})
	}
	// Of overlapping segments the widest is kept; of equal ranges, the
	// oldest file (a later one over the same ids was not written by a sync).
	slices.SortFunc(segs, func(a, b found) int {
		if c := cmpInt64(a.seg.MinID, b.seg.MinID); c != 0 {
			return c
		}
		if c := cmpInt64(b.seg.MaxID, a.seg.MaxID); c != 0 {
			return c
		}
		return a.mod.Compare(b.mod)
	})
	m := &manifest{Format: FormatVersion, Log: k.log}
	for _, f := range segs {
		seg := f.seg
		if n := len(m.Segments); n > 0 && seg.MinID <= m.Segments[n-1].MaxID {
			prev := m.Segments[n-1].File
			if err := q.move(dir, k.log, seg.File, "id range overlaps "+prev+", which was kept", rec); err != nil {
				return nil, err
			}
			continue
		}
		m.Segments = append(m.Segments, seg)
	}
	return m, nil
}

// describeSegment reads a segment file that no manifest describes and
// returns its manifest entry, or why it cannot be used. The rows are read
// whole: their ids must ascend within the range the name gives, and agree
// with the footer's rows, ids and times (a footer from before format 2
// has only the log; the entry then comes from the rows alone).
func describeSegment[R cryptolens.Row, T any](dir string, k kind[R, T], name string) (Segment, string) {
	l, lo, hi, ok := parseSegmentName(name)
	switch {
	case !ok:
		return Segment{}, "not a segment file name"
	case l != k.log:
		return Segment{}, fmt.Sprintf("a segment of the %s log, in the %s folder", l, k.log)
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return Segment{}, "unreadable: " + err.Error()
	}
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)),
		parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return Segment{}, "not a readable Parquet file: " + err.Error()
	}
	ft, bounded, err := readFooter(f)
	switch {
	case err != nil:
		return Segment{}, err.Error()
	case ft.log != k.log:
		return Segment{}, fmt.Sprintf("its footer says it belongs to the %s log", ft.log)
	}
	seg := Segment{File: name, Rows: int(f.NumRows()), Size: int64(len(data)), CRC32C: crc32.Checksum(data, castagnoli)}
	t, err := loadSegments(dir, []Segment{seg}, logs.Window{}, k, nil)
	if err != nil {
		return Segment{}, "cannot be decoded: " + err.Error()
	}
	rows := k.rowsOf(t)
	if len(rows) == 0 {
		return Segment{}, "holds no rows"
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].RowID() <= rows[i-1].RowID() {
			return Segment{}, fmt.Sprintf("ids not ascending at row %d", i)
		}
	}
	got := boundsOf(rows)
	got.File, got.Size, got.CRC32C = seg.File, seg.Size, seg.CRC32C
	switch {
	case got.MinID != lo || got.MaxID != hi:
		return Segment{}, fmt.Sprintf("holds ids %d..%d, its name says %d..%d", got.MinID, got.MaxID, lo, hi)
	case bounded && (ft.seg.Rows != got.Rows || ft.seg.MinID != got.MinID || ft.seg.MaxID != got.MaxID ||
		ft.seg.MinTime != got.MinTime || ft.seg.MaxTime != got.MaxTime):
		return Segment{}, fmt.Sprintf("rows differ from its footer (footer %+v, rows %+v)", ft.seg, got)
	}
	return got, ""
}

// damagedSegments checks cheaply (by file size alone) that every segment
// the manifest lists is in place, and returns a *CorruptError for each that
// is missing or has the wrong size. A sync runs it so that damage it would
// otherwise not touch is reported, not left to the next load.
func damagedSegments(dir string, m *manifest) []error {
	var out []error
	for _, seg := range m.Segments {
		path := filepath.Join(dir, seg.File)
		st, err := os.Stat(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			out = append(out, &CorruptError{Path: path, Reason: "segment file is missing"})
		case err != nil:
			out = append(out, fmt.Errorf("check segment %s: %w", path, err))
		case st.Size() != seg.Size:
			out = append(out, &CorruptError{Path: path,
				Reason: fmt.Sprintf("size is %d bytes, the manifest says %d", st.Size(), seg.Size)})
		}
	}
	return out
}
