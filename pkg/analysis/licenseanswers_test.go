package analysis

import (
	"testing"
	"time"
)

func TestLicenseAnswers(t *testing.T) {
	ents := &EntitlementSummary{Rows: []Entitlement{
		{Name: "product 1", Licenses: 400, Seats: 1000, PeakInUse: 800},
		{Name: "product 2", Licenses: 56, Seats: 234, PeakInUse: 180},
	}}
	unlimited := &EntitlementSummary{Rows: []Entitlement{{Name: "product 1", Licenses: 3, Unlimited: 3}}}
	ren := &RenewalList{Rows: []Renewal{
		{Key: "A", Within: 30, Use: InUse}, {Key: "B", Within: 30, Use: Unused}, {Key: "C", Within: 60, Use: InUse}, {Key: "D", Within: 90, Use: Fading},
	}}
	one := &RenewalList{Rows: ren.Rows[:1]}
	up := &UpsellList{Rows: []AtLimit{{Key: "K1", AtLimit: 12 * time.Hour}, {Key: "K2", AtLimit: time.Hour}}}
	funnel := &Funnel{Steps: []FunnelStep{{Licenses: 46, OfTrials: 1}, {Licenses: 30}, {Licenses: 10, OfTrials: 10.0 / 46}, {Licenses: 4}}}
	noTrials := &Funnel{Steps: []FunnelStep{{}, {}, {}, {}}}
	lost := &LostList{Days: 40, Rows: make([]Lost, 12)}
	tests := []struct {
		name, got, want string
	}{
		{"renewals", RenewalsAnswer(ents, ren, up),
			"Of the 1,234 seats purchased on 456 licenses, 79.4% were in use at the peak; 2 licenses expire within 30 days, 1 of them in use; 2 floating licenses ran out of seats, the longest K1, 12 h at its limit."},
		{"renewals, nothing due, no seat limits", RenewalsAnswer(unlimited, &RenewalList{}, &UpsellList{}),
			"None of the 3 licenses has a seat limit; none expires within 30 days; no floating license ran out of seats."},
		{"renewals, no licenses", RenewalsAnswer(&EntitlementSummary{}, &RenewalList{}, &UpsellList{}),
			"The license list holds no license for the report's scope."},
		{"trials", TrialsAnswer(funnel, lost),
			"Of the 46 trials created in the period, 30 were activated and 10 converted (21.7%); 12 licenses have gone silent for more than 40 days."},
		{"no trials, none lost", TrialsAnswer(noTrials, &LostList{Days: 60}),
			"No trial license was created in the period; no license has gone silent for more than 60 days."},
		{"customer", CustomerAnswer("Hallberg Systems AB", ents, one, &LostList{Days: 40, Rows: make([]Lost, 1)}),
			"Hallberg Systems AB holds 456 licenses with 1,234 seats, 79.4% of them in use at the peak; 1 license expires within 90 days, 1 of them in use; 1 license has gone silent for more than 40 days."},
		{"customer without seat limits", CustomerAnswer("Acme", unlimited, &RenewalList{}, &LostList{Days: 40}),
			"Acme holds 3 licenses without a seat limit; none expires within 90 days; no license has gone silent for more than 40 days."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got  %q\nwant %q", tt.got, tt.want)
			}
		})
	}
}
