package lenslog

import (
	"io"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestTablesKnowTheirWindow: every table comes back with the window its
// span resolved to against the account's now, so no caller converts a
// span by hand; Window narrows it.
func TestTablesKnowTheirWindow(t *testing.T) {
	a, err := OpenConfig(Config{UseSample: true, Sample: sample.Options{End: sampleEnd, WebAPIRows: 5000}, Note: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	span := Last(7 * Day)
	want := span.Window(a.Now())
	periods := map[string]func() (logs.Window, error){
		"webapi":    func() (logs.Window, error) { t, err := a.WebAPI(span); return t.Period, err },
		"events":    func() (logs.Window, error) { t, err := a.Events(span); return t.Period, err },
		"objects":   func() (logs.Window, error) { t, err := a.Objects(span); return t.Period, err },
		"daily":     func() (logs.Window, error) { t, err := a.DailyAggregates(span); return t.Period, err },
		"countries": func() (logs.Window, error) { t, err := a.DailyCountryAggregates(span); return t.Period, err },
		"summaries": func() (logs.Window, error) { t, err := a.KeyUsageSummaries(span); return t.Period, err },
		"devices":   func() (logs.Window, error) { t, err := a.KeyDevices(span); return t.Period, err },
		"buckets":   func() (logs.Window, error) { t, err := a.LicenseActivityBuckets(span); return t.Period, err },
	}
	for name, period := range periods {
		t.Run(name, func(t *testing.T) {
			got, err := period()
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("Period = %v, want %v", got, want)
			}
		})
	}
	api, err := a.WebAPI(span)
	if err != nil {
		t.Fatal(err)
	}
	day := logs.Window{From: sampleEnd.Add(-2 * Day), To: sampleEnd.Add(-Day)}
	if got := api.Window(day).Period; got != day {
		t.Errorf("Window(%v).Period = %v, want the narrower window", day, got)
	}
	if got := api.Window(logs.Window{From: sampleEnd.Add(-30 * Day)}).Period; got != want {
		t.Errorf("a wider Window's Period = %v, want %v", got, want)
	}
}

func TestLookbackAndWholeDays(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		got  logs.Window
		want logs.Window
	}{
		{"lookback starts earlier", Lookback(logs.Window{From: at(10, 0), To: at(20, 0)}, 3*Day).Window(at(25, 0)),
			logs.Window{From: at(7, 0), To: at(20, 0)}},
		{"lookback of everything", Lookback(logs.Window{}, 3*Day).Window(at(25, 0)), logs.Window{}},
		{"whole days from the first day that starts", WholeDays(logs.Window{From: at(10, 6), To: at(20, 6)}).Window(at(25, 0)),
			logs.Window{From: at(11, 0), To: at(20, 6)}},
		{"a window on a day edge stays", WholeDays(logs.Window{From: at(10, 0), To: at(20, 0)}).Window(at(25, 0)),
			logs.Window{From: at(10, 0), To: at(20, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
