package analysis

import "testing"

func TestAnswers(t *testing.T) {
	seats := &SeatReport{Key: "K", MaxMachines: 5, InUseAtStart: 1, Events: []SeatEvent{{InUse: 3}, {InUse: 5}, {InUse: 4}}}
	refused := *seats
	refused.DeviceLimit = 2
	over := refused
	over.Overdrafts = 1
	health := &Health{Checks: []HealthCheck{{Status: StatusOK}, {Status: StatusLook, Log: "Web API Log", Check: "days without rows", Figure: "2 days"}, {Status: StatusOK}}}
	allOK := &Health{Checks: []HealthCheck{{Status: StatusOK}, {Status: StatusOK}}}
	all := &KeyActivity{Rows: []LastSeen{{Key: "A", DaysSilent: 95}, {Key: "B", DaysSilent: 40}, {Key: "C"}, {Key: "D"}}}
	quiet := &KeyActivity{Days: 30, Rows: all.Rows[:2]}
	heavy := &Ranking{Total: 12345, Rows: []Count{{Label: "K1", Share: 0.203}, {Label: "K2", Share: 0.05}}}
	features := &Features{Rows: []FeatureCount{{Feature: "Export", Events: 456, Machines: 78}, {Feature: "Print", Events: 12, Machines: 3}}}
	revenue := &RevenueTable{Rows: []RevenueRow{{Currency: "USD", ProductID: 1, Purchases: 2, Total: 2530}, {Currency: "EUR", ProductID: 1, Purchases: 1, Total: 999}, {Currency: "USD", ProductID: 2, Purchases: 1, Total: 100000}}}
	tests := []struct {
		name, got, want string
	}{
		{"seats, none refused", SeatAnswer(seats), "At most 5 of the 5 seats of K were in use at once; no device was refused and the license never went over its limit."},
		{"seats, some refused", SeatAnswer(&refused), "At most 5 of the 5 seats of K were in use at once; 2 devices were refused for want of a free seat, and the license never went over its limit."},
		{"seats, overdraft", SeatAnswer(&over), "At most 5 of the 5 seats of K were in use at once; 2 devices were refused for want of a free seat, and 1 seat was granted over the limit (overdraft)."},
		{"health, one to look at", HealthAnswer(health), "Look first: of 3 checks 1 needs a look and 0 are bad; the first is Web API Log / days without rows: 2 days."},
		{"health, all ok", HealthAnswer(allOK), "Yes: all 2 checks are ok."},
		{"inactive", InactiveAnswer(all, quiet), "2 of 4 keys (50.0%) have made no request for more than 30 days; the longest silent, A, for 95 days."},
		{"heavy keys", HeavyAnswer(heavy, 0.01), "2 keys each make more than 1.0% of the 12,345 requests, 25.3% of them together; the heaviest, K1, 20.3%."},
		{"features and revenue", FeatureAnswer(features, revenue), "468 events from 2 features; the most used, Export, 456 events on 78 machines; revenue 1,025.30 USD from 3 purchases, 9.99 EUR from 1 purchase."},
		{"features, counts in thousands", FeatureAnswer(&Features{Rows: []FeatureCount{{Feature: "Export", Events: 12345, Machines: 1200}}}, &RevenueTable{Rows: []RevenueRow{{Currency: "USD", Purchases: 2500, Total: 100}}}),
			"12,345 events from 1 feature; the most used, Export, 12,345 events on 1,200 machines; revenue 1.00 USD from 2,500 purchases."},
		{"heavy, thousands of keys", HeavyAnswer(&Ranking{Total: 123456, Rows: make([]Count, 1500)}, 0), "1,500 keys each make more than 0% of the 123,456 requests, 0% of them together; the heaviest, , 0%."},
		{"no events", FeatureAnswer(&Features{}, &RevenueTable{}), "No events were registered in the period."},
		{"heavy, none", HeavyAnswer(&Ranking{Total: 10}, 0.5), "No key makes more than 50.0% of the 10 requests."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got  %q\nwant %q", tt.got, tt.want)
			}
		})
	}
}
