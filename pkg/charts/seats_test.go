package charts

import (
	"testing"
	"time"
)

func TestFreeSeats(t *testing.T) {
	tests := []struct {
		name       string
		data       Timed
		golden     string
		wantTexts  []string
		wantRed    int // overdraft dots
		wantRegion int // shaded overdraft shapes: region + legend swatch
	}{
		{
			name:       "two overdrafts",
			data:       seatEvents(),
			golden:     "seats_overdraft",
			wantTexts:  []string{"Free seats", "Overdraft (below 0)", "Time (UTC)", "Nov 02 08:00", "0", "-2"},
			wantRed:    2,
			wantRegion: 2,
		},
		{
			name:       "no overdraft still shows the region",
			data:       Points{Times: []time.Time{day(2), day(2).Add(time.Hour)}, Values: []float64{3, 2}},
			wantTexts:  []string{"Overdraft (below 0)", "-1", "0"},
			wantRed:    0,
			wantRegion: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := FreeSeats(tt.data, "Free seats")
			if err != nil {
				t.Fatalf("FreeSeats: %v", err)
			}
			s := renderShape(t, p)
			checkShape(t, s, tt.wantTexts, map[string]int{hex(Colors()["Failure"]): tt.wantRed})
			if got := s.Fills[hex(overdraftColor)]; got != tt.wantRegion {
				t.Errorf("%d overdraft shapes, want %d", got, tt.wantRegion)
			}
			if tt.golden != "" {
				golden(t, tt.golden, s)
			}
		})
	}
}

func TestFreeSeatsRejects(t *testing.T) {
	_, err := FreeSeats(Points{}, "Free seats")
	checkErr(t, err, ErrNoData, `free-seats chart "Free seats": data is empty`)
	_, err = FreeSeats(Points{Times: []time.Time{day(3), day(2)}, Values: []float64{1, 2}}, "Free seats")
	checkErr(t, err, ErrBadValue, "before the previous row")
}
