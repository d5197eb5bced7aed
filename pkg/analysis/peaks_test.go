package analysis

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPeakSeats(t *testing.T) {
	// Product 1 has keys A (limit 2) and B (limit 1). A holds two seats in
	// hour 0; B holds one in hour 1 after A's have expired, so the product's
	// peak in hour 1 is 1, not A's 2 plus B's 1.
	b1 := seatRow("B", 2014, "b1", 70*time.Minute, 100*time.Minute)
	rows := []row{
		seatRow("A", 2014, "a1", 0, 65*time.Minute),
		seatRow("A", 2014, "a2", 10*time.Minute, 65*time.Minute),
		b1,
		seatRow("A", 2014, "a1", 3*h+10*time.Minute, 0), // never expires: held from here on
	}
	p, err := PeakSeats(table(t, rows...), map[string]int{"A": 2, "B": 1}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	line := func(sp SeatPeak) string {
		return fmt.Sprintf("%s p%d +%v peak=%d limit=%d over=%v", sp.Key, sp.ProductID, sp.Start.Sub(t0), sp.Peak, sp.Limit, sp.OverLimit)
	}
	var got []string
	for _, r := range append(p.Licenses, p.Products...) {
		got = append(got, line(r))
	}
	want := []string{
		"A p1 +0s peak=2 limit=2 over=false",
		"A p1 +1h0m0s peak=2 limit=2 over=false", // held until 01:05
		"A p1 +3h0m0s peak=1 limit=2 over=false",
		"B p1 +1h0m0s peak=1 limit=1 over=false",
		" p1 +0s peak=2 limit=3 over=false",
		" p1 +1h0m0s peak=2 limit=3 over=false", // A's two until 01:05, B's from 01:10
		" p1 +3h0m0s peak=1 limit=3 over=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("peaks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p.Len() != 3 || p.Label(1) != "2026-10-01 01:00" || p.Value(1, 0) != 2 || len(p.Series()) != 1 {
		t.Errorf("stacked view: len %d label %q value %v series %v", p.Len(), p.Label(1), p.Value(1, 0), p.Series())
	}
	if ts := p.License("B"); ts.Len() != 1 || ts.Value(0) != 1 {
		t.Errorf("License(B) = %+v", ts)
	}
}

func TestPeakSeatsOverLimitAndGaps(t *testing.T) {
	// Two seats on a one-seat license, held across three whole days.
	rows := []row{
		seatRow("A", 2014, "a1", 0, 80*h),
		seatRow("A", 2015, "a2", h, 80*h),
	}
	p, err := PeakSeats(table(t, rows...), map[string]int{"A": 1}, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Licenses) != 4 {
		t.Fatalf("want days 0..3 (held through the days between): %+v", p.Licenses)
	}
	for i, r := range p.Licenses {
		if r.Peak != 2 || !r.OverLimit || !r.Start.Equal(t0.Add(time.Duration(i)*24*h)) {
			t.Errorf("day %d = %+v", i, r)
		}
	}
	if p.Label(0) != "2026-10-01" {
		t.Errorf("day label = %q", p.Label(0))
	}
	// Unknown limits make the product's limit unknown.
	p, _ = PeakSeats(table(t, rows...), nil, 24*time.Hour)
	if p.Products[0].Limit != 0 || p.Products[0].OverLimit {
		t.Errorf("unknown limit: %+v", p.Products[0])
	}
}

func TestPeakSeatsRejects(t *testing.T) {
	for _, tt := range []struct {
		name   string
		limits map[string]int
		per    time.Duration
		want   string
	}{
		{"zero bucket", nil, 0, "bucket size"},
		{"fractional seconds", nil, 1500 * time.Millisecond, "bucket size"},
		{"negative limit", map[string]int{"K": -1}, time.Hour, "seat limit of K is -1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := PeakSeats(nil, tt.limits, tt.per); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPeakSeatsEmpty(t *testing.T) {
	p, err := PeakSeats(nil, nil, time.Hour)
	if err != nil || p.Len() != 0 || len(p.Licenses) != 0 {
		t.Fatalf("empty: %+v %v", p, err)
	}
	if recs := readCSV(t, p); len(recs) != 1 {
		t.Errorf("csv of nothing = %v, want the header only", recs)
	}
}
