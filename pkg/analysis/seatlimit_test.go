package analysis

import (
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

func TestInferSeatLimit(t *testing.T) {
	const t0 = int64(1_790_000_000)
	seat := func(id int64, at int64, state cryptolens.State, machine string) cryptolens.WebAPILogRow {
		r := cryptolens.WebAPILogRow{ID: id, Key: "K", Time: t0 + at, State: state, MachineCode: machine}
		if state == 2014 || state == 2015 {
			r.FloatingExpires = t0 + at + 3600
		}
		return r
	}
	tests := []struct {
		name  string
		rows  []cryptolens.WebAPILogRow
		limit int
	}{
		{"refusal names the limit", []cryptolens.WebAPILogRow{
			seat(1, 0, 2014, "a"), seat(2, 10, 2014, "b"), seat(3, 20, 2024, "c"),
			seat(4, 30, 6011, "a"), seat(5, 40, 2014, "c"),
		}, 2},
		{"peak without refusal", []cryptolens.WebAPILogRow{
			seat(1, 0, 2014, "a"), seat(2, 10, 2014, "b"), seat(3, 20, 2014, "c"), seat(4, 30, 6011, "a"),
		}, 3},
		{"overdraft names the limit", []cryptolens.WebAPILogRow{
			seat(1, 0, 2014, "a"), seat(2, 10, 2014, "b"), seat(3, 20, 2015, "c"),
			seat(4, 30, 2024, "d"), seat(5, 40, 2015, "c"),
		}, 2},
		{"within the limit beats a low refusal", []cryptolens.WebAPILogRow{
			seat(1, 0, 2014, "a"), seat(2, 10, 2014, "b"), seat(3, 20, 6011, "b"), seat(4, 30, 2024, "c"),
		}, 2},
		{"only a refusal: seats taken before", []cryptolens.WebAPILogRow{
			seat(1, 0, 2024, "c"),
		}, 1},
		{"only a release: seats taken before", []cryptolens.WebAPILogRow{
			seat(1, 0, 6011, "a"),
		}, 1},
		{"no seat activity", []cryptolens.WebAPILogRow{
			{ID: 1, Key: "K", Time: t0, State: 3010},
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &logs.WebAPI{}
			api.Append(tt.rows...)
			got, how, err := InferSeatLimit(during(api, logs.Window{}), "K")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.limit || how == "" {
				t.Errorf("InferSeatLimit = %d (%q), want %d", got, how, tt.limit)
			}
		})
	}
}

func TestBusiestFloatingKey(t *testing.T) {
	api := &logs.WebAPI{}
	api.Append(
		cryptolens.WebAPILogRow{ID: 1, Key: "B", State: 2014},
		cryptolens.WebAPILogRow{ID: 2, Key: "A", State: 2024},
		cryptolens.WebAPILogRow{ID: 3, Key: "C", State: 2011}, // node-locked: not a seat row
		cryptolens.WebAPILogRow{ID: 4, Key: "C", State: 2011},
		cryptolens.WebAPILogRow{ID: 5, Key: "C", State: 2011},
	)
	if got := BusiestFloatingKey(api); got != "A" {
		t.Errorf("BusiestFloatingKey = %q, want A (tied with B, smaller)", got)
	}
	api.Append(cryptolens.WebAPILogRow{ID: 6, Key: "B", State: 6011})
	if got := BusiestFloatingKey(api); got != "B" {
		t.Errorf("BusiestFloatingKey = %q, want B", got)
	}
	if got := BusiestFloatingKey(&logs.WebAPI{}); got != "" {
		t.Errorf("empty log: %q", got)
	}
}
