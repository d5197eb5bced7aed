package alert

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// Input is what rules are evaluated over: the logs as loaded from one
// account back as far as Rules.Lookback asks, where they came from and the
// account's now (the fields analysis.DataHealth reads), and the seat limits
// of floating licenses.
type Input struct {
	Logs analysis.HealthInput
	// Limits maps a floating license key to its seat limit; keys it lacks
	// have an unknown limit, and seats-at-limit says how many it could not
	// judge.
	Limits map[string]int
	// Licenses is the account's license list, loaded when a rule reads it
	// (license-expiring, and seats-at-limit for the limits); LicensesErr
	// says why it could not be, and a rule that needs it reports that
	// instead of a judgement.
	Licenses    analysis.LicenseList
	LicensesErr error
}

// Report is the outcome of evaluating a rules file: what alerts.json holds
// and the webhook carries. It holds figures, days, check names and, for the
// rules about licenses, license keys as the tables hold them (pseudonyms
// when the account was opened redacting); never a token.
type Report struct {
	Now     time.Time `json:"now"`    // the account's now the rules were judged at
	Source  string    `json:"source"` // which account, e.g. "the sample account"
	Fired   int       `json:"fired"`  // how many rules fired
	Failed  int       `json:"failed"` // how many rules could not be judged
	Results []Result  `json:"results"`
}

// Result is what one rule found.
type Result struct {
	Rule     string    `json:"rule"`
	Kind     Kind      `json:"kind"`
	Line     int       `json:"line"`
	Fired    bool      `json:"fired"`
	Summary  string    `json:"summary"`         // one line, what the command prints
	Error    string    `json:"error,omitempty"` // why the rule could not be judged
	Findings []Finding `json:"findings,omitempty"`
}

// Finding is one thing over a threshold: a key, a day, a check.
type Finding struct {
	Subject string  `json:"subject"` // what it is about, e.g. a license key, a day, "Web API Log: duplicate ids"
	Value   float64 `json:"value"`   // the figure measured
	Limit   float64 `json:"limit"`   // the threshold it passed
	Detail  string  `json:"detail,omitempty"`
}

// maxFindings bounds the findings one result lists; its summary counts all.
const maxFindings = 20

// String is the result's line in the command's summary: "FIRED", "ok" or
// "ERROR", the rule's name and its summary.
func (r Result) String() string {
	status := "ok"
	switch {
	case r.Error != "":
		status = "ERROR"
	case r.Fired:
		status = "FIRED"
	}
	return fmt.Sprintf("%-5s %s (%s): %s", status, r.Rule, r.Kind, r.Summary)
}

// Lookback is how far back from the account's now the rules read: the
// longest window with its baseline, plus a day so that the first whole
// day of a window is loaded.
func (rs *Rules) Lookback() time.Duration {
	var d time.Duration
	for _, r := range rs.Rules {
		d = max(d, r.Window+r.Baseline)
	}
	return d + 24*time.Hour
}

// Evaluate judges every rule over in, in the file's order.
func Evaluate(rs *Rules, in *Input) *Report {
	rep := &Report{Now: in.Logs.Now}
	for _, r := range rs.Rules {
		spec, _ := kindOf(r.Kind)
		res := spec.eval(r, in)
		res.Rule, res.Kind, res.Line = r.Name, r.Kind, r.Line
		if len(res.Findings) > maxFindings {
			res.Findings = res.Findings[:maxFindings]
		}
		if res.Fired {
			rep.Fired++
		}
		if res.Error != "" {
			rep.Failed++
		}
		rep.Results = append(rep.Results, res)
	}
	return rep
}

// window is the rule's window ending at now, moved back by back.
func window(now time.Time, r Rule, back time.Duration) logs.Window {
	to := now.Add(-back)
	return logs.Window{From: to.Add(-r.Window), To: to}
}

// webAPI returns the Web API rows of the rule's product in w.
func (in *Input) webAPI(r Rule, w logs.Window) *logs.WebAPI {
	api := in.Logs.WebAPI
	if api == nil {
		api = &logs.WebAPI{}
	}
	api = api.Window(w)
	if r.Product != 0 {
		api = api.Where(func(i int) bool { return api.ProductID[i] == r.Product })
	}
	return api
}

// scope says which rows a rule read, for summaries: "in the last 24h" or
// "of product 3349 in the last 24h".
func scope(r Rule) string {
	s := "in the last " + span(r.Window)
	if r.Product != 0 {
		s = fmt.Sprintf("of product %d %s", r.Product, s)
	}
	return s
}

// span writes d as the rules file does: 7d, 36h, 90m.
func span(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d%day == 0 && d > day:
		return fmt.Sprintf("%dd", d/day)
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return strings.TrimSuffix(d.String(), "0s")
}

func evalFailureShare(r Rule, in *Input) Result {
	cur := analysis.SuccessRatio(in.webAPI(r, window(in.Logs.Now, r, 0)))
	n := cur.Total()
	if n < r.MinRows {
		return Result{Summary: fmt.Sprintf("%s %s, fewer than min-rows %s: not judged", format.Counted(n, "request", "requests"), scope(r), format.Count(r.MinRows))}
	}
	share := cur.Share(cryptolens.OutcomeFailure)
	res := Result{Summary: fmt.Sprintf("%s of %s failed %s", format.Share(share), format.Counted(n, "request", "requests"), scope(r))}
	var why []string
	if r.Above > 0 && share > r.Above {
		why = append(why, "above "+format.Share(r.Above))
		res.Findings = append(res.Findings, Finding{Subject: "failure share", Value: share, Limit: r.Above})
	}
	if r.Times > 0 {
		base := analysis.SuccessRatio(in.webAPI(r, logs.Window{From: in.Logs.Now.Add(-r.Window - r.Baseline), To: in.Logs.Now.Add(-r.Window)}))
		if base.Total() == 0 {
			res.Summary += fmt.Sprintf("; no requests in the %s before to compare with", span(r.Baseline))
		} else {
			b := base.Share(cryptolens.OutcomeFailure)
			res.Summary += fmt.Sprintf("; %s in the %s before", format.Share(b), span(r.Baseline))
			if share > r.Times*b {
				why = append(why, fmt.Sprintf("above %g× the %s before", r.Times, span(r.Baseline)))
				res.Findings = append(res.Findings, Finding{Subject: "failure share against the baseline", Value: share,
					Limit: r.Times * b, Detail: fmt.Sprintf("baseline %s of %s", format.Share(b), format.Counted(base.Total(), "request", "requests"))})
			}
		}
	}
	if len(why) > 0 {
		res.Fired = true
		res.Summary += ": " + strings.Join(why, " and ")
	}
	return res
}

func evalSeatsAtLimit(r Rule, in *Input) Result {
	w := window(in.Logs.Now, r, 0)
	peaks, err := analysis.PeakSeats(in.webAPI(r, w), in.Limits, time.Hour)
	if err != nil {
		return Result{Error: err.Error(), Summary: "could not replay the seats: " + err.Error()}
	}
	atLimit := map[string]int{}
	unknown := map[string]bool{}
	for _, p := range peaks.Licenses {
		switch {
		case !w.Contains(p.Start):
			// a seat taken in the window is held past its end
		case p.Limit == 0:
			unknown[p.Key] = true
		case p.Peak >= p.Limit:
			atLimit[p.Key]++
		}
	}
	res := Result{}
	for key, hours := range atLimit {
		if hours > r.Hours {
			res.Findings = append(res.Findings, Finding{Subject: key, Value: float64(hours), Limit: float64(r.Hours),
				Detail: "every seat in use in " + format.Counted(hours, "hour", "hours")})
		}
	}
	sortFindings(res.Findings)
	res.Fired = len(res.Findings) > 0
	res.Summary = fmt.Sprintf("%s had every seat in use for more than %s %s", format.Counted(len(res.Findings), "floating license", "floating licenses"),
		format.Counted(r.Hours, "hour", "hours"), scope(r))
	if len(unknown) > 0 {
		res.Summary += fmt.Sprintf("; %s with seats in use had no known limit and were not judged", format.Counted(len(unknown), "license", "licenses"))
	}
	return res
}

func evalMachinesPerKey(r Rule, in *Input) Result {
	res := Result{}
	for _, k := range analysis.KeySharing(in.webAPI(r, window(in.Logs.Now, r, 0))).Rows {
		if float64(k.Machines) > r.Above {
			res.Findings = append(res.Findings, Finding{Subject: k.Key, Value: float64(k.Machines), Limit: r.Above, Detail: k.Reason})
		}
	}
	sortFindings(res.Findings)
	res.Fired = len(res.Findings) > 0
	res.Summary = fmt.Sprintf("%s used from more than %g machines %s", format.Counted(len(res.Findings), "key", "keys"), r.Above, scope(r))
	return res
}

func evalDayWithoutRows(r Rule, in *Input) Result {
	var times logs.Times
	switch r.Log {
	case "events":
		if in.Logs.Events != nil {
			times = in.Logs.Events.Time
		}
	case "objects":
		if in.Logs.Objects != nil {
			times = in.Logs.Objects.Time
		}
	default:
		if in.Logs.WebAPI != nil {
			times = in.Logs.WebAPI.Time
		}
	}
	const day = 86400
	today := in.Logs.Now.Unix() / day * day
	first := today - int64(r.Window/time.Second)/day*day // the window's whole days before today
	rows := map[int64]int{}
	for _, t := range times {
		if t >= first && t < today {
			rows[t/day*day]++
		}
	}
	res := Result{}
	for d := first; d < today; d += day {
		if rows[d] == 0 {
			res.Findings = append(res.Findings, Finding{Subject: time.Unix(d, 0).UTC().Format(time.DateOnly)})
		}
	}
	res.Fired = len(res.Findings) > 0
	res.Summary = fmt.Sprintf("%s of the %s before today had no %s row", format.Count(len(res.Findings)), format.Counted((today-first)/day, "day", "days"), r.Log)
	if res.Fired {
		var days []string
		for _, f := range res.Findings {
			days = append(days, f.Subject)
		}
		res.Summary += ": " + strings.Join(days[:min(len(days), 5)], ", ")
	}
	return res
}

func evalDataHealth(r Rule, in *Input) Result {
	w := window(in.Logs.Now, r, 0)
	hin := in.Logs
	if hin.WebAPI != nil {
		hin.WebAPI = hin.WebAPI.Window(w)
	}
	if hin.Events != nil {
		hin.Events = hin.Events.Window(w)
	}
	if hin.Objects != nil {
		hin.Objects = hin.Objects.Window(w)
	}
	h := analysis.DataHealth(hin)
	res := Result{}
	found := false
	for _, c := range h.Checks {
		if r.Check != "" && c.Check != r.Check {
			continue
		}
		found = true
		if c.Status >= r.Status {
			res.Findings = append(res.Findings, Finding{Subject: c.Log + ": " + c.Check, Value: float64(c.Status),
				Limit: float64(r.Status), Detail: strings.TrimSpace(c.Status.String() + ": " + c.Figure)})
		}
	}
	if !found {
		res.Error = fmt.Sprintf("no data-health check is named %q", r.Check)
		res.Summary = res.Error
		return res
	}
	res.Fired = len(res.Findings) > 0
	res.Summary = fmt.Sprintf("%s in the last %s graded %s or worse", format.Counted(len(res.Findings), "data-health check", "data-health checks"), span(r.Window), r.Status)
	if res.Fired {
		var names []string
		for _, f := range res.Findings {
			names = append(names, f.Subject)
		}
		res.Summary += ": " + strings.Join(names[:min(len(names), 3)], "; ")
	}
	return res
}

// sortFindings puts the largest figures first, then by subject.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return cmp.Compare(a.Subject, b.Subject)
	})
}

func evalLicenseExpiring(r Rule, in *Input) Result {
	if in.LicensesErr != nil {
		return Result{Error: in.LicensesErr.Error(), Summary: "could not read the license list: " + in.LicensesErr.Error()}
	}
	list := in.Licenses
	if r.Product != 0 {
		list = list.Product(r.Product)
	}
	now := in.Logs.Now
	due := now.Add(time.Duration(r.Days) * 24 * time.Hour)
	res := Result{}
	for _, x := range analysis.Renewals(list, in.webAPI(r, logs.Window{To: now})).Rows {
		if x.Expires.After(due) {
			continue
		}
		detail := fmt.Sprintf("expires %s, product %d, %s", x.Expires.Format(time.DateOnly), x.ProductID, x.Use)
		if x.Customer != "" {
			detail += ", customer " + x.Customer
		}
		left := math.Round(x.Expires.Sub(now).Hours()/24*10) / 10
		res.Findings = append(res.Findings, Finding{Subject: x.Key, Value: left, Limit: float64(r.Days), Detail: detail})
	}
	of := ""
	if r.Product != 0 {
		of = fmt.Sprintf(" of product %d", r.Product)
	}
	if len(res.Findings) == 0 {
		res.Summary = fmt.Sprintf("no license%s expires within %s (%s read)", of, format.Counted(r.Days, "day", "days"), format.Counted(list.Len(), "license", "licenses"))
		return res
	}
	first := res.Findings[0]
	res.Fired = true
	res.Summary = fmt.Sprintf("%s%s expiring within %s; the first: %s (%s)", format.Counted(len(res.Findings), "license", "licenses"), of, format.Counted(r.Days, "day", "days"), first.Subject, first.Detail)
	return res
}
