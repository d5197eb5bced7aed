package logs

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// writeCSV writes a table row by row with the column names as header, and
// wraps the first error with the row it happened on.
func writeCSV(w io.Writer, header []string, n int, row func(i int, rec []string)) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	rec := make([]string, len(header))
	for i := 0; i < n; i++ {
		row(i, rec)
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
