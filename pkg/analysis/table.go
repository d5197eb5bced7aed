package analysis

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/lenslog/lenslog/pkg/logs"
)

// col is one column of a result as typed values: exactly one of the slices
// is set. Results describe themselves as columns once, and both WriteCSV and
// Frame are made from that description, so the two never disagree.
type col struct {
	name   string
	strs   []string
	ints   []int64
	floats []float64
	bools  []bool
}

// n returns the column's length.
func (c col) n() int {
	return max(len(c.strs), len(c.ints), len(c.floats), len(c.bools))
}

// cell formats row i exactly: integers in full, floats as the shortest text
// that reads back to the same float64, booleans as true/false.
func (c col) cell(i int) string {
	switch {
	case c.strs != nil:
		return c.strs[i]
	case c.ints != nil:
		return strconv.FormatInt(c.ints[i], 10)
	case c.floats != nil:
		return strconv.FormatFloat(c.floats[i], 'f', -1, 64)
	default:
		return strconv.FormatBool(c.bools[i])
	}
}

// series turns the column into a gota series.
func (c col) series() series.Series {
	switch {
	case c.strs != nil:
		return series.New(c.strs, series.String, c.name)
	case c.ints != nil:
		v := make([]int, len(c.ints))
		for i, x := range c.ints {
			v[i] = int(x)
		}
		return series.New(v, series.Int, c.name)
	case c.floats != nil:
		return series.New(c.floats, series.Float, c.name)
	default:
		return series.New(c.bools, series.Bool, c.name)
	}
}

// The column constructors take a result's rows and a getter. They never
// return a nil slice, so an empty result still has typed, empty columns.

func strCol[R any](name string, rows []R, get func(R) string) col {
	v := make([]string, len(rows))
	for i, r := range rows {
		v[i] = get(r)
	}
	return col{name: name, strs: v}
}

func intCol[R any, N ~int | ~int64](name string, rows []R, get func(R) N) col {
	v := make([]int64, len(rows))
	for i, r := range rows {
		v[i] = int64(get(r))
	}
	return col{name: name, ints: v}
}

func floatCol[R any](name string, rows []R, get func(R) float64) col {
	v := make([]float64, len(rows))
	for i, r := range rows {
		v[i] = get(r)
	}
	return col{name: name, floats: v}
}

func boolCol[R any](name string, rows []R, get func(R) bool) col {
	v := make([]bool, len(rows))
	for i, r := range rows {
		v[i] = get(r)
	}
	return col{name: name, bools: v}
}

// timeCol formats times as logs.TimeLayout (UTC, to the second); the zero
// time becomes an empty cell.
func timeCol[R any](name string, rows []R, get func(R) time.Time) col {
	return strCol(name, rows, func(r R) string { return timeText(get(r)) })
}

// timeText formats t as logs.TimeLayout, or "" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(logs.TimeLayout)
}

// writeCols writes columns as CSV with their names as the header row.
func writeCols(w io.Writer, cols []col) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(cols))
	for j, c := range cols {
		rec[j] = c.name
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	n := 0
	if len(cols) > 0 {
		n = cols[0].n()
	}
	for i := 0; i < n; i++ {
		for j, c := range cols {
			rec[j] = c.cell(i)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// frameOf builds a gota DataFrame from columns.
func frameOf(cols []col) dataframe.DataFrame {
	s := make([]series.Series, len(cols))
	for j, c := range cols {
		s[j] = c.series()
	}
	return dataframe.New(s...)
}

// CSVWriter is what every analysis result is: something that writes itself
// as CSV, with a header row and exact numbers.
type CSVWriter interface {
	WriteCSV(w io.Writer) error
}

// SaveCSV writes a result to a CSV file at path, replacing the file if it
// exists: the one call a notebook needs to export a result, e.g.
//
//	analysis.SaveCSV("heaviest-keys.csv", keys)
func SaveCSV(path string, r CSVWriter) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save csv: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("save csv %s: %w", path, cerr)
		}
	}()
	if err := r.WriteCSV(f); err != nil {
		return fmt.Errorf("save csv %s: %w", path, err)
	}
	return nil
}
