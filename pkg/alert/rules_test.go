package alert

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
)

func TestParse(t *testing.T) {
	rs, err := Parse("rules.yaml", []byte(`# the daily rules
rules:
  - name: failures-up
    kind: failure-share
    above: 20%
    times: 2
  - name: quiet
    kind: day-without-rows
    log: events
  - name: health
    kind: data-health
    status: look
    window: 2w
webhook:
  url: https://hooks.example.com/T1/B2/secret
  timeout: 5s
  retries: 2
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Name: "failures-up", Kind: FailureShare, Line: 3, Window: 24 * time.Hour, Baseline: 7 * 24 * time.Hour, Above: 0.2, Times: 2, MinRows: 20},
		{Name: "quiet", Kind: DayWithoutRows, Line: 7, Window: 7 * 24 * time.Hour, Log: "events"},
		{Name: "health", Kind: DataHealth, Line: 10, Window: 14 * 24 * time.Hour, Status: analysis.StatusLook},
	}
	if len(rs.Rules) != len(want) {
		t.Fatalf("got %d rules, want %d", len(rs.Rules), len(want))
	}
	for i := range want {
		if rs.Rules[i] != want[i] {
			t.Errorf("rule %d:\n got %+v\nwant %+v", i, rs.Rules[i], want[i])
		}
	}
	if w := rs.Webhook; w == nil || w.Timeout != 5*time.Second || w.Retries != 2 || !strings.HasSuffix(w.URL, "/secret") {
		t.Errorf("webhook %+v", rs.Webhook)
	}
	if got := rs.Lookback(); got != 15*24*time.Hour {
		t.Errorf("Lookback %v, want 15 days (the longest window, 14d, and a day)", got)
	}
}

// TestParseBadRules holds every message to the file, the line, the rule
// and the field of the problem.
func TestParseBadRules(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string // each must appear in the error
	}{
		{"unknown field", "rules:\n  - name: a\n    kind: failure-share\n    above: 20%\n    treshold: 3\n",
			[]string{`rules.yaml:5: rule "a": field "treshold": `, "unknown field", "takes window, baseline, above"}},
		{"wrong type", "rules:\n  - name: a\n    kind: machines-per-key\n    above: many\n",
			[]string{`rules.yaml:4: rule "a": field "above": want a number, got "many"`}},
		{"list for a value", "rules:\n  - name: a\n    kind: machines-per-key\n    above: [1, 2]\n",
			[]string{`rules.yaml:4: rule "a": field "above": want a number of 0 or more, got a list`}},
		{"unknown kind", "rules:\n  - name: a\n    kind: failure-rate\n",
			[]string{`rules.yaml:3: rule "a": field "kind": unknown kind "failure-rate"; want one of failure-share, seats-at-limit`}},
		{"negative threshold", "rules:\n  - name: a\n    kind: machines-per-key\n    above: -3\n",
			[]string{`rules.yaml:4: rule "a": field "above": want 0 or more: a threshold cannot be negative`}},
		{"negative hours", "rules:\n  - name: a\n    kind: seats-at-limit\n    hours: -1\n",
			[]string{`rules.yaml:4: rule "a": field "hours": want 0 or more`}},
		{"share over 100%", "rules:\n  - name: a\n    kind: failure-share\n    above: 120%\n",
			[]string{`field "above": want a share of at most 100%`}},
		{"factor not above 1", "rules:\n  - name: a\n    kind: failure-share\n    times: 0.5\n",
			[]string{`rules.yaml:4: rule "a": field "times": want a factor above 1`}},
		{"bad duration", "rules:\n  - name: a\n    kind: day-without-rows\n    window: a week\n",
			[]string{`rules.yaml:4: rule "a": field "window": want a duration such as 24h, 7d or 2w, got "a week"`}},
		{"field of another kind", "rules:\n  - name: a\n    kind: day-without-rows\n    hours: 3\n",
			[]string{`rules.yaml:4: rule "a": field "hours": not a field of kind day-without-rows; kind day-without-rows takes window, log`}},
		{"missing required field", "rules:\n  - name: a\n    kind: seats-at-limit\n",
			[]string{`rules.yaml:2: rule "a": field "hours": missing; kind seats-at-limit needs hours`}},
		{"missing one of two", "rules:\n  - name: a\n    kind: failure-share\n",
			[]string{`field "above": missing; kind failure-share needs above or times`}},
		{"missing kind", "rules:\n  - name: a\n    above: 3\n",
			[]string{`rules.yaml:2: rule "a": field "kind": missing`}},
		{"unnamed rule", "rules:\n  - kind: nope\n",
			[]string{`rules.yaml:2: rule "#1": field "kind": unknown kind "nope"`}},
		{"duplicate name", "rules:\n  - name: a\n    kind: day-without-rows\n  - name: a\n    kind: data-health\n",
			[]string{`rules.yaml:4: rule "a": field "name": a second rule of this name (the first is on line 2)`}},
		{"expiry beyond the renewals' 90 days", "rules:\n  - name: expiring\n    kind: license-expiring\n    days: 120\n",
			[]string{`rules.yaml:4: rule "expiring": field "days": want a whole number of days from 1 to 90, got "120"`}},
		{"expiry without days", "rules:\n  - name: expiring\n    kind: license-expiring\n",
			[]string{`rules.yaml:2: rule "expiring": field "days": missing`}},
		{"bad status", "rules:\n  - name: h\n    kind: data-health\n    status: worse\n",
			[]string{`rules.yaml:4: rule "h": field "status": want look or bad, got "worse"`}},
		{"every problem at once", "rules:\n  - name: a\n    kind: machines-per-key\n    above: x\n  - name: b\n    kind: seats-at-limit\n    hours: y\n",
			[]string{`rules.yaml:4: rule "a": field "above"`, `rules.yaml:7: rule "b": field "hours"`}},
		{"unknown top-level field", "rules: []\nrule:\n  - name: a\n",
			[]string{`rules.yaml:2: unknown top-level field "rule"`}},
		{"no rules", "webhook:\n  url: https://example.com/\n", []string{`rules.yaml:1: no rules: list`}},
		{"empty file", "", []string{"rules.yaml:1: ", "the file is empty"}},
		{"not YAML", "rules:\n  - name: a\n   kind: b\n", []string{"rules.yaml:", "did not find expected"}},
		{"rules not a list", "rules: 3\n", []string{`rules.yaml:1: field "rules": want a list of rules`}},
		{"webhook without url", "rules: []\nwebhook:\n  timeout: 3s\n", []string{`rules.yaml:3: field "webhook.url": missing`}},
		{"webhook bad url", "rules: []\nwebhook:\n  url: ftp://secret@example.com/x\n",
			[]string{`rules.yaml:3: field "webhook.url": want an absolute http:// or https:// URL`}},
		{"webhook negative retries", "rules: []\nwebhook:\n  url: https://example.com/\n  retries: -2\n",
			[]string{`rules.yaml:4: field "webhook.retries": want 0 or more`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, err := Parse("rules.yaml", []byte(c.text))
			if err == nil {
				t.Fatalf("no error; parsed %+v", rs)
			}
			if !errors.Is(err, ErrBadRules) {
				t.Errorf("%v does not wrap ErrBadRules", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not say\n%s", err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error repeats the webhook URL: %v", err)
			}
		})
	}
}

// TestKindsTable checks that every kind's fields are known fields and
// every kind can be evaluated.
func TestKindsTable(t *testing.T) {
	for _, k := range kinds {
		for _, f := range k.fields {
			if _, ok := fields[f]; !ok {
				t.Errorf("kind %s takes unknown field %q", k.kind, f)
			}
		}
		for _, need := range k.required {
			for _, f := range need {
				if !k.takes(f) {
					t.Errorf("kind %s needs %q, which it does not take", k.kind, f)
				}
			}
		}
		if k.eval == nil || k.defaults == nil {
			t.Errorf("kind %s has no eval or defaults", k.kind)
		}
	}
}
