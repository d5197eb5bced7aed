package logs

// The table types (WebAPI, Events, Objects) and their methods are generated
// from internal/logschema into tables_gen.go; these are the helpers they use.

import (
	"time"
)

// unixUTC turns unix seconds into a UTC time, and 0 into the zero time.
func unixUTC(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// at returns col[i], or the zero value when the table was loaded without
// the column.
func at[E any](col []E, i int) E {
	if i < len(col) {
		return col[i]
	}
	var zero E
	return zero
}

// strAt returns row i of a Strings column, or "" when the table was loaded
// without it.
func strAt(col Strings, i int) string {
	if i < len(col.Codes) {
		return col.At(i)
	}
	return ""
}

// indexes lists the rows in [0, n) for which keep is true.
func indexes(n int, keep func(i int) bool) []int {
	var idx []int
	for i := 0; i < n; i++ {
		if keep(i) {
			idx = append(idx, i)
		}
	}
	return idx
}

// grow returns s with room for n more elements, as slices.Grow does, but
// with the new backing array's memory backed up front (see
// Prefault): a load of a million rows writes over a hundred
// megabytes of fresh memory, and faulting it in page by page was most of
// a fresh process's load time.
func grow[E any](s []E, n int) []E {
	if n <= cap(s)-len(s) {
		return s
	}
	c := max(len(s)+n, cap(s)+cap(s)/4) // amortised, like append
	g := make([]E, len(s), c)
	Prefault(g)
	copy(g, s)
	return g
}

// gather returns col's values at idx, in order; nil for a column the
// table was loaded without.
func gather[T any](col []T, idx []int) []T {
	if col == nil {
		return nil
	}
	out := make([]T, len(idx))
	for j, i := range idx {
		out[j] = col[i]
	}
	return out
}
