package notebooks

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// The figures of notebooks 10 and 11 are computed here from the raw rows
// and the sample account's planted facts, not with the analysis calls the
// notebooks make, so that a wrong analysis fails the test.

// pinnedPlanted returns the planted facts of the account the notebooks
// read: the default sample account ending on sampleEnd.
func pinnedPlanted(t *testing.T) sample.Planted {
	t.Helper()
	end, err := time.Parse("2006-01-02", sampleEnd)
	if err != nil {
		t.Fatal(err)
	}
	return sample.Generate(sample.Options{End: end}).Planted
}

// licenseTimelineFigures are the lines notebook 10 prints with its default
// parameters: the last 30 days of the key with the most failed requests,
// which on the sample account is the planted blocked key.
func licenseTimelineFigures(t *testing.T, acct *lenslog.Account) []string {
	t.Helper()
	p := pinnedPlanted(t)
	w := lenslog.Last(30 * lenslog.Day).Window(acct.Now())
	api := lenslog.Must(acct.WebAPI(lenslog.All()))
	ev := lenslog.Must(acct.Events(lenslog.All()))
	obj := lenslog.Must(acct.Objects(lenslog.All()))

	key, failed := mostFailingKey(api, w)
	if key != p.BlockedKey {
		t.Fatalf("the key with the most failures in the window is %s, not the planted blocked key %s", key, p.BlockedKey)
	}
	requests, product := 0, 0
	for i, k := range api.Key.Values() {
		if k == key && w.Contains(api.Time.At(i)) {
			requests++
			product = api.ProductID[i]
		}
	}
	events := 0
	for i, k := range ev.Key.Values() {
		if k == key && w.Contains(ev.Time.At(i)) {
			events++
		}
	}
	// The key's object id, from the copy its Added entry carries.
	var object, added int64
	var addedAt time.Time
	for i, a := range obj.ResourceAction {
		var c struct{ Key string }
		if a == cryptolens.ActionAdded && obj.ResourceType[i] == cryptolens.ResourceLicenseKey &&
			json.Unmarshal([]byte(obj.Data[i]), &c) == nil && c.Key == key {
			object, added, addedAt = obj.AffectedObjectID[i], obj.ID[i], obj.Time.At(i)
		}
	}
	if object != p.BlockedKeyObjectID {
		t.Fatalf("Added copy of %s names object %d, planted %d", key, object, p.BlockedKeyObjectID)
	}
	keyChanges, productChanges := 0, 0
	var block int
	for i, id := range obj.AffectedObjectID {
		switch {
		case !w.Contains(obj.Time.At(i)):
		case obj.ResourceType[i] == cryptolens.ResourceLicenseKey && id == object:
			keyChanges++
		case obj.ResourceType[i] == cryptolens.ResourceProduct && id == int64(product):
			productChanges++
		}
		if obj.ID[i] == p.BlockEntry {
			block = i
		}
	}
	after := map[cryptolens.Outcome]int{}
	for i, k := range api.Key.Values() {
		if k == key && w.Contains(api.Time.At(i)) && api.Time.At(i).After(obj.Time.At(block)) {
			after[api.State[i].Outcome()]++
		}
	}
	return []string{
		topFailureLine(api, key, w),
		fmt.Sprintf("Timeline of %s over %s", key, w),
		fmt.Sprintf("Requests: %s (%s failed)", format.Count(requests), format.Count(failed)),
		fmt.Sprintf("Events sent by the application: %s", format.Count(events)),
		fmt.Sprintf("Changes to the key: %s; to its product: %s", format.Count(keyChanges), format.Count(productChanges)),
		fmt.Sprintf("Link to the Object Log: object %d, from the Added entry %d of %s", object, added, format.Time(addedAt)),
		fmt.Sprintf("%s by user %s: key updated: Block false → true\n  afterwards %s succeeded, %s failed", obj.Time.At(block).Format("2006-01-02 15:04"),
			obj.PerformedByUserID.At(block), format.Count(after[cryptolens.OutcomeSuccess]), format.Count(after[cryptolens.OutcomeFailure])),
		topChangeLine(p, api),
	}
}

// topFailureLine is the first line notebook 10 prints about who failed:
// the device and state with the most failures, from when to when.
func topFailureLine(api *logs.WebAPI, key string, w logs.Window) string {
	type group struct {
		n           int
		first, last time.Time
		name        string
	}
	type id struct {
		machine string
		state   cryptolens.State
	}
	groups := map[id]*group{}
	var best id
	for i, k := range api.Key.Values() {
		if k != key || !w.Contains(api.Time.At(i)) || api.State[i].Outcome() != cryptolens.OutcomeFailure {
			continue
		}
		g := id{api.MachineCode.At(i), api.State[i]}
		if groups[g] == nil {
			groups[g] = &group{first: api.Time.At(i), name: api.FriendlyName.At(i)}
		}
		groups[g].n++
		groups[g].last = api.Time.At(i)
	}
	for g, x := range groups {
		if b := groups[best]; b == nil || x.n > b.n || x.n == b.n && x.first.Before(b.first) {
			best = g
		}
	}
	g := groups[best]
	return fmt.Sprintf("%s × %d %s, %s to %s, on %s %s (in use at the first: ", format.Count(g.n), best.state, best.state.Description(),
		g.first.Format("2006-01-02 15:04"), g.last.Format("2006-01-02 15:04"), best.machine, g.name)
}

// topChangeLine is the start of the sentence notebook 10 prints for the
// top change: the planted product change, with its counts.
func topChangeLine(p sample.Planted, api *logs.WebAPI) string {
	var n, f [2]int
	at := p.ProductChangeAt
	for i, pid := range api.ProductID {
		o := api.State[i].Outcome()
		if pid != p.ProductChangeID || o == cryptolens.OutcomeUnknown {
			continue
		}
		side := -1
		switch t := api.Time.At(i); {
		case !t.Before(at.Add(-72*time.Hour)) && t.Before(at):
			side = 0
		case !t.Before(at) && t.Before(at.Add(72*time.Hour)):
			side = 1
		}
		if side >= 0 {
			n[side]++
			if o == cryptolens.OutcomeFailure {
				f[side]++
			}
		}
	}
	return fmt.Sprintf("Top change: Failures of product %d rose from %s (%s of %s) in the 3 days before this change (updated: %s false → true, by user 31244) to %s (%s of %s) in the 3 days after",
		p.ProductChangeID, format.Share(float64(f[0])/float64(n[0])), format.Count(f[0]), format.Count(n[0]), p.ProductChangeField,
		format.Share(float64(f[1])/float64(n[1])), format.Count(f[1]), format.Count(n[1]))
}

// dataHealthFigures are the lines notebook 11 prints: each planted data
// problem found, and nothing else flagged.
func dataHealthFigures(t *testing.T, acct *lenslog.Account) []string {
	t.Helper()
	p := pinnedPlanted(t)
	api := lenslog.Must(acct.WebAPI(lenslog.All()))
	ev := lenslog.Must(acct.Events(lenslog.All()))
	obj := lenslog.Must(acct.Objects(lenslog.All()))
	lines := []string{
		"Web API Log rows: " + format.Count(api.Len()),
		"Events Log rows: " + format.Count(ev.Len()),
		"Object Log rows: " + format.Count(obj.Len()),
	}
	problems := 0
	// Rows out of time order: earlier than a row with a smaller id.
	var late []string
	var newest time.Time
	for i, tm := range api.Time.Values() {
		if tm.Before(newest) {
			late = append(late, fmt.Sprint(api.ID[i]))
		}
		if tm.After(newest) {
			newest = tm
		}
	}
	if len(late) != len(p.OutOfOrderIDs) {
		t.Fatalf("%d rows out of time order, planted %d", len(late), len(p.OutOfOrderIDs))
	}
	problems++
	lines = append(lines, fmt.Sprintf("look Web API Log / rows out of time order: %s (%s)", format.Counted(len(late), "row", "rows"), format.Share(float64(len(late))/float64(api.Len()))))
	// Unknown state codes.
	per := map[cryptolens.State]int{}
	for _, s := range api.State {
		if !s.Group().Known() || s.Outcome() == cryptolens.OutcomeUnknown {
			per[s]++
		}
	}
	var codes []string
	n := 0
	for _, s := range slices.Sorted(maps.Keys(per)) {
		codes = append(codes, fmt.Sprintf("%d (%s)", s, format.Count(per[s])))
		n += per[s]
	}
	problems++
	lines = append(lines, fmt.Sprintf("look Web API Log / unknown state codes: %s with %s: %s", format.Counted(n, "row", "rows"), format.Counted(len(codes), "code", "codes"), strings.Join(codes, ", ")))
	// Days without rows, in each log: the planted outage day only.
	for _, l := range []struct {
		name  string
		times []time.Time
	}{{"Web API Log", api.Time.Values()}, {"Events Log", ev.Time.Values()}, {"Object Log", obj.Time.Values()}} {
		empty := emptyDays(l.times)
		if len(empty) != 1 || !empty[0].Equal(p.OutageDay) {
			t.Fatalf("%s: days without rows %v, planted outage %v", l.name, empty, p.OutageDay)
		}
		problems++
		lines = append(lines, fmt.Sprintf("look %s / days without rows: 1 day: %s (a %s usually has", l.name, p.OutageDay.Format("2006-01-02"), p.OutageDay.Weekday()))
	}
	// Six checks every log gets (rows and span, retention, order, duplicate
	// ids, days without rows, last sync), empty fields for each, unknown
	// states for the Web API Log and metadata for the Events Log.
	const checks = 3*6 + 3 + 1 + 1
	return append(lines, fmt.Sprintf("%d checks: %d ok, %d to look at, 0 bad", checks, checks-problems, problems))
}

// emptyDays lists the whole UTC days between the first and the last row
// without a row.
func emptyDays(times []time.Time) []time.Time {
	days := map[time.Time]bool{}
	var first, last time.Time
	for _, t := range times {
		d := t.UTC().Truncate(24 * time.Hour)
		days[d] = true
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	var out []time.Time
	for d := first.Add(24 * time.Hour); d.Before(last); d = d.Add(24 * time.Hour) {
		if !days[d] {
			out = append(out, d)
		}
	}
	return out
}

// mostFailingKey is the key with the most failed requests in w (the first
// by name on a tie) and its failures, counted from the rows: the key
// notebook 10 picks.
func mostFailingKey(api *logs.WebAPI, w logs.Window) (string, int) {
	fails := map[string]int{}
	for i, k := range api.Key.Values() {
		if w.Contains(api.Time.At(i)) && api.State[i].Outcome() == cryptolens.OutcomeFailure {
			fails[k]++
		}
	}
	key := ""
	for k, n := range fails {
		if n > fails[key] || n == fails[key] && k < key {
			key = k
		}
	}
	return key, fails[key]
}
