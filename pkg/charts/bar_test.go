package charts

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestBar(t *testing.T) {
	tests := []struct {
		name      string
		data      Labeled
		opts      []Options
		golden    string
		wantTexts []string
		wantFills map[string]int // colour -> filled shapes of it
	}{
		{
			name:      "success ratio as percentages",
			data:      Bars{Labels: []string{"Success", "Failure"}, Values: []float64{0.87, 0.13}, Share: true},
			golden:    "bar_share",
			wantTexts: []string{"Successful vs. unsuccessful API requests", "Share (%)", "87.0%", "13.0%", "Success", "Failure"},
			wantFills: map[string]int{hex(Colors()["Success"]): 1, hex(Colors()["Failure"]): 1},
		},
		{
			name:      "counts per state with option percent off",
			data:      Bars{Labels: []string{"2014", "2015", "2024", "6011"}, Values: []float64{1200, 35, 7, 1180}},
			opts:      []Options{{XLabel: "State code", YLabel: "Requests"}},
			golden:    "bar_counts",
			wantTexts: []string{"State code", "Requests", "1,200", "35", "7", "1,180"},
			wantFills: map[string]int{hex(Palette()[0]): 4},
		},
		{
			name:      "Percent option on plain shares",
			data:      Bars{Labels: []string{"a", "b"}, Values: []float64{0.25, 0.75}},
			opts:      []Options{{Percent: true}},
			wantTexts: []string{"25.0%", "75.0%"},
		},
		{
			name:      "zero bar is labelled but not drawn",
			data:      Bars{Labels: []string{"Success", "Failure"}, Values: []float64{10, 0}},
			wantTexts: []string{"10", "0"},
			wantFills: map[string]int{hex(Colors()["Success"]): 1, hex(Colors()["Failure"]): 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title := "Successful vs. unsuccessful API requests"
			p, err := Bar(tt.data, title, tt.opts...)
			if err != nil {
				t.Fatalf("Bar: %v", err)
			}
			s := renderShape(t, p)
			checkShape(t, s, tt.wantTexts, tt.wantFills)
			if tt.golden != "" {
				golden(t, tt.golden, s)
			}
		})
	}
}

func TestBarRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    Labeled
		opts    []Options
		wantErr error
		wantMsg string
	}{
		{"nil data", nil, nil, ErrNoData, "data is empty"},
		{"no rows", Bars{}, nil, ErrNoData, "data is empty"},
		{"NaN", Bars{Labels: []string{"a", "b"}, Values: []float64{1, math.NaN()}}, nil, ErrBadValue, `row 1 ("b"): value is NaN`},
		{"infinite", Bars{Labels: []string{"a"}, Values: []float64{math.Inf(1)}}, nil, ErrBadValue, "infinite"},
		{"negative count", Bars{Labels: []string{"k"}, Values: []float64{-3}}, nil, ErrBadValue, `row 0 ("k"): value -3 is negative`},
		{"share above one", Bars{Labels: []string{"a"}, Values: []float64{1.5}, Share: true}, nil, ErrBadValue, "share 1.5 is above 1"},
		{"fewer values than labels", Bars{Labels: []string{"a", "b"}, Values: []float64{1}}, nil, ErrBadValue, `row 1 ("b"): value is NaN`},
		{"two options", Bars{Labels: []string{"a"}, Values: []float64{1}}, []Options{{}, {}}, nil, "at most one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Bar(tt.data, "Requests", tt.opts...)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}

// checkShape asserts texts are present and fill colours counted exactly.
func checkShape(t *testing.T, s svgShape, texts []string, fills map[string]int) {
	t.Helper()
	for _, want := range texts {
		if !s.has(want) {
			t.Errorf("text %q missing; texts: %q", want, s.Texts)
		}
	}
	for c, n := range fills {
		if s.Fills[c] != n {
			t.Errorf("%d shapes filled %s, want %d", s.Fills[c], c, n)
		}
	}
}

// checkErr asserts err wraps want (if set) and mentions msg.
func checkErr(t *testing.T, err, want error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", msg)
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q does not wrap %v", err, want)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not mention %q", err, msg)
	}
}
