package analysis_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"
	"gonum.org/v1/plot"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/charts"
	"github.com/lenslog/lenslog/pkg/logs"
)

// TestEmptyInputs runs every analysis on tables without rows, as a span
// or a product without data gives them, and draws each result with every
// chart that takes it. None may panic; each result frames as a table
// without rows, and each chart is either drawn or refused with an error
// wrapping charts.ErrNoData, which nb.Plot shows in words.
func TestEmptyInputs(t *testing.T) {
	api, ev, obj := &logs.WebAPI{}, &logs.Events{}, &logs.Objects{}
	now := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	w := logs.Window{From: now.Add(-24 * time.Hour), To: now}
	tests := []struct {
		name string
		run  func() (any, error)
	}{
		{"SuccessRatio", func() (any, error) { return analysis.SuccessRatio(api), nil }},
		{"SuccessByDay", func() (any, error) { return analysis.SuccessByDay(api), nil }},
		{"SuccessByProduct", func() (any, error) { return analysis.SuccessByProduct(api), nil }},
		{"SuccessByGroup", func() (any, error) { return analysis.SuccessByGroup(api), nil }},
		{"RequestsPerDay", func() (any, error) { return analysis.RequestsPerDay(api), nil }},
		{"RequestsPerHour", func() (any, error) { return analysis.RequestsPerHour(api), nil }},
		{"HeaviestKeys", func() (any, error) { return analysis.HeaviestKeys(api, 0.01) }},
		{"RequestsByKey", func() (any, error) { return analysis.RequestsByKey(api).Top(10), nil }},
		{"RequestsByFriendlyName", func() (any, error) { return analysis.RequestsByFriendlyName(api), nil }},
		{"RequestsByState", func() (any, error) { return analysis.RequestsByState(api), nil }},
		{"RequestsByGroup", func() (any, error) { return analysis.RequestsByGroup(api), nil }},
		{"SeatAudit", func() (any, error) { return analysis.SeatAudit(during(api, w), "K", 2) }},
		{"PeakSeats", func() (any, error) {
			p, err := analysis.PeakSeats(api, map[string]int{"K": 2}, time.Hour)
			if err != nil {
				return nil, err
			}
			return p.License("K"), nil
		}},
		{"LastActivity", func() (any, error) { return analysis.LastActivity(api, now), nil }},
		{"InactiveLicenses", func() (any, error) { return analysis.InactiveLicenses(api, now, 30) }},
		{"KeySharing", func() (any, error) { return analysis.KeySharing(api), nil }},
		{"FailureBursts", func() (any, error) { return analysis.FailureBursts(api, analysis.BurstOptions{}) }},
		{"MeteredByKey", func() (any, error) { return analysis.MeteredByKey(api), nil }},
		{"MeteredByObject", func() (any, error) { return analysis.MeteredByObject(api), nil }},
		{"ActivationsPerProduct", func() (any, error) { return analysis.ActivationsPerProduct(api), nil }},
		{"RequestsByWeekdayHour", func() (any, error) { return analysis.RequestsByWeekdayHour(api), nil }},
		{"FeatureUsage", func() (any, error) { return analysis.FeatureUsage(ev), nil }},
		{"FeatureEvents", func() (any, error) { return analysis.FeatureEvents(ev), nil }},
		{"OperatingSystems", func() (any, error) { return analysis.OperatingSystems(ev), nil }},
		{"Revenue", func() (any, error) { return analysis.Revenue(ev), nil }},
		{"ObjectChanges", func() (any, error) { return analysis.ObjectChanges(obj), nil }},
		{"ChangesByUser", func() (any, error) { return analysis.ChangesByUser(obj), nil }},
		{"FieldHistory", func() (any, error) { return analysis.FieldHistory(obj), nil }},
		{"LicenseTimeline", func() (any, error) { return analysis.LicenseTimeline(during(api, w), ev, obj, "K") }},
		{"ChangeImpact", func() (any, error) { return analysis.ChangeImpact(api, obj, analysis.ImpactOptions{}) }},
		{"DataHealth", func() (any, error) {
			return analysis.DataHealth(analysis.HealthInput{Now: now, WebAPI: api, Events: ev, Objects: obj}), nil
		}},
		{"DailyKPIs", func() (any, error) { return analysis.DailyKPIs(&logs.UsageDaily{}, 0), nil }},
		{"TopCountries", func() (any, error) { return analysis.TopCountries(&logs.UsageCountries{}, 10), nil }},
		{"InactiveFromSummaries", func() (any, error) {
			return analysis.InactiveFromSummaries(&logs.UsageSummaries{}, now, 30), nil
		}},
		{"DevicesPerKey", func() (any, error) { return analysis.DevicesPerKey(&logs.UsageDevices{}, nil), nil }},
		{"OfflineDevices", func() (any, error) { return analysis.OfflineDevices(&logs.UsageBuckets{}, nil), nil }},
		{"RefreshesPerBucket", func() (any, error) { return analysis.RefreshesPerBucket(&logs.UsageBuckets{}), nil }},
		{"Entitlements", func() (any, error) { return analysis.Entitlements(analysis.LicenseList{}, nil, analysis.ByCustomer) }},
		{"Renewals", func() (any, error) { return analysis.Renewals(analysis.LicenseList{}, api), nil }},
		{"Upsell", func() (any, error) { return analysis.Upsell(analysis.LicenseList{}, nil), nil }},
		{"TrialFunnel", func() (any, error) { return analysis.TrialFunnel(analysis.LicenseList{}, nil, 0, 0) }},
		{"Cohorts", func() (any, error) { return analysis.Cohorts(analysis.LicenseList{}, during(api, w)), nil }},
		{"RetentionCurve", func() (any, error) { return analysis.Cohorts(analysis.LicenseList{}, nil).Curve(), nil }},
		{"LostLicenses", func() (any, error) { return analysis.LostLicenses(analysis.LicenseList{}, nil, 0) }},
		{"NeverUsed", func() (any, error) { return analysis.NeverUsed(analysis.LicenseList{}, nil), nil }},
		{"Anomalies", func() (any, error) { return analysis.Anomalies(nil), nil }},
		{"Reconcile", func() (any, error) {
			return analysis.Reconcile(api, &logs.UsageDaily{}, analysis.ReconcileOptions{}), nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.run()
			if err != nil {
				t.Fatalf("an empty table is an error: %v", err)
			}
			if f, ok := v.(interface{ Frame() dataframe.DataFrame }); ok {
				if df := f.Frame(); df.Err != nil {
					t.Errorf("Frame: %v", df.Err)
				}
			}
			if s, ok := v.(fmt.Stringer); ok {
				_ = s.String()
			}
			for name, draw := range chartsOf(v) {
				if _, err := draw(); err != nil && !errors.Is(err, charts.ErrNoData) {
					t.Errorf("%s: %v, want a chart or charts.ErrNoData", name, err)
				}
			}
		})
	}
}

// chartsOf returns a drawing of v by each chart that takes it.
func chartsOf(v any) map[string]func() (*plot.Plot, error) {
	out := map[string]func() (*plot.Plot, error){}
	if d, ok := v.(charts.Labeled); ok {
		out["Bar"] = func() (*plot.Plot, error) { return charts.Bar(d, "t") }
		out["TopN"] = func() (*plot.Plot, error) { return charts.TopN(d, "t") }
	}
	if d, ok := v.(charts.Sample); ok {
		out["Histogram"] = func() (*plot.Plot, error) { return charts.Histogram(d, "t") }
	}
	if d, ok := v.(charts.Stacked); ok {
		out["StackedBars"] = func() (*plot.Plot, error) { return charts.StackedBars(d, "t") }
		out["GroupedBars"] = func() (*plot.Plot, error) { return charts.GroupedBars(d, "t") }
	}
	if d, ok := v.(charts.Timed); ok {
		out["TimeSeries"] = func() (*plot.Plot, error) { return charts.TimeSeries(d, "t") }
		out["FreeSeats"] = func() (*plot.Plot, error) { return charts.FreeSeats(d, "t") }
	}
	if d, ok := v.(charts.TimedSeries); ok {
		out["MultiTimeSeries"] = func() (*plot.Plot, error) { return charts.MultiTimeSeries(d, "t") }
	}
	if d, ok := v.(charts.Grid); ok {
		out["HeatMap"] = func() (*plot.Plot, error) { return charts.HeatMap(d, "t") }
	}
	if d, ok := v.(charts.Marked); ok {
		out["Timeline"] = func() (*plot.Plot, error) { return charts.Timeline(d, "t") }
	}
	return out
}

// during returns api as if loaded for w: a copy whose Period is w (an
// empty table for nil).
func during(api *logs.WebAPI, w logs.Window) *logs.WebAPI {
	var t logs.WebAPI
	if api != nil {
		t = *api
	}
	t.Period = w
	return &t
}
