package charts

import (
	"math"
	"testing"
)

func TestStackedBars(t *testing.T) {
	p, err := StackedBars(perDay(), "Requests per day", Options{YLabel: "Requests per day"})
	if err != nil {
		t.Fatalf("StackedBars: %v", err)
	}
	s := renderShape(t, p)
	// 14 days of each series, plus one legend swatch each.
	checkShape(t, s, []string{"Requests per day", "Success", "Failure", "Nov 01", "Nov 13"},
		map[string]int{hex(Colors()["Success"]): 15, hex(Colors()["Failure"]): 15})
	if s.has("Nov 02") {
		t.Error("14 day labels should be thinned to every second day")
	}
	golden(t, "stacked_days", s)
}

func TestStackedBarsColours(t *testing.T) {
	data := table{labels: []string{"p1", "p2"}, series: []string{"Alpha", "Beta", "Unknown"},
		values: [][]float64{{1, 2, 3}, {4, 5, 6}}}
	p, err := StackedBars(data, "Per product")
	if err != nil {
		t.Fatal(err)
	}
	s := renderShape(t, p)
	// Unnamed series take palette colours by position; Unknown stays grey.
	checkShape(t, s, []string{"p1", "p2", "Alpha", "Beta", "Unknown"},
		map[string]int{hex(Palette()[0]): 3, hex(Palette()[1]): 3, hex(Colors()["Unknown"]): 3})
}

func TestStackedBarsRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    Stacked
		wantErr error
		wantMsg string
	}{
		{"no categories", table{series: []string{"Success"}}, ErrNoData, "data is empty"},
		{"no series", table{labels: []string{"d"}, values: [][]float64{{}}}, ErrNoData, "series list is empty"},
		{"NaN", table{labels: []string{"Nov 01"}, series: []string{"Success"}, values: [][]float64{{math.NaN()}}}, ErrBadValue, `row 0 ("Nov 01 / Success"): value is NaN`},
		{"negative", table{labels: []string{"d"}, series: []string{"a", "b"}, values: [][]float64{{1, -2}}}, ErrBadValue, "negative"},
		{"share above one", table{labels: []string{"d"}, series: []string{"a"}, values: [][]float64{{2}}, share: true}, ErrBadValue, "above 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := StackedBars(tt.data, "Requests per day")
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}
