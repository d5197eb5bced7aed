package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// boxText is boxes as one line each: label, value, change.
func boxText(boxes []format.Box) string {
	var out []string
	for _, b := range boxes {
		out = append(out, b.Label+": "+b.ValueText()+" "+b.Change())
	}
	return strings.Join(out, "\n")
}

// TestBoxes checks each report's boxes against figures counted here
// from a hand-made log and the one of the period before.
func TestBoxes(t *testing.T) {
	now := table(t, req("A", 2011, time.Hour), req("A", 2021, 2*time.Hour), req("B", 2011, 3*time.Hour), req("B", 2011, 4*time.Hour))
	prev := table(t, req("A", 2011, -time.Hour), req("A", 2011, -2*time.Hour))
	audit := &SeatReport{InUseAtStart: 1, Events: []SeatEvent{{InUse: 3}}, DeviceLimit: 2, Activations: 4}
	before := &SeatReport{InUseAtStart: 1, Activations: 4}
	mustBoxes := func(b []format.Box, err error) []format.Box {
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name  string
		boxes []format.Box
		want  string
	}{
		{"success", SuccessBoxes(now, prev), "Requests: 4 ▲ 100%\nSucceeded: 75.0% ▼ 25 pts\nFailed requests: 1 new"},
		{"heavy keys", mustBoxes(HeavyBoxes(now, prev, 0.3)), "Requests: 4 ▲ 100%\nKeys above 30%: 2 ▲ 100%\nDistinct friendly names: 1 no change"},
		{"seats", SeatBoxes(audit, before), "Peak seats in use: 3 ▲ 200%\nDevices refused, no free seat: 2 new\nOverdrafts: 0 no change\nSeats taken: 4 no change"},
		{"sharing", mustBoxes(SharingBoxes(now, prev)), "Requests: 4 ▲ 100%\nKeys used: 2 ▲ 100%\nFailure bursts: 0 no change"},
		{"logs", LogBoxes(now, &logs.Events{}, &logs.Objects{}), "Web API Log rows: 4 \nEvents Log rows: 0 \nObject Log entries: 0 "},
		{"timeline", TimelineBoxes(&KeyTimeline{Requests: 414, Failures: 414, KeyChanges: 2, Events: 7}, &KeyTimeline{Requests: 20, Failures: 3}),
			"Requests: 414 ▲ 21×\nFailed requests: 414 ▲ 138×\nChanges to the key: 2 \nEvents sent: 7 "},
		{"health", HealthBoxes(&Health{Checks: []HealthCheck{{Status: StatusOK}, {Status: StatusLook}}}, now),
			"Checks ok: 1 \nChecks to look at: 1 \nChecks bad: 0 \nWeb API Log rows: 4 "},
		{"success, nothing before", SuccessBoxes(now, &logs.WebAPI{}), "Requests: 4 \nSucceeded: 75.0% \nFailed requests: 1 "},
		{"seats, no audit before", SeatBoxes(audit, nil), "Peak seats in use: 3 \nDevices refused, no free seat: 2 \nOverdrafts: 0 \nSeats taken: 4 "},
		{"timeline, none before", TimelineBoxes(&KeyTimeline{Requests: 414, Failures: 414}, nil), "Requests: 414 \nFailed requests: 414 \nChanges to the key: 0 \nEvents sent: 0 "},
		{"inactive", InactiveBoxes(&KeyActivity{Rows: make([]LastSeen, 4)}, &KeyActivity{Rows: make([]LastSeen, 1)}),
			"Keys with activity: 4 \nInactive keys: 1 \nInactive share: 25.0% "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := boxText(tt.boxes); got != tt.want {
				t.Errorf("boxes\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestSummariesOfNothing: a section with nothing to report says so in a
// sentence rather than printing nothing.
func TestSummariesOfNothing(t *testing.T) {
	empty := &KeyTimeline{}
	tests := []struct{ name, got, want string }{
		{"refusals", (&SeatReport{}).RefusalsText(), "No overdrafts and no refused devices in the span.\n"},
		{"revenue", (&RevenueTable{}).Summary(), "No purchase events in the period.\n"},
		{"daily KPIs", (&KPIs{}).Summary(), "No daily aggregates in the period: widen it"},
		{"worst day", SuccessByDay(&logs.WebAPI{}).WorstText(), "No requests in the period."},
		{"failures", empty.FailuresText(), "No request of the key failed in the window.\n"},
		{"key changes", empty.KeyChangesText(), "No change was made to the key in the window.\n"},
		{"product changes", empty.ProductChangesText(), "No change was made to the key's product in the window.\n"},
		{"countries", (&Countries{}).Summary(), "Countries with requests: 0"},
		{"offline", (&Offline{}).Summary(), "Devices offline longer than their floating period: 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
