package alert

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lenslog/lenslog/pkg/analysis"
)

// Kind names what a rule measures; kinds lists them all.
type Kind string

// Rule is one threshold over one of lenslog's analyses, as the rules file
// states it. Which fields apply depends on Kind (see kinds); the others
// stay zero.
type Rule struct {
	Name string
	Kind Kind
	Line int // the line of the rule in the rules file, for messages

	Window   time.Duration         // how far back from the account's now the rule looks
	Baseline time.Duration         // failure-share: the span just before Window it is compared with
	Above    float64               // the figure must be above this (a share for failure-share)
	Times    float64               // failure-share: or above Times × the baseline's share
	MinRows  int                   // failure-share: fewer requests in Window judge nothing
	Hours    int                   // seats-at-limit: a license at or over its limit for more hours than this
	Days     int                   // license-expiring: expiring within this many days
	Product  int                   // only this product's rows; 0 means every product
	Log      string                // day-without-rows: webapi, events or objects
	Status   analysis.HealthStatus // data-health: the grade that fires, look or bad
	Check    string                // data-health: only the check of this name
}

// Rules is a parsed rules file: the rules in file order and where the
// results are posted, if anywhere.
type Rules struct {
	File    string // the file's name, for messages
	Rules   []Rule
	Webhook *Webhook // nil: no webhook
}

// Error is a problem with the rules file, found before any rule runs. Rule
// and Field are empty when the problem is not inside a rule or a field.
type Error struct {
	File  string
	Line  int
	Rule  string
	Field string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes every *Error match ErrBadRules.
func (e *Error) Is(target error) bool { return target == ErrBadRules }

// ErrBadRules is wrapped by every *Error: the rules file must be fixed.
var ErrBadRules = errors.New("bad rules file")

// Parse reads a rules file's text. file names it in messages. Every
// problem is reported, each as an *Error naming the line, the rule and the
// field, joined into one error: an unknown field or kind, a value of the
// wrong type, a negative threshold, a field the kind does not take, a
// required field missing, two rules of one name.
func Parse(file string, data []byte) (*Rules, error) {
	p := &parser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Line: yamlLine(err), Err: err}
	}
	rs := &Rules{File: file}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Line: 1, Err: errors.New("the file is empty; want a mapping with a rules list")}
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, p.fail(top, "", "", "want a mapping with rules: and, optionally, webhook:")
	}
	seen := false
	for k, v := range pairs(top) {
		switch k.Value {
		case "rules":
			seen = true
			rs.Rules = p.rules(v)
		case "webhook":
			rs.Webhook = p.webhook(v)
		default:
			p.fail(k, "", "", fmt.Sprintf("unknown top-level field %q; want rules or webhook", k.Value))
		}
	}
	if !seen {
		p.fail(top, "", "", "no rules: list")
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return rs, nil
}

// parser collects every problem of one file.
type parser struct {
	file string
	errs []error
}

// fail records a problem at node n and returns it.
func (p *parser) fail(n *yaml.Node, rule, field, msg string) error {
	err := &Error{File: p.file, Line: n.Line, Rule: rule, Field: field, Err: errors.New(msg)}
	p.errs = append(p.errs, err)
	return err
}

// pairs yields a mapping node's keys and values.
func pairs(m *yaml.Node) func(func(k, v *yaml.Node) bool) {
	return func(yield func(k, v *yaml.Node) bool) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if !yield(m.Content[i], m.Content[i+1]) {
				return
			}
		}
	}
}

// rules reads the list of rules.
func (p *parser) rules(seq *yaml.Node) []Rule {
	if seq.Kind != yaml.SequenceNode {
		p.fail(seq, "", "rules", "want a list of rules, each a mapping with name: and kind:")
		return nil
	}
	var out []Rule
	names := map[string]int{}
	for i, n := range seq.Content {
		r, ok := p.rule(n, i)
		if !ok {
			continue
		}
		if line, dup := names[r.Name]; dup {
			p.fail(n, r.Name, "name", fmt.Sprintf("a second rule of this name (the first is on line %d)", line))
			continue
		}
		names[r.Name] = r.Line
		out = append(out, r)
	}
	return out
}

// rule reads one rule: its name and kind first, then the fields its kind
// takes, then the kind's defaults and checks.
func (p *parser) rule(n *yaml.Node, i int) (Rule, bool) {
	r := Rule{Line: n.Line, Name: fmt.Sprintf("#%d", i+1)}
	if n.Kind != yaml.MappingNode {
		p.fail(n, r.Name, "", "want a mapping with name:, kind: and the kind's fields")
		return r, false
	}
	var kindNode *yaml.Node
	for k, v := range pairs(n) {
		switch k.Value {
		case "name":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				p.fail(v, r.Name, "name", "want a non-empty text")
				return r, false
			}
			r.Name = v.Value
		case "kind":
			kindNode = v
		}
	}
	if kindNode == nil {
		p.fail(n, r.Name, "kind", "missing; want one of "+kindNames())
		return r, false
	}
	spec, ok := kindOf(Kind(kindNode.Value))
	if !ok {
		p.fail(kindNode, r.Name, "kind", fmt.Sprintf("unknown kind %q; want one of %s", kindNode.Value, kindNames()))
		return r, false
	}
	r.Kind = spec.kind
	before := len(p.errs)
	given := map[string]bool{}
	for k, v := range pairs(n) {
		if k.Value == "name" || k.Value == "kind" {
			continue
		}
		f, known := fields[k.Value]
		if !known {
			p.fail(k, r.Name, k.Value, "unknown field; "+spec.kind.takes())
			continue
		}
		if !spec.takes(k.Value) {
			p.fail(k, r.Name, k.Value, "not a field of kind "+string(spec.kind)+"; "+spec.kind.takes())
			continue
		}
		given[k.Value] = true
		if v.Kind != yaml.ScalarNode {
			p.fail(v, r.Name, k.Value, "want "+f.want+", got a "+nodeKind(v))
			continue
		}
		if err := f.set(&r, v.Value); err != nil {
			p.fail(v, r.Name, k.Value, fmt.Sprintf("%v, got %q", err, v.Value))
		}
	}
	for _, need := range spec.required {
		if !anyGiven(given, need) {
			p.fail(n, r.Name, need[0], "missing; kind "+string(spec.kind)+" needs "+strings.Join(need, " or "))
		}
	}
	if len(p.errs) > before {
		return r, false
	}
	spec.defaults(&r)
	return r, true
}

// anyGiven reports whether any of names was given.
func anyGiven(given map[string]bool, names []string) bool {
	for _, n := range names {
		if given[n] {
			return true
		}
	}
	return false
}

// webhook reads the webhook's settings.
func (p *parser) webhook(n *yaml.Node) *Webhook {
	if n.Kind != yaml.MappingNode {
		p.fail(n, "", "webhook", "want a mapping with url: and, optionally, timeout: and retries:")
		return nil
	}
	w := &Webhook{}
	for k, v := range pairs(n) {
		field := "webhook." + k.Value
		if v.Kind != yaml.ScalarNode {
			p.fail(v, "", field, "want a single value, got a "+nodeKind(v))
			continue
		}
		var err error
		switch k.Value {
		case "url":
			err = checkURL(v.Value)
			w.URL = v.Value
		case "timeout":
			w.Timeout, err = parseDuration(v.Value)
		case "retries":
			w.Retries, err = parseCount(v.Value)
		default:
			err = errors.New("unknown field; want url, timeout or retries")
		}
		if err != nil {
			p.fail(v, "", field, err.Error())
		}
	}
	if w.URL == "" {
		p.fail(n, "", "webhook.url", "missing")
	}
	return w
}

// checkURL accepts an absolute http or https URL; the message never
// repeats it, as a webhook URL often holds a secret.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an absolute http:// or https:// URL")
	}
	return nil
}

// nodeKind names a YAML node's shape for messages.
func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// yamlLine digs the line number out of a YAML syntax error ("yaml: line 4:
// ..."), or 1.
func yamlLine(err error) int {
	s := err.Error()
	if _, rest, ok := strings.Cut(s, "line "); ok {
		digits := rest
		if i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
			digits = rest[:i]
		}
		if n, err := strconv.Atoi(digits); err == nil {
			return n
		}
	}
	return 1
}

// field is one field a rule may carry: what it wants and how it is set.
type field struct {
	want string
	set  func(r *Rule, s string) error
}

// fields are every rule field but name and kind; each kind takes some.
var fields = map[string]field{
	"window":   {"a duration such as 24h, 7d or 2w", func(r *Rule, s string) (err error) { r.Window, err = parsePositiveDuration(s); return }},
	"baseline": {"a duration such as 7d", func(r *Rule, s string) (err error) { r.Baseline, err = parsePositiveDuration(s); return }},
	"above":    {"a number of 0 or more", func(r *Rule, s string) (err error) { r.Above, err = parseNumber(s, r.Kind == FailureShare); return }},
	"times":    {"a factor above 1, e.g. 2", func(r *Rule, s string) (err error) { r.Times, err = parseFactor(s); return }},
	"min-rows": {"a whole number of 0 or more", func(r *Rule, s string) (err error) { r.MinRows, err = parseCount(s); return }},
	"hours":    {"a whole number of 0 or more", func(r *Rule, s string) (err error) { r.Hours, err = parseCount(s); return }},
	"days":     {"a whole number of days from 1 to 90", func(r *Rule, s string) (err error) { r.Days, err = parseDays(s); return }},
	"product":  {"a product id (a whole number)", func(r *Rule, s string) (err error) { r.Product, err = parseCount(s); return }},
	"log":      {"webapi, events or objects", func(r *Rule, s string) (err error) { r.Log, err = parseLog(s); return }},
	"status":   {"look or bad", func(r *Rule, s string) (err error) { r.Status, err = parseStatus(s); return }},
	"check":    {"a check's name as the data-health report shows it", func(r *Rule, s string) error { r.Check = s; return nil }},
}

// parseDuration reads a Go duration (90m, 36h) or whole days or weeks
// (30d, 2w).
func parseDuration(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			if k, err := strconv.Atoi(n); err == nil && k >= 0 && k <= 100*366 {
				return time.Duration(k) * unit, nil
			}
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("want a duration such as 24h, 7d or 2w")
	}
	if d < 0 {
		return 0, errors.New("want a duration of 0 or more")
	}
	return d, nil
}

// parsePositiveDuration is parseDuration of at least a minute.
func parsePositiveDuration(s string) (time.Duration, error) {
	d, err := parseDuration(s)
	if err == nil && d < time.Minute {
		err = errors.New("want a duration of a minute or more, such as 24h or 7d")
	}
	return d, err
}

// parseNumber reads a threshold of 0 or more; a share may be written as
// a percentage (20%) and must be at most 1.
func parseNumber(s string, share bool) (float64, error) {
	pct := false
	if share {
		s, pct = strings.CutSuffix(s, "%")
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		if share {
			return 0, errors.New("want a share such as 20% or 0.2")
		}
		return 0, errors.New("want a number")
	case f < 0:
		return 0, errors.New("want 0 or more: a threshold cannot be negative")
	}
	if pct {
		f /= 100
	}
	if share && f > 1 {
		return 0, errors.New("want a share of at most 100% (1)")
	}
	return f, nil
}

// parseFactor reads a factor above 1.
func parseFactor(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "x"), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 1 {
		return 0, errors.New("want a factor above 1, such as 2 (twice the baseline)")
	}
	return f, nil
}

// parseCount reads a whole number of 0 or more.
func parseCount(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New("want a whole number")
	}
	if n < 0 {
		return 0, errors.New("want 0 or more: it cannot be negative")
	}
	return n, nil
}

// maxExpiryDays is the furthest a license-expiring rule looks ahead: the
// renewals analysis it reads lists the licenses expiring within 90 days.
const maxExpiryDays = 90

// parseDays reads a license-expiring rule's days: 1 to maxExpiryDays.
func parseDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > maxExpiryDays {
		return 0, fmt.Errorf("want a whole number of days from 1 to %d", maxExpiryDays)
	}
	return n, nil
}

// parseLog reads a log's name.
func parseLog(s string) (string, error) {
	switch s {
	case "webapi", "events", "objects":
		return s, nil
	}
	return "", errors.New("want webapi, events or objects")
}

// parseStatus reads the data-health grade that fires.
func parseStatus(s string) (analysis.HealthStatus, error) {
	switch s {
	case "look":
		return analysis.StatusLook, nil
	case "bad":
		return analysis.StatusBad, nil
	}
	return 0, errors.New("want look or bad")
}

// ReadFile reads and parses the rules file at path.
func ReadFile(path string) (*Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return Parse(path, data)
}
