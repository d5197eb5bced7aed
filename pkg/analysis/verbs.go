package analysis

import (
	"cmp"
	"slices"
)

// The table verbs: what pandas says with nlargest, idxmax, sum, mean and
// groupby, said of the rows of any result or table (a result's Rows, a
// table's Rows()), each row read through a small function that picks the
// value, e.g. func(d analysis.KPIDay) int64 { return d.Requests }.

// Number is what Sum and Mean add up.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// Largest returns the n rows with the largest values of by, largest
// first; rows with equal values keep their order (pandas'
// nlargest(n, column)). It returns a new slice and leaves rows as they
// are; all of them, ranked, when n is larger than len(rows) or negative.
func Largest[R any, V cmp.Ordered](rows []R, n int, by func(R) V) []R {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b R) int { return cmp.Compare(by(b), by(a)) })
	if n >= 0 && n < len(out) {
		out = out[:n:n]
	}
	return out
}

// MaxBy returns the row with the largest value of by, the first of
// equals (pandas' idxmax), and false when there are no rows.
func MaxBy[R any, V cmp.Ordered](rows []R, by func(R) V) (R, bool) {
	var best R
	if len(rows) == 0 {
		return best, false
	}
	best = rows[0]
	for _, r := range rows[1:] {
		if by(r) > by(best) {
			best = r
		}
	}
	return best, true
}

// Sum adds up of over the rows (pandas' sum); 0 for no rows.
func Sum[R any, V Number](rows []R, of func(R) V) V {
	var s V
	for _, r := range rows {
		s += of(r)
	}
	return s
}

// Mean is the average of of over the rows (pandas' mean); 0 for no rows.
func Mean[R any, V Number](rows []R, of func(R) V) float64 {
	if len(rows) == 0 {
		return 0
	}
	var s float64
	for _, r := range rows {
		s += float64(of(r))
	}
	return s / float64(len(rows))
}

// Group is one group of GroupBy: its key and its rows, in their order.
type Group[K comparable, R any] struct {
	Key  K
	Rows []R
}

// GroupBy splits the rows by key, groups in the order their first row
// comes (pandas' groupby(column, sort=False)): SumBy and MeanBy
// sum and average each.
func GroupBy[R any, K comparable](rows []R, key func(R) K) []Group[K, R] {
	at := map[K]int{}
	var groups []Group[K, R]
	for _, r := range rows {
		k := key(r)
		i, ok := at[k]
		if !ok {
			i = len(groups)
			at[k] = i
			groups = append(groups, Group[K, R]{Key: k})
		}
		groups[i].Rows = append(groups[i].Rows, r)
	}
	return groups
}

// Total is one group's key and a figure over its rows: what SumBy and
// MeanBy return.
type Total[K comparable, V Number] struct {
	Key   K
	Value V
	Rows  int // how many rows the group has
}

// SumBy adds up of per key (pandas' groupby(key)[column].sum()), the
// groups in the order their first row comes.
func SumBy[R any, K comparable, V Number](rows []R, key func(R) K, of func(R) V) []Total[K, V] {
	var out []Total[K, V]
	for _, g := range GroupBy(rows, key) {
		out = append(out, Total[K, V]{Key: g.Key, Value: Sum(g.Rows, of), Rows: len(g.Rows)})
	}
	return out
}

// MeanBy averages of per key (pandas' groupby(key)[column].mean()), the
// groups in the order their first row comes.
func MeanBy[R any, K comparable, V Number](rows []R, key func(R) K, of func(R) V) []Total[K, float64] {
	var out []Total[K, float64]
	for _, g := range GroupBy(rows, key) {
		out = append(out, Total[K, float64]{Key: g.Key, Value: Mean(g.Rows, of), Rows: len(g.Rows)})
	}
	return out
}
