package sqlcheck

import (
	"fmt"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// sameRows fails unless got and want are equal row by row, naming the
// first rows that differ.
func sameRows[R comparable](t *testing.T, name string, got, want []R) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the Go analysis has no rows; the check would prove nothing", name)
	}
	bad := 0
	for i := range max(len(got), len(want)) {
		var g, w any = "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			if bad++; bad <= 5 {
				t.Errorf("%s: row %d: SQL %+v, Go %+v", name, i+1, g, w)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d rows differ (SQL has %d rows, Go %d)", name, bad, len(want), len(got), len(want))
	}
}

// dateText scans a DATE or TIMESTAMP as its UTC day, 2006-01-02.
type dateText struct{ s *string }

func (d dateText) Scan(v any) error {
	t, ok := v.(time.Time)
	if !ok {
		return fmt.Errorf("want a date, got %T", v)
	}
	*d.s = t.UTC().Format(time.DateOnly)
	return nil
}

// outcomeRow is a row of success_by_day.sql or success_by_product.sql.
type outcomeRow struct {
	Label                     string // the day or the product id
	Success, Failure, Unknown int
	Share                     float64
}

func outcomeRowsOf(t *analysis.OutcomeTable, label func(analysis.OutcomeRow) string) []outcomeRow {
	out := make([]outcomeRow, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = outcomeRow{label(r), r.Success, r.Failure, r.Unknown, r.Share(cryptolens.OutcomeSuccess)}
	}
	return out
}

func TestSuccessByDay(t *testing.T) {
	f := sampleFixture(t)
	db := openDuckDB(t, f.dir)
	got := query(t, db, "success_by_day.sql", func(r *outcomeRow) []any {
		return []any{dateText{&r.Label}, &r.Success, &r.Failure, &r.Unknown, &r.Share}
	})
	want := outcomeRowsOf(analysis.SuccessByDay(f.api), func(r analysis.OutcomeRow) string { return r.Start.Format(time.DateOnly) })
	sameRows(t, "success_by_day", got, want)
}

func TestSuccessByProduct(t *testing.T) {
	f := sampleFixture(t)
	db := openDuckDB(t, f.dir)
	got := query(t, db, "success_by_product.sql", func(r *outcomeRow) []any {
		return []any{&r.Label, &r.Success, &r.Failure, &r.Unknown, &r.Share}
	})
	want := outcomeRowsOf(analysis.SuccessByProduct(f.api), func(r analysis.OutcomeRow) string { return fmt.Sprint(r.ProductID) })
	sameRows(t, "success_by_product", got, want)
}
