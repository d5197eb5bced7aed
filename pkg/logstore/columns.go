package logstore

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/lenslog/lenslog/pkg/logs"
)

// interner hands out one shared copy of each distinct string, so a million
// rows with a few thousand keys hold a few thousand key strings.
type interner map[string]string

// intern returns the shared copy of b, making one when b is new.
func (in interner) intern(b []byte) string {
	if s, ok := in[string(b)]; ok { // no allocation: the compiler optimises this lookup
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// column finds a column of a segment by name, for reading it page by page.
type column struct {
	file  *parquet.File
	index int
	name  string
}

func lookupColumn(f *parquet.File, name string) (column, error) {
	leaf, ok := f.Schema().Lookup(name)
	if !ok {
		return column{}, fmt.Errorf("no column %q", name)
	}
	return column{file: f, index: leaf.ColumnIndex, name: name}, nil
}

// pages calls fn for every page of the column in order, releasing each page
// when fn returns; fn must copy what it keeps.
func (c column) pages(fn func(p parquet.Page) error) error {
	for _, rg := range c.file.RowGroups() {
		if err := c.chunkPages(rg.ColumnChunks()[c.index], fn); err != nil {
			return err
		}
	}
	return nil
}

func (c column) chunkPages(chunk parquet.ColumnChunk, fn func(p parquet.Page) error) error {
	pages := chunk.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		err = fn(p)
		parquet.Release(p)
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
	}
}

// checkFlat rejects pages with nulls in a column that must have none.
func checkFlat(p parquet.Page) error {
	if p.NumNulls() != 0 {
		return fmt.Errorf("%d unexpected nulls", p.NumNulls())
	}
	return nil
}

// readInt64s appends the column's values to dst, converted by conv.
func readInt64s[T any](c column, dst []T, conv func(int64) T) ([]T, error) {
	err := c.pages(func(p parquet.Page) error {
		if err := checkFlat(p); err != nil {
			return err
		}
		vals := p.Data()
		if d := p.Dictionary(); d != nil {
			dv := d.Page().Data()
			dict := dv.Int64()
			for _, ix := range vals.Int32() {
				dst = append(dst, conv(dict[ix]))
			}
			return nil
		}
		for _, v := range vals.Int64() {
			dst = append(dst, conv(v))
		}
		return nil
	})
	return dst, err
}

// readInt32s appends the column's values to dst, converted by conv.
func readInt32s[T any](c column, dst []T, conv func(int32) T) ([]T, error) {
	err := c.pages(func(p parquet.Page) error {
		if err := checkFlat(p); err != nil {
			return err
		}
		vals := p.Data()
		if d := p.Dictionary(); d != nil {
			dv := d.Page().Data()
			dict := dv.Int32()
			for _, ix := range vals.Int32() {
				dst = append(dst, conv(dict[ix]))
			}
			return nil
		}
		for _, v := range vals.Int32() {
			dst = append(dst, conv(v))
		}
		return nil
	})
	return dst, err
}

// readBools appends a BOOLEAN column to dst.
func readBools(c column, dst []bool) ([]bool, error) {
	var buf [512]bool
	err := c.pages(func(p parquet.Page) error {
		if err := checkFlat(p); err != nil {
			return err
		}
		br, ok := p.Values().(parquet.BooleanReader)
		if !ok {
			return fmt.Errorf("not a boolean column (%s)", p.Type())
		}
		for {
			n, err := br.ReadBooleans(buf[:])
			dst = append(dst, buf[:n]...)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	return dst, err
}

// readOptionalTimes appends an optional TIMESTAMP(MICROS) column to dst,
// with the zero time for null.
func readOptionalTimes(c column, dst []int64) ([]int64, error) {
	err := c.pages(func(p parquet.Page) error {
		if p.Dictionary() != nil {
			return errors.New("dictionary-encoded optional column is not supported")
		}
		pv := p.Data()
		vals := pv.Int64()
		defs := p.DefinitionLevels()
		if len(defs) == 0 {
			for _, v := range vals {
				dst = append(dst, secondsOfMicros(v))
			}
			return nil
		}
		j := 0
		for _, d := range defs {
			if d == 0 {
				dst = append(dst, 0)
				continue
			}
			if j >= len(vals) {
				return errors.New("fewer values than definition levels")
			}
			dst = append(dst, secondsOfMicros(vals[j]))
			j++
		}
		return nil
	})
	return dst, err
}

// readStrings appends a string column to dst. Dictionary pages are mapped
// through in, so repeated values share memory; plain pages are interned
// too when in is not nil.
func readStrings(c column, dst []string, in interner) ([]string, error) {
	var lastDict parquet.Dictionary
	var table []string
	err := c.pages(func(p parquet.Page) error {
		if err := checkFlat(p); err != nil {
			return err
		}
		if d := p.Dictionary(); d != nil {
			if d != lastDict {
				dv := d.Page().Data()
				data, offsets := dv.ByteArray()
				table = dictStrings(data, offsets, in)
				lastDict = d
			}
			pv := p.Data()
			for _, ix := range pv.Int32() {
				if ix < 0 || int(ix) >= len(table) {
					return fmt.Errorf("dictionary index %d out of range", ix)
				}
				dst = append(dst, table[ix])
			}
			return nil
		}
		pv := p.Data()
		data, offsets := pv.ByteArray()
		for i := 0; i+1 < len(offsets); i++ {
			b := data[offsets[i]:offsets[i+1]]
			if in != nil {
				dst = append(dst, in.intern(b))
			} else {
				dst = append(dst, string(b))
			}
		}
		return nil
	})
	return dst, err
}

// readCodes appends a string column to dst's codes, each dictionary page
// mapped once into dst's dictionary (plain pages value by value).
func readCodes(c column, dst logs.Strings) ([]uint32, error) {
	var lastDict parquet.Dictionary
	var table []uint32
	codes := dst.Codes
	err := c.pages(func(p parquet.Page) error {
		if err := checkFlat(p); err != nil {
			return err
		}
		pv := p.Data()
		if d := p.Dictionary(); d != nil {
			if d != lastDict {
				dv := d.Page().Data()
				data, offsets := dv.ByteArray()
				table = dst.Dict.AppendByteArray(table[:0], data, offsets)
				lastDict = d
			}
			for _, ix := range pv.Int32() {
				if ix < 0 || int(ix) >= len(table) {
					return fmt.Errorf("dictionary index %d out of range", ix)
				}
				codes = append(codes, table[ix])
			}
			return nil
		}
		data, offsets := pv.ByteArray()
		codes = dst.Dict.AppendByteArray(codes, data, offsets)
		return nil
	})
	return codes, err
}

// dictStrings turns a dictionary's PLAIN byte-array values into strings,
// interned through in when it is not nil.
func dictStrings(data []byte, offsets []uint32, in interner) []string {
	out := make([]string, 0, max(len(offsets)-1, 0))
	for i := 0; i+1 < len(offsets); i++ {
		b := data[offsets[i]:offsets[i+1]]
		if in != nil {
			out = append(out, in.intern(b))
		} else {
			out = append(out, string(b))
		}
	}
	return out
}

// secondsOfMicros turns stored microseconds into the unix seconds a
// logs.Times column holds (the store writes whole seconds).
func secondsOfMicros(v int64) int64 {
	s := v / 1e6
	if v%1e6 < 0 {
		s--
	}
	return s
}
