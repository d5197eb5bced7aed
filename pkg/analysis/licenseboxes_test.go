package analysis

import (
	"testing"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// TestLicenseBoxes: each license report's boxes hold the analyses'
// figures, and compare with the previous period only when there is one
// (an empty prev: the log holds none of it), the list's own counts never.
func TestLicenseBoxes(t *testing.T) {
	l := listOf(t)
	acme, err := l.OfCustomer(1)
	if err != nil {
		t.Fatal(err)
	}
	api := periodTable(t, node("A", "m1", 5*day), node("A", "m2", 6*day), node("B", "m3", 10*day), node("D", "m4", 20*day))
	prev := table(t, node("A", "m1", -80*day), node("C", "m5", -70*day))
	prev.Period = logs.Window{From: period.From.Add(-90 * day), To: period.From}
	used := func(l LicenseList, api *logs.WebAPI) float64 {
		e, err := Entitlements(l, api, ByProduct)
		if err != nil {
			t.Fatal(err)
		}
		return e.Total().Used
	}
	lost := func(l LicenseList, api *logs.WebAPI) float64 {
		r, err := LostLicenses(l, api, 0)
		if err != nil {
			t.Fatal(err)
		}
		return float64(r.Len())
	}
	funnel := func(api *logs.WebAPI) []float64 {
		f, err := TrialFunnel(l, api, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return []float64{float64(f.Step(0)), f.Steps[2].OfTrials, lost(l, api)}
	}
	tests := []struct {
		name     string
		boxes    func(prev *logs.WebAPI) ([]format.Box, error)
		figures  func(api *logs.WebAPI) []float64 // the figures over a period
		compared []bool                           // the boxes that compare when there is a prev
	}{
		{"renewals", func(prev *logs.WebAPI) ([]format.Box, error) { return RenewalBoxes(l, api, prev) },
			func(p *logs.WebAPI) []float64 {
				return []float64{4, used(l, p), float64(Renewals(l, api).Count(30, "")), float64(Upsell(l, p).Len())}
			},
			[]bool{false, true, false, true}},
		{"trials", func(prev *logs.WebAPI) ([]format.Box, error) { return TrialBoxes(l, api, prev, 0, 0, 0) },
			funnel, []bool{true, true, true}},
		{"customer", func(prev *logs.WebAPI) ([]format.Box, error) {
			return CustomerBoxes(acme, acme.Requests(api), acme.Requests(prev))
		},
			func(p *logs.WebAPI) []float64 {
				p = acme.Requests(p)
				return []float64{2, used(acme, p), float64(Renewals(acme, api).Count(90, "")), lost(acme, p)}
			},
			[]bool{false, true, false, true}},
	}
	for _, tt := range tests {
		for _, p := range []*logs.WebAPI{{}, prev} {
			name := tt.name + ", no previous period"
			if p.Len() > 0 {
				name = tt.name + ", with one"
			}
			t.Run(name, func(t *testing.T) {
				boxes, err := tt.boxes(p)
				if err != nil {
					t.Fatal(err)
				}
				now := tt.figures(api)
				if len(boxes) != len(now) {
					t.Fatalf("%d boxes, want %d", len(boxes), len(now))
				}
				for i, b := range boxes {
					if b.Value != now[i] {
						t.Errorf("%s = %v, want %v", b.Label, b.Value, now[i])
					}
					if want := p.Len() > 0 && tt.compared[i]; b.HasPrevious != want {
						t.Errorf("%s compares: %v, want %v", b.Label, b.HasPrevious, want)
					}
					if b.HasPrevious {
						if before := tt.figures(p)[i]; b.Previous != before {
							t.Errorf("%s was %v, want %v", b.Label, b.Previous, before)
						}
					}
				}
			})
		}
	}
}
