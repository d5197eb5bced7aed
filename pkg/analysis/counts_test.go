package analysis

import (
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// keysTable has 200 requests: A 150, B 40, C 8, D 2 (exactly 1%).
func keysTable(t *testing.T) []row {
	t.Helper()
	var rows []row
	for key, n := range map[string]int{"A": 150, "B": 40, "C": 8, "D": 2} {
		for range n {
			rows = append(rows, req(key, 2010, 0))
		}
	}
	return rows
}

func TestHeaviestKeys(t *testing.T) {
	tests := []struct {
		name     string
		minShare float64
		want     []string
	}{
		{"default 1% is strictly over", 0, []string{"A", "B", "C"}},
		{"explicit 1%", 0.01, []string{"A", "B", "C"}},
		{"5%", 0.05, []string{"A", "B"}},
		{"just under D's share", 0.0099, []string{"A", "B", "C", "D"}},
		{"nothing above 75%", 0.75, nil},
	}
	api := table(t, keysTable(t)...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := HeaviestKeys(api, tt.minShare)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := range r.Len() {
				got = append(got, r.Label(i))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("keys = %v, want %v", got, tt.want)
			}
			if r.Total != 200 || !r.Percent() {
				t.Errorf("Total = %d, Percent = %v", r.Total, r.Percent())
			}
			if r.Len() > 0 && !near(r.Value(0), 0.75) {
				t.Errorf("A's share = %v, want 0.75", r.Value(0))
			}
		})
	}
}

func TestHeaviestKeysRejectsBadShare(t *testing.T) {
	for _, s := range []float64{-0.1, 1, 2} {
		if _, err := HeaviestKeys(nil, s); err == nil || !strings.Contains(err.Error(), "minShare") {
			t.Errorf("HeaviestKeys(%v) error = %v, want one naming minShare", s, err)
		}
	}
}

func TestRequestsByState(t *testing.T) {
	api := table(t, req("A", 2024, 0), req("A", 2024, 0), req("A", 3010, 0), req("A", 7011, 0), req("A", 7011, 0))
	r := RequestsByState(api)
	want := []Count{
		{Label: "2024", Note: cryptolens.State(2024).Description(), Requests: 2, Share: 0.4},
		{Label: "7011", Note: "license change succeeded (code 7011: detail not documented)", Requests: 2, Share: 0.4},
		{Label: "3010", Note: "key created", Requests: 1, Share: 0.2},
	}
	if len(r.Rows) != len(want) {
		t.Fatalf("rows = %+v", r.Rows)
	}
	for i := range want {
		if r.Rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, r.Rows[i], want[i])
		}
	}
	if r.Value(0) != 2 || r.Percent() {
		t.Errorf("state values are counts: %v %v", r.Value(0), r.Percent())
	}
	recs := readCSV(t, r)
	if strings.Join(recs[0], ",") != "State,Description,Requests,Share" || recs[3][3] != "0.2" {
		t.Errorf("csv = %v", recs)
	}
}

func TestRequestsByGroupAndName(t *testing.T) {
	a := req("A", 2010, 0)
	a.FriendlyName = "alice"
	api := table(t, a, a, req("A", 8011, 0), req("A", 2020, 0))
	g := RequestsByGroup(api)
	if g.Rows[0].Label != "activation" || g.Rows[0].Requests != 3 || g.Rows[1].Label != "data object" {
		t.Errorf("groups = %+v", g.Rows)
	}
	n := RequestsByFriendlyName(api)
	if n.Rows[0].Label != "(none)" || n.Rows[0].Requests != 2 || n.Rows[1].Label != "alice" {
		t.Errorf("names = %+v", n.Rows)
	}
	if top := n.Top(1); top.Len() != 1 || top.Total != 4 || n.Len() != 2 {
		t.Errorf("Top(1) = %+v", top)
	}
	if n.Top(-1).Len() != 0 || n.Top(10).Len() != 2 {
		t.Error("Top out of range")
	}
}
