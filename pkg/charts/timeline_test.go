package charts

import (
	"strings"
	"testing"
	"time"
)

// story is a hand-written Marked: perDay's counts with marks.
type story struct {
	table
	first time.Time
	size  time.Duration
	marks []time.Time
	names []string
	skew  int // bucket whose start is off by an hour
}

func (s story) Start(i int) time.Time {
	t := s.first.Add(time.Duration(i) * s.size)
	if i == s.skew && i > 0 {
		t = t.Add(time.Hour)
	}
	return t
}
func (s story) BucketSize() time.Duration      { return s.size }
func (s story) MarkCount() int                 { return len(s.marks) }
func (s story) Mark(j int) (time.Time, string) { return s.marks[j], s.names[j] }

func blockedStory() story {
	return story{table: perDay(), first: day(1), size: 24 * time.Hour,
		marks: []time.Time{day(5).Add(9 * time.Hour), day(11).Add(12 * time.Hour)},
		names: []string{"Block false → true", "Notes \"\" → Invoice 9204"}}
}

func TestTimeline(t *testing.T) {
	p, err := Timeline(blockedStory(), "Requests of ABCDE-FGHIJ")
	if err != nil {
		t.Fatalf("Timeline: %v", err)
	}
	s := renderShape(t, p)
	// 14 days of each series; the colours are named on the value axis, not
	// in a legend that would cover late marks.
	checkShape(t, s, []string{"Requests of ABCDE-FGHIJ", "Requests (green success, red failure)", "Block false → true", "Notes \"\" → Invoice 9204"},
		map[string]int{hex(Colors()["Success"]): 14, hex(Colors()["Failure"]): 14})
	if s.has("Success") {
		t.Error("the timeline has a legend")
	}
	golden(t, "timeline_marks", s)

	plain := blockedStory()
	plain.marks, plain.names = nil, nil
	if p, err := Timeline(plain, "No changes"); err != nil || renderShape(t, p).has("Block false → true") {
		t.Errorf("a timeline without marks: %v", err)
	}
}

func TestTimelineRejects(t *testing.T) {
	outside := blockedStory()
	outside.marks[1] = day(20)
	gap := blockedStory()
	gap.skew = 3
	zero := blockedStory()
	zero.size = 0
	tests := []struct {
		name    string
		data    Marked
		wantErr error
		wantMsg string
	}{
		{"mark outside", outside, ErrBadValue, `row 1 ("Notes \"\" → Invoice 9204"): mark at 2026-11-20`},
		{"buckets out of step", gap, ErrBadValue, `row 3 ("Nov 04"): bucket starts at 2026-11-04 01:00:00`},
		{"no bucket size", zero, ErrBadValue, "bucket size 0s is not positive"},
		{"empty", story{table: table{series: []string{"Success"}}, size: time.Hour}, ErrNoData, "data is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Timeline(tt.data, "Requests")
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}

func TestGroupedBars(t *testing.T) {
	data := table{labels: []string{"product 5377, Oct 20", "key ABCDE, Oct 12", "product 4812, Oct 02"},
		series: []string{"Before", "After"}, values: [][]float64{{0.2, 0.46}, {0.05, 1}, {0.04, 0.08}}, share: true}
	p, err := GroupedBars(data, "Failure rate before and after each change")
	if err != nil {
		t.Fatalf("GroupedBars: %v", err)
	}
	s := renderShape(t, p)
	// Three bars per series plus a legend swatch each; values as percent.
	checkShape(t, s, []string{"Failure rate before and after each change", "Before", "After", "20.0%", "46.0%", "100%", "product 5377, Oct 20"},
		map[string]int{hex(Palette()[0]): 4, hex(Palette()[1]): 4})
	golden(t, "grouped_before_after", s)
}

func TestGroupedBarsRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    Stacked
		wantErr error
		wantMsg string
	}{
		{"empty", table{series: []string{"Before"}}, ErrNoData, "data is empty"},
		{"share above one", table{labels: []string{"c"}, series: []string{"Before", "After"}, values: [][]float64{{0.1, 1.5}}, share: true}, ErrBadValue, `row 0 ("c / After"): share 1.5 is above 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := GroupedBars(tt.data, "Failure rates")
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
	if _, err := GroupedBars(table{labels: []string{"c"}, series: []string{"a"}, values: [][]float64{{1}}}, "x", Options{}, Options{}); err == nil || !strings.Contains(err.Error(), "at most one") {
		t.Errorf("two Options: %v", err)
	}
}
