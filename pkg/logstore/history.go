package logstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// Dropped counts the rows a source sent that the store did not keep,
// because keeping them would have made the history lie: null entries (and
// rows without an id) in a page, rows that repeat an id an earlier row of
// the same page has (the first is kept), and rows that repeat a stored id
// with other content (the stored row is kept: history never changes under
// an id). A sync names them (SyncResult.Dropped), and the store adds them up
// per log (Store.Dropped) for the data-health checks.
type Dropped struct {
	NullRows  int `json:"null_rows,omitempty"` // null array entries, or rows without an id
	Repeated  int `json:"repeated,omitempty"`  // rows repeating an id of their page
	Conflicts int `json:"conflicts,omitempty"` // rows repeating a stored id with other content
	// ConflictIDs are the first maxConflictIDs ids that came back changed.
	ConflictIDs []int64 `json:"conflict_ids,omitempty"`
}

// maxConflictIDs bounds the ids Dropped names.
const maxConflictIDs = 20

// maxRepeats bounds the repeated rows one sync of a log compares with the
// stored ones; further repeats are only counted as repeats.
const maxRepeats = 10_000

// Any reports whether any row was dropped.
func (d Dropped) Any() bool { return d.NullRows > 0 || d.Repeated > 0 || d.Conflicts > 0 }

// String reads like "2 null rows dropped; 1 row repeated an id of its
// page, the first kept; 3 rows repeated a stored id with other content
// (ids 17, 40, 41), stored rows kept"; "" when none.
func (d Dropped) String() string {
	var parts []string
	if d.NullRows > 0 {
		parts = append(parts, format.Counted(d.NullRows, "null row", "null rows")+" dropped")
	}
	if d.Repeated == 1 {
		parts = append(parts, "1 row repeated an id of its page, the first kept")
	} else if d.Repeated > 0 {
		parts = append(parts, format.Count(d.Repeated)+" rows repeated an id of their page, the first kept")
	}
	if d.Conflicts > 0 {
		ids := make([]string, len(d.ConflictIDs))
		for i, id := range d.ConflictIDs {
			ids[i] = fmt.Sprint(id)
		}
		more := ""
		if d.Conflicts > len(d.ConflictIDs) {
			more = ", ..."
		}
		what, kept := format.Counted(d.Conflicts, "row", "rows")+" repeated a stored id", "stored rows kept"
		if d.Conflicts == 1 {
			what, kept = "1 row repeated a stored id", "the stored row kept"
		}
		parts = append(parts, fmt.Sprintf("%s with other content (%s %s%s), %s",
			what, format.Plural(len(d.ConflictIDs), "id", "ids"), strings.Join(ids, ", "), more, kept))
	}
	return strings.Join(parts, "; ")
}

// add adds e's counts to d.
func (d *Dropped) add(e Dropped) {
	d.NullRows += e.NullRows
	d.Repeated += e.Repeated
	d.Conflicts += e.Conflicts
	for _, id := range e.ConflictIDs {
		if len(d.ConflictIDs) < maxConflictIDs && !slices.Contains(d.ConflictIDs, id) {
			d.ConflictIDs = append(d.ConflictIDs, id)
		}
	}
}

// conflicts compares rows the source sent again under stored ids with the
// stored rows, and returns the ids whose content differs.
func conflicts[R cryptolens.Row, T any](dir string, m *manifest, k kind[R, T], repeats []R) ([]int64, error) {
	if len(repeats) == 0 {
		return nil, nil
	}
	stored, err := storedRows(dir, m, k, repeats)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range repeats {
		if s, ok := stored[r.RowID()]; ok && !reflect.DeepEqual(s, r) {
			ids = append(ids, r.RowID())
		}
	}
	return ids, nil
}

// storedRows returns the stored rows with the ids of rows, by id (ids the
// store does not hold are left out). It reads only the segments that hold
// them.
func storedRows[R cryptolens.Row, T any](dir string, m *manifest, k kind[R, T], rows []R) (map[int64]R, error) {
	var segs []Segment
	for _, seg := range m.Segments {
		if slices.ContainsFunc(rows, func(r R) bool { return r.RowID() >= seg.MinID && r.RowID() <= seg.MaxID }) {
			segs = append(segs, seg)
		}
	}
	out := map[int64]R{}
	if len(segs) == 0 {
		return out, nil
	}
	t, err := loadSegments(dir, segs, logs.Window{}, k, nil)
	if err != nil {
		return nil, err
	}
	want := map[int64]bool{}
	for _, r := range rows {
		want[r.RowID()] = true
	}
	for i := range k.len(t) {
		if r := k.row(t, i); want[r.RowID()] {
			out[r.RowID()] = r
		}
	}
	return out, nil
}

// droppedName is the file at the store's root that adds up, per log, the
// rows syncs dropped (see Dropped).
const droppedName = "_dropped.json"

// Dropped returns the rows syncs of log l dropped, added up over every
// sync of this store: what the data-health checks show.
func (s *Store) Dropped(l Log) (Dropped, error) {
	rec, err := s.readDropped()
	if err != nil {
		return Dropped{}, fmt.Errorf("logstore: %s: dropped rows: %w", l, err)
	}
	return rec[l], nil
}

func (s *Store) readDropped() (map[Log]Dropped, error) {
	path := filepath.Join(s.dir, droppedName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[Log]Dropped{}, nil
	}
	if err != nil {
		return nil, err
	}
	rec := map[Log]Dropped{}
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, &CorruptError{Path: path, Reason: "dropped-rows record is not valid JSON", Err: err}
	}
	return rec, nil
}

// recordDropped adds d to log l's record. The caller holds the store's
// lock (and the sync's lock on its root files).
func (s *Store) recordDropped(l Log, d Dropped) error {
	if !d.Any() {
		return nil
	}
	rec, err := s.readDropped()
	if err != nil {
		return err
	}
	sum := rec[l]
	sum.add(d)
	rec[l] = sum
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	_, _, err = writeFileAtomic(s.dir, droppedName, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("record dropped rows of %s: %w", l, err)
	}
	return nil
}

// dropped is what the sync of w's log dropped: its null rows, the rows
// the client saw repeating an id of their page (pages now, pages0 when
// the sync started), and the repeated rows whose content differs from the
// stored ones.
func (w *logWriter[R, T]) dropped(pages, pages0 Dropped) (Dropped, error) {
	ids, err := conflicts(w.dir, w.m, w.k, w.repeats)
	if err != nil {
		return Dropped{}, fmt.Errorf("compare repeated rows with the stored ones: %w", err)
	}
	d := Dropped{NullRows: w.nulls + pages.NullRows - pages0.NullRows, Repeated: pages.Repeated - pages0.Repeated,
		Conflicts: len(ids)}
	d.ConflictIDs = ids[:min(len(ids), maxConflictIDs)]
	return d, nil
}
