package sample

import (
	"cmp"
	"slices"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The inventory is the account's present state as product/GetProducts,
// product/GetKeys and customer/GetCustomers serve it: its products, its
// licenses with their customers and activated machines, its customers.
// It follows from what the generator drew and what the logs show, and
// draws nothing itself, so the same options give the same inventory:
//
//   - A license's id, key, product, seat limit, customer and creation are
//     its License's. It is floating (LicenseKey.Floating) when one of its
//     machines holds a floating seat, as the API shows it.
//   - A trial (License.Trial, a 14-day trial created during the history)
//     has TrialActivation set, period 14 and F1 (time-limited), expiring 14
//     days after it was created. A trial that converted (Extended: the 7010
//     that extended it before it ran out) is no longer a trial: its
//     TrialActivation is false and it expires a year after its trial would
//     have. So a trial is marked by TrialActivation, a conversion by a
//     license created as a trial (its 3010 and Object Log copy) that no
//     longer has it, extended by a year.
//   - A time-limited license (License.Expires) has period 365 and F1, and
//     expires then, or a year later when it was renewed (Extended).
//   - Any other license is an annual subscription when the next
//     anniversary of its creation after the account's end comes within 245
//     days (so its last renewal lies before the history, where the log
//     holds no extension for it): period 365, F1, expiring then. This is
//     where the licenses expiring within 30, 60 and 90 days of the end
//     come from. The rest are perpetual: period 0, F1 false, expiring 100
//     years after creation.
//   - The blocked key (Planted.BlockedKey) has Block set.
//   - The activated machines are the log's: for a node-locked license each
//     machine activated (2010-2013) and not deactivated since (6010), with
//     its first activation's time, IP and friendly name; for a floating
//     license each machine whose seat (2014, 2015, not released by 6011)
//     has not expired at the account's end, with its floating expiry.
//   - A customer has the id, name, e-mail and domain Account.Customers
//     gives; it was created the day before its first license, or 400 days
//     before the end when it has none.

// Inventory is what the inventory methods serve.
type Inventory struct {
	Products  []cryptolens.Product      // by id
	Licenses  []cryptolens.LicenseEntry // by id, each with its customer and machines
	Customers []cryptolens.Customer     // by id
}

// Inventory returns the account's inventory at its end, computed afresh
// from its licenses and its Web API Log.
func (a *Account) Inventory() *Inventory {
	return inventoryOf(a, a.WebAPI, a.Now)
}

// InventoryAt returns the inventory as it was at t (within the history):
// the licenses created by then, trials converted, licenses renewed and
// blocked by then, and the machines activated by then.
func (a *Account) InventoryAt(t time.Time) *Inventory {
	return inventoryOf(a, a.WebAPI, t)
}

// SnapshotEvery is how often the sample account's inventory is taken, as
// a daily sync would keep it: InventoryTimes lists the instants.
const SnapshotEvery = 7 * 24 * time.Hour

// InventoryTimes returns when the sample account's inventory snapshots
// are taken: every SnapshotEvery back from its end over the days its
// Object Log covers (ObjectsRetention), where the changes between them
// can be matched with the log's, oldest first.
func (a *Account) InventoryTimes() []time.Time {
	var out []time.Time
	start := a.Now.Add(-ObjectsRetention)
	for t := a.Now; !t.Before(start); t = t.Add(-SnapshotEvery) {
		out = append(out, t)
	}
	slices.Reverse(out)
	return out
}

// subscriptionHorizon is how far after the end an annual subscription's
// next renewal may lie: beyond it, the renewal before it would fall inside
// the history, where the log shows none.
const subscriptionHorizon = 245 * 24 * time.Hour

// perpetual is how long after its creation a license without a time limit
// is said to expire.
const perpetual = 100

// inventoryOf builds the inventory of a at instant at, with its Web API
// rows web (those up to at count).
func inventoryOf(a *Account, web []cryptolens.WebAPILogRow, at time.Time) *Inventory {
	inv := &Inventory{}
	for i, p := range a.Products {
		created := a.Now.AddDate(-3, 0, -90*i).Truncate(24 * time.Hour)
		inv.Products = append(inv.Products, cryptolens.Product{ID: int64(p.ID), Name: p.Name,
			CreationDate: created.Unix(), Description: p.Name + ", sold per machine or per seat"})
	}
	first := map[int64]time.Time{}
	for _, l := range a.Licenses {
		if l.Created.After(at) {
			continue
		}
		if f, ok := first[l.CustomerID]; !ok || l.Created.Before(f) {
			first[l.CustomerID] = l.Created
		}
	}
	byID := map[int64]*cryptolens.Customer{}
	for _, c := range a.Customers {
		created := a.Now.AddDate(0, 0, -400)
		if f, ok := first[c.ID]; ok {
			created = f.AddDate(0, 0, -1)
		}
		inv.Customers = append(inv.Customers, cryptolens.Customer{ID: c.ID, Name: c.Name, Email: c.Email,
			CompanyName: c.Name, Created: created.Truncate(time.Second).Unix()})
	}
	for i := range inv.Customers {
		byID[inv.Customers[i].ID] = &inv.Customers[i]
	}
	machines := activatedMachines(web, at)
	for _, l := range a.Licenses {
		if l.Created.After(at) {
			continue
		}
		e := licenseEntry(a, l, at)
		if c := byID[l.CustomerID]; c != nil {
			cc := *c
			e.Customer, e.CustomerID = &cc, c.ID
		}
		e.Machines = machines[l.Key]
		e.Link()
		inv.Licenses = append(inv.Licenses, e)
	}
	slices.SortFunc(inv.Licenses, func(x, y cryptolens.LicenseEntry) int { return cmp.Compare(x.ID, y.ID) })
	return inv
}

// licenseEntry returns a license's own fields, as the rules above set them,
// at instant at.
func licenseEntry(a *Account, l License, at time.Time) cryptolens.LicenseEntry {
	k := cryptolens.LicenseKey{ID: l.ID, ProductID: l.ProductID, Key: l.Key, Created: l.Created.Unix(),
		MaxNoOfMachines: l.MaxNoOfMachines, Block: !l.BlockedAt.IsZero() && !l.BlockedAt.After(at),
		GlobalID: 7_000_000 + l.ID}
	extended := !l.Extended.IsZero() && !l.Extended.After(at)
	switch {
	case l.Trial && !extended:
		k.TrialActivation, k.Period, k.F1, k.Expires = true, 14, true, l.Expires.Unix()
	case !l.Expires.IsZero():
		k.Period, k.F1, k.Expires = 365, true, l.Expires.Unix()
		if extended {
			k.Expires = l.Expires.AddDate(1, 0, 0).Unix()
		}
	default:
		next := l.Created
		for !next.After(a.Now) {
			next = next.AddDate(1, 0, 0)
		}
		if next.Sub(a.Now) <= subscriptionHorizon {
			k.Period, k.F1, k.Expires = 365, true, next.Unix()
		} else {
			k.Expires = l.Created.AddDate(perpetual, 0, 0).Unix()
		}
	}
	if k.Block {
		k.Notes = "Blocked " + l.BlockedAt.Format("2006-01-02") + ": shared outside the team"
	}
	return cryptolens.LicenseEntry{LicenseKey: k}
}

// activatedMachines replays the Web API rows up to at (in id order) into
// each key's activated machines at that instant, in order of activation.
func activatedMachines(web []cryptolens.WebAPILogRow, at time.Time) map[string][]cryptolens.ActivatedMachine {
	type held struct {
		m     cryptolens.ActivatedMachine
		order int
	}
	state := map[string]map[string]*held{}
	n := 0
	for i := range web {
		r := &web[i]
		if r.MachineCode == "" || r.Time > at.Unix() {
			continue
		}
		ms := state[r.Key]
		if ms == nil {
			ms = map[string]*held{}
			state[r.Key] = ms
		}
		switch s := r.State; {
		case s >= 2010 && s <= 2013:
			if ms[r.MachineCode] == nil {
				n++
				ms[r.MachineCode] = &held{cryptolens.ActivatedMachine{Key: r.Key, Mid: r.MachineCode, IP: r.IP,
					Time: r.Time, FriendlyName: r.FriendlyName}, n}
			}
		case s == cryptolens.StateFloatingActivated || s == cryptolens.StateFloatingOverdraft:
			h := ms[r.MachineCode]
			if h == nil || h.m.FloatingExpires < r.Time {
				n++
				h = &held{cryptolens.ActivatedMachine{Key: r.Key, Mid: r.MachineCode, IP: r.IP,
					Time: r.Time, FriendlyName: r.FriendlyName}, n}
				ms[r.MachineCode] = h
			}
			h.m.FloatingExpires = r.FloatingExpires
		case s == 6010 || s == cryptolens.StateFloatingReleased:
			delete(ms, r.MachineCode)
		}
	}
	now := at.Unix()
	out := make(map[string][]cryptolens.ActivatedMachine, len(state))
	for key, ms := range state {
		var hs []*held
		for _, h := range ms {
			if h.m.FloatingExpires == 0 || h.m.FloatingExpires > now {
				hs = append(hs, h)
			}
		}
		slices.SortFunc(hs, func(x, y *held) int { return cmp.Compare(x.order, y.order) })
		for _, h := range hs {
			out[key] = append(out[key], h.m)
		}
	}
	return out
}

// public returns the License of license i, as the account shows it.
func (g *generator) public(i int, l *lic) License {
	p := l.License
	p.ID = licenseIDBase + int64(i)
	p.CustomerID = customerIDBase + int64(slices.Index(g.customers, l.cust))
	p.Trial = l.trial
	if l.renewAt != 0 {
		p.Extended = time.Unix(l.renewAt, 0).UTC()
	}
	if l.blockedAt != 0 {
		p.BlockedAt = time.Unix(l.blockedAt, 0).UTC()
	}
	return p
}

// publicCustomers returns the customers as the account shows them.
func (g *generator) publicCustomers() []Customer {
	out := make([]Customer, len(g.customers))
	for i, c := range g.customers {
		out[i] = Customer{ID: customerIDBase + int64(i), Name: c.name, Email: "info@" + c.domain, Domain: c.domain}
	}
	return out
}
