package logstore

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
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
// crash in between leaves unlisted files that the next sync removes.
func compactLog[R cryptolens.Row, T any](s *Store, k kind[R, T], m *manifest) error {
	dir := s.logDir(k.log)
	plan := compactionPlan(m.Segments, s.cfg.compactRows, s.cfg.compactMin)
	// Merge from the end so earlier group indexes stay valid.
	for _, g := range slices.Backward(plan) {
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
