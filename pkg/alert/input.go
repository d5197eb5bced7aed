package alert

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/lenslog"
)

// LoadInput loads what rs is judged over from acct: the three logs over
// rs.Lookback up to the account's now (synced first when acct reads
// through a store, as every load does), where they came from, and the
// seat limits of the floating licenses acct knows, and, when a rule reads
// it, the license list (product/GetKeys), whose floating licenses' limits
// fill in those the account does not otherwise know.
func LoadInput(acct *lenslog.Account, rs *Rules) (*Input, error) {
	span := lenslog.Last(rs.Lookback())
	api, err := acct.WebAPI(span)
	if err != nil {
		return nil, fmt.Errorf("alert: %w", err)
	}
	ev, err := acct.Events(span)
	if err != nil {
		return nil, fmt.Errorf("alert: %w", err)
	}
	obj, err := acct.Objects(span)
	if err != nil {
		return nil, fmt.Errorf("alert: %w", err)
	}
	logs, err := acct.HealthInput(api, ev, obj)
	if err != nil {
		return nil, fmt.Errorf("alert: %w", err)
	}
	in := &Input{Logs: logs, Limits: map[string]int{}}
	for _, l := range acct.Licenses() {
		if l.Floating && l.MaxNoOfMachines > 0 {
			in.Limits[l.Key] = l.MaxNoOfMachines
		}
	}
	if rs.reads(LicenseExpiring) || rs.reads(SeatsAtLimit) {
		in.Licenses, in.LicensesErr = acct.LicenseList()
	}
	if t := in.Licenses.Licenses; t != nil {
		for i := range t.Len() {
			if key := t.Key.At(i); t.Floating[i] && t.MaxNoOfMachines[i] > 0 && in.Limits[key] == 0 {
				in.Limits[key] = t.MaxNoOfMachines[i]
			}
		}
	}
	return in, nil
}

// reads reports whether a rule of rs is of kind k.
func (rs *Rules) reads(k Kind) bool {
	for _, r := range rs.Rules {
		if r.Kind == k {
			return true
		}
	}
	return false
}
