package logstore

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/parquet-go/parquet-go"
)

// castagnoli is the CRC-32C table: hardware-accelerated on amd64 and arm64,
// so checking a segment on every load costs little next to decoding it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// rowGroupRows caps a row group. It is the size of a compacted segment, so
// a segment's row groups are its months (see monthStarts): each extra
// row group repeats the string dictionaries, and at 128 Ki rows a million
// rows took 18.2 MB where they take 17.8 MB now (BenchmarkMonthRowGroups).
const rowGroupRows = 256 * 1024

// tempSuffix ends every file a store writes before renaming it into place;
// it never ends in .parquet, so globs like *.parquet never see a half file.
const tempSuffix = ".tmp"

// tempFile is the part of *os.File a segment or manifest write needs; tests
// substitute one that fails like a full disk.
type tempFile interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// durable makes every write reach the disk (fsync of the file and of its
// folder) before it is renamed into place or counted as committed. Tests
// that do not simulate power loss turn it off to run fast; a killed process
// loses nothing either way, as the kernel keeps what was written.
var durable = true

// createTemp makes a new temporary file in dir; a variable so tests can
// inject write faults.
var createTemp = func(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

// Footer keys: every segment's Parquet key-value metadata records what it
// is, so a lost manifest can be rebuilt exactly from the files alone (the
// size and checksum come from the file's bytes).
const (
	keyFormat  = "lenslog.format"   // store format that wrote the file
	keyLog     = "lenslog.log"      // webapi, events or objects
	keyRows    = "lenslog.rows"     // number of rows
	keyMinID   = "lenslog.min_id"   // first row id
	keyMaxID   = "lenslog.max_id"   // last row id
	keyMinTime = "lenslog.min_time" // earliest row time, unix seconds
	keyMaxTime = "lenslog.max_time" // latest row time, unix seconds
)

// footer is what a segment's key-value metadata says about it, and where
// its row groups start.
type footer struct {
	log    Log
	seg    Segment // Rows, id and time bounds; File, Size and CRC32C unset
	groups []int   // the indexes of the rows that start a row group, after the first
}

// footerOf is the footer of a segment of log l holding rows (sorted by
// id).
func footerOf[R cryptolens.Row](l Log, rows []R) footer {
	return footer{log: l, seg: boundsOf(rows), groups: monthStarts(rows)}
}

// monthStarts returns the indexes of the rows (sorted by id) that start a
// later UTC month than every row before them. A segment starts a row group
// at each, so a row group holds one month's rows (and rows out of order)
// and its min/max statistics of time let an outside engine skip the months
// a query does not ask for. Rows without a time decide nothing.
func monthStarts[R cryptolens.Row](rows []R) []int {
	var starts []int
	latest := int64(math.MinInt64)
	for i, r := range rows {
		t := r.RowTime()
		if t.Unix() <= 0 {
			continue
		}
		m := int64(t.Year())*12 + int64(t.Month())
		if m > latest && latest != math.MinInt64 {
			starts = append(starts, i)
		}
		latest = max(latest, m)
	}
	return starts
}

// pairs lists the footer as key-value metadata.
func (f footer) pairs() [][2]string {
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	return [][2]string{
		{keyFormat, strconv.Itoa(FormatVersion)}, {keyLog, string(f.log)},
		{keyRows, strconv.Itoa(f.seg.Rows)}, {keyMinID, i(f.seg.MinID)}, {keyMaxID, i(f.seg.MaxID)},
		{keyMinTime, i(f.seg.MinTime)}, {keyMaxTime, i(f.seg.MaxTime)},
	}
}

// segmentFormat returns the store format that wrote a segment, from its
// footer: 1 when the footer does not say (or says nonsense).
func segmentFormat(f *parquet.File) int {
	if v, ok := f.Lookup(keyFormat); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return n
		}
	}
	return 1
}

// readFooter reads the lenslog metadata of a segment file. bounded is
// false for a segment written before format 2, whose footer names only the
// log: its bounds must be read from its rows.
func readFooter(f *parquet.File) (ft footer, bounded bool, err error) {
	kv := map[string]string{}
	for _, p := range f.Metadata().KeyValueMetadata {
		kv[p.Key] = p.Value
	}
	ft.log = Log(kv[keyLog])
	if _, err := ParseLog(string(ft.log)); err != nil {
		return ft, false, fmt.Errorf("footer names no log of this store (%s = %q)", keyLog, kv[keyLog])
	}
	if _, ok := kv[keyMinID]; !ok {
		return ft, false, nil
	}
	num := func(key string) int64 {
		v, e := strconv.ParseInt(kv[key], 10, 64)
		if e != nil && err == nil {
			err = fmt.Errorf("footer %s = %q is not a number", key, kv[key])
		}
		return v
	}
	ft.seg = Segment{Rows: int(num(keyRows)), MinID: num(keyMinID), MaxID: num(keyMaxID),
		MinTime: num(keyMinTime), MaxTime: num(keyMaxTime)}
	return ft, err == nil, err
}

// encodeBatch is how many rows encodeSegment turns into Parquet records
// at a time: the records of a whole segment (150 bytes a Web API row, 40
// MB at 262,144 rows) are never held at once, only the writer's columns.
const encodeBatch = 4096

// encodeSegment writes rows as one Parquet file to w, each row as the
// Parquet record record returns, with ft as its key-value metadata.
func encodeSegment[R, T any](w io.Writer, ft footer, rows []R, record func(R) T) error {
	log := ft.log
	opts := []parquet.WriterOption{
		parquet.NewSchema(string(log), parquet.SchemaOf(new(T))),
		parquet.Compression(&parquet.Snappy),
		parquet.DefaultEncodingFor(parquet.ByteArray, &parquet.Plain),
		parquet.DataPageVersion(1),
		parquet.MaxRowsPerRowGroup(rowGroupRows),
		parquet.CreatedBy("lenslog", strconv.Itoa(FormatVersion), ""),
		parquet.SortingWriterConfig(parquet.SortingColumns(parquet.Ascending("id"))),
	}
	for _, kv := range ft.pairs() {
		opts = append(opts, parquet.KeyValueMetadata(kv[0], kv[1]))
	}
	pw := parquet.NewGenericWriter[T](w, opts...)
	recs := make([]T, 0, min(len(rows), encodeBatch))
	from := 0
	for _, to := range append(ft.groups, len(rows)) {
		for lo := from; lo < to; lo += encodeBatch {
			recs = recs[:0]
			for _, r := range rows[lo:min(to, lo+encodeBatch)] {
				recs = append(recs, record(r))
			}
			if _, err := pw.Write(recs); err != nil { // copies the values into the row group's columns
				return fmt.Errorf("encode %s segment: %w", log, err)
			}
		}
		if to < len(rows) {
			if err := pw.Flush(); err != nil { // ends the row group: the next month starts a new one
				return fmt.Errorf("encode %s segment: %w", log, err)
			}
		}
		from = to
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("encode %s segment: %w", log, err)
	}
	return nil
}

// countingWriter counts bytes and checksums them on their way to a file.
type countingWriter struct {
	w   io.Writer
	n   int64
	crc uint32
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.crc = crc32.Update(c.crc, castagnoli, p[:n])
	return n, err
}

// writeFileAtomic writes a file in dir under name: into a temporary file
// first, synced, then renamed, then the folder synced. On any error the
// temporary file is removed and nothing named name has changed. It returns
// the size and CRC-32C of what it wrote.
func writeFileAtomic(dir, name string, write func(io.Writer) error) (size int64, crc uint32, err error) {
	f, err := createTemp(dir, "."+name+".*"+tempSuffix)
	if err != nil {
		return 0, 0, fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	cw := &countingWriter{w: bw}
	if err = write(cw); err != nil {
		return 0, 0, err
	}
	if err = bw.Flush(); err != nil {
		return 0, 0, fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
	}
	if durable {
		if err = f.Sync(); err != nil {
			return 0, 0, fmt.Errorf("sync %s: %w", tmp, err)
		}
	}
	if err = f.Close(); err != nil {
		return 0, 0, fmt.Errorf("close %s: %w", tmp, err)
	}
	if err = os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return 0, 0, fmt.Errorf("rename %s into place: %w", tmp, err)
	}
	if durable {
		if err = syncDir(dir); err != nil {
			return 0, 0, err
		}
	}
	return cw.n, cw.crc, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// openSegment opens the segment seg of the log folder dir as Parquet,
// after checking its size and checksum against the manifest by reading it
// through buf (a scratch buffer the caller reuses from segment to
// segment). The Parquet file reads from the open file, so a load reads
// only the column chunks it asks for and holds no copy of the segment;
// close it when done. Damage is reported as a *CorruptError naming the
// file.
func openSegment(dir string, seg Segment, buf []byte) (*parquet.File, io.Closer, error) {
	path := filepath.Join(dir, seg.File)
	file, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, &CorruptError{Path: path, Reason: "segment file is missing", Err: err}
		}
		return nil, nil, fmt.Errorf("read segment %s: %w", path, err)
	}
	f, err := checkedParquet(file, path, seg, buf)
	if err != nil {
		file.Close()
		return nil, nil, err
	}
	return f, file, nil
}

// segmentReadBuffer is how much of a column chunk Parquet reads from the
// file at a time.
const segmentReadBuffer = 256 << 10

// checkedParquet checks file's size and checksum and opens it as Parquet.
func checkedParquet(file *os.File, path string, seg Segment, buf []byte) (*parquet.File, error) {
	crc := crc32.New(castagnoli)
	size, err := io.CopyBuffer(crc, struct{ io.Reader }{file}, buf) // the struct hides WriteTo, so buf is used
	if err != nil {
		return nil, fmt.Errorf("read segment %s: %w", path, err)
	}
	if size != seg.Size {
		return nil, &CorruptError{Path: path,
			Reason: fmt.Sprintf("size is %d bytes, the manifest says %d", size, seg.Size)}
	}
	if got := crc.Sum32(); got != seg.CRC32C {
		return nil, &CorruptError{Path: path,
			Reason: fmt.Sprintf("checksum is %08x, the manifest says %08x", got, seg.CRC32C)}
	}
	f, err := parquet.OpenFile(file, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true),
		parquet.ReadBufferSize(segmentReadBuffer))
	if err != nil {
		return nil, &CorruptError{Path: path, Reason: "not a readable Parquet file", Err: err}
	}
	if f.NumRows() != int64(seg.Rows) {
		return nil, &CorruptError{Path: path,
			Reason: fmt.Sprintf("has %d rows, the manifest says %d", f.NumRows(), seg.Rows)}
	}
	return f, nil
}
