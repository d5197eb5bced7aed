package notebooks

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/nb"
)

// checkLicenseBoxes compares the value boxes of notebooks 12, 13 and 14
// (their defaults, on the pinned sample account) with figures computed
// here for the same windows and the period as long before each: the
// licenses, expiries, trials and lost licenses recounted from the license
// list and the Web API rows as the sample server sends them (the recount
// of licenses_reference_test.go), the seats in use at the peak and the
// floating licenses at their limit, whose seat replay this file does not
// repeat, from the analyses over tables loaded for those windows. A box
// compares with the previous period only where the log holds rows of it.
// It is for TestNotebooks, over its report of every notebook.
func checkLicenseBoxes(t *testing.T, out string) {
	t.Helper()
	acct, ref := referenceAccount(t)
	lics := lenslog.Must(acct.LicenseList())
	t.Run("boxes/12-licenses-and-renewals", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "12-licenses-and-renewals.ipynb")), renewalBoxes(t, acct, ref, lics)...)
	})
	t.Run("boxes/13-trials-and-retention", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "13-trials-and-retention.ipynb")), trialBoxes(t, acct, ref, lics)...)
	})
	t.Run("boxes/14-customer", func(t *testing.T) {
		checkBoxes(t, readExecuted(t, filepath.Join(out, "14-customer.ipynb")), customerBoxes(t, acct, ref, lics)...)
	})
}

// licenseWindows loads the Web API Log of the last d days and of the d
// days before (nil when the log holds no row of them), for the analyses
// whose figures are not recounted here.
func licenseWindows(t *testing.T, acct *lenslog.Account, ref *reference, d time.Duration) (api, prev *logs.WebAPI) {
	t.Helper()
	api = lenslog.Must(acct.WebAPI(lenslog.Last(d)))
	if len(between(ref.web, ref.now.Add(-2*d), ref.now.Add(-d))) > 0 {
		prev = lenslog.Must(acct.WebAPI(lenslog.Between(api.Period.From.Add(-d), api.Period.From)))
	}
	return api, prev
}

// renewalBoxes are 12's boxes: licenses, seats in use at the peak (against
// the 90 days before), licenses expiring within 30 days, floating licenses
// at their limit (against the 90 days before).
func renewalBoxes(t *testing.T, acct *lenslog.Account, ref *reference, lics analysis.LicenseList) []nb.Box {
	t.Helper()
	api, prev := licenseWindows(t, acct, ref, 90*day)
	if prev == nil {
		t.Fatal("the sample's history does not reach 90 days before the period: the boxes would compare nothing")
	}
	in30, _, _, _ := useCounts(ref.listed, keyTimes(ref.web, ref.now.Add(-90*day), ref.now), ref.now, 30)
	return []nb.Box{
		{Label: "Licenses", Value: float64(len(ref.listed))},
		{Label: "Seats in use at peak", Value: used(t, lics, api), Previous: used(t, lics, prev), HasPrevious: true, Share: true},
		{Label: "Expiring in 30 days", Value: float64(in30)},
		{Label: "Floating licenses at their limit", Value: float64(analysis.Upsell(lics, api).Len()),
			Previous: float64(analysis.Upsell(lics, prev).Len()), HasPrevious: true, Better: -1},
	}
}

// used is the share of lics' seats in use at the peak over api's period.
func used(t *testing.T, lics analysis.LicenseList, api *logs.WebAPI) float64 {
	t.Helper()
	return lenslog.Must(analysis.Entitlements(lics, api, analysis.ByProduct)).Total().Used
}

// trialBoxes are 13's boxes over its year: trials created, the share
// converted, licenses lost; against the year before when the log holds
// it (the sample's does not).
func trialBoxes(t *testing.T, acct *lenslog.Account, ref *reference, lics analysis.LicenseList) []nb.Box {
	t.Helper()
	const year = 365 * day
	api, prev := licenseWindows(t, acct, ref, year)
	created := func(from, to time.Time) int {
		n := 0
		for _, l := range ref.listed {
			if ref.trials[l.key] && !l.created.Before(from) && l.created.Before(to) {
				n++
			}
		}
		return n
	}
	converted := func(api *logs.WebAPI) float64 {
		return lenslog.Must(analysis.TrialFunnel(lics, api, 0, 0)).Steps[2].OfTrials
	}
	boxes := []nb.Box{
		{Label: "Trials created", Value: float64(created(ref.now.Add(-year), ref.now))},
		{Label: "Trials converted", Value: converted(api), Share: true, Better: 1},
		{Label: "Lost licenses", Value: float64(lostKeys(ref.web, nil, ref.now.Add(-year), ref.now)), Better: -1},
	}
	if prev != nil {
		boxes[0].Previous = float64(created(ref.now.Add(-2*year), ref.now.Add(-year)))
		boxes[1].Previous = converted(prev)
		boxes[2].Previous = float64(lostKeys(ref.web, nil, ref.now.Add(-2*year), ref.now.Add(-year)))
		for i := range boxes {
			boxes[i].HasPrevious = true
		}
	}
	return boxes
}

// lostKeys counts the keys (of keys, when not nil) with a request in
// [from, to) and none in the last 40 days before to.
func lostKeys(rows []row, keys map[string]bool, from, to time.Time) int {
	n := 0
	for key, ts := range keyTimes(rows, from, to) {
		last := slices.MaxFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		if (keys == nil || keys[key]) && to.Sub(last) > 40*day {
			n++
		}
	}
	return n
}

// customerBoxes are 14's boxes for its default customer (the one with the
// most licenses): their licenses, seats in use at the peak (against the
// 90 days before), licenses expiring within 90 days, lost licenses
// (against the 90 days before).
func customerBoxes(t *testing.T, acct *lenslog.Account, ref *reference, lics analysis.LicenseList) []nb.Box {
	t.Helper()
	best, mine := biggestCustomer(ref.listed)
	keys := map[string]bool{}
	for _, l := range mine {
		keys[l.key] = true
	}
	theirs := lenslog.Must(lics.OfCustomer(best))
	api, prev := licenseWindows(t, acct, ref, 90*day)
	if prev == nil {
		t.Fatal("the sample's history does not reach 90 days before the period: the boxes would compare nothing")
	}
	in90, _, _, _ := useCounts(mine, keyTimes(ref.web, ref.now.Add(-90*day), ref.now), ref.now, 90)
	return []nb.Box{
		{Label: "Licenses", Value: float64(len(mine))},
		{Label: "Seats in use at peak", Value: used(t, theirs, theirs.Requests(api)), Previous: used(t, theirs, theirs.Requests(prev)), HasPrevious: true, Share: true},
		{Label: "Expiring in 90 days", Value: float64(in90)},
		{Label: "Lost licenses", Value: float64(lostKeys(ref.web, keys, ref.now.Add(-90*day), ref.now)),
			Previous: float64(lostKeys(ref.web, keys, ref.now.Add(-180*day), ref.now.Add(-90*day))), HasPrevious: true, Better: -1},
	}
}
