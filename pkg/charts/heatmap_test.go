package charts

import (
	"math"
	"testing"

	"gonum.org/v1/plot/palette/brewer"
)

func TestHeatMap(t *testing.T) {
	p, err := HeatMap(weekHours(), "Requests by weekday and hour", Options{XLabel: "Hour of day (UTC)", ValueLabel: "Requests"})
	if err != nil {
		t.Fatalf("HeatMap: %v", err)
	}
	s := renderShape(t, p)
	checkShape(t, s, []string{"Requests by weekday and hour", "Hour of day (UTC)", "Requests", "Mon", "Sun", "00", "23", "0", "60"}, nil)
	cells := 0
	for _, c := range (heatPalette{}).Colors() {
		cells += s.Fills[hex(c)]
	}
	// 7 x 24 cells plus one swatch per colour of the scale.
	if want := 7*24 + heatLevels; cells != want {
		t.Errorf("%d shapes in heat colours, want %d", cells, want)
	}
	golden(t, "heatmap_week", s)
}

func TestHeatMapRowOrder(t *testing.T) {
	m := matrix{rows: []string{"top", "bottom"}, cols: []string{"c"}, z: [][]float64{{1}, {2}}}
	g := gridXYZ{m}
	// gonum's row 0 is the bottom: our last row.
	if g.Z(0, 0) != 2 || g.Z(0, 1) != 1 {
		t.Errorf("gridXYZ rows: Z(0,0)=%v Z(0,1)=%v, want 2 and 1", g.Z(0, 0), g.Z(0, 1))
	}
}

func TestHeatMapRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    Grid
		wantErr error
		wantMsg string
	}{
		{"nil", nil, ErrNoData, "grid is empty"},
		{"no columns", matrix{rows: []string{"Mon"}, z: [][]float64{{}}}, ErrNoData, "grid is empty"},
		{"NaN cell", matrix{rows: []string{"Mon"}, cols: []string{"00", "01"}, z: [][]float64{{1, math.NaN()}}}, ErrBadValue, `row 0 ("Mon / 01"): value is NaN`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := HeatMap(tt.data, "Requests by weekday and hour")
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}

func TestHeatMapAllZero(t *testing.T) {
	m := matrix{rows: []string{"Mon"}, cols: []string{"00"}, z: [][]float64{{0}}}
	p, err := HeatMap(m, "Quiet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PNG(p, 0, 0); err != nil {
		t.Errorf("an all-zero grid should render: %v", err)
	}
}

// TestHeatColorsAreBrewer checks the written-out heat colours against
// gonum's copy of ColorBrewer's YlOrRd, which the charts no longer link.
func TestHeatColorsAreBrewer(t *testing.T) {
	want, err := brewer.GetPalette(brewer.TypeSequential, "YlOrRd", heatLevels)
	if err != nil {
		t.Fatalf("brewer: %v", err)
	}
	got := (heatPalette{}).Colors()
	if len(got) != len(want.Colors()) {
		t.Fatalf("%d heat colours, brewer has %d", len(got), len(want.Colors()))
	}
	for i, c := range want.Colors() {
		if hex(got[i]) != hex(c) {
			t.Errorf("heat colour %d is %s, brewer's YlOrRd has %s", i, hex(got[i]), hex(c))
		}
	}
}
