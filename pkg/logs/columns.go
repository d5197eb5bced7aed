package logs

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The column types a table is made of, besides plain slices of numbers:
// Times (instants as unix seconds) and Strings (repeated text as codes
// into the table's Dict). They keep a million rows small (8 bytes a time
// instead of 24, 4 bytes a key instead of 16) and let analyses count by
// code instead of hashing text, while At gives the time.Time or string.

// Times is a column of instants as unix seconds, UTC; 0 means no time (an
// absent floating expiry). At returns the instant as a time.Time.
type Times []int64

// At returns row i's instant in UTC, or the zero time for 0.
func (c Times) At(i int) time.Time { return unixUTC(c[i]) }

// Values returns the column as time.Time values.
func (c Times) Values() []time.Time {
	out := make([]time.Time, len(c))
	for i, s := range c {
		out[i] = unixUTC(s)
	}
	return out
}

// Dict is the dictionary of one table's repeated strings: every Strings
// column of a table (and of the tables Take, Where and Window make from
// it) holds codes into the same Dict. Code 0 is always "". A Dict only
// grows; codes never change meaning. Adding is safe from several
// goroutines (a parallel load does it); looking up while another goroutine
// adds is safe too.
type Dict struct {
	mu     sync.Mutex
	index  map[string]uint32
	values atomic.Pointer[[]string] // grows by append under mu; readers see a prefix
}

// NewDict returns a dictionary holding only "".
func NewDict() *Dict {
	d := &Dict{index: map[string]uint32{"": 0}}
	v := []string{""}
	d.values.Store(&v)
	return d
}

// Code returns the code of s, adding s when it is new.
func (d *Dict) Code(s string) uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.code(s)
}

// Codes returns the codes of each of vals, in order, adding the new ones;
// one lock for all of them.
func (d *Dict) Codes(vals []string) []uint32 {
	out := make([]uint32, len(vals))
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, s := range vals {
		out[i] = d.code(s)
	}
	return out
}

// AppendByteArray appends to dst the codes of the n values of a byte
// array (Parquet's layout: value i is data[offsets[i]:offsets[i+1]]),
// adding the new ones, under one lock; a value is copied only when new.
func (d *Dict) AppendByteArray(dst []uint32, data []byte, offsets []uint32) []uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := 0; i+1 < len(offsets); i++ {
		b := data[offsets[i]:offsets[i+1]]
		c, ok := d.index[string(b)] // the compiler does not allocate for this lookup
		if !ok {
			c = d.code(string(b))
		}
		dst = append(dst, c)
	}
	return dst
}

// code adds s if needed. Call with mu held.
func (d *Dict) code(s string) uint32 {
	if c, ok := d.index[s]; ok {
		return c
	}
	v := *d.values.Load()
	c := uint32(len(v))
	v = append(v, s) // writes past every reader's length, or to a new array
	d.values.Store(&v)
	d.index[s] = c
	return c
}

// Lookup returns the code of s and whether the dictionary holds it,
// without adding it.
func (d *Dict) Lookup(s string) (uint32, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.index[s]
	return c, ok
}

// Value returns the string of code c.
func (d *Dict) Value(c uint32) string { return (*d.values.Load())[c] }

// Len returns the number of distinct strings, "" included.
func (d *Dict) Len() int { return len(*d.values.Load()) }

// Strings is a column of text as codes into a Dict. At returns row i's
// text; Codes is there for analyses that group or compare many rows (equal
// codes are equal text, within one Dict).
type Strings struct {
	Codes []uint32
	Dict  *Dict
}

// StringsOf returns a column holding vals, coded into d (a new Dict when
// d is nil).
func StringsOf(d *Dict, vals ...string) Strings {
	if d == nil {
		d = NewDict()
	}
	return Strings{Codes: d.Codes(vals), Dict: d}
}

// Len returns the number of rows.
func (c Strings) Len() int { return len(c.Codes) }

// At returns row i's text.
func (c Strings) At(i int) string { return c.Dict.Value(c.Codes[i]) }

// Values returns the column as strings (sharing the dictionary's copies).
func (c Strings) Values() []string {
	if c.Codes == nil {
		return nil
	}
	vals := *c.Dict.values.Load()
	out := make([]string, len(c.Codes))
	for i, code := range c.Codes {
		out[i] = vals[code]
	}
	return out
}

// Code returns the code of s in the column's dictionary, and false when
// no row of any column sharing the dictionary holds s.
func (c Strings) Code(s string) (uint32, bool) {
	if c.Dict == nil {
		return 0, s == ""
	}
	return c.Dict.Lookup(s)
}

// Distinct returns the number of codes the dictionary has, an upper bound
// on the codes in the column: a slice of that length indexed by code
// counts per value without a map.
func (c Strings) Distinct() int {
	if c.Dict == nil {
		return 1
	}
	return c.Dict.Len()
}

// grow makes room for n more rows, with dict as the dictionary when the
// column has none yet.
func (c Strings) grow(n int, dict *Dict) Strings {
	c.Codes = grow(c.Codes, n)
	if c.Dict == nil {
		c.Dict = dict
	}
	return c
}

// gather returns the column's rows idx, sharing the dictionary.
func (c Strings) gather(idx []int) Strings {
	return Strings{Codes: gather(c.Codes, idx), Dict: c.Dict}
}

// Columns names the columns a load fills, by the table's field names
// ("Key", "State"); a table loaded with some leaves the others empty
// (nil), which saves the memory and the time of reading them. Empty means
// every column. The id and the row time are always loaded, as are the
// columns a filter of the load needs.
type Columns []string

// Has reports whether c includes the column name (every column when c is
// empty).
func (c Columns) Has(name string) bool { return len(c) == 0 || slices.Contains(c, name) }

// Check returns an error naming the first of asked that is not one of
// all, a table's columns (its ColumnNames), and listing those.
func (all Columns) Check(table string, asked Columns) error {
	for _, name := range asked {
		if !slices.Contains(all, name) {
			return fmt.Errorf("%s has no column %q; its columns are %s", table, name, strings.Join(all, ", "))
		}
	}
	return nil
}

// missing returns a panic message for an analysis that needs column name
// of a table loaded without it.
func missing(table, name string) string {
	return fmt.Sprintf("the %s table was loaded without its %s column, which this needs: load it with that column (lenslog.Columns, or all columns)", table, name)
}
