package lenslog

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// InventoryChanges returns what changed between consecutive inventory
// snapshots whose later one was taken in span: licenses added or
// removed, limits raised or lowered, expiries extended or shortened,
// blocks, features, trials converted, customers changed, machines added
// or removed, products and customers added or removed (see
// logstore.DiffSnapshots), each with the two snapshots' times and, where
// the Object Log holds the change between them, its entry and who made it
// (a token that may not read the Object Log leaves them unmatched).
//
// The snapshots are the store's (one per sync), or the sample account's
// (one every sample.SnapshotEvery over the days its Object Log covers);
// reading the API directly keeps no history, so there are no changes. A
// change made and undone between two snapshots is not seen. Product
// narrows it to one product's licenses and machines. The read is recorded
// as "inventory_changes", its highest id the newest snapshot's time.
func (a *Account) InventoryChanges(span Span, filters ...Filter) (*logs.InventoryChanges, error) {
	w := span.Window(a.Now())
	f := combine(filters)
	snaps, err := a.snapshotsFor(inventoryChangesName)
	if err != nil {
		return nil, licensesKind.failed(err)
	}
	var rows []cryptolens.InventoryChange
	var newest int64
	for i := 1; i < len(snaps); i++ {
		if w.Contains(snaps[i].Time) {
			rows = append(rows, logstore.DiffSnapshots(snaps[i-1], snaps[i])...)
			newest = snaps[i].Time.Unix()
		}
	}
	all := len(rows)
	if f.product != 0 {
		kept := rows[:0]
		for _, r := range rows {
			if r.ProductID == f.product {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	for i := range rows {
		rows[i].ID = int64(i + 1)
	}
	if len(rows) > 0 {
		objects, err := a.Objects(Between(unixTime(rows[0].From), unixTime(rows[len(rows)-1].To).Add(1)))
		if err != nil && !errors.As(err, new(*NoDataError)) && !errors.Is(err, cryptolens.ErrAccessDenied) {
			return nil, fmt.Errorf("inventory changes: matching them with the Object Log: %w", err)
		}
		if objects != nil {
			matchObjectLog(rows, objects)
		}
	}
	r := Read{Account: a.Info(), Now: a.Now(), Log: inventoryChangesName, Span: span.String(), From: w.From, To: w.To,
		Filter: f.String(), Rows: all, Kept: len(rows), MaxID: newest, Pinned: a.pins.Pinned()}
	if cut, ok := a.pins.MaxIDs[inventoryChangesName]; ok {
		r.Cut = cut
	}
	if err := record(a.provenance, r); err != nil {
		return nil, err
	}
	t := tableOf[logs.InventoryChanges](rows)
	if a.redactor != nil {
		t = a.redactor.InventoryChanges(t)
	}
	t.Period = w
	return t, nil
}

// inventoryChangesName is the read's name in the provenance and pins.
const inventoryChangesName = "inventory_changes"

// snapshotsFor returns every snapshot a load of table may read, oldest
// first: those taken at or before its cut (see snapshotCut).
func (a *Account) snapshotsFor(table string) ([]*logstore.Snapshot, error) {
	cut := a.snapshotCut(table)
	switch s := a.src.(type) {
	case *sampleSource:
		var out []*logstore.Snapshot
		for _, t := range s.acct.InventoryTimes() {
			if !t.After(cut) {
				out = append(out, sampleSnapshot(s, t))
			}
		}
		return out, nil
	case *storeSource:
		if _, err := s.snapshot(a.ctx, cut); err != nil {
			return nil, err
		}
		all, err := s.store.LoadSnapshots()
		var out []*logstore.Snapshot
		for _, snap := range all {
			if !snap.Time.After(cut) {
				out = append(out, snap)
			}
		}
		return out, err
	case *apiSource:
		snap, err := a.snapshotFor(table)
		if snap == nil {
			return nil, err
		}
		return []*logstore.Snapshot{snap}, err
	}
	return nil, fmt.Errorf("no inventory in %T", a.src)
}

// matchObjectLog sets, on each change the Object Log holds, the entry
// that made it: the newest entry between the two snapshots about the same
// object (a license, product or customer) that added it (for an
// addition), deleted it (for a removal), or updated the changed field.
func matchObjectLog(rows []cryptolens.InventoryChange, obj *logs.Objects) {
	type target struct {
		typ cryptolens.ResourceType
		id  int64
	}
	byObject := map[target][]int{}
	for i := range obj.Len() {
		t := target{obj.ResourceType[i], obj.AffectedObjectID[i]}
		byObject[t] = append(byObject[t], i)
	}
	for j := range rows {
		c := &rows[j]
		typ, ok := resourceOf[c.Table]
		if !ok {
			continue // machines: activations are in the Web API Log, not the Object Log
		}
		for _, i := range byObject[target{typ, c.ObjectID}] {
			at := obj.Time[i]
			if at <= c.From || at > c.To || !madeChange(c, obj.ResourceAction[i], obj.Data[i]) {
				continue
			}
			c.ObjectLogID, c.ChangedBy = obj.ID[i], obj.PerformedByUserID.At(i)
		}
	}
}

// resourceOf is the Object Log's resource type of each table's objects.
var resourceOf = map[string]cryptolens.ResourceType{
	string(logstore.InventoryLicenses):  cryptolens.ResourceLicenseKey,
	string(logstore.InventoryProducts):  cryptolens.ResourceProduct,
	string(logstore.InventoryCustomers): cryptolens.ResourceCustomer,
}

// fieldNames are the names the Object Log's data may give a changed field,
// where they differ from the API's.
var fieldNames = map[string][]string{
	"Expires":  {"Expires", "ExpirationDate"},
	"Customer": {"Customer", "CustomerId"},
}

// madeChange reports whether an Object Log entry (its action and data)
// is the one that made change c.
func madeChange(c *cryptolens.InventoryChange, action cryptolens.ResourceAction, data string) bool {
	switch {
	case strings.HasSuffix(c.Change, " added"):
		return action == cryptolens.ActionAdded
	case strings.HasSuffix(c.Change, " removed"):
		return action == cryptolens.ActionDeleted
	case action != cryptolens.ActionUpdated:
		return false
	}
	names := fieldNames[c.Field]
	if names == nil {
		names = []string{c.Field}
	}
	for _, n := range names {
		if strings.Contains(data, `"`+n+`"`) {
			return true
		}
	}
	return false
}
