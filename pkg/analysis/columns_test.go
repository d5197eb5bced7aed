package analysis

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// TestAnalysesReadOnlyTheirColumns runs every analysis of the Web API and
// Events logs twice on the sample account: on the whole tables and on
// tables holding only the columns the analysis says it reads (what a load
// with lenslog.Columns gives). The results must be equal: an analysis that
// reads a column it does not declare panics on the cut table, and one
// that declares too little is caught by Need. A declared column that the
// cut table lacks must make the analysis panic naming it.
func TestAnalysesReadOnlyTheirColumns(t *testing.T) {
	acct, api := sampleAccount(t)
	ev := &logs.Events{}
	ev.Append(acct.Events...)
	obj := &logs.Objects{}
	obj.Append(acct.Objects...)
	key := BusiestFloatingKey(api)
	lics := sampleLicenseList(t)
	w := logs.Window{}
	cases := []struct {
		name   string
		api    logs.Columns // nil: the analysis does not read the Web API Log
		events logs.Columns
		run    func(api *logs.WebAPI, ev *logs.Events) any
	}{
		{"FailureBursts", logs.Columns{"Key", "ProductID", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(FailureBursts(a, BurstOptions{})) }},
		{"ChangeImpact", logs.Columns{"DOID", "Key", "ProductID", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(ChangeImpact(a, obj, ImpactOptions{})) }},
		{"HeaviestKeys", logs.Columns{"Key"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(HeaviestKeys(a, 0)) }},
		{"RequestsByFriendlyName", logs.Columns{"FriendlyName"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return RequestsByFriendlyName(a) }},
		{"RequestsByState", logs.Columns{"State"}, nil, func(a *logs.WebAPI, _ *logs.Events) any { return RequestsByState(a) }},
		{"RequestsByGroup", logs.Columns{"State"}, nil, func(a *logs.WebAPI, _ *logs.Events) any { return RequestsByGroup(a) }},
		{"InactiveLicenses", logs.Columns{"Key", "ProductID"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(InactiveLicenses(a, sampleEnd, 14)) }},
		{"KeyWithMostFailures", logs.Columns{"Key", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return KeyWithMostFailures(a) }},
		{"MeteredByKey", logs.Columns{"Key", "ProductID", "State", "DOIntValue"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return MeteredByKey(a) }},
		{"MeteredByObject", logs.Columns{"DOID", "Key", "ProductID", "State", "DOIntValue"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return MeteredByObject(a) }},
		{"SuccessRatio", logs.Columns{"State"}, nil, func(a *logs.WebAPI, _ *logs.Events) any { return SuccessRatio(a) }},
		{"SuccessByProduct", logs.Columns{"ProductID", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return SuccessByProduct(a) }},
		{"SuccessByGroup", logs.Columns{"State"}, nil, func(a *logs.WebAPI, _ *logs.Events) any { return SuccessByGroup(a) }},
		{"RequestsPerDay", logs.Columns{"State"}, nil, func(a *logs.WebAPI, _ *logs.Events) any { return RequestsPerDay(a) }},
		{"RequestsPerHour", logs.Columns{"State"}, nil, func(a *logs.WebAPI, _ *logs.Events) any { return RequestsPerHour(a) }},
		{"PeakSeats", logs.Columns{"Key", "ProductID", "State", "MachineCode", "FriendlyName", "FloatingExpires"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(PeakSeats(a, nil, time.Hour)) }},
		{"Reconcile", logs.Columns{"Key", "ProductID", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return Reconcile(a, nil, ReconcileOptions{}) }},
		{"Entitlements", logs.Columns{"Key", "State", "MachineCode", "FriendlyName", "FloatingExpires"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(Entitlements(lics, a, ByProduct)).Rows }},
		{"Renewals", logs.Columns{"Key", "State", "MachineCode", "FriendlyName"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return Renewals(lics, a).Rows }},
		{"Upsell", logs.Columns{"Key", "State", "MachineCode", "FriendlyName", "FloatingExpires"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return Upsell(lics, a).Rows }},
		{"TrialFunnel", logs.Columns{"Key", "State", "MachineCode", "FriendlyName"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(TrialFunnel(lics, a, 0, 0)).Steps }},
		{"Cohorts", logs.Columns{"Key", "State", "MachineCode", "FriendlyName"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return Cohorts(lics, a).Rows }},
		{"LostLicenses", logs.Columns{"Key", "State", "MachineCode", "FriendlyName"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(LostLicenses(lics, a, 0)).Rows }},
		{"Anomalies", logs.Columns{"Key", "State", "IsAnomaly", "AnomalyProperties"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return Anomalies(a).Groups }},
		{"BusiestFloatingKey", logs.Columns{"Key", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return BusiestFloatingKey(a) }},
		{"SeatAudit", logs.Columns{"Key", "State", "MachineCode", "FriendlyName", "FloatingExpires"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return must(SeatAudit(during(a, w), key, 10)) }},
		{"KeySharing", logs.Columns{"ProductID", "Key", "MachineCode", "IP", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return KeySharing(a) }},
		{"ActivationsPerProduct", logs.Columns{"ProductID", "State"}, nil,
			func(a *logs.WebAPI, _ *logs.Events) any { return ActivationsPerProduct(a) }},
		{"RequestsByWeekdayHour", logs.Columns{}, nil, func(a *logs.WebAPI, _ *logs.Events) any { return RequestsByWeekdayHour(a) }},
		{"LicenseTimeline", logs.Columns{"Key", "ProductID", "State", "MachineCode", "FriendlyName", "FloatingExpires"},
			logs.Columns{"Key", "MachineCode", "FeatureName", "EventName", "Value", "Currency", "Metadata"},
			func(a *logs.WebAPI, e *logs.Events) any { return must(LicenseTimeline(during(a, w), e, obj, key)) }},
		{"FeatureUsage", nil, logs.Columns{"FeatureName", "Key", "MachineCode"},
			func(_ *logs.WebAPI, e *logs.Events) any { return FeatureUsage(e) }},
		{"FeatureEvents", nil, logs.Columns{"FeatureName", "EventName", "Key", "MachineCode"},
			func(_ *logs.WebAPI, e *logs.Events) any { return FeatureEvents(e) }},
		{"OperatingSystems", nil, logs.Columns{"MachineCode", "Metadata"},
			func(_ *logs.WebAPI, e *logs.Events) any { return OperatingSystems(e) }},
		{"DataHealth", logs.Columns{"Key", "ProductID", "State", "MachineCode", "FriendlyName", "IP"},
			logs.Columns{"Key", "MachineCode", "FeatureName", "EventName", "Metadata"},
			func(a *logs.WebAPI, e *logs.Events) any {
				return DataHealth(HealthInput{Now: sampleEnd, WebAPI: a, Events: e, Objects: obj})
			}},
		{"Revenue", nil, logs.Columns{"Currency", "ProductID", "Value"},
			func(_ *logs.WebAPI, e *logs.Events) any { return Revenue(e) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			whole := c.run(api, ev)
			cutAPI, cutEv := cut(api, c.api), cutEvents(ev, c.events)
			if got := c.run(cutAPI, cutEv); !reflect.DeepEqual(got, whole) {
				t.Fatalf("on only its columns %v / %v the result differs from the whole tables'", c.api, c.events)
			}
			for _, drop := range c.api { // each declared column is needed: without it, a panic naming it
				msg := panicOf(func() { c.run(cut(api, without(c.api, drop)), cutEv) })
				if !strings.Contains(msg, drop) {
					t.Errorf("without %s: panic %q, want one naming the column", drop, msg)
				}
			}
			for _, drop := range c.events {
				msg := panicOf(func() { c.run(cutAPI, cutEvents(ev, without(c.events, drop))) })
				if !strings.Contains(msg, drop) {
					t.Errorf("without events column %s: panic %q, want one naming the column", drop, msg)
				}
			}
		})
	}
}

// cut returns api with only cols (and id and time); an empty table for nil.
func cut(api *logs.WebAPI, cols logs.Columns) *logs.WebAPI {
	if cols == nil {
		return &logs.WebAPI{}
	}
	return api.Only(append(logs.Columns{"ID"}, cols...))
}

func cutEvents(ev *logs.Events, cols logs.Columns) *logs.Events {
	if cols == nil {
		return &logs.Events{}
	}
	return ev.Only(append(logs.Columns{"ID"}, cols...))
}

func without(cols logs.Columns, drop string) logs.Columns {
	var out logs.Columns
	for _, c := range cols {
		if c != drop {
			out = append(out, c)
		}
	}
	return append(out, "ID") // never empty, which would mean every column
}

// panicOf runs fn and returns what it panicked with, or "" when it did not.
func panicOf(fn func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	fn()
	return ""
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
