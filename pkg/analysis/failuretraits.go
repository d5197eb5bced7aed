package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
)

// FailureTrait is what the failed requests of one state code on a license
// have in common, for a code whose meaning the log does not spell out
// (e.g. 2021, "activation failed" with an undocumented detail): how many
// there are, on how many devices, over what time, and what the Object Log
// says was done to the key before the first of them (blocked, expiry or
// machine limit changed), which is usually the reason.
type FailureTrait struct {
	State    cryptolens.State
	What     string // the state's meaning, cryptolens.State.Description
	Failures int    // failed requests with this state
	Of       int    // failed requests of the license, all states
	Devices  int    // distinct machine codes among them
	Device   string // the machine code when there is one
	First    time.Time
	Last     time.Time
	// Before are the changes made to the key (and its product) in the
	// Object Log up to the first failure, the latest last, at most three.
	Before []TimelineRow
	// Reason names a change among Before that explains failures (the key
	// blocked, its expiry moved, its machine limit lowered); "" when none
	// does.
	Reason string
}

// FailureTraits says, for each state code among the license's failed
// requests, what those requests share; the code with the most failures
// first.
func (tl *KeyTimeline) FailureTraits() []FailureTrait {
	at := map[cryptolens.State]int{}
	devices := map[cryptolens.State]map[string]bool{}
	var out []FailureTrait
	for _, r := range tl.Rows {
		if r.Source != SourceWebAPI || r.Outcome != cryptolens.OutcomeFailure.String() {
			continue
		}
		j, ok := at[r.State]
		if !ok {
			j = len(out)
			at[r.State] = j
			out = append(out, FailureTrait{State: r.State, What: r.State.Description(), First: r.Time})
			devices[r.State] = map[string]bool{}
		}
		out[j].Failures++
		out[j].Last = r.Time
		devices[r.State][r.Device] = true
		out[j].Device = r.Device
	}
	for j := range out {
		out[j].Of = tl.Failures
		out[j].Devices = len(devices[out[j].State])
		if out[j].Devices != 1 {
			out[j].Device = ""
		}
		out[j].Before = tl.changesUpTo(out[j].First, 3)
		out[j].Reason = failureReason(out[j].Before)
	}
	slices.SortStableFunc(out, func(a, b FailureTrait) int {
		return cmp.Or(cmp.Compare(b.Failures, a.Failures), a.First.Compare(b.First))
	})
	return out
}

// changesUpTo returns the last n Object Log rows at or before t.
func (tl *KeyTimeline) changesUpTo(t time.Time, n int) []TimelineRow {
	var out []TimelineRow
	for _, r := range tl.Rows {
		if r.Source == SourceObjectLog && !r.Time.After(t) {
			out = append(out, r)
		}
	}
	return out[max(0, len(out)-n):]
}

// reasons are the Object Log changes that make a key's requests fail, as
// changeWords writes them, and what a reader should understand by them.
var reasons = []struct{ change, reason string }{
	{"Block false → true", "the key was blocked"},
	{"Expires ", "the key's expiry date was changed"},
	{"MaxNoOfMachines ", "the key's machine limit was changed"},
	{"deleted", "the key was deleted"},
}

// failureReason names the latest change in before that explains failures.
func failureReason(before []TimelineRow) string {
	for i := len(before) - 1; i >= 0; i-- {
		for _, r := range reasons {
			if strings.Contains(before[i].What, r.change) {
				return fmt.Sprintf("%s on %s (user %s)", r.reason, format.Time(before[i].Time), before[i].User)
			}
		}
	}
	return ""
}

// String says it in one sentence, e.g. "403 of 404 failures are state
// 2021, activation failed (code 2021: detail not documented), all from
// one device (m1), 2026-10-12 14:00 UTC to 2026-11-04 09:30 UTC; before
// the first, the key was blocked on 2026-10-12 13:55 UTC (user 7)."
func (f FailureTrait) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s of %s failures are state %d, %s,", format.Count(f.Failures), format.Count(f.Of), int(f.State), f.What)
	switch f.Devices {
	case 1:
		fmt.Fprintf(&b, " all from one device (%s)", f.Device)
	default:
		fmt.Fprintf(&b, " from %s devices", format.Count(f.Devices))
	}
	fmt.Fprintf(&b, ", %s to %s", format.Time(f.First), format.Time(f.Last))
	switch {
	case f.Reason != "":
		fmt.Fprintf(&b, "; before the first, %s.", f.Reason)
	case len(f.Before) > 0:
		last := f.Before[len(f.Before)-1]
		fmt.Fprintf(&b, "; the last change before the first failure: %s (%s); none that blocks the key.", last.What, format.Time(last.Time))
	default:
		b.WriteString("; the Object Log shows no change to the key before the first failure.")
	}
	return b.String()
}
