package lenslog

import (
	"cmp"
	"iter"
	"slices"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// collect drains pages (in whatever order the pager yields them), keeps the
// rows inside w, and adds them to a table oldest first, in one call.
func collect[R cryptolens.Row](pages iter.Seq2[[]R, error], w logs.Window, add func(...R)) error {
	var rows []R
	for page, err := range pages {
		if err != nil {
			return err
		}
		for _, r := range page {
			if w.Contains(r.RowTime()) {
				rows = append(rows, r)
			}
		}
	}
	slices.SortFunc(rows, func(a, b R) int { return cmp.Compare(a.RowID(), b.RowID()) })
	add(rows...)
	return nil
}
