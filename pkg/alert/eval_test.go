package alert_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/alert"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// sampleEnd is the last instant of the sample accounts the tests read.
var sampleEnd = time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)

// sampleInput loads the sample account as `kernel alert` does, judged at
// now (zero: the end of its history): the logs over the rules' lookback
// and the floating licenses' seat limits.
func sampleInput(t *testing.T, rs *alert.Rules, opt sample.Options, now time.Time) *alert.Input {
	t.Helper()
	opt.End, opt.WebAPIRows = sampleEnd, 30_000
	acct, err := lenslog.OpenConfig(lenslog.Config{Sample: opt, Note: io.Discard, Pins: lenslog.Pins{Now: now}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := alert.LoadInput(acct, rs)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestRulesOnSample judges each rule on the sample account, whose planted
// story has a product change that doubles its failures (12 days before
// the end, for three days), a day without rows (27 days before), shared
// keys and floating licenses at their seat limit.
func TestRulesOnSample(t *testing.T) {
	planted := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 30_000}).Planted
	afterChange := planted.ProductChangeAt.Add(24 * time.Hour)
	cases := []struct {
		name      string
		rule      string
		opt       sample.Options
		now       time.Time // zero: the end of the history
		fired     bool
		summary   string   // in the summary
		subjects  []string // among the findings' subjects
		noSubject string   // not among them
	}{
		{"failures above a share fire", "{kind: failure-share, above: 10%}", sample.Options{}, time.Time{}, true,
			"of 5", nil, ""},
		{"failures below a share do not", "{kind: failure-share, above: 60%}", sample.Options{}, time.Time{}, false,
			"requests failed in the last 24h", nil, ""},
		{"failures doubling after the product change fire", "{kind: failure-share, times: 2, product: 5377}", sample.Options{},
			afterChange, true, "above 2× the 7d before", []string{"failure share against the baseline"}, ""},
		{"the same product at the end does not", "{kind: failure-share, times: 2, product: 5377}", sample.Options{},
			time.Time{}, false, "of product 5377 in the last 24h", nil, ""},
		{"too few requests are not judged", "{kind: failure-share, above: 1%, min-rows: 100000}", sample.Options{},
			time.Time{}, false, "fewer than min-rows 100,000: not judged", nil, ""},
		{"a shared key fires", "{kind: machines-per-key, above: 30}", sample.Options{}, time.Time{}, true,
			"1 key used from more than 30 machines", []string{planted.SharedKeys[0]}, ""},
		{"no key above a high bar", "{kind: machines-per-key, above: 1000}", sample.Options{}, time.Time{}, false,
			"0 keys used", nil, ""},
		{"a license at its limit for hours fires", "{kind: seats-at-limit, hours: 3, window: 30d}", sample.Options{},
			time.Time{}, true, "had every seat in use for more than 3 hours", []string{planted.SharedKeys[1]}, ""},
		{"nobody at the limit for a month", "{kind: seats-at-limit, hours: 720, window: 30d}", sample.Options{},
			time.Time{}, false, "0 floating licenses had", nil, ""},
		{"the outage day fires", "{kind: day-without-rows, window: 30d}", sample.Options{}, time.Time{}, true,
			planted.OutageDay.Format(time.DateOnly), []string{planted.OutageDay.Format(time.DateOnly)}, ""},
		{"the last week has rows every day", "{kind: day-without-rows}", sample.Options{}, time.Time{}, false,
			"0 of the 7 days before today had no webapi row", nil, ""},
		{"a clean account has no day without rows", "{kind: day-without-rows, window: 30d, log: events}", sample.Options{Clean: true},
			time.Time{}, false, "0 of the 30 days before today had no events row", nil, ""},
		{"data health graded look fires", "{kind: data-health, status: look}", sample.Options{}, time.Time{}, true,
			"graded look or worse", []string{"Web API Log: days without rows"}, ""},
		{"no data-health check is bad", "{kind: data-health}", sample.Options{}, time.Time{}, false,
			"0 data-health checks in the last 30d graded bad or worse", nil, ""},
		{"one check by name", "{kind: data-health, status: look, check: unknown state codes}", sample.Options{}, time.Time{}, true,
			"1 data-health check in the last 30d graded look", []string{"Web API Log: unknown state codes"}, "Web API Log: days without rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, err := alert.Parse("rules.yaml", []byte("rules:\n  - "+strings.Replace(c.rule, "{", "{name: r, ", 1)+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			rep := alert.Evaluate(rs, sampleInput(t, rs, c.opt, c.now))
			res := rep.Results[0]
			if res.Fired != c.fired || res.Error != "" {
				t.Errorf("fired %v, want %v: %s", res.Fired, c.fired, res)
			}
			if !strings.Contains(res.Summary, c.summary) {
				t.Errorf("summary %q does not say %q", res.Summary, c.summary)
			}
			got := map[string]bool{}
			for _, f := range res.Findings {
				got[f.Subject] = true
			}
			for _, s := range c.subjects {
				if !got[s] {
					t.Errorf("no finding about %q: %+v", s, res.Findings)
				}
			}
			if c.noSubject != "" && got[c.noSubject] {
				t.Errorf("a finding about %q", c.noSubject)
			}
			if wantFired := map[bool]int{true: 1}[c.fired]; rep.Fired != wantFired {
				t.Errorf("report counts %d fired, want %d", rep.Fired, wantFired)
			}
		})
	}
}

// TestRulesRedacted holds a report of an account opened redacting to
// pseudonyms: no key of the account appears in its JSON.
func TestRulesRedacted(t *testing.T) {
	planted := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 30_000}).Planted
	rs, err := alert.Parse("rules.yaml", []byte("rules:\n  - {name: shared, kind: machines-per-key, above: 10}\n  - {name: seats, kind: seats-at-limit, hours: 0, window: 30d}\n"))
	if err != nil {
		t.Fatal(err)
	}
	acct, err := lenslog.OpenConfig(lenslog.Config{Sample: sample.Options{End: sampleEnd, WebAPIRows: 30_000}, Note: io.Discard, Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	in, err := alert.LoadInput(acct, rs)
	if err != nil {
		t.Fatal(err)
	}
	rep := alert.Evaluate(rs, in)
	if rep.Fired != 2 {
		t.Fatalf("%d rules fired, want 2: %+v", rep.Fired, rep.Results)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range append(planted.SharedKeys, planted.OverdraftKeys...) {
		if strings.Contains(string(data), k) {
			t.Errorf("the redacted report holds key %s", k)
		}
	}
	if !strings.Contains(string(data), `"subject":"key-`) {
		t.Errorf("no pseudonymous key among the findings: %s", data)
	}
}

// TestLicenseExpiring judges license-expiring rules on the sample
// account, whose inventory has licenses due within 30, 60 and 90 days of
// its end: the keys the rule finds are those the inventory, read here
// without lenslog's loaders, says expire within the days asked.
func TestLicenseExpiring(t *testing.T) {
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 30_000})
	due := func(days, product int) map[string]bool {
		out := map[string]bool{}
		for _, l := range acct.Inventory().Licenses {
			exp := time.Unix(l.Expires, 0)
			if exp.After(acct.Now) && !exp.After(acct.Now.Add(time.Duration(days)*24*time.Hour)) && (product == 0 || l.ProductID == product) {
				out[l.Key] = true
			}
		}
		return out
	}
	product := acct.Licenses[0].ProductID
	cases := []struct {
		name          string
		rule          string
		days, product int
	}{
		{"within 30 days", "{kind: license-expiring, days: 30}", 30, 0},
		{"within 90 days", "{kind: license-expiring, days: 90}", 90, 0},
		{"of one product", fmt.Sprintf("{kind: license-expiring, days: 90, product: %d}", product), 90, product},
		{"within a day", "{kind: license-expiring, days: 1}", 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, err := alert.Parse("rules.yaml", []byte("rules:\n  - "+strings.Replace(c.rule, "{", "{name: r, ", 1)+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			res := alert.Evaluate(rs, sampleInput(t, rs, sample.Options{}, time.Time{})).Results[0]
			want := due(c.days, c.product)
			got := map[string]bool{}
			for _, f := range res.Findings {
				got[f.Subject] = true
				if f.Value <= 0 || f.Value > float64(c.days) {
					t.Errorf("%s: %v days left, want within (0, %d]", f.Subject, f.Value, c.days)
				}
			}
			if res.Error != "" || res.Fired != (len(want) > 0) {
				t.Errorf("fired %v with %d licenses due: %s", res.Fired, len(want), res)
			}
			if len(want) <= 20 && !maps.Equal(got, want) { // a result lists 20 findings at most
				t.Errorf("findings %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
			within := fmt.Sprintf("within %d days", c.days)
			if c.days == 1 {
				within = "within 1 day"
			}
			if !strings.Contains(res.Summary, within) {
				t.Errorf("summary %q does not name the days", res.Summary)
			}
		})
	}
	t.Run("without the license list", func(t *testing.T) {
		rs, err := alert.Parse("rules.yaml", []byte("rules:\n  - {name: r, kind: license-expiring, days: 30}\n"))
		if err != nil {
			t.Fatal(err)
		}
		rep := alert.Evaluate(rs, &alert.Input{LicensesErr: errors.New(`the access token lacks the "GetKeys" permission`)})
		if res := rep.Results[0]; rep.Failed != 1 || res.Fired || !strings.Contains(res.Summary, "could not read the license list") {
			t.Errorf("not reported as not judged: %+v", rep)
		}
	})
}
