package analysis

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/format"
)

// This file holds the one-sentence answers the license reports (notebooks
// 12 to 14) open with, in the style of answers.go: each says what its
// report was asked, from the same results its sections show.

// RenewalsAnswer answers "what was sold, what is used, what expires
// next?" from the entitlement summary, the renewals and the upsell list of
// one period: "Of the 1,234 seats purchased on 456 licenses, 78.9% were in
// use at the peak; 12 licenses expire within 30 days, 8 of them in use; 3
// floating licenses ran out of seats, the most KEY, 12 h at its limit."
func RenewalsAnswer(ents *EntitlementSummary, ren *RenewalList, up *UpsellList) string {
	all := ents.Total()
	if all.Licenses == 0 {
		return "The license list holds no license for the report's scope."
	}
	return seatsClause(all) + "; " + expiringClause(ren, RenewalHorizons[0]) + "; " + upsellClause(up)
}

// TrialsAnswer answers "do trials convert, and who is lost?" from the
// trial funnel and the lost licenses of one period: "Of the 46 trials
// created in the period, 30 were activated and 10 converted (21.7%); 12
// licenses have gone silent for more than 40 days."
func TrialsAnswer(f *Funnel, lost *LostList) string {
	s := "No trial license was created in the period"
	if created := f.Step(0); created > 0 {
		s = fmt.Sprintf("Of the %s created in the period, %s activated and %s converted (%s)",
			format.Counted(created, "trial", "trials"), format.Counted(f.Step(1), "was", "were"), format.Count(f.Step(2)), format.Share(f.Steps[2].OfTrials))
	}
	return s + "; " + lostClause(lost) + "."
}

// CustomerAnswer answers "how does this customer use what they bought?"
// from one customer's entitlements, renewals and lost licenses: "Hallberg
// Systems AB holds 10 licenses with 34 seats, 76.5% of them in use at the
// peak; 1 license expires within 90 days, 1 of them in use; no license has
// gone silent for more than 40 days."
func CustomerAnswer(name string, ents *EntitlementSummary, ren *RenewalList, lost *LostList) string {
	all := ents.Total()
	s := fmt.Sprintf("%s holds %s", name, format.Counted(all.Licenses, "license", "licenses"))
	switch {
	case all.Licenses == 0:
		return s + "."
	case all.Seats == 0:
		s += " without a seat limit"
	default:
		s += fmt.Sprintf(" with %s, %s of them in use at the peak", format.Counted(all.Seats, "seat", "seats"), format.Share(all.Used))
	}
	return s + "; " + expiringClause(ren, RenewalHorizons[len(RenewalHorizons)-1]) + "; " + lostClause(lost) + "."
}

// seatsClause says how much of what was sold was used at the peak.
func seatsClause(all Entitlement) string {
	if all.Seats == 0 {
		return fmt.Sprintf("None of the %s has a seat limit", format.Counted(all.Licenses, "license", "licenses"))
	}
	return fmt.Sprintf("Of the %s purchased on %s, %s were in use at the peak", format.Counted(all.Seats, "seat", "seats"),
		format.Counted(all.Licenses, "license", "licenses"), format.Share(all.Used))
}

// expiringClause counts the licenses expiring within h days and those of
// them in use.
func expiringClause(ren *RenewalList, h int) string {
	n := ren.Count(h, "")
	if n == 0 {
		return fmt.Sprintf("none expires within %d days", h)
	}
	return fmt.Sprintf("%s within %d days, %s of them in use", format.Counted(n, "license expires", "licenses expire"), h,
		format.Count(ren.Count(h, InUse)))
}

// upsellClause names the floating licenses that ran out of seats, and the
// one that did the longest.
func upsellClause(up *UpsellList) string {
	if up.Len() == 0 {
		return "no floating license ran out of seats."
	}
	top := up.Rows[0]
	return fmt.Sprintf("%s out of seats, the longest %s, %s at its limit.", format.Counted(up.Len(), "floating license ran", "floating licenses ran"),
		top.Key, format.Duration(top.AtLimit))
}

// lostClause counts the lost licenses.
func lostClause(lost *LostList) string {
	if lost.Len() == 0 {
		return fmt.Sprintf("no license has gone silent for more than %d days", lost.Days)
	}
	return fmt.Sprintf("%s gone silent for more than %d days", format.Counted(lost.Len(), "license has", "licenses have"), lost.Days)
}
