package logstore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/parquet-go/parquet-go"
)

// compactionPlan picks runs of segments to merge: a segment is small when
// it has fewer than target/2 rows; every run of at least minRun consecutive
// small segments is cut into groups of at most target rows, and each group
// of two or more becomes one segment. Merged segments stay small until they
// grow past target/2, so a log that gains a little on every sync keeps
// O(log n) segments while each row is rewritten O(log n) times.
func compactionPlan(segs []Segment, target, minRun int) [][2]int {
	var groups [][2]int
	for i := 0; i < len(segs); {
		if segs[i].Rows >= target/2 {
			i++
			continue
		}
		j := i
		for j < len(segs) && segs[j].Rows < target/2 {
			j++
		}
		if j-i >= minRun {
			groups = append(groups, cutRun(segs, i, j, target)...)
		}
		i = j
	}
	return groups
}

// cutRun splits segs[i:j] into consecutive groups of at most target rows,
// keeping only groups of two or more segments.
func cutRun(segs []Segment, i, j, target int) [][2]int {
	var out [][2]int
	for i < j {
		k, rows := i, 0
		for k < j && (k == i || rows+segs[k].Rows <= target) {
			rows += segs[k].Rows
			k++
		}
		if k-i >= 2 {
			out = append(out, [2]int{i, k})
		}
		i = k
	}
	return out
}

// compactLog merges small segments of one log. Each merge writes the new
// segment, replaces the manifest, and only then removes the old files; a
// crash in between leaves unlisted files that the next sync removes. Before
// each merge it tells busy (when not nil) what it does, in words, for the
// sync's progress: merging a 10-million-row first sync's thousand small
// segments takes minutes, and no request is under way meanwhile.
func compactLog[R cryptolens.Row, T any](s *Store, k kind[R, T], m *manifest, busy func(string)) error {
	dir := s.logDir(k.log)
	plan := compactionPlan(m.Segments, s.cfg.compactRows, s.cfg.compactMin)
	small := 0
	for _, g := range plan {
		small += g[1] - g[0]
	}
	// Merge from the end so earlier group indexes stay valid.
	for i, g := range slices.Backward(plan) {
		if busy != nil {
			busy(fmt.Sprintf("compacting the %s: %s into %s, %s done",
				k.log.Title(), format.Counted(small, "small segment", "small segments"), format.Count(len(plan)), format.Count(len(plan)-1-i)))
		}
		if err := mergeSegments(dir, k, m, g[0], g[1]); err != nil {
			return fmt.Errorf("compact %s: %w", k.log, err)
		}
	}
	return nil
}

// mergeSegments replaces m.Segments[i:j] by one segment holding their rows.
func mergeSegments[R cryptolens.Row, T any](dir string, k kind[R, T], m *manifest, i, j int) error {
	old := slices.Clone(m.Segments[i:j])
	t, err := loadSegments(dir, old, logs.Window{}, k, nil)
	if err != nil {
		return fmt.Errorf("%w (run Repair)", err)
	}
	seg, err := writeSegment(dir, k, k.rowsOf(t))
	if err != nil {
		return err
	}
	prev := m.Segments
	m.Segments = slices.Concat(prev[:i:i], []Segment{seg}, prev[j:])
	if err := writeManifest(dir, m); err != nil {
		m.Segments = prev
		os.Remove(filepath.Join(dir, seg.File))
		return err
	}
	for _, o := range old {
		os.Remove(filepath.Join(dir, o.File))
	}
	return nil
}

// fillColumns rewrites every segment of m that lacks a column of its log
// (written before the store format that added the column) into a new
// segment with every column, the absent ones holding their zero values,
// which is what a load reads from the old segment anyway. Afterwards every
// segment of the log has the same columns with the same types, so an
// outside engine reads the folder as one table. Each rewrite is a merge of
// one segment, so a process killed midway leaves what a compaction cut
// short leaves. It returns the number of segments rewritten; a damaged
// segment stops it with a *CorruptError, leaving it for Repair.
func fillColumns[R cryptolens.Row, T any](dir string, k kind[R, T], m *manifest) (int, error) {
	want, err := segmentSchema(k)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range m.Segments {
		full, err := hasColumns(dir, m.Segments[i], want)
		if err != nil {
			return n, err
		}
		if full {
			continue
		}
		if err := mergeSegments(dir, k, m, i, i+1); err != nil {
			return n, fmt.Errorf("fill the columns of %s: %w", m.Segments[i].File, err)
		}
		n++
	}
	return n, nil
}

// segmentSchema is the Parquet schema of a segment of k written now.
func segmentSchema[R cryptolens.Row, T any](k kind[R, T]) (*parquet.Schema, error) {
	var buf bytes.Buffer
	var zero R
	if err := k.encode(&buf, []R{zero}); err != nil {
		return nil, err
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return nil, fmt.Errorf("read back a %s segment: %w", k.log, err)
	}
	return f.Schema(), nil
}

// hasColumns reports whether segment seg of folder dir has every column of
// want, each of the same type and repetition, reading only its footer.
func hasColumns(dir string, seg Segment, want *parquet.Schema) (bool, error) {
	path := filepath.Join(dir, seg.File)
	file, err := os.Open(path)
	if err != nil {
		return false, &CorruptError{Path: path, Reason: "segment file is unreadable", Err: err}
	}
	defer file.Close()
	f, err := parquet.OpenFile(file, seg.Size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return false, &CorruptError{Path: path, Reason: "not a readable Parquet file", Err: err}
	}
	for _, path := range want.Columns() {
		w, _ := want.Lookup(path...)
		g, ok := f.Schema().Lookup(path...)
		if !ok || g.Node.Type().String() != w.Node.Type().String() || g.Node.Optional() != w.Node.Optional() {
			return false, nil
		}
	}
	return true, nil
}
