package sqlcheck

import (
	"database/sql"
	"fmt"
	"math"
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

// countRow is a row of heaviest_keys.sql.
type countRow struct {
	Key      string
	Requests int
	Share    float64
}

func TestHeaviestKeys(t *testing.T) {
	f := sampleFixture(t)
	db := openDuckDB(t, f.dir)
	for _, minShare := range []float64{0.01, 0.002, 0} {
		t.Run(fmt.Sprint(minShare), func(t *testing.T) {
			got := query(t, db, "heaviest_keys.sql", func(r *countRow) []any {
				return []any{&r.Key, &r.Requests, &r.Share}
			}, sql.Named("min_share", minShare))
			goShare := minShare
			if goShare == 0 {
				goShare = 1e-300 // HeaviestKeys reads 0 as its default, 1%; the SQL takes the share itself
			}
			r, err := analysis.HeaviestKeys(f.api, goShare)
			if err != nil {
				t.Fatal(err)
			}
			var want []countRow
			for _, c := range r.Rows {
				want = append(want, countRow{c.Label, c.Requests, c.Share})
			}
			sameRows(t, "heaviest_keys", got, want)
		})
	}
}

// silentRow is a row of inactive_licenses.sql.
type silentRow struct {
	Key           string
	ProductID     int
	LastSeen      string
	SilentSeconds int64
	DaysSilent    int
	Requests      int
}

func TestInactiveLicenses(t *testing.T) {
	f := sampleFixture(t)
	db := openDuckDB(t, f.dir)
	for _, tc := range []struct {
		name string
		asOf time.Time
		days int
	}{
		{"at the end, 30 days", sampleEnd, 30},
		{"at the end, 7 days", sampleEnd, 7},
		{"a month before the end, 1 day", sampleEnd.AddDate(0, -1, 0).Add(-90 * time.Minute), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := query(t, db, "inactive_licenses.sql", func(r *silentRow) []any {
				return []any{&r.Key, &r.ProductID, timeText{&r.LastSeen}, &r.SilentSeconds, &r.DaysSilent, &r.Requests}
			}, sql.Named("as_of", tc.asOf), sql.Named("days", tc.days))
			a, err := analysis.InactiveLicenses(f.api, tc.asOf, tc.days)
			if err != nil {
				t.Fatal(err)
			}
			var want []silentRow
			for _, r := range a.Rows {
				want = append(want, silentRow{r.Key, r.ProductID, r.LastSeen.UTC().Format(time.RFC3339),
					int64(r.Silent / time.Second), r.DaysSilent, r.Requests})
			}
			sameRows(t, "inactive_licenses", got, want)
		})
	}
}

// timeText scans a TIMESTAMPTZ as its UTC instant in RFC 3339.
type timeText struct{ s *string }

func (x timeText) Scan(v any) error {
	t, ok := v.(time.Time)
	if !ok {
		return fmt.Errorf("want a time, got %T", v)
	}
	*x.s = t.UTC().Format(time.RFC3339)
	return nil
}

// shareRow is a row of key_sharing.sql.
type shareRow struct {
	Key                                            string
	ProductID, Requests, Machines, IPs, Overdrafts int
	NoFreeSeat                                     int
	Score                                          float64
}

func TestKeySharing(t *testing.T) {
	f := sampleFixture(t)
	db := openDuckDB(t, f.dir)
	got := query(t, db, "key_sharing.sql", func(r *shareRow) []any {
		return []any{&r.Key, &r.ProductID, &r.Requests, &r.Machines, &r.IPs, &r.Overdrafts, &r.NoFreeSeat, &r.Score}
	})
	var want []shareRow
	for _, k := range analysis.KeySharing(f.api).Rows {
		want = append(want, shareRow{k.Key, k.ProductID, k.Requests, k.Machines, k.IPs, k.Overdrafts, k.NoFreeSeat, k.Score})
	}
	// The score is a float from log2, which Go and DuckDB may round
	// differently in the last bit: compare it to 1e-12, the rest exactly.
	for i := range min(len(got), len(want)) {
		if math.Abs(got[i].Score-want[i].Score) <= 1e-12 {
			got[i].Score = want[i].Score
		}
	}
	sameRows(t, "key_sharing", got, want)
}

// peakRow is a row of seat_peaks.sql.
type peakRow struct {
	Scope, Key string
	ProductID  int
	Bucket     string
	Peak       int
}

func TestSeatPeaks(t *testing.T) {
	f := sampleFixture(t)
	db := openDuckDB(t, f.dir)
	for _, per := range []time.Duration{time.Hour, 24 * time.Hour} {
		t.Run(per.String(), func(t *testing.T) {
			got := query(t, db, "seat_peaks.sql", func(r *peakRow) []any {
				return []any{&r.Scope, &r.Key, &r.ProductID, timeText{&r.Bucket}, &r.Peak}
			}, sql.Named("seconds", int64(per/time.Second)))
			sp, err := analysis.PeakSeats(f.api, nil, per)
			if err != nil {
				t.Fatal(err)
			}
			var want []peakRow
			for _, r := range sp.Licenses {
				want = append(want, peakRow{"license", r.Key, r.ProductID, r.Start.UTC().Format(time.RFC3339), r.Peak})
			}
			for _, r := range sp.Products {
				want = append(want, peakRow{"product", "", r.ProductID, r.Start.UTC().Format(time.RFC3339), r.Peak})
			}
			sameRows(t, "seat_peaks", got, want)
		})
	}
}
