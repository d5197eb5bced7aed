package logstore

import (
	"fmt"
	"io"
	"slices"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/parquet-go/parquet-go"
)

// kind ties a log to its wire row type R and its table type T: how to
// encode rows into a segment and decode a segment into a table.
type kind[R cryptolens.Row, T any] struct {
	log      Log
	encode   func(w io.Writer, rows []R) error
	newTable func(n int, cols logs.Columns) *T
	columns  func(t *T) logs.Columns // every column of T
	read     func(f *parquet.File, t *T, in interner, cols logs.Columns) error
	filter   func(t *T, start int, w logs.Window)
	len      func(t *T) int
	row      func(t *T, i int) R
	rowsOf   func(t *T) []R // every row of t in wire form
}

// The kind of each log (webAPIKind, eventsKind, objectsKind) is generated
// into schema_gen.go.

func convert[A, B any](as []A, f func(A) B) []B {
	bs := make([]B, len(as))
	for i, a := range as {
		bs[i] = f(a)
	}
	return bs
}

// sortRows orders rows by id and drops repeated ids, keeping the first.
func sortRows[R cryptolens.Row](rows []R) []R {
	slices.SortStableFunc(rows, func(a, b R) int { return cmpInt64(a.RowID(), b.RowID()) })
	return slices.CompactFunc(rows, func(a, b R) bool { return a.RowID() == b.RowID() })
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// boundsOf returns the manifest entry of rows (sorted by id, at least
// one) without its file name, size and checksum.
func boundsOf[R cryptolens.Row](rows []R) Segment {
	seg := Segment{Rows: len(rows), MinID: rows[0].RowID(), MaxID: rows[len(rows)-1].RowID(),
		MinTime: rows[0].RowTime().Unix(), MaxTime: rows[0].RowTime().Unix()}
	for _, r := range rows {
		t := r.RowTime().Unix()
		seg.MinTime, seg.MaxTime = min(seg.MinTime, t), max(seg.MaxTime, t)
	}
	return seg
}

// writeSegment writes rows (sorted by id, no repeats) as a new segment of
// the log folder dir and returns its manifest entry. The file name carries
// the id range and a random part, so it never replaces a listed segment.
func writeSegment[R cryptolens.Row, T any](dir string, k kind[R, T], rows []R) (Segment, error) {
	if len(rows) == 0 {
		return Segment{}, fmt.Errorf("write %s segment: no rows", k.log)
	}
	seg := boundsOf(rows)
	seg.File = segmentName(k.log, seg.MinID, seg.MaxID, randomTag())
	size, crc, err := writeFileAtomic(dir, seg.File, func(w io.Writer) error { return k.encode(w, rows) })
	if err != nil {
		return Segment{}, fmt.Errorf("write %s segment: %w", k.log, err)
	}
	seg.Size, seg.CRC32C = size, crc
	return seg, nil
}
