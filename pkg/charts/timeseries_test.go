package charts

import (
	"math"
	"testing"
	"time"
)

func TestTimeSeries(t *testing.T) {
	tests := []struct {
		name      string
		data      Timed
		opts      Options
		golden    string
		wantTexts []string
		wantDots  int
	}{
		{
			name:      "requests per day",
			data:      requestsPerDay(),
			golden:    "timeseries_days",
			wantTexts: []string{"Requests per day", "Date (UTC)", "Count", "Nov 02", "Nov 09", "Nov 30"},
			wantDots:  30,
		},
		{
			name: "hourly with label and zone",
			data: Points{
				Times:  []time.Time{time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), time.Date(2026, 11, 2, 15, 10, 0, 0, time.UTC)},
				Values: []float64{3, 7},
			},
			opts:      Options{YLabel: "Requests per hour"},
			wantTexts: []string{"Time (UTC)", "Requests per hour", "Nov 02 10:00", "15:00"},
			wantDots:  2,
		},
		{
			name:      "one point gets a day around it",
			data:      Points{Times: []time.Time{day(2)}, Values: []float64{4}},
			wantTexts: []string{"Nov 02 00:00"},
			wantDots:  1,
		},
		{
			name:      "shares",
			data:      Points{Times: []time.Time{day(1), day(2)}, Values: []float64{0.5, 0.9}},
			opts:      Options{Percent: true},
			wantTexts: []string{"Share (%)"},
			wantDots:  2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := TimeSeries(tt.data, "Requests per day", tt.opts)
			if err != nil {
				t.Fatalf("TimeSeries: %v", err)
			}
			s := renderShape(t, p)
			// Each dot is a filled circle in the line colour.
			checkShape(t, s, tt.wantTexts, map[string]int{hex(Palette()[0]): tt.wantDots})
			if tt.golden != "" {
				golden(t, tt.golden, s)
			}
		})
	}
}

func TestTimeSeriesRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    Timed
		opts    Options
		wantErr error
		wantMsg string
	}{
		{"empty", Points{}, Options{}, ErrNoData, "empty"},
		{"zero time", Points{Times: []time.Time{{}}, Values: []float64{1}}, Options{}, ErrBadValue, "row 0: time is not set"},
		{"out of order", Points{Times: []time.Time{day(3), day(2)}, Values: []float64{1, 2}}, Options{}, ErrBadValue,
			`row 1 ("2026-11-02T00:00:00Z"): time is before the previous row's 2026-11-03T00:00:00Z`},
		{"NaN", Points{Times: []time.Time{day(2)}, Values: []float64{math.NaN()}}, Options{}, ErrBadValue, "NaN"},
		{"missing value", Points{Times: []time.Time{day(2), day(3)}, Values: []float64{1}}, Options{}, ErrBadValue, "row 1"},
		{"share above one", Points{Times: []time.Time{day(2)}, Values: []float64{3}}, Options{Percent: true}, ErrBadValue, "above 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TimeSeries(tt.data, "Requests per day", tt.opts)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}
