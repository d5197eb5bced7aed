package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// LicenseList is the account's license list as the license analyses read
// it: what product/GetKeys and customer/GetCustomers send (the present
// state; the Web API Log carries none of it), and the changes between the
// snapshots a store keeps of it. Machines, Customers and Changes may be
// nil: activated machines then count as none, customers are named by
// their id, and no license is known to have been a trial before.
type LicenseList struct {
	Licenses  *logs.Licenses
	Machines  *logs.Machines
	Customers *logs.Customers
	Changes   *logs.InventoryChanges

	customer int64 // the customer OfCustomer narrowed the list to; 0: none
}

// Len returns the number of licenses.
func (l LicenseList) Len() int {
	if l.Licenses == nil {
		return 0
	}
	return l.Licenses.Len()
}

// Product returns the list narrowed to one product's licenses; 0 keeps
// every product.
func (l LicenseList) Product(id int) LicenseList {
	if id == 0 || l.Licenses == nil {
		return l
	}
	t := l.Licenses
	l.Licenses = t.Where(func(i int) bool { return t.ProductID[i] == id })
	return l
}

// OfCustomer returns the list narrowed to one customer's licenses; id 0
// picks the customer with the most licenses (the smaller id of equals).
// A customer without licenses in the list is an error wrapping ErrNoData
// that names the customers with the most.
func (l LicenseList) OfCustomer(id int64) (LicenseList, error) {
	count := map[int64]int{}
	for i := range l.Len() {
		if c := l.Licenses.CustomerID[i]; c != 0 {
			count[c]++
		}
	}
	if id == 0 {
		for c, n := range count {
			if n > count[id] || n == count[id] && c < id {
				id = c
			}
		}
	}
	if count[id] == 0 {
		return l, noData(fmt.Sprintf("customer %d has no license in the list; the customers with the most: %s", id, l.biggest(count, 5)))
	}
	t := l.Licenses
	l.Licenses = t.Where(func(i int) bool { return t.CustomerID[i] == id })
	l.customer = id
	return l, nil
}

// biggest names the n customers with the most licenses, e.g.
// "52000 (Acme AB, 12 licenses), ...", or "none" for a list without
// customers.
func (l LicenseList) biggest(count map[int64]int, n int) string {
	ids := sortedKeys(count)
	slices.SortStableFunc(ids, func(a, b int64) int { return cmp.Compare(count[b], count[a]) })
	var parts []string
	for _, id := range ids[:min(n, len(ids))] {
		parts = append(parts, fmt.Sprintf("%d (%s, %d licenses)", id, l.CustomerName(id), count[id]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// Name is the name of the customer OfCustomer narrowed the list to, or
// "every customer".
func (l LicenseList) Name() string {
	if l.customer == 0 {
		return "every customer"
	}
	return l.CustomerName(l.customer)
}

// CustomerName returns the name customer id goes by: its company, else
// its name, else "customer ID".
func (l LicenseList) CustomerName(id int64) string {
	if c := l.Customers; c != nil {
		for i := range c.ID {
			if c.ID[i] != id {
				continue
			}
			if n := c.CompanyName.At(i); n != "" {
				return n
			}
			if n := c.Name.At(i); n != "" {
				return n
			}
		}
	}
	return "customer " + strconv.FormatInt(id, 10)
}

// Keys returns the license keys in the list, sorted.
func (l LicenseList) Keys() []string {
	var out []string
	for i := range l.Len() {
		out = append(out, l.Licenses.Key.At(i))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Requests returns the rows of api made with the list's keys, api's
// Period kept: the Web API Log of one customer, or one product. A nil
// table stays nil.
func (l LicenseList) Requests(api *logs.WebAPI) *logs.WebAPI {
	if api == nil {
		return nil
	}
	keys := map[string]bool{}
	for _, k := range l.Keys() {
		keys[k] = true
	}
	api = webAPI(api, logs.WebAPIKey)
	return api.Where(func(i int) bool { return keys[api.Key.At(i)] })
}

// changeTrialConverted is the inventory change of a license whose trial
// flag was cleared (logstore.ChangeTrialConverted).
const changeTrialConverted = "trial converted"

// licenses reads the list into the analyses' working view.
func (l LicenseList) licenses() []license {
	t := l.Licenses
	if t == nil {
		return nil
	}
	type machines struct {
		n     int
		first time.Time
	}
	byKey := map[string]machines{}
	if m := l.Machines; m != nil {
		for i := range m.Len() {
			k := m.Key.At(i)
			x := byKey[k]
			x.n++
			if at := m.Time.At(i); !at.IsZero() && (x.first.IsZero() || at.Before(x.first)) {
				x.first = at
			}
			byKey[k] = x
		}
	}
	wasTrial := map[string]bool{}
	if c := l.Changes; c != nil {
		for i := range c.Len() {
			if c.Change.At(i) == changeTrialConverted {
				wasTrial[c.Key.At(i)] = true
			}
		}
	}
	names := map[int64]string{}
	out := make([]license, t.Len())
	for i := range out {
		k, cid := t.Key.At(i), t.CustomerID[i]
		name, ok := names[cid]
		if !ok && cid != 0 {
			name = l.CustomerName(cid)
			names[cid] = name
		}
		m := byKey[k]
		out[i] = license{Key: k, ProductID: t.ProductID[i], CustomerID: int(cid), Customer: name,
			Created: t.Created.At(i), Expires: t.Expires.At(i), Trial: t.TrialActivation[i], Floating: t.Floating[i],
			Seats: t.MaxNoOfMachines[i], Activated: m.n, FirstUsed: m.first, Blocked: t.Block[i],
			WasTrial: wasTrial[k] && !t.TrialActivation[i]}
	}
	return out
}

// Entitlements adds up the list's licenses per product or per customer:
// seats purchased, machines activated, the peak in use in api's period,
// and the next expiry (see EntitlementSummary).
func Entitlements(l LicenseList, api *logs.WebAPI, by Grouping) (*EntitlementSummary, error) {
	return entitlements(l.licenses(), api, by)
}

// Renewals lists the licenses expiring within 90 days after api's period,
// soonest first, with their recent use (see Renewals).
func Renewals(l LicenseList, api *logs.WebAPI) *RenewalList {
	return renewals(l.licenses(), api)
}

// Upsell ranks the floating licenses by time at or over their seat limit
// in api's period (see UpsellList).
func Upsell(l LicenseList, api *logs.WebAPI) *UpsellList {
	return upsell(l.licenses(), api)
}

// TrialFunnel follows the trials created in api's period from created to
// still active; 0 for trialDays or stillActiveDays means the defaults, 14
// and 30 (see TrialFunnel).
func TrialFunnel(l LicenseList, api *logs.WebAPI, trialDays, stillActiveDays int) (*Funnel, error) {
	return trialFunnel(l.licenses(), api, trialDays, stillActiveDays)
}

// Cohorts is cohort retention over api's period: licenses by month of
// creation, and the share active in each month after (see CohortTable).
func Cohorts(l LicenseList, api *logs.WebAPI) *CohortTable {
	return cohorts(l.licenses(), api)
}

// LostLicenses lists the licenses silent for more than days days (0: 40)
// at the end of api's period, with the last state seen (see Lost).
func LostLicenses(l LicenseList, api *logs.WebAPI, days int) (*LostList, error) {
	return lostLicenses(l.licenses(), api, days)
}

// NeverUsed lists the licenses of the list without a request in api up to
// the end of its period: inactive licenses the log alone cannot show.
func NeverUsed(l LicenseList, api *logs.WebAPI) *KeyActivity {
	return neverUsed(l.licenses(), api)
}
