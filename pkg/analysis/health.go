package analysis

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// HealthStatus grades one data-health check.
type HealthStatus int

// The grades: ok needs nothing; look deserves a look before trusting the
// figures it touches; bad means figures are wrong until it is fixed.
const (
	StatusOK HealthStatus = iota
	StatusLook
	StatusBad
)

// String returns "ok", "look" or "bad".
func (s HealthStatus) String() string {
	return [...]string{"ok", "look", "bad"}[s]
}

// Origin is where one log's rows came from: what the source keeps and,
// when they were read through a local store, what the store holds. The
// front door (package lenslog) fills it in; the zero value means "read from
// the source, which keeps every row".
type Origin struct {
	// Retention is how long the source keeps rows; 0 means indefinitely.
	Retention time.Duration
	// Source names where the rows were read from, e.g. "the sample account".
	Source string
	// Stored is true when the rows were loaded from a local store; the
	// fields below describe it.
	Stored      bool
	StoreRows   int
	First, Last time.Time // the oldest and newest stored row
	// CompleteFrom is the instant from which the store holds every row the
	// source had; zero when it holds the whole history.
	CompleteFrom time.Time
	// LastSync is when a sync of this log last finished; zero if unknown.
	LastSync time.Time
	// GapRows counts rows a repair found lost (ids the source no longer
	// has); Gaps the ranges.
	Gaps, GapRows int
	// NullRows, Repeated and Conflicts count rows syncs dropped
	// (logstore.Dropped): null entries in a page, rows that repeated an id
	// of their page, and rows that repeated a stored id with other content
	// (ConflictIDs names the first few).
	NullRows, Repeated, Conflicts int
	ConflictIDs                   []int64
}

// HealthInput is what DataHealth checks: the three logs as loaded (any may
// be nil), where each came from, and the clock they are judged by.
type HealthInput struct {
	Now                                 time.Time
	WebAPI                              *logs.WebAPI
	Events                              *logs.Events
	Objects                             *logs.Objects
	WebAPIFrom, EventsFrom, ObjectsFrom Origin
}

// HealthCheck is one row of the data-health report.
type HealthCheck struct {
	Log    string // "Web API Log", "Events Log" or "Object Log"
	Check  string // what was checked, e.g. "rows out of time order"
	Status HealthStatus
	Figure string // what was found, with the numbers
	Advice string // what to do about it; "" when nothing
}

// Health is the data-health report: for each log, every check with its
// status, figure and what to do.
type Health struct {
	Now    time.Time
	Checks []HealthCheck
}

// Health thresholds.
const (
	// busyDay is how many rows a weekday must usually have for a day
	// without rows to be flagged: with fewer, an empty day happens by
	// chance (a Poisson count of 8 is zero once in 3,000 days).
	busyDay = 8
	// staleSync is how old a store's last sync may be before it is worth
	// a look.
	staleSync = 7 * 24 * time.Hour
	// maxListed is how many ids or days a figure lists.
	maxListed = 5
)

// DataHealth checks whether the figures made from the loaded logs can be
// trusted. Per log: how many rows and what time span it holds; what the
// source still keeps (its retention) against what was loaded; rows out of
// time order; duplicate ids; days without a single row (an outage, or
// logging that stopped); unknown state codes; empty fields and their
// share; events whose metadata is not JSON; and, when a store was read,
// when it last synced and whether it is complete back to where it says.
// Every check yields a row with a status (ok, look, bad), the figure and
// what to do. A zero in.Now means the current time.
func DataHealth(in HealthInput) *Health {
	if in.Now.IsZero() {
		in.Now = time.Now().UTC()
	}
	h := &Health{Now: in.Now}
	api := webAPI(in.WebAPI, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState, logs.WebAPIMachineCode, logs.WebAPIFriendlyName, logs.WebAPIIP)
	ev := events(in.Events, logs.EventsKey, logs.EventsMachineCode, logs.EventsFeatureName, logs.EventsEventName, logs.EventsMetadata)
	obj := objects(in.Objects)
	h.checkLog("Web API Log", api.ID, api.Time, in.WebAPIFrom, in.Now)
	h.unknownStates(api)
	h.emptyFields("Web API Log", api.Len(), []field{
		{"time", true, countZero(api.Time)}, {"key", true, countEmptyCodes(api.Key)},
		{"product id", true, countZero(api.ProductID)},
		{"machine code", false, countEmptyCodes(api.MachineCode)}, {"friendly name", false, countEmptyCodes(api.FriendlyName)},
		{"IP", false, countEmptyCodes(api.IP)},
	})
	h.checkLog("Events Log", ev.ID, ev.Time, in.EventsFrom, in.Now)
	h.emptyFields("Events Log", ev.Len(), []field{
		{"time", true, countZero(ev.Time)}, {"key", false, countEmptyCodes(ev.Key)},
		{"machine code", false, countEmptyCodes(ev.MachineCode)}, {"feature name", false, countEmptyCodes(ev.FeatureName)},
		{"event name", false, countEmptyCodes(ev.EventName)}, {"metadata", false, countEmpty(ev.Metadata)},
	})
	h.metadata(ev)
	h.checkLog("Object Log", obj.ID, obj.Time, in.ObjectsFrom, in.Now)
	h.emptyFields("Object Log", obj.Len(), []field{
		{"time", true, countZero(obj.Time)}, {"data", true, countEmpty(obj.Data)},
		{"performed by", false, countEmptyCodes(obj.PerformedByUserID)},
	})
	slices.SortStableFunc(h.Checks, func(a, b HealthCheck) int { return cmp.Compare(logRank(a.Log), logRank(b.Log)) })
	return h
}

func logRank(log string) int {
	switch log {
	case "Web API Log":
		return 0
	case "Events Log":
		return 1
	}
	return 2
}

// add appends a check.
func (h *Health) add(log, check string, st HealthStatus, figure, advice string) {
	h.Checks = append(h.Checks, HealthCheck{Log: log, Check: check, Status: st, Figure: figure, Advice: advice})
}

// checkLog runs the checks every log shares.
func (h *Health) checkLog(log string, ids []int64, times logs.Times, p Origin, now time.Time) {
	first, last, dated := span(times)
	if len(ids) == 0 {
		h.add(log, "rows and span", StatusLook, "no rows loaded",
			"check that the token has the permission to read this log and that the span asked for has data")
	} else {
		h.add(log, "rows and span", StatusOK, fmt.Sprintf("%s, %s to %s (%s)", format.Counted(len(ids), "row", "rows"), format.Time(first), format.Time(last),
			format.Duration(last.Sub(first))), "")
	}
	h.retention(log, p, first, dated > 0, now)
	idx := idOrder(ids)
	h.order(log, ids, times, idx)
	h.duplicates(log, ids, idx)
	h.emptyDays(log, times, first, last)
	h.store(log, p, now)
}

// span returns the oldest and newest dated time and how many are dated.
func span(times logs.Times) (first, last time.Time, dated int) {
	for ti := range times {
		t := times.At(ti)
		if t.IsZero() {
			continue
		}
		if dated == 0 || t.Before(first) {
			first = t
		}
		if dated == 0 || t.After(last) {
			last = t
		}
		dated++
	}
	return first, last, dated
}

// retention compares what the source keeps with what was loaded.
func (h *Health) retention(log string, p Origin, first time.Time, hasRows bool, now time.Time) {
	const check = "source retention vs what was kept"
	if p.Retention == 0 {
		h.add(log, check, StatusOK, "the source keeps every row; loaded from "+orDash(first), "")
		return
	}
	horizon := now.Add(-p.Retention)
	keeps := fmt.Sprintf("the source keeps about %s (back to %s)", format.Duration(p.Retention), format.Time(horizon))
	switch {
	case !p.Stored:
		h.add(log, check, StatusOK, keeps+"; read from the source directly, so nothing older can be loaded",
			"keep a store (the default) to keep rows past the source's retention")
	case !hasRows || p.CompleteFrom.After(horizon.Add(24*time.Hour)):
		h.add(log, check, StatusLook, fmt.Sprintf("%s, but the store is complete only from %s", keeps, orDash(p.CompleteFrom)),
			"sync with a longer -since (go run ./kernel sync -since 720h) before those rows expire at the source")
	case p.First.Before(horizon):
		h.add(log, check, StatusOK, fmt.Sprintf("%s; the store keeps %s more, back to %s: only this store has them",
			keeps, format.Duration(horizon.Sub(p.First)), format.Time(p.First)), "back up the store folder: the source cannot give these rows again")
	default:
		h.add(log, check, StatusOK, keeps+"; the store holds all of it", "")
	}
}

func orDash(t time.Time) string {
	if t.IsZero() {
		return "the beginning"
	}
	return format.Time(t)
}

// idOrder returns the row indices in id order (tables keep it already,
// so this is usually a check).
func idOrder(ids []int64) []int {
	idx := make([]int, len(ids))
	for i := range idx {
		idx[i] = i
	}
	if !slices.IsSorted(ids) {
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ids[a], ids[b]) })
	}
	return idx
}

// order counts rows logged earlier than a row with a smaller id; idx is
// the rows in id order.
func (h *Health) order(log string, ids []int64, times logs.Times, idx []int) {
	var late []int64
	var worst time.Duration
	var newest time.Time
	for _, i := range idx {
		t := times.At(i)
		if t.IsZero() {
			continue
		}
		if t.Before(newest) {
			late = append(late, ids[i])
			worst = max(worst, newest.Sub(t))
		}
		newest = maxTime(newest, t)
	}
	if len(late) == 0 {
		h.add(log, "rows out of time order", StatusOK, "none: times rise with ids", "")
		return
	}
	st := StatusLook
	if share(len(late), len(ids)) > 0.01 {
		st = StatusBad
	}
	h.add(log, "rows out of time order", st,
		fmt.Sprintf("%s (%s) logged up to %s earlier than a row before them (ids %s)",
			format.Counted(len(late), "row", "rows"), format.Share(share(len(late), len(ids))), format.Duration(worst), idList(late)),
		"a clock skew where the rows are written; per-minute figures may shift, ids stay the order of record")
}

// idList lists up to maxListed ids, "..." after.
func idList(ids []int64) string {
	parts := make([]string, 0, maxListed+1)
	for j, id := range ids {
		if j == maxListed {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, fmt.Sprint(id))
	}
	return strings.Join(parts, ", ")
}

// duplicates counts ids that appear more than once; idx is the rows in id
// order, so repeats are neighbours.
func (h *Health) duplicates(log string, ids []int64, idx []int) {
	var dup []int64
	extra := 0
	for j := 1; j < len(idx); j++ {
		id := ids[idx[j]]
		if id != ids[idx[j-1]] {
			continue
		}
		extra++
		if len(dup) == 0 || dup[len(dup)-1] != id {
			dup = append(dup, id)
		}
	}
	if extra == 0 {
		h.add(log, "duplicate ids", StatusOK, "none", "")
		return
	}
	slices.Sort(dup)
	h.add(log, "duplicate ids", StatusBad, fmt.Sprintf("%s more than once, %s in all (ids %s)", format.Counted(len(dup), "id appears", "ids appear"), format.Counted(extra, "extra row", "extra rows"), idList(dup)),
		"figures count these rows twice: check the store (go run ./kernel sync -repair) or the files loaded")
}

// emptyDays finds whole UTC days between the first and the last without a
// row, where that weekday usually has busyDay rows or more.
func (h *Health) emptyDays(log string, times logs.Times, first, last time.Time) {
	const check = "days without rows"
	if first.IsZero() || last.Sub(first) < 2*24*time.Hour {
		h.add(log, check, StatusOK, "too short a span to tell", "")
		return
	}
	d0, d1 := bucketOf(first, daySecs), bucketOf(last, daySecs)
	counts := make([]int, d1-d0+1)
	for ti := range times {
		t := times.At(ti)
		if !t.IsZero() {
			counts[bucketOf(t, daySecs)-d0]++
		}
	}
	// The usual count per weekday: the median of that weekday's whole days.
	var byWeekday [7][]int
	for d := d0 + 1; d < d1; d++ {
		wd := bucketStart(d, daySecs).Weekday()
		byWeekday[wd] = append(byWeekday[wd], counts[d-d0])
	}
	// Under three of a weekday, the median of all whole days stands in.
	var all []int
	for _, cs := range byWeekday {
		all = append(all, cs...)
	}
	var usual [7]int
	for wd, cs := range byWeekday {
		if len(cs) < 3 {
			cs = all
		}
		usual[wd] = median(cs)
	}
	var empty []string
	quiet, n := 0, 0
	for d := d0 + 1; d < d1; d++ {
		if counts[d-d0] > 0 {
			continue
		}
		day := bucketStart(d, daySecs)
		if usual[day.Weekday()] < busyDay {
			quiet++
			continue
		}
		n++
		if n <= maxListed {
			empty = append(empty, fmt.Sprintf("%s (a %s usually has %s)", day.Format(dayLayout), day.Weekday(), format.Count(usual[day.Weekday()])))
		} else if n == maxListed+1 {
			empty = append(empty, "...")
		}
	}
	quietNote := ""
	if quiet > 0 {
		quietNote = fmt.Sprintf("; %s without rows where fewer than %s are usual", format.Counted(quiet, "quiet day", "quiet days"), format.Count(busyDay))
	}
	if len(empty) == 0 {
		h.add(log, check, StatusOK, "none"+quietNote, "")
		return
	}
	h.add(log, check, StatusLook, fmt.Sprintf("%s: %s%s", format.Counted(n, "day", "days"), strings.Join(empty, ", "), quietNote),
		"an outage, or logging that stopped: per-day figures and rates over these days are too low; ask Cryptolens, or check the store")
}

// median returns the middle of xs (the upper one of an even count), 0
// for none; it sorts a copy.
func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// unknownStates counts Web API rows whose state code is not documented.
func (h *Health) unknownStates(api *logs.WebAPI) {
	per := map[cryptolens.State]int{}
	n := 0
	for _, s := range api.State {
		if !s.Valid() || !s.Group().Known() || s.Outcome() == cryptolens.OutcomeUnknown {
			per[s]++
			n++
		}
	}
	if n == 0 {
		h.add("Web API Log", "unknown state codes", StatusOK, "none: every code has a known method group and outcome", "")
		return
	}
	codes := make([]cryptolens.State, 0, len(per))
	for s := range per {
		codes = append(codes, s)
	}
	slices.Sort(codes)
	parts := make([]string, len(codes))
	for j, s := range codes {
		parts[j] = fmt.Sprintf("%d (%s)", s, format.Count(per[s]))
	}
	h.add("Web API Log", "unknown state codes", StatusLook,
		fmt.Sprintf("%s with %s: %s", format.Counted(n, "row", "rows"), format.Counted(len(codes), "code", "codes"), strings.Join(parts, ", ")),
		"counted as Unknown in success ratios, never guessed; check Cryptolens' state code list for new codes")
}

// field is one column's empty cells, for emptyFields.
type field struct {
	name     string
	required bool // every row should have it
	empty    int
}

// emptyFields reports the empty cells of a log's columns and their share.
func (h *Health) emptyFields(log string, rows int, fields []field) {
	var req, opt []string
	for _, f := range fields {
		if f.empty == 0 {
			continue
		}
		s := fmt.Sprintf("%s %s (%s)", f.name, format.Count(f.empty), format.Share(share(f.empty, rows)))
		if f.required {
			req = append(req, s)
		} else {
			opt = append(opt, s)
		}
	}
	figure := "no empty fields"
	if len(opt) > 0 {
		figure = "empty where the call has none: " + strings.Join(opt, ", ")
	}
	if len(req) == 0 {
		h.add(log, "empty fields", StatusOK, figure, "")
		return
	}
	h.add(log, "empty fields", StatusLook, "rows missing a field every row should have: "+strings.Join(req, ", ")+"; "+figure,
		"analyses leave undated rows out and count empty keys as one key \"(none)\"; look at these rows")
}

func countEmpty(col []string) int {
	n := 0
	for _, s := range col {
		if s == "" {
			n++
		}
	}
	return n
}

func countZero[N ~int | ~int64](col []N) int {
	n := 0
	for _, x := range col {
		if x == 0 {
			n++
		}
	}
	return n
}

// countEmptyCodes counts the rows of a Strings column that are "" (code 0).
func countEmptyCodes(col logs.Strings) int {
	n := 0
	for _, c := range col.Codes {
		if c == 0 {
			n++
		}
	}
	return n
}

// metadata counts events whose metadata is set but is not JSON.
func (h *Health) metadata(ev *logs.Events) {
	var bad []int64
	for i, m := range ev.Metadata {
		if m != "" && !json.Valid([]byte(m)) {
			bad = append(bad, ev.ID[i])
		}
	}
	if len(bad) == 0 {
		h.add("Events Log", "metadata not JSON", StatusOK, "none", "")
		return
	}
	h.add("Events Log", "metadata not JSON", StatusLook,
		fmt.Sprintf("%s (%s, ids %s)", format.Counted(len(bad), "event", "events"), format.Share(share(len(bad), ev.Len())), idList(bad)),
		"the application sends metadata that is not JSON: OS statistics skip these events; fix the RegisterEvent call")
}

// store reports the store's last sync and completeness.
func (h *Health) store(log string, p Origin, now time.Time) {
	if !p.Stored {
		src := p.Source
		if src == "" {
			src = "the source"
		}
		h.add(log, "last sync and completeness", StatusOK, "read from "+src+" directly: no store to sync", "")
		return
	}
	complete := "complete over the whole history"
	if !p.CompleteFrom.IsZero() {
		complete = "complete from " + timeText(p.CompleteFrom)
	}
	synced := "never recorded"
	st := StatusOK
	advice := ""
	switch {
	case p.LastSync.IsZero():
		st, advice = StatusLook, "sync it: go run ./kernel sync"
	case now.Sub(p.LastSync) > staleSync:
		synced = fmt.Sprintf("%s (%s ago)", format.Time(p.LastSync), format.Duration(now.Sub(p.LastSync)))
		st, advice = StatusLook, "newer rows are missing: sync it (go run ./kernel sync)"
	default:
		synced = format.Time(p.LastSync) + " (just now)"
		if ago := now.Sub(p.LastSync).Round(time.Minute); ago > 0 {
			synced = fmt.Sprintf("%s (%s ago)", format.Time(p.LastSync), format.Duration(ago))
		}
	}
	figure := fmt.Sprintf("last synced %s; %s stored, %s", synced, format.Counted(p.StoreRows, "row", "rows"), complete)
	if p.GapRows > 0 || p.Gaps > 0 {
		figure += fmt.Sprintf("; %s in %s lost (the source no longer had them at a repair)", format.Counted(p.GapRows, "row", "rows"), format.Counted(p.Gaps, "gap", "gaps"))
		st, advice = StatusBad, "figures over the gaps are too low; the rows cannot be fetched again"
	}
	h.add(log, "last sync and completeness", st, figure, advice)
	h.dropped(log, p)
}

// dropped reports the rows syncs did not keep, when there were any.
func (h *Health) dropped(log string, p Origin) {
	if p.NullRows == 0 && p.Repeated == 0 && p.Conflicts == 0 {
		return
	}
	figure := fmt.Sprintf("syncs dropped %s and %s that repeated a stored id with other content", format.Counted(p.NullRows, "null row", "null rows"), format.Counted(p.Conflicts, "row", "rows"))
	if len(p.ConflictIDs) > 0 {
		figure += " (ids " + idList(p.ConflictIDs) + ")"
	}
	if p.Repeated > 0 {
		figure += fmt.Sprintf("; %s an id of their page (the first kept)", format.Counted(p.Repeated, "row repeated", "rows repeated"))
	}
	h.add(log, "rows the source sent but history kept out", StatusLook, figure,
		"the stored rows were kept; if the source keeps sending such rows, ask Cryptolens support")
}

// Problems returns the checks that are not ok.
func (h *Health) Problems() []HealthCheck {
	var out []HealthCheck
	for _, c := range h.Checks {
		if c.Status != StatusOK {
			out = append(out, c)
		}
	}
	return out
}

// Find returns the check of log named check, and whether there is one.
func (h *Health) Find(log, check string) (HealthCheck, bool) {
	for _, c := range h.Checks {
		if c.Log == log && c.Check == check {
			return c, true
		}
	}
	return HealthCheck{}, false
}

// Summary says in one line how many checks need attention.
func (h *Health) Summary() string {
	var look, bad int
	for _, c := range h.Checks {
		switch c.Status {
		case StatusLook:
			look++
		case StatusBad:
			bad++
		}
	}
	return fmt.Sprintf("%s: %s ok, %s to look at, %s bad", format.Counted(len(h.Checks), "check", "checks"), format.Count(len(h.Checks)-look-bad), format.Count(look), format.Count(bad))
}

// Len returns the number of checks.
func (h *Health) Len() int { return len(h.Checks) }

func (h *Health) columns() []col {
	r := h.Checks
	return []col{
		strCol("Log", r, func(x HealthCheck) string { return x.Log }),
		strCol("Check", r, func(x HealthCheck) string { return x.Check }),
		strCol("Status", r, func(x HealthCheck) string { return x.Status.String() }),
		strCol("Figure", r, func(x HealthCheck) string { return x.Figure }),
		strCol("What to do", r, func(x HealthCheck) string { return x.Advice }),
	}
}

// Frame returns one row per check: Log, Check, Status, Figure, What to do.
func (h *Health) Frame() dataframe.DataFrame { return frameOf(h.columns()) }

// WriteCSV writes the checks as CSV with the same columns as Frame.
func (h *Health) WriteCSV(w io.Writer) error { return writeCols(w, h.columns()) }
