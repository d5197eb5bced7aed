package report

import (
	"slices"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 12, 5, 22, 42, 42, 711e6, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		cfg  lenslog.Config
		want []string
	}{
		{"live: the start, to the second, in UTC", lenslog.Config{Token: "t"}, []string{"LENSLOG_NOW=2026-12-05T21:42:42Z"}},
		{"live, now pinned by the user", lenslog.Config{Token: "t", Pins: lenslog.Pins{Now: start}}, nil},
		{"sample: its last day", lenslog.Config{}, []string{"LENSLOG_SAMPLE_END=2026-12-05"}},
		{"sample asked for with a token", lenslog.Config{Token: "t", UseSample: true}, []string{"LENSLOG_SAMPLE_END=2026-12-05"}},
		{"sample with its end set", lenslog.Config{Sample: sample.Options{End: start}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clock(tt.cfg, start); !slices.Equal(got, tt.want) {
				t.Errorf("Clock = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestReplayPinsOverTheRunsClock: a replay's recorded now replaces the
// clock of the run that replays it, once.
func TestReplayPinsOverTheRunsClock(t *testing.T) {
	now := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	run := Clock(lenslog.Config{Token: "t"}, now.Add(24*time.Hour))
	pins := lenslog.Pins{Now: now}
	env := WithEnv(WithEnv([]string{"A=1", "LENSLOG_NOW=x"}, run...), pins.Env()...)
	if want := []string{"A=1", "LENSLOG_NOW=2026-11-05T10:00:00Z"}; !slices.Equal(env, want) {
		t.Errorf("env %q, want %q", env, want)
	}
}
