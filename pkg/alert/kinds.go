package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
)

// The kinds of rule.
const (
	FailureShare    Kind = "failure-share"
	SeatsAtLimit    Kind = "seats-at-limit"
	MachinesPerKey  Kind = "machines-per-key"
	DayWithoutRows  Kind = "day-without-rows"
	DataHealth      Kind = "data-health"
	LicenseExpiring Kind = "license-expiring"
)

// kindSpec is everything about one kind of rule: the fields it takes, the
// ones it needs (each entry: one of these names), its defaults and how it
// is evaluated. Adding a kind is adding one entry to kinds.
type kindSpec struct {
	kind     Kind
	doc      string
	fields   []string
	required [][]string
	defaults func(*Rule)
	eval     func(Rule, *Input) Result
}

// kinds is the table of every kind of rule.
var kinds = []kindSpec{
	{
		kind:     FailureShare,
		doc:      "the share of failed Web API requests in the last window is above a share, or above times × its share in the baseline before",
		fields:   []string{"window", "baseline", "above", "times", "min-rows", "product"},
		required: [][]string{{"above", "times"}},
		defaults: func(r *Rule) {
			r.Window = or(r.Window, 24*time.Hour)
			r.Baseline = or(r.Baseline, 7*24*time.Hour)
			r.MinRows = or(r.MinRows, 20)
		},
		eval: evalFailureShare,
	},
	{
		kind:     SeatsAtLimit,
		doc:      "a floating license had every seat in use (or more) in more than hours hours of the window",
		fields:   []string{"window", "hours", "product"},
		required: [][]string{{"hours"}},
		defaults: func(r *Rule) { r.Window = or(r.Window, 24*time.Hour) },
		eval:     evalSeatsAtLimit,
	},
	{
		kind:     MachinesPerKey,
		doc:      "a license key was used from more than above distinct machines in the window",
		fields:   []string{"window", "above", "product"},
		required: [][]string{{"above"}},
		defaults: func(r *Rule) { r.Window = or(r.Window, 30*24*time.Hour) },
		eval:     evalMachinesPerKey,
	},
	{
		kind:     DayWithoutRows,
		doc:      "one of the window's whole UTC days before today (7d: the 7 days before today) has no row in the log",
		fields:   []string{"window", "log"},
		defaults: func(r *Rule) { r.Window, r.Log = or(r.Window, 7*24*time.Hour), or(r.Log, "webapi") },
		eval:     evalDayWithoutRows,
	},
	{
		kind:   DataHealth,
		doc:    "a data-health check over the window is graded status (bad unless look is asked) or worse",
		fields: []string{"window", "status", "check"},
		defaults: func(r *Rule) {
			r.Window = or(r.Window, 30*24*time.Hour)
			r.Status = or(r.Status, analysis.StatusBad)
		},
		eval: evalDataHealth,
	},
	{
		kind:     LicenseExpiring,
		doc:      "a license of the account's license list expires within days days (1 to 90) of now",
		fields:   []string{"days", "product"},
		required: [][]string{{"days"}},
		defaults: func(*Rule) {},
		eval:     evalLicenseExpiring,
	},
}

// kindOf returns the spec of kind k.
func kindOf(k Kind) (kindSpec, bool) {
	for _, s := range kinds {
		if s.kind == k {
			return s, true
		}
	}
	return kindSpec{}, false
}

// kindNames lists the kinds for messages.
func kindNames() string {
	var names []string
	for _, s := range kinds {
		names = append(names, string(s.kind))
	}
	return strings.Join(names, ", ")
}

// takes reports whether the kind takes field name.
func (s kindSpec) takes(name string) bool {
	for _, f := range s.fields {
		if f == name {
			return true
		}
	}
	return false
}

// takes says in words which fields kind k takes.
func (k Kind) takes() string {
	s, _ := kindOf(k)
	return fmt.Sprintf("kind %s takes %s", k, strings.Join(s.fields, ", "))
}

// or returns v, or def when v is zero.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
