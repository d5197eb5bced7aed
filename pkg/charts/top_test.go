package charts

import (
	"fmt"
	"testing"
)

func TestTopN(t *testing.T) {
	tests := []struct {
		name      string
		data      Labeled
		opts      Options
		golden    string
		wantTitle string
		wantBars  int
		wantTexts []string
		notTexts  []string
	}{
		{
			name:      "default keeps 20 and says so",
			data:      heavyKeys(),
			opts:      Options{XLabel: "Requests (30 days)"},
			golden:    "top_keys",
			wantTitle: "Heaviest keys (top 20 of 30)",
			wantBars:  20,
			wantTexts: []string{"KEY00-ABCDE-FGHIJ-KLMNO", "1,000", "KEY19-ABCDE-FGHIJ-KLMNO", "a.very.long.friendly.n…company.com"},
			notTexts:  []string{"KEY20-ABCDE-FGHIJ-KLMNO"},
		},
		{
			name:      "N larger than data keeps the title",
			data:      Bars{Labels: []string{"b", "a", "c"}, Values: []float64{2, 5, 1}},
			opts:      Options{N: 10},
			wantTitle: "Heaviest keys",
			wantBars:  3,
			wantTexts: []string{"a", "b", "c", "5", "2", "1"},
		},
		{
			name:      "shares as percentages",
			data:      Bars{Labels: []string{"x", "y", "z"}, Values: []float64{0.5, 0.3, 0.2}, Share: true},
			opts:      Options{N: 2},
			wantTitle: "Heaviest keys (top 2 of 3)",
			wantBars:  2,
			wantTexts: []string{"50.0%", "30.0%", "Share (%)"},
			notTexts:  []string{"20.0%"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := TopN(tt.data, "Heaviest keys", tt.opts)
			if err != nil {
				t.Fatalf("TopN: %v", err)
			}
			s := renderShape(t, p)
			checkShape(t, s, append(tt.wantTexts, tt.wantTitle), map[string]int{hex(Palette()[0]): tt.wantBars})
			for _, no := range tt.notTexts {
				if s.has(no) {
					t.Errorf("text %q should have been cut", no)
				}
			}
			if tt.golden != "" {
				golden(t, tt.golden, s)
			}
		})
	}
}

func TestTopNOrder(t *testing.T) {
	data := Bars{Labels: []string{"b", "a", "c", "d"}, Values: []float64{2, 5, 2, 9}}
	got := fmt.Sprint(topRows(data, 3))
	// Largest last (drawn on top); the tie between b and c keeps data order.
	if want := "[0 1 3]"; got != want {
		t.Errorf("topRows = %s, want %s", got, want)
	}
}

func TestTopNRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    Labeled
		opts    Options
		wantErr error
		wantMsg string
	}{
		{"empty", Bars{}, Options{}, ErrNoData, "empty"},
		{"negative N", Bars{Labels: []string{"a"}, Values: []float64{1}}, Options{N: -1}, nil, "N is -1"},
		{"negative value", Bars{Labels: []string{"a", "k"}, Values: []float64{1, -1}}, Options{}, ErrBadValue, `row 1 ("k")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TopN(tt.data, "Heaviest keys", tt.opts)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"ABCDE-FGHIJ", 20, "ABCDE-FGHIJ"},
		{"someone.with.a.long.name@example.com", 16, "someone.wi…e.com"},
		{"åäöåäöåäöåäö", 7, "åäöå…äö"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := shorten(tt.in, tt.n); got != tt.want {
				t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}
