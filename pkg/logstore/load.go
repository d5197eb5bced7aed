package logstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/parquet-go/parquet-go"
)

// WebAPI loads the stored Web API Log rows whose time falls in w: the
// columns cols (by field name, e.g. "Key"; every column when none are
// given) with the id and the time, the others left empty. Only the
// segments that overlap w are read, and of them only those columns. A
// damaged segment fails the load with a *CorruptError naming it; no
// partial table is returned.
func (s *Store) WebAPI(w logs.Window, cols ...string) (*logs.WebAPI, error) {
	return load(s, webAPIKind, w, cols)
}

// Events loads the stored Events Log rows whose time falls in w, the
// columns cols (all when none are given), as WebAPI.
func (s *Store) Events(w logs.Window, cols ...string) (*logs.Events, error) {
	return load(s, eventsKind, w, cols)
}

// Objects loads the stored Object Log entries whose time falls in w, the
// columns cols (all when none are given), as WebAPI.
func (s *Store) Objects(w logs.Window, cols ...string) (*logs.Objects, error) {
	return load(s, objectsKind, w, cols)
}

// checkBuffer is the size of the buffer a reader checks segments'
// checksums through.
const checkBuffer = 256 << 10

// loadRetries bounds how often a load starts over because a concurrent sync
// compacted away a segment the load was about to read.
const loadRetries = 5

// load reads the segments of a log that overlap w into a new table.
func load[R cryptolens.Row, T any](s *Store, k kind[R, T], w logs.Window, cols logs.Columns) (*T, error) {
	l := k.log
	dir := s.logDir(l)
	if err := k.columns(nil).Check(string(l), cols); err != nil {
		return nil, fmt.Errorf("logstore: load %s: %w", l, err)
	}
	if err := s.checkAccount(s.account); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		m, err := readManifest(dir, l)
		if err != nil {
			return nil, fmt.Errorf("logstore: load %s: %w", l, err)
		}
		t, err := loadSegments(dir, overlapping(m.Segments, w), w, k, cols)
		if err == nil {
			return t, nil
		}
		if attempt < loadRetries && replaced(dir, l, err) {
			continue
		}
		return nil, fmt.Errorf("logstore: load %s %s: %w", l, w, err)
	}
}

// loadSegments reads segs into a new table, in order, keeping the rows in
// w. The table is sized for all of them up front and the segments are read
// in parallel, one reader per CPU, each into its own rows of the columns,
// so nothing is copied after. The first damaged segment, in order, fails
// the load.
func loadSegments[R cryptolens.Row, T any](dir string, segs []Segment, w logs.Window, k kind[R, T], cols logs.Columns) (*T, error) {
	n := 0
	starts := make([]int, len(segs)) // where each segment's rows go
	for i, seg := range segs {
		starts[i] = n
		n += seg.Rows
	}
	t := k.newTable(n, cols)
	errs := make([]error, len(segs))
	var next atomic.Int64 // the next segment to take
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(segs)) {
		wg.Go(func() {
			in := interner{}                 // one per reader: no locking, at most a copy per reader of each string
			buf := make([]byte, checkBuffer) // one buffer per reader, reused from segment to segment
			for i := int(next.Add(1) - 1); i < len(segs) && !failed.Load(); i = int(next.Add(1) - 1) {
				buf, errs[i] = readSegment(dir, segs[i], buf, k, section(t, starts[i], segs[i].Rows), in, cols)
				if errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	setLen(t, n)
	for i, seg := range segs { // compact from the first segment that reaches outside w
		if !w.Contains(unixTime(seg.MinTime)) || !w.Contains(unixTime(seg.MaxTime)) {
			k.filter(t, starts[i], w)
			break
		}
	}
	return t, nil
}

// readSegment reads one segment into part, an empty section of the table
// with room for exactly the segment's rows, using buf for the file; it
// returns the buffer for the next segment.
func readSegment[R cryptolens.Row, T any](dir string, seg Segment, buf []byte, k kind[R, T], part *T, in interner, cols logs.Columns) ([]byte, error) {
	f, file, err := openSegment(dir, seg, buf)
	if err != nil {
		return buf, err
	}
	defer file.Close()
	path := filepath.Join(dir, seg.File)
	err = k.read(f, part, in, cols)
	if err == nil {
		err = checkMonth(f)
	}
	if err != nil {
		return buf, &CorruptError{Path: path, Reason: "cannot decode segment", Err: err}
	}
	if got := k.len(part); got != seg.Rows { // more would have left its section: append reallocates past the capacity
		return buf, &CorruptError{Path: path, Reason: fmt.Sprintf("decoded %d rows, the manifest says %d", got, seg.Rows)}
	}
	return buf, nil
}

// section returns a table whose columns are empty views of rows
// [start, start+n) of t's columns, with room for n rows: appending n rows
// to it fills those rows of t in place, and one more would move it to
// memory of its own. Columns t has no room for (not loaded) stay empty.
// The logs tables are structs of column slices and logs.Strings (codes
// and their dictionary) and nothing else (a test holds them to it), which
// lets one function serve all three.
func section[T any](t *T, start, n int) *T {
	part := new(T)
	tv, pv := reflect.ValueOf(t).Elem(), reflect.ValueOf(part).Elem()
	for i := range tv.NumField() {
		f, pf := tv.Field(i), pv.Field(i)
		if f.Type() == periodType { // the window loaded for, not a column: the caller sets it
			continue
		}
		if f.Kind() == reflect.Struct { // logs.Strings: the section codes into the same dictionary
			pf.FieldByName("Dict").Set(f.FieldByName("Dict"))
		}
		if col := columnSlice(f); col.Cap() >= start+n && n > 0 {
			columnSlice(pf).Set(col.Slice3(start, start, start+n))
		}
	}
	return part
}

// periodType is the type of a table's Period, its one field that is not
// a column.
var periodType = reflect.TypeFor[logs.Window]()

// columnSlice returns the slice of a table field: the field itself, or a
// logs.Strings' codes.
func columnSlice(f reflect.Value) reflect.Value {
	if f.Kind() == reflect.Struct {
		return f.FieldByName("Codes")
	}
	return f
}

// setLen makes every loaded column of t n rows long, once sections have
// filled them.
func setLen[T any](t *T, n int) {
	tv := reflect.ValueOf(t).Elem()
	for i := range tv.NumField() {
		if tv.Field(i).Type() == periodType {
			continue
		}
		if col := columnSlice(tv.Field(i)); col.Cap() >= n && n > 0 {
			col.SetLen(n)
		}
	}
}

// replaced reports whether err is a missing segment that the current
// manifest no longer lists: a sync compacted it meanwhile, so a fresh look
// at the manifest will find its rows elsewhere.
func replaced(dir string, l Log, err error) bool {
	var ce *CorruptError
	if !errors.As(err, &ce) || !errors.Is(ce.Err, os.ErrNotExist) {
		return false
	}
	m, merr := readManifest(dir, l)
	if merr != nil {
		return false
	}
	name := filepath.Base(ce.Path)
	return !slices.ContainsFunc(m.Segments, func(s Segment) bool { return s.File == name })
}

// overlapping returns the segments whose time range shares an instant
// with w.
func overlapping(segs []Segment, w logs.Window) []Segment {
	var out []Segment
	for _, s := range segs {
		if w.Overlaps(unixTime(s.MinTime), unixTime(s.MaxTime)) {
			out = append(out, s)
		}
	}
	return out
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// keepMask marks which of times[start:] fall in w.
func keepMask(times logs.Times, start int, w logs.Window) []bool {
	in := w.InUnix()
	keep := make([]bool, len(times)-start)
	for i := range keep {
		keep[i] = in(times[start+i])
	}
	return keep
}

// compact drops, from s[start:], the elements whose keep is false; a
// column the table was loaded without stays empty.
func compact[E any](s []E, start int, keep []bool) []E {
	if len(s) < start+len(keep) {
		return s
	}
	j := start
	for i, k := range keep {
		if k {
			s[j] = s[start+i]
			j++
		}
	}
	clear(s[j:])
	return s[:j]
}

// colReader reads the columns of one segment, remembering the first error
// so the read functions stay a flat list of columns.
type colReader struct {
	f      *parquet.File
	err    error
	format int // the store format that wrote the segment; 0 until has asks
}

// has reports whether the segment has the named column, which store format
// since added. A segment written before that format lacks it, and its
// rows read as zero values; one written since must have it. After an
// error it returns true, so the read that follows does nothing.
func (r *colReader) has(name string, since int) bool {
	if r.err != nil {
		return true
	}
	if _, ok := r.f.Schema().Lookup(name); ok {
		return true
	}
	if r.format == 0 {
		r.format = segmentFormat(r.f)
	}
	if r.format >= since {
		r.err = fmt.Errorf("no column %q, which format %d segments have (this one has format %d)", name, since, r.format)
		return true
	}
	return false
}

// monthFormat is the store format that added the month column.
const monthFormat = 5

// checkMonth fails for a segment whose footer says it was written at
// format 5 or later but which has no month column: loads do not read the
// column, but outside engines do, so such a segment is damaged like one
// lacking a column of the log (colReader.has).
func checkMonth(f *parquet.File) error {
	r := colReader{f: f}
	r.has("month", monthFormat)
	return r.err
}

// zeros extends col with zero values to n elements: a column the segment
// was written without.
func zeros[E any](col []E, n int) []E {
	var zero E
	for len(col) < n {
		col = append(col, zero)
	}
	return col
}

// done checks that every column got the same number of rows.
func (r *colReader) done(lens ...int) error {
	if r.err != nil {
		return r.err
	}
	for _, n := range lens[1:] {
		if n != lens[0] {
			return fmt.Errorf("columns have different lengths %v", lens)
		}
	}
	return nil
}

func readCol[V, E any](r *colReader, name string, dst []E,
	read func(column, []E, func(V) E) ([]E, error), conv func(V) E) []E {
	if r.err != nil {
		return dst
	}
	c, err := lookupColumn(r.f, name)
	if err == nil {
		dst, err = read(c, dst, conv)
	}
	r.err = err
	return dst
}

// readCodesCol appends a dictionary-coded string column to dst's codes,
// adding its values to dst's dictionary.
func readCodesCol(r *colReader, name string, dst logs.Strings) []uint32 {
	if r.err != nil {
		return dst.Codes
	}
	c, err := lookupColumn(r.f, name)
	if err == nil {
		dst.Codes, err = readCodes(c, dst)
	}
	r.err = err
	return dst.Codes
}

func readStringCol(r *colReader, name string, dst []string, in interner) []string {
	if r.err != nil {
		return dst
	}
	c, err := lookupColumn(r.f, name)
	if err == nil {
		dst, err = readStrings(c, dst, in)
	}
	r.err = err
	return dst
}

func readBoolCol(r *colReader, name string, dst []bool) []bool {
	if r.err != nil {
		return dst
	}
	c, err := lookupColumn(r.f, name)
	if err == nil {
		dst, err = readBools(c, dst)
	}
	r.err = err
	return dst
}

func readOptionalTimesCol(r *colReader, name string, dst []int64) []int64 {
	if r.err != nil {
		return dst
	}
	c, err := lookupColumn(r.f, name)
	if err == nil {
		dst, err = readOptionalTimes(c, dst)
	}
	r.err = err
	return dst
}

func ident64(v int64) int64 { return v }
func toInt(v int32) int     { return int(v) }
