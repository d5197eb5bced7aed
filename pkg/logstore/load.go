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

// WebAPI loads the stored Web API Log rows whose time falls in w. Only the
// segments that overlap w are read. A damaged segment fails the load with a
// *CorruptError naming it; no partial table is returned.
func (s *Store) WebAPI(w logs.Window) (*logs.WebAPI, error) {
	return load(s, webAPIKind, w)
}

// Events loads the stored Events Log rows whose time falls in w.
func (s *Store) Events(w logs.Window) (*logs.Events, error) {
	return load(s, eventsKind, w)
}

// Objects loads the stored Object Log entries whose time falls in w.
func (s *Store) Objects(w logs.Window) (*logs.Objects, error) {
	return load(s, objectsKind, w)
}

// loadRetries bounds how often a load starts over because a concurrent sync
// compacted away a segment the load was about to read.
const loadRetries = 5

// load reads the segments of a log that overlap w into a new table.
func load[R cryptolens.Row, T any](s *Store, k kind[R, T], w logs.Window) (*T, error) {
	l := k.log
	dir := s.logDir(l)
	if err := s.checkAccount(s.account); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		m, err := readManifest(dir, l)
		if err != nil {
			return nil, fmt.Errorf("logstore: load %s: %w", l, err)
		}
		t, err := loadSegments(dir, overlapping(m.Segments, w), w, k)
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
func loadSegments[R cryptolens.Row, T any](dir string, segs []Segment, w logs.Window, k kind[R, T]) (*T, error) {
	n, largest := 0, int64(0)
	starts := make([]int, len(segs)) // where each segment's rows go
	for i, seg := range segs {
		starts[i] = n
		n += seg.Rows
		largest = max(largest, seg.Size)
	}
	t := k.newTable(n)
	errs := make([]error, len(segs))
	var next atomic.Int64 // the next segment to take
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(segs)) {
		wg.Go(func() {
			in := interner{}                // one per reader: no locking, at most a copy per reader of each string
			buf := make([]byte, 0, largest) // one buffer per reader, reused from segment to segment
			for i := int(next.Add(1) - 1); i < len(segs) && !failed.Load(); i = int(next.Add(1) - 1) {
				buf, errs[i] = readSegment(dir, segs[i], buf, k, section(t, starts[i], segs[i].Rows), in)
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
func readSegment[R cryptolens.Row, T any](dir string, seg Segment, buf []byte, k kind[R, T], part *T, in interner) ([]byte, error) {
	f, buf, err := openSegment(dir, seg, buf)
	if err != nil {
		return buf, err
	}
	path := filepath.Join(dir, seg.File)
	if err := k.read(f, part, in); err != nil {
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
// memory of its own. The logs tables are structs of column slices and
// nothing else (a test holds them to it), which lets one function serve
// all three.
func section[T any](t *T, start, n int) *T {
	part := new(T)
	tv, pv := reflect.ValueOf(t).Elem(), reflect.ValueOf(part).Elem()
	for i := range tv.NumField() {
		pv.Field(i).Set(tv.Field(i).Slice3(start, start, start+n))
	}
	return part
}

// setLen makes every column of t n rows long, once sections have filled
// them.
func setLen[T any](t *T, n int) {
	tv := reflect.ValueOf(t).Elem()
	for i := range tv.NumField() {
		tv.Field(i).SetLen(n)
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
func keepMask(times []time.Time, start int, w logs.Window) []bool {
	keep := make([]bool, len(times)-start)
	for i := range keep {
		keep[i] = w.Contains(times[start+i])
	}
	return keep
}

// compact drops, from s[start:], the elements whose keep is false.
func compact[E any](s []E, start int, keep []bool) []E {
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

func newWebAPITable(n int) *logs.WebAPI {
	t := &logs.WebAPI{}
	t.Grow(n)
	return t
}

// readWebAPI appends a Web API Log segment to t, column by column.
func readWebAPI(f *parquet.File, t *logs.WebAPI, in interner) error {
	r := colReader{f: f}
	t.ID = readCol(&r, "id", t.ID, readInt64s, ident64)
	t.ProductID = readCol(&r, "product_id", t.ProductID, readInt32s, toInt)
	t.Key = readStringCol(&r, "key", t.Key, in)
	t.IP = readStringCol(&r, "ip", t.IP, in)
	t.Time = readCol(&r, "time", t.Time, readInt64s, timeOfMicros)
	t.State = readCol(&r, "state", t.State, readInt32s, toState)
	t.MachineCode = readStringCol(&r, "machine_code", t.MachineCode, in)
	t.FriendlyName = readStringCol(&r, "friendly_name", t.FriendlyName, in)
	if r.err == nil {
		t.FloatingExpires, r.err = readOptionalTimesCol(f, t.FloatingExpires)
	}
	t.DOIntValue = readCol(&r, "do_int_value", t.DOIntValue, readInt64s, ident64)
	t.DOID = readCol(&r, "do_id", t.DOID, readInt64s, ident64)
	return r.done(len(t.ID), len(t.Time), len(t.ProductID), len(t.Key), len(t.IP), len(t.State),
		len(t.MachineCode), len(t.FriendlyName), len(t.FloatingExpires), len(t.DOIntValue), len(t.DOID))
}

func readOptionalTimesCol(f *parquet.File, dst []time.Time) ([]time.Time, error) {
	c, err := lookupColumn(f, "floating_expires")
	if err != nil {
		return dst, err
	}
	return readOptionalTimes(c, dst)
}

func filterWebAPI(t *logs.WebAPI, start int, w logs.Window) {
	keep := keepMask(t.Time, start, w)
	t.ID, t.Time = compact(t.ID, start, keep), compact(t.Time, start, keep)
	t.ProductID, t.Key = compact(t.ProductID, start, keep), compact(t.Key, start, keep)
	t.IP, t.State = compact(t.IP, start, keep), compact(t.State, start, keep)
	t.MachineCode, t.FriendlyName = compact(t.MachineCode, start, keep), compact(t.FriendlyName, start, keep)
	t.FloatingExpires = compact(t.FloatingExpires, start, keep)
	t.DOIntValue, t.DOID = compact(t.DOIntValue, start, keep), compact(t.DOID, start, keep)
}

func newEventsTable(n int) *logs.Events {
	t := &logs.Events{}
	t.Grow(n)
	return t
}

// readEvents appends an Events Log segment to t, column by column.
func readEvents(f *parquet.File, t *logs.Events, in interner) error {
	r := colReader{f: f}
	t.ID = readCol(&r, "id", t.ID, readInt64s, ident64)
	t.ProductID = readCol(&r, "product_id", t.ProductID, readInt32s, toInt)
	t.Key = readStringCol(&r, "key", t.Key, in)
	t.MachineCode = readStringCol(&r, "machine_code", t.MachineCode, in)
	t.FeatureName = readStringCol(&r, "feature_name", t.FeatureName, in)
	t.EventName = readStringCol(&r, "event_name", t.EventName, in)
	t.Time = readCol(&r, "time", t.Time, readInt64s, timeOfMicros)
	t.Value = readCol(&r, "value", t.Value, readInt64s, ident64)
	t.Currency = readStringCol(&r, "currency", t.Currency, in)
	t.Metadata = readStringCol(&r, "metadata", t.Metadata, in)
	return r.done(len(t.ID), len(t.Time), len(t.ProductID), len(t.Key), len(t.MachineCode),
		len(t.FeatureName), len(t.EventName), len(t.Value), len(t.Currency), len(t.Metadata))
}

func filterEvents(t *logs.Events, start int, w logs.Window) {
	keep := keepMask(t.Time, start, w)
	t.ID, t.Time = compact(t.ID, start, keep), compact(t.Time, start, keep)
	t.ProductID, t.Key = compact(t.ProductID, start, keep), compact(t.Key, start, keep)
	t.MachineCode, t.FeatureName = compact(t.MachineCode, start, keep), compact(t.FeatureName, start, keep)
	t.EventName, t.Value = compact(t.EventName, start, keep), compact(t.Value, start, keep)
	t.Currency, t.Metadata = compact(t.Currency, start, keep), compact(t.Metadata, start, keep)
}

func newObjectsTable(n int) *logs.Objects {
	t := &logs.Objects{}
	t.Grow(n)
	return t
}

// readObjects appends an Object Log segment to t, column by column.
func readObjects(f *parquet.File, t *logs.Objects, in interner) error {
	r := colReader{f: f}
	t.ID = readCol(&r, "id", t.ID, readInt64s, ident64)
	t.Time = readCol(&r, "created", t.Time, readInt64s, timeOfMicros)
	t.ResourceType = readCol(&r, "resource_type", t.ResourceType, readInt32s,
		func(v int32) cryptolens.ResourceType { return cryptolens.ResourceType(v) })
	t.ResourceAction = readCol(&r, "resource_action", t.ResourceAction, readInt32s,
		func(v int32) cryptolens.ResourceAction { return cryptolens.ResourceAction(v) })
	t.AffectedObjectID = readCol(&r, "affected_object_id", t.AffectedObjectID, readInt64s, ident64)
	t.ObjectOwnerUserID = readCol(&r, "object_owner_user_id", t.ObjectOwnerUserID, readInt64s, ident64)
	t.PerformedByUserID = readStringCol(&r, "performed_by_user_id", t.PerformedByUserID, in)
	t.Data = readStringCol(&r, "data", t.Data, nil)
	return r.done(len(t.ID), len(t.Time), len(t.ResourceType), len(t.ResourceAction),
		len(t.AffectedObjectID), len(t.ObjectOwnerUserID), len(t.PerformedByUserID), len(t.Data))
}

func filterObjects(t *logs.Objects, start int, w logs.Window) {
	keep := keepMask(t.Time, start, w)
	t.ID, t.Time = compact(t.ID, start, keep), compact(t.Time, start, keep)
	t.ResourceType, t.ResourceAction = compact(t.ResourceType, start, keep), compact(t.ResourceAction, start, keep)
	t.AffectedObjectID = compact(t.AffectedObjectID, start, keep)
	t.ObjectOwnerUserID = compact(t.ObjectOwnerUserID, start, keep)
	t.PerformedByUserID, t.Data = compact(t.PerformedByUserID, start, keep), compact(t.Data, start, keep)
}

// colReader reads the columns of one segment, remembering the first error
// so the read functions stay a flat list of columns.
type colReader struct {
	f   *parquet.File
	err error
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

func ident64(v int64) int64            { return v }
func toInt(v int32) int                { return int(v) }
func toState(v int32) cryptolens.State { return cryptolens.State(v) }
