package logstore

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The changes between two snapshots, as cryptolens.InventoryChange rows
// (whose From and To are the two snapshots' times; ID and the Object Log
// match are left to the caller). Only tables both snapshots hold are
// compared.

// Change names, as InventoryChange.Change holds them.
const (
	ChangeLicenseAdded    = "license added"
	ChangeLicenseRemoved  = "license removed"
	ChangeLimitRaised     = "limit raised"
	ChangeLimitLowered    = "limit lowered"
	ChangeExpiryExtended  = "expiry extended"
	ChangeExpiryShortened = "expiry shortened"
	ChangeBlocked         = "blocked"
	ChangeUnblocked       = "unblocked"
	ChangeFeature         = "feature changed"
	ChangeTrialConverted  = "trial converted"
	ChangeTrialSet        = "made a trial"
	ChangeCustomer        = "customer changed"
	ChangeMachineAdded    = "machine added"
	ChangeMachineRemoved  = "machine removed"
	ChangeProductAdded    = "product added"
	ChangeProductRemoved  = "product removed"
	ChangeCustomerAdded   = "customer added"
	ChangeCustomerRemoved = "customer removed"
)

// DiffSnapshots returns what changed from prev to next: licenses, products
// and customers added or removed, each license's limit, expiry, block,
// features, trial flag and customer, machines activated or gone. Rows
// come in the order licenses (by id), machines, products, customers.
func DiffSnapshots(prev, next *Snapshot) []cryptolens.InventoryChange {
	d := differ{from: prev.Time.Unix(), to: next.Time.Unix()}
	both := func(t InventoryTable) bool { return prev.Has(t) && next.Has(t) }
	if both(InventoryLicenses) {
		d.licenses(prev.Licenses, next.Licenses)
	}
	if both(InventoryMachines) {
		d.machines(prev.Machines, next.Machines)
	}
	if both(InventoryProducts) {
		diffByID(prev.Products, next.Products, func(p *cryptolens.Product) int64 { return p.ID },
			func(p *cryptolens.Product, added bool) {
				c := d.row(InventoryProducts, ChangeProductRemoved, p.ID)
				if added {
					c.Change = ChangeProductAdded
				}
				c.ProductID = int(p.ID)
			})
	}
	if both(InventoryCustomers) {
		diffByID(prev.Customers, next.Customers, func(c *cryptolens.Customer) int64 { return c.ID },
			func(x *cryptolens.Customer, added bool) {
				c := d.row(InventoryCustomers, ChangeCustomerRemoved, x.ID)
				if added {
					c.Change = ChangeCustomerAdded
				}
			})
	}
	return d.out
}

// differ collects the changes between two snapshots.
type differ struct {
	from, to int64
	out      []cryptolens.InventoryChange
}

// row appends a change and returns it for the caller to fill in.
func (d *differ) row(t InventoryTable, change string, id int64) *cryptolens.InventoryChange {
	d.out = append(d.out, cryptolens.InventoryChange{From: d.from, To: d.to, Table: string(t), Change: change, ObjectID: id})
	return &d.out[len(d.out)-1]
}

// licenses compares the licenses by id.
func (d *differ) licenses(prev, next []cryptolens.LicenseKey) {
	old := map[int64]*cryptolens.LicenseKey{}
	for i := range prev {
		old[prev[i].ID] = &prev[i]
	}
	seen := map[int64]bool{}
	for i := range next {
		n := &next[i]
		seen[n.ID] = true
		o := old[n.ID]
		if o == nil {
			d.license(n, ChangeLicenseAdded, "", "", "")
			continue
		}
		d.field(n, "MaxNoOfMachines", int64(o.MaxNoOfMachines), int64(n.MaxNoOfMachines), ChangeLimitRaised, ChangeLimitLowered, itoa)
		d.field(n, "Expires", o.Expires, n.Expires, ChangeExpiryExtended, ChangeExpiryShortened, rfc3339)
		d.flag(n, "Block", o.Block, n.Block, ChangeBlocked, ChangeUnblocked)
		d.flag(n, "TrialActivation", o.TrialActivation, n.TrialActivation, ChangeTrialSet, ChangeTrialConverted)
		of, nf := features(o), features(n)
		for j := range of {
			if of[j] != nf[j] {
				d.license(n, ChangeFeature, "F"+strconv.Itoa(j+1), strconv.FormatBool(of[j]), strconv.FormatBool(nf[j]))
			}
		}
		if o.CustomerID != n.CustomerID {
			d.license(n, ChangeCustomer, "Customer", itoa(o.CustomerID), itoa(n.CustomerID))
		}
	}
	for i := range prev {
		if !seen[prev[i].ID] {
			d.license(&prev[i], ChangeLicenseRemoved, "", "", "")
		}
	}
}

// license appends a change of license l.
func (d *differ) license(l *cryptolens.LicenseKey, change, field, old, new string) {
	c := d.row(InventoryLicenses, change, l.ID)
	c.ProductID, c.Key, c.Field, c.Old, c.New = l.ProductID, l.Key, field, old, new
}

// field appends a change of a numeric field: up or down.
func (d *differ) field(n *cryptolens.LicenseKey, name string, old, new int64, up, down string, show func(int64) string) {
	switch {
	case new > old:
		d.license(n, up, name, show(old), show(new))
	case new < old:
		d.license(n, down, name, show(old), show(new))
	}
}

// flag appends a change of a bool field: set or cleared.
func (d *differ) flag(n *cryptolens.LicenseKey, name string, old, new bool, set, cleared string) {
	switch {
	case new && !old:
		d.license(n, set, name, "false", "true")
	case old && !new:
		d.license(n, cleared, name, "true", "false")
	}
}

func features(l *cryptolens.LicenseKey) [8]bool {
	return [8]bool{l.F1, l.F2, l.F3, l.F4, l.F5, l.F6, l.F7, l.F8}
}

// machines compares the machines by license and machine code.
func (d *differ) machines(prev, next []cryptolens.ActivatedMachine) {
	type mk struct {
		license int64
		code    string
	}
	key := func(m *cryptolens.ActivatedMachine) mk { return mk{m.LicenseID, m.Mid} }
	old, now := map[mk]bool{}, map[mk]bool{}
	for i := range prev {
		old[key(&prev[i])] = true
	}
	for i := range next {
		now[key(&next[i])] = true
	}
	add := func(m *cryptolens.ActivatedMachine, change string) {
		c := d.row(InventoryMachines, change, m.LicenseID)
		c.ProductID, c.Key, c.MachineCode = m.ProductID, m.Key, m.Mid
	}
	var changed []*cryptolens.ActivatedMachine
	var how []string
	for i := range next {
		if !old[key(&next[i])] {
			changed, how = append(changed, &next[i]), append(how, ChangeMachineAdded)
		}
	}
	for i := range prev {
		if !now[key(&prev[i])] {
			changed, how = append(changed, &prev[i]), append(how, ChangeMachineRemoved)
		}
	}
	idx := make([]int, len(changed))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		return cmp.Or(cmp.Compare(changed[x].LicenseID, changed[y].LicenseID), cmp.Compare(changed[x].Mid, changed[y].Mid))
	})
	for _, i := range idx {
		add(changed[i], how[i])
	}
}

// diffByID reports rows added to next or gone from prev, by id.
func diffByID[R any](prev, next []R, id func(*R) int64, report func(r *R, added bool)) {
	old, now := map[int64]bool{}, map[int64]bool{}
	for i := range prev {
		old[id(&prev[i])] = true
	}
	for i := range next {
		now[id(&next[i])] = true
		if !old[id(&next[i])] {
			report(&next[i], true)
		}
	}
	for i := range prev {
		if !now[id(&prev[i])] {
			report(&prev[i], false)
		}
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func rfc3339(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.RFC3339) }
