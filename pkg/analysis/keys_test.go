package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

func TestInactiveLicenses(t *testing.T) {
	day := 24 * time.Hour
	now := t0.Add(100 * day)
	future := req("F", 2010, 101*day)
	api := table(t,
		req("OLD", 2010, 10*day), req("OLD", 2010, 20*day), // silent 80 days
		req("EDGE", 2010, 70*day),             // silent exactly 30 days: not more than 30
		req("JUST", 2010, 70*day-time.Second), // silent 30 days and a second
		req("NEW", 2010, 99*day),
		future, // after now: not activity as of now
	)
	tests := []struct {
		name string
		days int
		want []string
	}{
		{"default 30 days", 0, []string{"OLD", "JUST"}},
		{"60 days", 60, []string{"OLD"}},
		{"1 day", 1, []string{"OLD", "JUST", "EDGE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := InactiveLicenses(api, now, tt.days)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := range a.Len() {
				got = append(got, a.Label(i))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("inactive = %v, want %v", got, tt.want)
			}
		})
	}
	all := LastActivity(api, now)
	if all.Len() != 4 || all.Rows[0].Key != "OLD" || all.Rows[0].Requests != 2 || all.Rows[0].DaysSilent != 80 || all.Value(0) != 80 {
		t.Errorf("last activity = %+v", all.Rows)
	}
	if _, err := InactiveLicenses(api, now, -1); err == nil {
		t.Error("negative days accepted")
	}
}

func TestKeySharing(t *testing.T) {
	var rows []row
	add := func(key, machine, ip string, state cryptolens.State) {
		r := req(key, state, 0)
		r.MachineCode, r.IP = machine, ip
		rows = append(rows, r)
	}
	for i := range 37 {
		add("SHARED", "m"+string(rune('a'+i%26))+string(rune('a'+i/26)), "ip"+string(rune('a'+i%12)), 2014)
	}
	for range 40 {
		add("SHARED", "", "", 2024)
	}
	add("SHARED", "maa", "ipa", 2015)
	add("NORMAL", "x", "1.2.3.0", 2014)
	add("NORMAL", "x", "1.2.3.0", 2014)
	add("TEAM", "t1", "5.6.7.0", 2014)
	add("TEAM", "t2", "5.6.7.0", 2014)
	add("TEAM", "t3", "5.6.7.0", 2024)

	s := KeySharing(table(t, rows...))
	if s.Len() != 3 || s.Rows[0].Key != "SHARED" || s.Rows[1].Key != "TEAM" || s.Rows[2].Key != "NORMAL" {
		t.Fatalf("order = %+v", s.Rows)
	}
	top := s.Rows[0]
	if top.Machines != 37 || top.IPs != 12 || top.NoFreeSeat != 40 || top.Overdrafts != 1 {
		t.Errorf("shared = %+v", top)
	}
	if top.Reason != "37 machines, 12 IPs, 1 overdraft, 40 no-free-seat" {
		t.Errorf("reason = %q", top.Reason)
	}
	if s.Rows[2].Score != 3 || s.Rows[2].Reason != "1 machine, 1 IP" {
		t.Errorf("a one-machine key scores 3: %+v", s.Rows[2])
	}
	if got := s.Top(1); got.Len() != 1 || got.Label(0) != "SHARED" || got.Value(0) != top.Score {
		t.Errorf("Top(1) = %+v", got.Rows)
	}
}
