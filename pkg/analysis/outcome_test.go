package analysis

import (
	"slices"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

func TestSuccessRatio(t *testing.T) {
	tests := []struct {
		name   string
		api    *logs.WebAPI
		want   OutcomeCounts
		labels []string
		values []float64
	}{
		{"nil table", nil, OutcomeCounts{}, []string{"Success", "Failure"}, []float64{0, 0}},
		{"empty table", table(t), OutcomeCounts{}, []string{"Success", "Failure"}, []float64{0, 0}},
		{"all success", table(t, req("A", 2010, 0), req("A", 1010, 0)), OutcomeCounts{Success: 2},
			[]string{"Success", "Failure"}, []float64{1, 0}},
		{"mixed", table(t, req("A", 2014, 0), req("A", 2014, 0), req("A", 2014, 0), req("B", 2024, 0)),
			OutcomeCounts{Success: 3, Failure: 1}, []string{"Success", "Failure"}, []float64{0.75, 0.25}},
		{"unknown third digit and invalid codes are unknown, never guessed",
			table(t, req("A", 2034, 0), req("A", 999, 0), req("A", 2010, 0), req("A", 2020, 0)),
			OutcomeCounts{Success: 1, Failure: 1, Unknown: 2},
			[]string{"Success", "Failure", "Unknown"}, []float64{0.25, 0.25, 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := SuccessRatio(tt.api)
			if r.OutcomeCounts != tt.want {
				t.Fatalf("counts = %+v, want %+v", r.OutcomeCounts, tt.want)
			}
			if r.Len() != len(tt.labels) {
				t.Fatalf("Len = %d, want %d", r.Len(), len(tt.labels))
			}
			for i := range tt.labels {
				if r.Label(i) != tt.labels[i] || !near(r.Value(i), tt.values[i]) {
					t.Errorf("bar %d = %s %v, want %s %v", i, r.Label(i), r.Value(i), tt.labels[i], tt.values[i])
				}
			}
			if !r.Percent() {
				t.Error("Percent() = false; a ratio is shares")
			}
		})
	}
}

func TestSuccessByProduct(t *testing.T) {
	a := req("A", 2010, 0)
	b := req("B", 2020, 0)
	b.ProductID = 9
	c := req("C", 2010, 0)
	c.ProductID = 9
	got := SuccessByProduct(table(t, b, a, c, c))
	if len(got.Rows) != 2 || got.Rows[0].ProductID != 1 || got.Rows[1].ProductID != 9 {
		t.Fatalf("rows = %+v, want products 1 then 9", got.Rows)
	}
	if got.Rows[1].OutcomeCounts != (OutcomeCounts{Success: 2, Failure: 1}) {
		t.Errorf("product 9 = %+v", got.Rows[1].OutcomeCounts)
	}
	if !near(got.Value(1, 0), 2.0/3) || !near(got.Value(1, 1), 1.0/3) {
		t.Errorf("product 9 shares = %v, %v", got.Value(1, 0), got.Value(1, 1))
	}
	if s := got.Series(); !slices.Equal(s, []string{"Success", "Failure"}) {
		t.Errorf("Series = %v", s)
	}
}

func TestRequestsPerDay(t *testing.T) {
	undated := req("A", 2010, 0)
	undated.Time = 0
	api := table(t,
		req("A", 2010, time.Hour), req("A", 2020, 23*time.Hour+59*time.Minute),
		undated,
		req("A", 2030, 48*time.Hour), // day 3; day 2 has nothing
	)
	got := RequestsPerDay(api)
	wantDays := []string{"2026-10-01", "2026-10-02", "2026-10-03"}
	wantCounts := []OutcomeCounts{{Success: 1, Failure: 1}, {}, {Unknown: 1}}
	if got.Len() != 3 {
		t.Fatalf("Len = %d, want 3 (gaps filled): %+v", got.Len(), got.Rows)
	}
	for i, r := range got.Rows {
		if r.Label != wantDays[i] || r.OutcomeCounts != wantCounts[i] || !r.Start.Equal(t0.Add(time.Duration(i)*24*time.Hour)) {
			t.Errorf("row %d = %+v, want %s %+v", i, r, wantDays[i], wantCounts[i])
		}
	}
	if got.Undated != 1 {
		t.Errorf("Undated = %d, want 1", got.Undated)
	}
	if s := got.Series(); len(s) != 3 {
		t.Errorf("Series = %v, want Unknown listed", s)
	}
	if got.Value(0, 1) != 1 || got.Percent() {
		t.Errorf("per-day values are counts: Value(0,1) = %v, Percent = %v", got.Value(0, 1), got.Percent())
	}
	tot := got.Totals()
	if tot.Len() != 3 || tot.Value(0) != 2 || tot.Value(1) != 0 || !tot.Time(2).Equal(t0.Add(48*time.Hour)) {
		t.Errorf("Totals = %+v", tot)
	}
}

func TestRequestsPerHour(t *testing.T) {
	got := RequestsPerHour(table(t, req("A", 2010, 90*time.Minute), req("A", 2010, 3*time.Hour)))
	if got.Len() != 3 || got.Rows[0].Label != "2026-10-01 01:00" || got.Rows[1].Total() != 0 || got.Rows[2].Success != 1 {
		t.Errorf("rows = %+v", got.Rows)
	}
	if RequestsPerHour(nil).Len() != 0 {
		t.Error("empty table gives rows")
	}
}

func TestSuccessByDayStrayTimestamp(t *testing.T) {
	// One row centuries away must not produce a table of every day between.
	far := req("A", 2010, 0)
	far.Time = time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	got := SuccessByDay(table(t, req("A", 2010, 0), far))
	if got.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (only days with data past %d buckets)", got.Len(), maxGapFill)
	}
	if got.Rows[1].Label != "2500-01-01" || got.Rows[1].Share(cryptolens.OutcomeSuccess) != 1 {
		t.Errorf("far row = %+v", got.Rows[1])
	}
}

func TestSuccessByGroup(t *testing.T) {
	api := &logs.WebAPI{}
	api.Append(
		cryptolens.WebAPILogRow{ID: 1, State: 6010},
		cryptolens.WebAPILogRow{ID: 2, State: 2014},
		cryptolens.WebAPILogRow{ID: 3, State: 2024},
		cryptolens.WebAPILogRow{ID: 4, State: 2024},
		cryptolens.WebAPILogRow{ID: 5, State: 2034},
	)
	got := SuccessByGroup(api)
	want := []struct {
		label                     string
		success, failure, unknown int
	}{
		{"activation", 1, 2, 1},
		{"deactivation", 1, 0, 0},
	}
	if len(got.Rows) != len(want) {
		t.Fatalf("rows = %+v, want %d", got.Rows, len(want))
	}
	for i, w := range want {
		r := got.Rows[i]
		if r.Label != w.label || r.Success != w.success || r.Failure != w.failure || r.Unknown != w.unknown {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
		}
	}
	if !got.Normalized {
		t.Error("SuccessByGroup should report shares")
	}
}
