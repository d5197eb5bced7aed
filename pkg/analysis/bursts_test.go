package analysis

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// burstRows gives key K a 100-hour span with one failure every 10 hours
// and the given extra failures at the given hours.
func burstRows(extra map[int]int, state cryptolens.State) []row {
	var rows []row
	for hr := 0; hr < 100; hr++ {
		s := cryptolens.State(2010)
		if hr%10 == 5 {
			s = 2020
		}
		rows = append(rows, req("K", s, time.Duration(hr)*h))
		for range extra[hr] {
			rows = append(rows, req("K", state, time.Duration(hr)*h+time.Minute))
		}
	}
	return rows
}

func TestFailureBursts(t *testing.T) {
	tests := []struct {
		name  string
		extra map[int]int
		opt   BurstOptions
		want  []string // "start-end failures peak"
	}{
		{"no burst", nil, BurstOptions{}, nil},
		{"one hour of 30", map[int]int{40: 30}, BurstOptions{}, []string{"40-41 30 30"}},
		{"two adjacent hours merge", map[int]int{40: 20, 41: 12}, BurstOptions{}, []string{"40-42 32 20"}},
		{"below MinFailures", map[int]int{40: 4}, BurstOptions{}, nil},
		{"MinFailures lowered", map[int]int{40: 4}, BurstOptions{MinFailures: 3}, []string{"40-41 4 4"}},
		{"two bursts, largest first", map[int]int{20: 8, 70: 15}, BurstOptions{}, []string{"70-71 15 15", "20-21 8 8"}},
		{"a high factor hides a small one", map[int]int{20: 8}, BurstOptions{Factor: 100}, nil},
		{"day buckets", map[int]int{30: 40}, BurstOptions{Bucket: 24 * time.Hour}, []string{"24-48 43 43"}}, // 40 planted + 3 ordinary failures that day
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := FailureBursts(table(t, burstRows(tt.extra, 2024)...), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range res.Rows {
				got = append(got, strings.Join([]string{
					strconv.Itoa(int(b.Start.Sub(t0)/h)) + "-" + strconv.Itoa(int(b.End.Sub(t0)/h)),
					strconv.Itoa(b.Failures), strconv.Itoa(b.Peak)}, " "))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("bursts = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFailureBurstDetails(t *testing.T) {
	rows := burstRows(map[int]int{40: 30}, 2024)
	rows = append(rows, req("K", 2020, 40*h+2*time.Minute)) // one other failure state in the burst
	res, err := FailureBursts(table(t, rows...), BurstOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("bursts = %+v", res.Rows)
	}
	b := res.Rows[0]
	if b.TopState != 2024 || b.TopStates != 30 || b.Failures != 31 {
		t.Errorf("top state = %v x%d of %d", b.TopState, b.TopStates, b.Failures)
	}
	// Outside the burst: 10 failures in 99 quiet hours.
	if !near(b.Baseline, 10.0/99) {
		t.Errorf("baseline = %v, want %v", b.Baseline, 10.0/99)
	}
	if res.Options != (BurstOptions{Bucket: time.Hour, MinFailures: 5, Factor: 5}) {
		t.Errorf("options = %+v, want the defaults filled in", res.Options)
	}
	if res.Label(0) != "K 2026-10-02 16:00" || res.Value(0) != 31 {
		t.Errorf("label %q value %v", res.Label(0), res.Value(0))
	}
	recs := readCSV(t, res)
	if recs[1][7] != "2024" || !strings.Contains(recs[1][8], "no free seat") {
		t.Errorf("csv row = %v", recs[1])
	}
}

func TestFailureBurstsSingleBucketKey(t *testing.T) {
	// A key seen in one hour only has no baseline: MinFailures decides.
	var rows []row
	for range 6 {
		rows = append(rows, req("NEW", 2024, 0))
	}
	res, err := FailureBursts(table(t, rows...), BurstOptions{})
	if err != nil || len(res.Rows) != 1 || res.Rows[0].Baseline != 0 {
		t.Fatalf("bursts = %+v, %v", res, err)
	}
}

func TestFailureBurstsRejects(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  BurstOptions
		want string
	}{
		{"negative bucket", BurstOptions{Bucket: -time.Hour}, "Bucket"},
		{"negative min", BurstOptions{MinFailures: -1}, "MinFailures"},
		{"negative factor", BurstOptions{Factor: -2}, "Factor"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := FailureBursts(nil, tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
