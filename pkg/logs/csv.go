package logs

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// csvColumns are the columns of a CSV file: a header and how to render
// each row's cell.
type csvColumns struct {
	header []string
	cells  []func(i int) string
}

// add appends a column.
func (c *csvColumns) add(name string, cell func(i int) string) {
	c.header = append(c.header, name)
	c.cells = append(c.cells, cell)
}

// write writes n rows with the column names as header, and wraps the
// first error with the row it happened on.
func (c *csvColumns) write(w io.Writer, n int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(c.header); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	rec := make([]string, len(c.header))
	for i := 0; i < n; i++ {
		for j, cell := range c.cells {
			rec[j] = cell(i)
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

func itoa[T ~int | ~int64](x T) string { return strconv.FormatInt(int64(x), 10) }
