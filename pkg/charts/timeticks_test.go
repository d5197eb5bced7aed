package charts

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST case must not depend on the machine's zoneinfo

	"gonum.org/v1/plot"
)

func TestTimeTicks(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		from, to   string
		loc        *time.Location
		want       string // major labels, "|" separated
		wantMinors int    // -1: don't check
	}{
		{"45 minutes", "2026-11-02 10:05", "2026-11-02 10:50", nil,
			"Nov 02 10:10|10:20|10:30|10:40|10:50", 5},
		{"6 hours", "2026-11-02 09:30", "2026-11-02 15:30", nil,
			"Nov 02 10:00|11:00|12:00|13:00|14:00|15:00", 19},
		{"one day", "2026-11-02 00:00", "2026-11-03 00:00", nil,
			"Nov 02 00:00|06:00|12:00|18:00|Nov 03 00:00", 20},
		{"30 hours crossing midnight", "2026-11-02 18:00", "2026-11-04 00:00", nil,
			"Nov 02 18:00|Nov 03 00:00|06:00|12:00|18:00|Nov 04 00:00", -1},
		{"one week", "2026-11-02 00:00", "2026-11-09 00:00", nil,
			"Nov 02|Nov 03|Nov 04|Nov 05|Nov 06|Nov 07|Nov 08|Nov 09", 21},
		{"30 days on Mondays", "2026-11-01 00:00", "2026-11-30 00:00", nil,
			"Nov 02|Nov 09|Nov 16|Nov 23|Nov 30", 25},
		{"30 days over new year", "2026-12-15 00:00", "2027-01-14 00:00", nil,
			"Dec 21 2026|Dec 28|Jan 04 2027|Jan 11", -1},
		{"four months", "2026-09-15 00:00", "2027-01-20 00:00", nil,
			"Oct 2026|Nov|Dec|Jan 2027", 0},
		{"a year by two months", "2026-01-01 00:00", "2027-01-01 00:00", nil,
			"Jan 2026|Mar|May|Jul|Sep|Nov|Jan 2027", 6},
		{"ten years", "2016-06-01 00:00", "2026-06-01 00:00", nil,
			"2018|2020|2022|2024|2026", 5},
		{"hours across a DST change stay on the hour", "2026-10-24 22:00", "2026-10-25 22:00", stockholm,
			"Oct 25 00:00|03:00|06:00|09:00|12:00|15:00|18:00|21:00", -1},
		{"days at local midnight", "2026-11-01 23:00", "2026-11-07 23:00", stockholm,
			"Nov 02|Nov 03|Nov 04|Nov 05|Nov 06|Nov 07|Nov 08", 18},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ticks := TimeTicks{Location: tt.loc}.Ticks(unixSeconds(at(tt.from)), unixSeconds(at(tt.to)))
			major, minors := splitTicks(ticks)
			if got := strings.Join(major, "|"); got != tt.want {
				t.Errorf("major ticks\n got %s\nwant %s", got, tt.want)
			}
			if tt.wantMinors >= 0 && minors != tt.wantMinors {
				t.Errorf("%d minor ticks, want %d", minors, tt.wantMinors)
			}
			checkTicksInRange(t, ticks, unixSeconds(at(tt.from)), unixSeconds(at(tt.to)))
		})
	}
}

func TestTimeTicksMax(t *testing.T) {
	from := unixSeconds(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	for _, most := range []int{2, 4, 8, 12} {
		for _, span := range []time.Duration{time.Hour, 36 * time.Hour, 40 * 24 * time.Hour, 900 * 24 * time.Hour} {
			major, _ := splitTicks(TimeTicks{Max: most}.Ticks(from, from+span.Seconds()))
			if len(major) > most {
				t.Errorf("Max %d, span %v: %d major ticks %q", most, span, len(major), major)
			}
			if len(major) == 0 {
				t.Errorf("Max %d, span %v: no major ticks", most, span)
			}
		}
	}
}

func TestTimeTicksDegenerate(t *testing.T) {
	v := unixSeconds(time.Date(2026, 11, 2, 15, 4, 0, 0, time.UTC))
	ticks := TimeTicks{}.Ticks(v, v)
	if len(ticks) != 1 || ticks[0].Label != "Nov 02 2026 15:04" {
		t.Errorf("empty span: ticks %v, want one labelled Nov 02 2026 15:04", ticks)
	}
}

func splitTicks(ticks []plot.Tick) (major []string, minors int) {
	for _, tk := range ticks {
		if tk.IsMinor() {
			minors++
		} else {
			major = append(major, tk.Label)
		}
	}
	return major, minors
}

func checkTicksInRange(t *testing.T, ticks []plot.Tick, lo, hi float64) {
	t.Helper()
	for _, tk := range ticks {
		if tk.Value < lo || tk.Value > hi {
			t.Errorf("tick %q at %v outside [%v, %v]", tk.Label, tk.Value, lo, hi)
		}
	}
}

func BenchmarkTimeTicks(b *testing.B) {
	from := unixSeconds(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	to := from + (30 * 24 * time.Hour).Seconds()
	for b.Loop() {
		TimeTicks{}.Ticks(from, to)
	}
}
