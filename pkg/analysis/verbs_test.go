package analysis_test

import (
	"slices"
	"testing"

	"github.com/lenslog/lenslog/pkg/analysis"
)

func TestLargest(t *testing.T) {
	type row struct {
		name string
		v    int
	}
	rows := []row{{"a", 2}, {"b", 5}, {"c", 2}, {"d", 9}}
	names := func(rs []row) []string {
		t.Helper()
		var out []string
		for _, r := range rs {
			out = append(out, r.name)
		}
		return out
	}
	tests := []struct {
		name string
		n    int
		want []string
	}{
		{"top two", 2, []string{"d", "b"}},
		{"ties keep their order", 4, []string{"d", "b", "a", "c"}},
		{"more than there are", 10, []string{"d", "b", "a", "c"}},
		{"negative ranks all", -1, []string{"d", "b", "a", "c"}},
		{"none", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(analysis.Largest(rows, tt.n, func(r row) int { return r.v }))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Largest(%d) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
	if got := names(rows); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("Largest reordered its input: %v", got)
	}
}
