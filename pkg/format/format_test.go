package format_test

import (
	"math"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
)

func TestShare(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"a usual share", 0.8443, "84.4%"},
		{"tiny share is not e-notation", 3.787e-05, "<0.1%"},
		{"just short of all", 0.99996, ">99.9%"},
		{"zero", 0, "0%"},
		{"all", 1, "100%"},
		{"rounds half a tenth", 0.0005, "0.1%"},
		{"not a number", math.NaN(), "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := format.Share(tt.in); got != tt.want {
				t.Errorf("Share(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		want string
	}{
		{"under a thousand", 999, "999"},
		{"a thousand", 1000, "1,000"},
		{"millions", 10235238, "10,235,238"},
		{"negative", -1376, "-1,376"},
		{"zero", 0, "0"},
		{"the most negative", math.MinInt64, "-9223372036854775808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := format.Count(tt.in); got != tt.want {
				t.Errorf("Count(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := format.Count(int32(-1234567)); got != "-1,234,567" {
		t.Errorf("Count(int32) = %q", got)
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"whole", 1376, "1,376"},
		{"negative whole", -1234567, "-1,234,567"},
		{"decimals cut to three", 1234.56789, "1,234.568"},
		{"trailing zeros dropped", 0.25, "0.25"},
		{"small keeps three digits", 0.000123456, "0.000123"},
		{"negative fraction", -0.5, "-0.5"},
		{"infinite", math.Inf(1), "∞"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := format.Number(tt.in); got != tt.want {
				t.Errorf("Number(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		name string
		in   time.Duration
		want string
	}{
		{"days and hours", 88*time.Hour + 5*time.Minute + 4*time.Second, "3 d 16 h"},
		{"hours and minutes", 5*time.Hour + 12*time.Minute, "5 h 12 min"},
		{"whole days", 48 * time.Hour, "2 d"},
		{"seconds", 42 * time.Second, "42 s"},
		{"milliseconds", 250 * time.Millisecond, "250 ms"},
		{"negative", -90 * time.Second, "-1 min 30 s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := format.Duration(tt.in); got != tt.want {
				t.Errorf("Duration(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTimeAndText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"midnight as a date", "2026-11-05 00:00:00 +0000 UTC", "2026-11-05"},
		{"a moment to the minute", "2026-11-05 14:03:00 +0000 UTC", "2026-11-05 14:03 UTC"},
		{"RFC 3339 in another zone", "2026-11-05T01:00:00+01:00", "2026-11-05"},
		{"plain date-time", "2026-11-05 00:00:00", "2026-11-05"},
		{"a Go duration", "88h5m4s", "3 d 16 h"},
		{"minutes", "3m20s", "3 min 20 s"},
		{"a key is left alone", "ABCDE-FGHIJ-KLMNO-PQRST", "ABCDE-FGHIJ-KLMNO-PQRST"},
		{"a word with h and m is left alone", "hm", "hm"},
		{"a date-like key is left alone", "2026-11-05 is the day", "2026-11-05 is the day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := format.Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"days_silent", "Days silent"},
		{"DaysSilent", "Days silent"},
		{"ProductId", "Product id"},
		{"IP", "IP"},
		{"machine_code", "Machine code"},
		{"IPCount", "IP count"},
		{"Failure rate", "Failure rate"},
		{"share", "Share"},
	}
	for _, tt := range tests {
		if got := format.Header(tt.in); got != tt.want {
			t.Errorf("Header(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShareColumn(t *testing.T) {
	for name, want := range map[string]bool{
		"Share": true, "failure_rate": true, "SuccessRatio": true,
		"Requests": false, "Share (%)": false, "Key": false,
	} {
		if got := format.ShareColumn(name); got != want {
			t.Errorf("ShareColumn(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestMoney(t *testing.T) {
	if got := format.Money(1234.5, "USD"); got != "1,234.50 USD" {
		t.Errorf("Money = %q", got)
	}
	if got := format.Money(-0.5, "SEK"); got != "-0.50 SEK" {
		t.Errorf("Money = %q", got)
	}
}

func TestPeriod(t *testing.T) {
	day := time.Date(2026, 10, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		from, to time.Time
		want     string
	}{
		{"thirty whole days", day, day.AddDate(0, 0, 30), "2026-10-06 to 2026-11-04"},
		{"an end a nanosecond past midnight", day, day.AddDate(0, 0, 30).Add(time.Nanosecond), "2026-10-06 to 2026-11-04"},
		{"one day", day, day.AddDate(0, 0, 1), "2026-10-06"},
		{"hours", day.Add(90 * time.Minute), day.Add(25 * time.Hour), "2026-10-06 01:30 to 2026-10-07 01:00 UTC"},
		{"open start", time.Time{}, day, "up to 2026-10-06"},
		{"open end", day, time.Time{}, "since 2026-10-06"},
		{"open both", time.Time{}, time.Time{}, "the whole history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := format.Period(tt.from, tt.to); got != tt.want {
				t.Errorf("Period(%v, %v) = %q, want %q", tt.from, tt.to, got, tt.want)
			}
		})
	}
}
