package charts

import (
	"math"
	"testing"
	"time"
)

// kpis is three KPIs over a week.
func kpis() Lines {
	l := Lines{Names: []string{"Requests", "Active devices", "Active keys"}, Values: make([][]float64, 3)}
	for d := 1; d <= 7; d++ {
		l.Times = append(l.Times, day(d))
		l.Values[0] = append(l.Values[0], float64(100+10*d))
		l.Values[1] = append(l.Values[1], float64(40+d))
		l.Values[2] = append(l.Values[2], float64(12+d%3))
	}
	return l
}

func TestMultiTimeSeries(t *testing.T) {
	p, err := MultiTimeSeries(kpis(), "Daily KPIs")
	if err != nil {
		t.Fatal(err)
	}
	s := renderShape(t, p)
	pal := Palette()
	// Seven dots per line, each line in its own palette colour, and a
	// legend naming the three lines.
	checkShape(t, s, []string{"Daily KPIs", "Date (UTC)", "Count", "Requests", "Active devices", "Active keys", "Nov 02"},
		map[string]int{hex(pal[0]): 7, hex(pal[1]): 7, hex(pal[2]): 7})
	golden(t, "multiseries_kpis", s)

	t.Run("named colours", func(t *testing.T) {
		l := Lines{Times: []time.Time{day(1), day(2)}, Names: []string{"Success", "Failure"}, Values: [][]float64{{5, 6}, {1, 2}}}
		p, err := MultiTimeSeries(l, "Outcomes")
		if err != nil {
			t.Fatal(err)
		}
		s := renderShape(t, p)
		checkShape(t, s, []string{"Success", "Failure"}, map[string]int{hex(houseColors["Success"]): 2, hex(houseColors["Failure"]): 2})
	})
}

func TestMultiTimeSeriesRejects(t *testing.T) {
	two := []time.Time{day(1), day(2)}
	tests := []struct {
		name    string
		data    TimedSeries
		opts    Options
		wantErr error
		wantMsg string
	}{
		{"nil", nil, Options{}, ErrNoData, "data is empty"},
		{"no instants", Lines{Names: []string{"a"}}, Options{}, ErrNoData, "data is empty"},
		{"no series", Lines{Times: two}, Options{}, ErrNoData, "series list is empty"},
		{"unnamed series", Lines{Times: two, Names: []string{""}, Values: [][]float64{{1, 2}}}, Options{}, ErrBadValue, "series 0 has no name"},
		{"twice the same name", Lines{Times: two, Names: []string{"a", "a"}, Values: [][]float64{{1, 2}, {1, 2}}}, Options{}, ErrBadValue, `"a" is given twice`},
		{"short series", Lines{Times: two, Names: []string{"a", "b"}, Values: [][]float64{{1, 2}, {1}}}, Options{}, ErrBadValue, "row 1"},
		{"NaN", Lines{Times: two, Names: []string{"a"}, Values: [][]float64{{1, math.NaN()}}}, Options{}, ErrBadValue, "NaN"},
		{"out of order", Lines{Times: []time.Time{day(3), day(2)}, Names: []string{"a"}, Values: [][]float64{{1, 2}}}, Options{}, ErrBadValue, "before the previous row"},
		{"share above one", Lines{Times: two, Names: []string{"a"}, Values: [][]float64{{0.5, 2}}}, Options{Percent: true}, ErrBadValue, "above 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MultiTimeSeries(tt.data, "KPIs", tt.opts)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}
