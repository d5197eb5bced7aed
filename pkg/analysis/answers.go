package analysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// This file holds the one-sentence answers reports open with (under their
// value boxes), in the house number style: each says what the report was
// asked, from the same figures its sections show.

// SuccessAnswer answers "did our license requests succeed?": "84.4% of
// the 12,345 requests succeeded; 404 failed, 380 of them activation."
func SuccessAnswer(api *logs.WebAPI) string {
	r := SuccessRatio(api)
	if r.Total() == 0 {
		return "No requests were logged in the period."
	}
	s := fmt.Sprintf("%s of the %s requests succeeded", format.Share(r.Share(cryptolens.OutcomeSuccess)), format.Count(r.Total()))
	failed := r.Count(cryptolens.OutcomeFailure)
	if failed == 0 {
		return s + "; none failed."
	}
	worst, _ := MaxBy(SuccessByGroup(api).Rows, func(g OutcomeRow) int { return g.Count(cryptolens.OutcomeFailure) })
	return fmt.Sprintf("%s; %s failed, %s of them %s.", s, format.Count(failed),
		format.Count(worst.Count(cryptolens.OutcomeFailure)), worst.Label)
}

// UsageAnswer answers "who uses the software, and how much?" from the
// daily aggregates and the keys silent for more than silentDays
// (InactiveFromSummaries):
// "On an average day 42.1 devices, 30.2 keys and 12.3 customers were
// active; 9,876 requests over the 30 days with aggregates, 2.1% of them failed; 12 keys have
// made no request for more than 30 days."
func UsageAnswer(k *KPIs, silent *KeyActivity, silentDays int) string {
	if k.Len() == 0 {
		return "No daily aggregates in the period: widen it."
	}
	m, s := k.Mean(), k.Sum()
	failed := 0.0
	if s.Requests > 0 {
		failed = float64(s.Failed) / float64(s.Requests)
	}
	return fmt.Sprintf("On an average day %s devices, %s keys and %s customers were active; %s requests over the %s days with aggregates, %s of them failed; %s made no request for more than %d days.",
		format.Number(round1(m.ActiveDevices)), format.Number(round1(m.ActiveKeys)), format.Number(round1(m.ActiveCustomers)),
		format.Count(s.Requests), format.Count(k.Len()), format.Share(failed), format.Counted(len(silent.Rows), "key has", "keys have"), silentDays)
}

// round1 rounds to one decimal, for averages in a sentence.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// PeakInUse is the most seats held at once in the audited window (the
// high-water mark license managers report), counting those held at its
// start.
func (rep *SeatReport) PeakInUse() int {
	peak := rep.InUseAtStart
	for _, e := range rep.Events {
		peak = max(peak, e.InUse)
	}
	return peak
}

// SeatAnswer answers "is this floating license sized right?": "At most 5
// of the 5 seats of KEY were in use at once; 5 devices were refused for
// want of a free seat, and the license never went over its limit."
func SeatAnswer(rep *SeatReport) string {
	s := fmt.Sprintf("At most %s of the %s of %s were in use at once", format.Count(rep.PeakInUse()), format.Counted(rep.MaxMachines, "seat", "seats"), rep.Key)
	switch {
	case rep.DeviceLimit == 0 && rep.Overdrafts == 0:
		return s + "; no device was refused and the license never went over its limit."
	case rep.Overdrafts == 0:
		return fmt.Sprintf("%s; %s refused for want of a free seat, and the license never went over its limit.", s, format.Counted(rep.DeviceLimit, "device was", "devices were"))
	}
	return fmt.Sprintf("%s; %s refused for want of a free seat, and %s granted over the limit (overdraft).", s,
		format.Counted(rep.DeviceLimit, "device was", "devices were"), format.Counted(rep.Overdrafts, "seat was", "seats were"))
}

// Count is how many checks have status s.
func (h *Health) Count(s HealthStatus) int {
	n := 0
	for _, c := range h.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// HealthAnswer answers "can I trust these figures?": "Yes: all 24 checks
// are ok." or "Look first: 2 of 24 checks need a look (Web API Log / days
// without rows), 1 is bad (...)."
func HealthAnswer(h *Health) string {
	look, bad := h.Count(StatusLook), h.Count(StatusBad)
	if look+bad == 0 {
		return fmt.Sprintf("Yes: all %s are ok.", format.Counted(len(h.Checks), "check", "checks"))
	}
	first := h.Problems()[0]
	verdict := "Look first"
	if bad > 0 {
		verdict = "Not yet"
	}
	return fmt.Sprintf("%s: of %s %s %s a look and %s %s bad; the first is %s / %s: %s.", verdict, format.Counted(len(h.Checks), "check", "checks"),
		format.Count(look), format.Plural(look, "needs", "need"), format.Count(bad), format.Plural(bad, "is", "are"), first.Log, first.Check, first.Figure)
}

// TimelineAnswer answers "what happened to license X?": how many of its
// requests failed and, for the most common failure, what those failures
// share (FailureTrait.String), e.g. "ABCD-...: 404 of 1,234 requests
// failed. 403 of 404 failures are state 2021 ...".
func TimelineAnswer(tl *KeyTimeline) string {
	s := fmt.Sprintf("%s: %s of %s requests failed.", tl.Key, format.Count(tl.Failures), format.Count(tl.Requests))
	if traits := tl.FailureTraits(); len(traits) > 0 {
		s += " " + traits[0].String()
	}
	return s
}

// InactiveAnswer answers "which keys have gone quiet?" from every key's
// last activity (LastActivity) and the keys silent for more than the
// threshold (InactiveLicenses): "12 of 340 keys (3.5%) have made no
// request for more than 30 days; the longest silent, KEY, for 95 days."
func InactiveAnswer(all, inactive *KeyActivity) string {
	if len(all.Rows) == 0 {
		return "No key made a request in the history read: read more of it."
	}
	s := fmt.Sprintf("%s of %s keys (%s) have made no request for more than %d days",
		format.Count(len(inactive.Rows)), format.Count(len(all.Rows)),
		format.Share(float64(len(inactive.Rows))/float64(len(all.Rows))), inactive.Days)
	if len(inactive.Rows) == 0 {
		return s + "."
	}
	first := inactive.Rows[0]
	return fmt.Sprintf("%s; the longest silent, %s, for %d days.", s, first.Key, first.DaysSilent)
}

// HeavyAnswer answers "whose requests fill the log?" from HeaviestKeys:
// "3 keys each make more than 1% of the 12,345 requests, 45.1% of them
// together; the heaviest, KEY, 20.3%."
func HeavyAnswer(heavy *Ranking, minShare float64) string {
	if heavy.Total == 0 {
		return "No requests were logged in the period."
	}
	if len(heavy.Rows) == 0 {
		return fmt.Sprintf("No key makes more than %s of the %s requests.", format.Share(minShare), format.Count(heavy.Total))
	}
	sum := 0.0
	for _, r := range heavy.Rows {
		sum += r.Share
	}
	return fmt.Sprintf("%s each %s more than %s of the %s requests, %s of them together; the heaviest, %s, %s.",
		format.Counted(len(heavy.Rows), "key", "keys"), format.Plural(len(heavy.Rows), "makes", "make"), format.Share(minShare),
		format.Count(heavy.Total), format.Share(sum), heavy.Rows[0].Label, format.Share(heavy.Rows[0].Share))
}

// FeatureAnswer answers "what is used, and what did it earn?": "1,234
// events from 12 features; the most used, Export, 456 events on 78
// machines; revenue 1,234.50 USD from 12 purchases."
func FeatureAnswer(f *Features, r *RevenueTable) string {
	events := 0
	var top FeatureCount
	for _, c := range f.Rows {
		events += c.Events
		if c.Events > top.Events {
			top = c
		}
	}
	if events == 0 {
		return "No events were registered in the period."
	}
	s := fmt.Sprintf("%s events from %s; the most used, %s, %s on %s", format.Count(events), format.Counted(len(f.Rows), "feature", "features"),
		top.Feature, format.Counted(top.Events, "event", "events"), format.Counted(top.Machines, "machine", "machines"))
	totals, purchases, currencies := map[string]Cents{}, map[string]int{}, []string{}
	for _, row := range r.Rows {
		if _, ok := totals[row.Currency]; !ok {
			currencies = append(currencies, row.Currency)
		}
		totals[row.Currency] += row.Total
		purchases[row.Currency] += row.Purchases
	}
	if len(currencies) == 0 {
		return s + "; no purchase events."
	}
	var parts []string
	for _, c := range currencies {
		parts = append(parts, fmt.Sprintf("%s from %s", format.Money(totals[c].Float(), c), format.Counted(purchases[c], "purchase", "purchases")))
	}
	return s + "; revenue " + strings.Join(parts, ", ") + "."
}

// LogsAnswer answers "what do the logs hold?": "The Web API Log holds
// 2,345 requests from 2026-10-30 to 2026-11-05 (84.4% succeeded), the
// Events Log 812 events, the Object Log 57 entries from 2026-10-07 to
// 2026-11-05."
func LogsAnswer(api *logs.WebAPI, ev *logs.Events, obj *logs.Objects) string {
	s := fmt.Sprintf("The Web API Log holds %s from %s", format.Counted(api.Len(), "request", "requests"), format.Period(api.Period.From, api.Period.To))
	if api.Len() > 0 {
		s += fmt.Sprintf(" (%s succeeded)", format.Share(SuccessRatio(api).Share(cryptolens.OutcomeSuccess)))
	}
	return fmt.Sprintf("%s, the Events Log %s, the Object Log %s from %s.", s, format.Counted(ev.Len(), "event", "events"),
		format.Counted(obj.Len(), "entry", "entries"), format.Period(obj.Period.From, obj.Period.To))
}

// SharingAnswer answers "which keys look shared?" from KeySharing and
// FailureBursts: "The most suspicious of 120 keys is KEY: 37 machines, 12
// IPs, 40 no-free-seat; 3 failure bursts, the largest 45 failures of KEY2
// from 2026-11-02 14:00 UTC."
func SharingAnswer(s *Sharing, b *Bursts) string {
	if len(s.Rows) == 0 {
		return "No key made a request in the period."
	}
	top := s.Rows[0]
	out := fmt.Sprintf("The most suspicious of %s is %s: %s", format.Counted(len(s.Rows), "key", "keys"), top.Key, top.Reason)
	if len(b.Rows) == 0 {
		return out + "; no failure burst."
	}
	big := b.Rows[0]
	return fmt.Sprintf("%s; %s, the largest %s of %s from %s.", out, format.Counted(len(b.Rows), "failure burst", "failure bursts"),
		format.Counted(big.Failures, "failure", "failures"), big.Key, format.Time(big.Start))
}

// ChangesAnswer answers "who changed what?" from the Object Log: "57
// changes by 3 users, the most by user 31244 (40); 23 fields changed in 20
// updates, most often ExpirationDate (12)."
func ChangesAnswer(obj *logs.Objects) string {
	users := ChangesByUser(obj)
	if len(users.Rows) == 0 {
		return "Nobody changed anything in the period."
	}
	s := fmt.Sprintf("%s by %s, the most by user %s (%s)", format.Counted(obj.Len(), "change", "changes"), format.Counted(len(users.Rows), "user", "users"),
		users.Rows[0].Label, format.Count(users.Rows[0].Requests))
	h := FieldHistory(obj)
	fields := SumBy(h.Rows, func(f FieldChange) string { return f.Field }, func(FieldChange) int { return 1 })
	top, ok := MaxBy(fields, func(t Total[string, int]) int { return t.Value })
	if !ok {
		return s + "; no field changed."
	}
	return fmt.Sprintf("%s; %s changed in %s, most often %s (%s).", s, format.Counted(len(h.Rows), "field", "fields"),
		format.Counted(h.Updates, "update", "updates"), top.Key, format.Count(top.Value))
}
