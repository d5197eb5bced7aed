package charts

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestHistogram(t *testing.T) {
	p, err := Histogram(inactiveDays(), "Days since last activity", Options{XLabel: "Days since last activity", YLabel: "Keys"})
	if err != nil {
		t.Fatalf("Histogram: %v", err)
	}
	s := renderShape(t, p)
	// 200 values over 0..119: sqrt(200) -> 15 wanted, width 10, 12 bins,
	// of which two are empty in this fixture.
	// gonum draws empty bins too, as flat shapes.
	checkShape(t, s, []string{"Days since last activity", "Keys", "0", "100"}, map[string]int{hex(Palette()[0]): 12})
	golden(t, "histogram_days", s)
}

func TestBinValues(t *testing.T) {
	tests := []struct {
		name      string
		data      Values
		bins      int
		wantWidth float64
		want      string // min:weight per bin
	}{
		{"whole days never split below one, centred on each day", Values{0, 1, 1, 2, 2, 2}, 10, 1, "-0.5:1 0.5:2 1.5:3"},
		{"round width, whole-number bins", Values{3, 14, 15, 29, 41}, 4, 10, "-0.5:1 9.5:2 19.5:1 29.5:0 39.5:1"},
		{"fractions", Values{0.1, 0.25, 0.3, 0.9}, 4, 0.2, "0:1 0.2:2 0.4:0 0.6:0 0.8:1"},
		{"maximum lands in the last bin", Values{0, 10}, 2, 5, "-0.5:1 4.5:0 9.5:1"},
		{"one distinct value", Values{7, 7, 7}, 0, 1, "6.5:3"},
		{"negative values", Values{-5, -1, 3}, 2, 5, "-5.5:2 -0.5:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bins, width, _ := binValues(tt.data, tt.bins)
			got := ""
			for i, b := range bins {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%g:%g", math.Round(b.Min*1e9)/1e9, b.Weight)
			}
			if width != tt.wantWidth || got != tt.want {
				t.Errorf("binValues = width %g, %s; want width %g, %s", width, got, tt.wantWidth, tt.want)
			}
		})
	}
}

// TestHistogramLabelsEveryBar checks that a bin holding one value shows
// (its count is written above it) beside a bin of a thousand, that the
// numbers behind the chart list each whole-number bin, and that a
// reference line at a threshold is drawn with its label.
func TestHistogramLabelsEveryBar(t *testing.T) {
	data := make(Values, 0, 1001)
	for range 1000 {
		data = append(data, 1)
	}
	data = append(data, 7)
	p, err := Histogram(data, "Devices per key", Options{XLabel: "devices", YLabel: "keys",
		Lines: []Line{{Label: "limit 5", X: 5, Vertical: true}}})
	if err != nil {
		t.Fatal(err)
	}
	s := renderShape(t, p)
	checkShape(t, s, []string{"1,000", "1", "limit 5"}, nil)
	n, ok := NumbersOf(p)
	if !ok {
		t.Fatal("the histogram carries no numbers")
	}
	if got := fmt.Sprint(n.Rows[0], n.Rows[len(n.Rows)-1]); got != "[1 1,000] [7 1]" {
		t.Errorf("first and last bins = %s, want [1 1,000] [7 1]", got)
	}
	if !strings.Contains(n.AltText(), "Devices per key: 1,001 values in 7 bins from 1 to 7") {
		t.Errorf("alt text = %q", n.AltText())
	}
}

func TestHistogramRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    Sample
		opts    Options
		wantErr error
		wantMsg string
	}{
		{"empty", Values{}, Options{}, ErrNoData, "empty"},
		{"NaN", Values{1, math.NaN()}, Options{}, ErrBadValue, "row 1: value is NaN"},
		{"negative bins", Values{1}, Options{Bins: -2}, nil, "Bins is -2"},
		{"absurd bins", Values{1}, Options{Bins: 1e6}, nil, "want 1 to 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Histogram(tt.data, "Days since last activity", tt.opts)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}
