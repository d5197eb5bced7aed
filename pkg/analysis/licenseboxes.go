package analysis

import (
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// This file holds the value boxes the license reports (notebooks 12 to
// 14) open with, as boxes.go does for the others: built from the analyses
// their sections show, for the period (api) and the one as long before
// (prev, loaded for lenslog.Previous). prev is empty when the log holds
// none of that period: the figures then stand alone rather than read as a
// change from nothing (versus). The license list's own counts (licenses, expiring) stand
// alone always: the list keeps no history, and a license renewed since
// would show its new expiry.

// RenewalBoxes are the boxes of "what was sold, what is used, what
// expires next?": the licenses, the share of seats in use at the peak
// (against prev), the licenses expiring within 30 days and the floating
// licenses at their limit (against prev).
func RenewalBoxes(l LicenseList, api, prev *logs.WebAPI) ([]format.Box, error) {
	now, before, err := entitlementsOf(l, api, prev)
	if err != nil {
		return nil, err
	}
	return versus(prev.Len() > 0,
		format.Value("Licenses", now.Licenses),
		format.Compare("Seats in use at peak", now.Used, before.Used).AsShare(),
		format.Value("Expiring in 30 days", Renewals(l, api).Count(RenewalHorizons[0], "")),
		format.Compare("Floating licenses at their limit", Upsell(l, api).Len(), Upsell(l, prev).Len()).Bad(),
	), nil
}

// TrialBoxes are the boxes of "do trials convert, and who is lost?": the
// trials created, the share converted and the licenses lost (silent more
// than lostDays), each against prev; the days are TrialFunnel's and
// LostLicenses'.
func TrialBoxes(l LicenseList, api, prev *logs.WebAPI, trialDays, activeDays, lostDays int) ([]format.Box, error) {
	now, err := TrialFunnel(l, api, trialDays, activeDays)
	if err != nil {
		return nil, err
	}
	before, err := TrialFunnel(l, prev, trialDays, activeDays)
	if err != nil {
		return nil, err
	}
	lost, lostBefore, err := lostOf(l, api, prev, lostDays)
	if err != nil {
		return nil, err
	}
	return versus(prev.Len() > 0,
		format.Compare("Trials created", now.Step(0), before.Step(0)),
		format.Compare("Trials converted", now.Steps[2].OfTrials, before.Steps[2].OfTrials).AsShare().Good(),
		format.Compare("Lost licenses", lost, lostBefore).Bad(),
	), nil
}

// CustomerBoxes are the boxes of one customer's report, for l narrowed to
// the customer (OfCustomer) and api and prev to their keys (Requests):
// their licenses, the share of their seats in use at the peak (against
// prev), their licenses expiring within 90 days and their lost licenses
// (against prev).
func CustomerBoxes(l LicenseList, api, prev *logs.WebAPI) ([]format.Box, error) {
	now, before, err := entitlementsOf(l, api, prev)
	if err != nil {
		return nil, err
	}
	lost, lostBefore, err := lostOf(l, api, prev, 0)
	if err != nil {
		return nil, err
	}
	return versus(prev.Len() > 0,
		format.Value("Licenses", now.Licenses),
		format.Compare("Seats in use at peak", now.Used, before.Used).AsShare(),
		format.Value("Expiring in 90 days", Renewals(l, api).Count(RenewalHorizons[len(RenewalHorizons)-1], "")),
		format.Compare("Lost licenses", lost, lostBefore).Bad(),
	), nil
}

// entitlementsOf is l's entitlement total over api and over prev.
func entitlementsOf(l LicenseList, api, prev *logs.WebAPI) (now, before Entitlement, err error) {
	e, err := Entitlements(l, api, ByProduct)
	if err != nil {
		return now, before, err
	}
	b, err := Entitlements(l, prev, ByProduct)
	if err != nil {
		return now, before, err
	}
	return e.Total(), b.Total(), nil
}

// lostOf counts l's lost licenses over api and over prev.
func lostOf(l LicenseList, api, prev *logs.WebAPI, days int) (now, before int, err error) {
	lost, err := LostLicenses(l, api, days)
	if err != nil {
		return 0, 0, err
	}
	lostBefore, err := LostLicenses(l, prev, days)
	if err != nil {
		return 0, 0, err
	}
	return lost.Len(), lostBefore.Len(), nil
}
