package charts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// groups is a Stacked of seven method groups, as notebook 02 draws them.
type groups struct{}

var groupNames = []string{"activation", "deactivation", "floating license", "product management", "key management", "data objects", "other methods"}

func (groups) Len() int               { return len(groupNames) }
func (groups) Label(i int) string     { return groupNames[i] }
func (groups) Series() []string       { return []string{"Success", "Failure"} }
func (groups) Value(i, s int) float64 { return []float64{0.9, 0.1}[s] }
func (groups) Percent() bool          { return true }
func (groups) Total(i int) float64    { return 1 }

// TestStackedBarsNameEveryBar is the outcome share per method group of
// notebook 02, whose labels named 4 of 7 bars (activation had none).
func TestStackedBarsNameEveryBar(t *testing.T) {
	p, err := StackedBars(groups{}, "Outcome share per method group")
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, renderShape(t, p), groupNames, nil)
}

func TestRunsBreakAtMissingSteps(t *testing.T) {
	day := 86400.0
	xys := plotter.XYs{{X: 0, Y: 5}, {X: day, Y: 6}, {X: 2 * day, Y: 4}, {X: 5 * day, Y: 9}, {X: 6 * day, Y: 3}, {X: 8 * day, Y: 1}}
	var got []string
	for _, r := range runs(xys) {
		got = append(got, fmt.Sprint(len(r)))
	}
	if strings.Join(got, " ") != "3 2 1" {
		t.Errorf("runs = %v points each, want 3 2 1 (gaps after day 2 and day 6)", got)
	}
}

func TestDenseSeriesIsAggregated(t *testing.T) {
	start := time.Date(2026, 10, 7, 0, 0, 0, 0, time.UTC)
	var pts Points
	for i := range 1376 {
		pts.Times = append(pts.Times, start.Add(time.Duration(i)*30*time.Minute))
		pts.Values = append(pts.Values, float64(i%48))
	}
	p, err := TimeSeries(pts, "Seat refreshes per 30 minutes", Options{YLabel: "per 30 minutes"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "per 30 minutes (mean per 6 h; band: lowest to highest)"; p.Y.Label.Text != want {
		t.Errorf("value axis = %q, want %q", p.Y.Label.Text, want)
	}
	n, _ := NumbersOf(p)
	if n.Total != 1376 || len(n.Rows) != 1376 {
		t.Errorf("numbers keep %d of %d rows, want all 1376", len(n.Rows), n.Total)
	}
}

// TestReferenceLineShows is 04's peak seats "against the limit": the
// limit is drawn with its label even above every value.
func TestReferenceLineShows(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	pts := Points{Times: []time.Time{start, start.Add(time.Hour), start.Add(2 * time.Hour)}, Values: []float64{1, 2, 1}}
	p, err := TimeSeries(pts, "Peak seats per hour", Options{YLabel: "seats", Lines: []Line{{Label: "seat limit 5", Value: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max < 5 {
		t.Errorf("value axis stops at %g, below the limit 5", p.Y.Max)
	}
	checkShape(t, renderShape(t, p), []string{"seat limit 5"}, nil)
}

// TestPercentAxisFollowsItsLabel: a value axis that says "%" reads in
// percent, not 0 to 1.0.
func TestPercentAxisFollowsItsLabel(t *testing.T) {
	p, err := Bar(Bars{Labels: []string{"before", "after"}, Values: []float64{0.2, 0.46}}, "Failure rate", Options{YLabel: "Failure rate (%)"})
	if err != nil {
		t.Fatal(err)
	}
	s := renderShape(t, p)
	checkShape(t, s, []string{"20.0%", "46.0%", "40"}, nil)
	if s.has("0.4") || s.has("1.0") {
		t.Errorf("ticks read as fractions under a percent label: %q", s.Texts)
	}
}

func TestEveryChartCarriesItsNumbers(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	pts := Points{Times: []time.Time{start, start.Add(24 * time.Hour)}, Values: []float64{3, 4}}
	tests := []struct {
		name string
		make func() (Numbers, bool, error)
		alt  string
	}{
		{"bar", wrap(Bar(Bars{Labels: []string{"a", "b"}, Values: []float64{1, 2500}}, "Requests")), "Requests: 2 bars, from 1 (a) to 2,500 (b)"},
		{"top", wrap(TopN(Bars{Labels: []string{"a", "b", "c"}, Values: []float64{1, 2, 3}}, "Keys", Options{N: 2})), "Keys (top 2 of 3): 2 bars, from 2 (b) to 3 (c)"},
		{"stacked", wrap(StackedBars(groups{}, "Groups")), "Groups: 7 categories of Success, Failure (activation to other methods)"},
		{"series", wrap(TimeSeries(pts, "Per day")), "Per day: 2 points from 2026-11-01 to 2026-11-02; lowest 3 (2026-11-01), highest 4 (2026-11-02)"},
		{"histogram", wrap(Histogram(Values{1, 2, 2}, "Days")), "Days: 3 values in 2 bins from 1 to 2; most (2) in 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok, err := tt.make()
			if err != nil || !ok {
				t.Fatalf("numbers: ok %v, %v", ok, err)
			}
			if n.AltText() != tt.alt {
				t.Errorf("alt text = %q, want %q", n.AltText(), tt.alt)
			}
			if len(n.Rows) == 0 || len(n.Rows[0]) != len(n.Columns) {
				t.Errorf("table of %d columns has rows %q", len(n.Columns), n.Rows)
			}
		})
	}
}

// wrap turns a constructor's result into a function returning its numbers.
func wrap(p *plot.Plot, err error) func() (Numbers, bool, error) {
	return func() (Numbers, bool, error) {
		if err != nil {
			return Numbers{}, false, err
		}
		n, ok := NumbersOf(p)
		return n, ok, nil
	}
}
