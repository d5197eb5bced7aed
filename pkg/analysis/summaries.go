package analysis

import (
	"fmt"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// This file holds what reports print under a section's title: a result's
// figures as a few lines of text (Summary), or its notable rows in words
// (the ...Text methods), so a notebook cell says fmt.Println(r.Summary())
// where it used to print each figure itself.

// minuteLayout writes a time to the minute, as the reports' lines do.
const minuteLayout = "2006-01-02 15:04"

// lines joins lines, each ended by a newline, as one text.
func lines(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// Summary is the ratio's figures: the requests counted and the shares
// that succeeded and failed, one a line.
func (r *Ratio) Summary() string {
	return fmt.Sprintf("Requests in the window: %s\nSuccess share: %s\nFailure share: %s",
		format.Count(r.Total()), format.Share(r.Share(cryptolens.OutcomeSuccess)), format.Share(r.Share(cryptolens.OutcomeFailure)))
}

// WorstText names the row with the largest share of failures (pandas'
// idxmax): "Worst day: 2026-10-12 with 23.4% failures of 345 requests".
func (t *OutcomeTable) WorstText() string {
	failures := func(r OutcomeRow) float64 { return r.Share(cryptolens.OutcomeFailure) }
	worst, ok := MaxBy(t.Rows, failures)
	if !ok {
		return "No requests in the period."
	}
	return fmt.Sprintf("Worst %s: %s with %s failures of %s", strings.ToLower(t.By), worst.Label, format.Share(failures(worst)),
		format.Counted(worst.Total(), "request", "requests"))
}

// RefusalsText lists the audit's overdrafts (2015) and refused devices
// (2024), a line each, or says there were none.
func (rep *SeatReport) RefusalsText() string {
	var out []string
	for _, e := range rep.Events {
		if e.Overdraft || e.State == 2024 {
			out = append(out, fmt.Sprintf("%s  %-22s free seats %3d  %s %s", e.Time.Format(minuteLayout), e.Action, e.FreeSeats, e.MachineCode, e.FriendlyName))
		}
	}
	if len(out) == 0 {
		return "No overdrafts and no refused devices in the span.\n"
	}
	return lines(out)
}

// Figures is the audit's end state, a figure a line: the seats in use at
// its end, overdrafts and devices refused.
func (rep *SeatReport) Figures() string {
	return fmt.Sprintf("Seats in use now: %s of %s\nOverdrafts: %s\nDevice limit reached: %s",
		format.Count(rep.InUseAtEnd), format.Count(rep.MaxMachines), format.Count(rep.Overdrafts), format.Count(rep.DeviceLimit))
}

// Summary is the revenue, a line per currency and product: "Revenue USD
// product 3349: 1,025.30 USD (3 purchases)".
func (r *RevenueTable) Summary() string {
	var out []string
	for _, row := range r.Rows {
		out = append(out, fmt.Sprintf("Revenue %s product %d: %s (%s)", row.Currency, row.ProductID, format.Money(row.Total.Float(), row.Currency),
			format.Counted(row.Purchases, "purchase", "purchases")))
	}
	if len(out) == 0 {
		return "No purchase events in the period.\n"
	}
	return lines(out)
}

// Summary is the daily KPIs in four lines: the days, the requests by
// outcome, the average actives and the busiest day by active devices.
func (k *KPIs) Summary() string {
	busiest, ok := MaxBy(k.Rows, func(d KPIDay) int64 { return d.ActiveDevices })
	if !ok {
		return "No daily aggregates in the period: widen it"
	}
	sum, mean := k.Sum(), k.Mean()
	return fmt.Sprintf("Days with aggregates: %s (%s)\nRequests: %s (%s successful, %s failed)\n"+
		"Active per day on average: %.1f customers, %.1f keys, %.1f devices\nBusiest day: %s with %s",
		format.Count(k.Len()), format.Period(k.Rows[0].Day, k.Rows[k.Len()-1].Day.AddDate(0, 0, 1)),
		format.Count(sum.Requests), format.Count(sum.Successful), format.Count(sum.Failed), mean.ActiveCustomers, mean.ActiveKeys, mean.ActiveDevices,
		format.Time(busiest.Day), format.Counted(busiest.ActiveDevices, "active device", "active devices"))
}

// Summary is the countries with requests, the busiest and, of those
// listed by name, the one with the highest failure rate.
func (c *Countries) Summary() string {
	s := fmt.Sprintf("Countries with requests: %s", format.Count(c.All))
	var named []CountryShare
	for _, r := range c.Rows {
		if r.Country != "Other" {
			named = append(named, r)
		}
	}
	worst, ok := MaxBy(named, func(r CountryShare) float64 { return r.FailureRate })
	if !ok {
		return s
	}
	first := c.Rows[0]
	return fmt.Sprintf("%s\nTop country: %s with %s of requests (%s of them failed)\nHighest failure rate among them: %s, %s of %s",
		s, first.Country, format.Share(first.Share), format.Share(first.FailureRate), worst.Country, format.Share(worst.FailureRate),
		format.Counted(worst.Requests, "request", "requests"))
}

// LifetimeText lists the n keys with the most requests over their
// lifetime (pandas' nlargest(n, "totalRequests")), a line each, after
// the count of keys summarised.
func LifetimeText(s *logs.UsageSummaries, n int) string {
	out := []string{fmt.Sprintf("Keys with a usage summary: %s", format.Count(s.Len()))}
	day := func(sec int64) string { return format.Time(time.Unix(sec, 0).UTC().Truncate(logs.Day)) }
	for i, k := range Largest(s.Rows(), n, func(k cryptolens.KeyUsageSummary) int64 { return k.TotalRequests }) {
		out = append(out, fmt.Sprintf("%d. %s (product %d): %s, %s failed, first seen %s, last seen %s",
			i+1, k.Key, k.ProductID, format.Counted(k.TotalRequests, "request", "requests"), format.Count(k.TotalFailed), day(k.FirstSeenUtc), day(k.LastSeenUtc)))
	}
	return lines(out)
}

// Summary is the devices seen and the key with the most of them.
func (d *DeviceCounts) Summary() string {
	s := fmt.Sprintf("Devices seen in the period: %s on %s", format.Count(Sum(d.Rows, func(k KeyDeviceCount) int { return k.Devices })),
		format.Counted(len(d.Rows), "key", "keys"))
	if len(d.Rows) == 0 {
		return s
	}
	return fmt.Sprintf("%s\nMost devices on one key: %s with %s", s, d.Rows[0].Key, format.Count(d.Rows[0].Devices))
}

// Summary is the seat refreshes and activations counted, and over how
// many half-hours.
func (r *Refreshes) Summary() string {
	return fmt.Sprintf("Seat refreshes and activations: %s in %s", format.Count(Sum(r.Counts, func(n int64) int64 { return n })),
		format.Counted(r.Len(), "half-hour", "half-hours"))
}

// Summary is the devices offline longer than their floating period and
// the one most often so.
func (o *Offline) Summary() string {
	s := fmt.Sprintf("Devices offline longer than their floating period: %s", format.Count(len(o.Rows)))
	if len(o.Rows) == 0 {
		return s
	}
	d := o.Rows[0]
	return fmt.Sprintf("%s\nMost often: %s on %s, %s, longest gap %s (period %s)", s, d.MachineCode, d.Key,
		format.Counted(d.Gaps, "time", "times"), format.Duration(d.LongestGap), format.Duration(d.Period))
}

// Summary is the reconciliation's figures: the product-days compared,
// agreeing and flagged; the raw log's requests and what explains them;
// the aggregates' against what the raw log expects; then each flagged
// day, a line each.
func (r *Reconciliation) Summary() string {
	sum := r.Sum()
	out := []string{
		fmt.Sprintf("Product-days compared: %s; agree as they are: %s; flagged: %s", format.Count(len(r.Days)), format.Count(r.Agreeing()), format.Count(len(r.Flagged()))),
		fmt.Sprintf("Raw log: %s, of which by excluded test keys: %s, not yet aggregated: %s",
			format.Counted(sum.Log, "request", "requests"), format.Count(sum.TestKeys), format.Count(sum.Lagging)),
		fmt.Sprintf("Aggregates: %s; expected from the raw log: %s", format.Counted(sum.Endpoint, "request", "requests"), format.Count(sum.Expected)),
	}
	for _, d := range r.Flagged() {
		out = append(out, fmt.Sprintf("Flagged: %s product %d: %s", format.Time(d.Day), d.ProductID, d.Explanation))
	}
	return lines(out)
}

// Figures is what the three logs hold about the key, a figure a line,
// with the link to the Object Log and any note on what is missing.
func (tl *KeyTimeline) Figures() string {
	out := []string{
		fmt.Sprintf("Requests: %s (%s failed)", format.Count(tl.Requests), format.Count(tl.Failures)),
		fmt.Sprintf("Events sent by the application: %s", format.Count(tl.Events)),
		fmt.Sprintf("Changes to the key: %s; to its product: %s", format.Count(tl.KeyChanges), format.Count(tl.ProductChanges)),
	}
	if tl.ObjectID != 0 {
		out = append(out, "Link to the Object Log: "+tl.Link)
	}
	for _, n := range tl.Notes {
		out = append(out, "Note: "+n)
	}
	return lines(out)
}

// FailuresText says what the key's failures share (FailureTraits), then
// lists them grouped by device and state (FailureGroups), a line each; or
// that none failed.
func (tl *KeyTimeline) FailuresText() string {
	if tl.Failures == 0 {
		return "No request of the key failed in the window.\n"
	}
	var out []string
	for _, t := range tl.FailureTraits() {
		out = append(out, t.String())
	}
	for _, g := range tl.FailureGroups() {
		out = append(out, fmt.Sprintf("%s × %d %s, %s to %s, on %s %s (in use at the first: %s)", format.Count(g.Failures), g.State, g.What,
			g.First.Format(minuteLayout), g.Last.Format(minuteLayout), g.Device, g.Name, format.Count(g.InUseAtFirst)))
	}
	return lines(out)
}

// KeyChangesText lists each change made to the key, by whom, and how its
// requests went afterwards, with the first failure after it; or that none
// was made.
func (tl *KeyTimeline) KeyChangesText() string {
	var out []string
	for _, c := range tl.KeyChangeRows() {
		ok, failed, first := tl.After(c.Time)
		out = append(out, fmt.Sprintf("%s by user %s: %s", c.Time.Format(minuteLayout), c.User, c.What),
			fmt.Sprintf("  afterwards %s succeeded, %s failed", format.Count(ok), format.Count(failed)))
		if first != nil {
			out = append(out, fmt.Sprintf("  first failure %s: %s (state %d) on %s %s", first.Time.Format(minuteLayout), first.What, first.State, first.Device, first.Name))
		}
	}
	if len(out) == 0 {
		return "No change was made to the key in the window.\n"
	}
	return lines(out)
}

// ProductChangesText lists the changes made to the key's product, a line
// each, or says there were none.
func (tl *KeyTimeline) ProductChangesText() string {
	var out []string
	for _, c := range tl.Changes() {
		if c.Change == "product" {
			out = append(out, fmt.Sprintf("%s by user %s: %s", c.Time.Format(minuteLayout), c.User, c.What))
		}
	}
	if len(out) == 0 {
		return "No change was made to the key's product in the window.\n"
	}
	return lines(out)
}

// Summary is the ranking in words: the top change and why it is on top,
// how many changes were ranked and kept out, and why they were kept out.
func (c *ChangeImpacts) Summary() string {
	var out []string
	if len(c.Rows) > 0 {
		out = append(out, "Top change: "+c.Rows[0].Why)
	}
	out = append(out, fmt.Sprintf("Changes ranked: %s; kept out: %s", format.Count(len(c.Rows)), format.Count(len(c.Skipped))))
	for _, s := range c.SkippedByKind() {
		out = append(out, fmt.Sprintf("  kept out, %s: %s", s.Kind, format.Count(s.Changes)))
	}
	return lines(out)
}

// ProblemsText lists the checks that need attention, worst first, each
// with what to do.
func (h *Health) ProblemsText() string {
	var out []string
	for _, c := range h.Problems() {
		out = append(out, fmt.Sprintf("%s %s / %s: %s", c.Status, c.Log, c.Check, c.Figure), "     what to do: "+c.Advice)
	}
	return lines(out)
}

// AtLeast returns a copy with only the keys whose score is at least min
// (pandas' df[df.score >= min]).
func (s *Sharing) AtLeast(min float64) *Sharing {
	out := *s
	out.Rows = nil
	for _, k := range s.Rows {
		if k.Score >= min {
			out.Rows = append(out.Rows, k)
		}
	}
	return &out
}

// Summary is the licenses due within each horizon (30, 60, 90 days after
// the period), a line each, with how many of them are in use, fading and
// unused.
func (r *RenewalList) Summary() string {
	out := make([]string, 0, len(RenewalHorizons))
	for _, h := range RenewalHorizons {
		out = append(out, fmt.Sprintf("Within %d days: %s (%s in use, %s fading, %s unused)", h, format.Counted(r.Count(h, ""), "license", "licenses"),
			format.Count(r.Count(h, InUse)), format.Count(r.Count(h, Fading)), format.Count(r.Count(h, Unused))))
	}
	return lines(out)
}
