package logs

import (
	"strings"
	"testing"
	"time"
)

func TestParseSpan(t *testing.T) {
	now := time.Date(2026, 11, 5, 10, 30, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		text     string
		from, to time.Time
	}{
		{"last-30d", now.Add(-30 * Day), now.Add(time.Nanosecond)},
		{"last-2w", now.Add(-14 * Day), now.Add(time.Nanosecond)},
		{"last-24h", now.Add(-24 * time.Hour), now.Add(time.Nanosecond)},
		{"last-90m", now.Add(-90 * time.Minute), now.Add(time.Nanosecond)},
		{"2026-10", day(2026, 10, 1), day(2026, 11, 1)},
		{"2026-02-28", day(2026, 2, 28), day(2026, 3, 1)},
		{"2026-10-01..2026-10-31", day(2026, 10, 1), day(2026, 11, 1)},
		{"2026-09..2026-10", day(2026, 9, 1), day(2026, 11, 1)},
		{"2026-10-01T08:00:00Z..2026-10-01T09:00:00+01:00", day(2026, 10, 1).Add(8 * time.Hour), day(2026, 10, 1).Add(8 * time.Hour)},
		{"2026-10-01..", day(2026, 10, 1), time.Time{}},
		{"previous-month", day(2026, 10, 1), day(2026, 11, 1)},
		{"this-month", day(2026, 11, 1), day(2026, 12, 1)},
		{"yesterday", day(2026, 11, 4), day(2026, 11, 5)},
		{"today", day(2026, 11, 5), day(2026, 11, 6)},
		{"all", time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s, err := ParseSpan(tt.text)
			if err != nil {
				if tt.from.Equal(tt.to) && !tt.from.IsZero() {
					return // an empty instant range is refused, as it should be
				}
				t.Fatal(err)
			}
			w := s.Window(now)
			if !w.From.Equal(tt.from) || !w.To.Equal(tt.to) {
				t.Errorf("window %v, want %v .. %v", w, tt.from, tt.to)
			}
			if s.String() != tt.text {
				t.Errorf("String() = %q, want the text back", s.String())
			}
		})
	}
}

func TestParseSpanErrors(t *testing.T) {
	for _, text := range []string{"", "october", "last-30", "last--3d", "last-0d", "2026-13", "2026-10-32",
		"2026-10-31..2026-10-01", "2026-10..x", "previous month"} {
		_, err := ParseSpan(text)
		if err == nil || !strings.Contains(err.Error(), "span ") {
			t.Errorf("%q: err = %v, want an error naming the span", text, err)
		}
	}
}

func TestSpanStringOfCodeSpans(t *testing.T) {
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		s    Span
		want string
	}{
		{Last(30 * Day), "last-30d"},
		{Last(24 * time.Hour), "last-1d"}, {Last(36 * time.Hour), "last-36h"},
		{Last(90 * time.Minute), "last-1h30m0s"},
		{All(), "all"},
		{Between(from, from.AddDate(0, 1, 0)), "2026-10-01T00:00:00Z..2026-11-01T00:00:00Z"},
	} {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		back, err := ParseSpan(tt.s.String())
		if err != nil || back.Window(from) != tt.s.Window(from) {
			t.Errorf("%q does not parse back to the same window: %v", tt.want, err)
		}
	}
}
