package lenslog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// The inventory tables (products, licenses, their activated machines,
// customers) are the account's present, not a log: Cryptolens keeps no
// history of them. A load reads one snapshot, as of the account's now:
//
//   - the sample account's inventory at the end of its history;
//   - the store's newest snapshot at or before now, after taking one when
//     the newest is older than SnapshotMaxAge (a sync takes one each time);
//   - the API's inventory, read once per Account.
//
// The read is recorded in the provenance under the table's name
// ("licenses"), with the snapshot's time in unix seconds as its highest
// id, so a replay reads the same snapshot. Keys, machine codes, IPs,
// friendly names, customer names and e-mail addresses are redacted with
// the pseudonyms the logs give them. A token without the method's
// permission gets a *PermissionError naming it.

// SnapshotMaxAge is how old the store's newest inventory snapshot may be
// before a load takes a new one.
const SnapshotMaxAge = time.Hour

// snapshotKind describes one inventory table to loadSnapshot: its rows R
// and its table T. Each table's kind and its Account method (Products,
// LicenseKeys, Machines, Customers) are generated from the description
// (internal/logschema) into kinds_gen.go.
type snapshotKind[R, T any] struct {
	table      logstore.InventoryTable
	method     string // the API method, for messages
	permission string // the permission it needs
	pick       func(*logstore.Snapshot) []R
	product    func(*R) int // nil: the table has no product
	build      func(rows []R) *T
	redact     func(*logs.Redactor, *T) *T // nil: nothing in it to redact
	setPeriod  func(*T, logs.Window)
}

// loadSnapshot loads one inventory table: the snapshot as of now (or a
// replay's), recorded, narrowed by product, redacted.
func loadSnapshot[R, T any](a *Account, k snapshotKind[R, T], filters []Filter) (*T, error) {
	f := combine(filters)
	if f.product != 0 && k.product == nil {
		return nil, fmt.Errorf("%s: it has no product, so it cannot be narrowed to %s", k.table, f)
	}
	snap, err := a.snapshotFor(string(k.table))
	if err != nil {
		return nil, k.failed(err)
	}
	if snap == nil {
		return nil, &NoDataError{What: string(k.table), Log: "the store's inventory snapshots", Window: logs.Window{To: a.snapshotCut(string(k.table))},
			Hint: "no snapshot was taken by then: run kernel sync"}
	}
	if why, skipped := snap.Skipped[k.table]; skipped {
		return nil, k.failed(skipError(why))
	}
	all := k.pick(snap)
	rows := all
	if f.product != 0 {
		rows = nil
		for i := range all {
			if k.product(&all[i]) == f.product {
				rows = append(rows, all[i])
			}
		}
	}
	r := Read{Account: a.Info(), Now: a.Now(), Log: string(k.table), Span: "snapshot", From: snap.Time, To: snap.Time,
		Filter: f.String(), Rows: len(all), Kept: len(rows), MaxID: snap.Time.Unix(), Pinned: a.pins.Pinned()}
	if cut, ok := a.pins.MaxIDs[string(k.table)]; ok {
		r.Cut = cut
	}
	if err := record(a.provenance, r); err != nil {
		return nil, err
	}
	t := k.build(rows)
	if a.redactor != nil && k.redact != nil {
		t = k.redact(a.redactor, t)
	}
	k.setPeriod(t, logs.Window{From: snap.Time, To: snap.Time})
	return t, nil
}

// failed turns an access denial into a *PermissionError naming the
// method's permission.
func (k snapshotKind[R, T]) failed(err error) error {
	if errors.Is(err, cryptolens.ErrAccessDenied) {
		return &PermissionError{Permission: k.permission, What: k.method, Err: err}
	}
	return fmt.Errorf("%s: %w", k.table, err)
}

// skipError is the error a stored snapshot recorded as why it skipped a
// table, wrapping the sentinel its text shows.
func skipError(why string) error {
	if strings.Contains(why, "no such method") || strings.Contains(why, "HTTP 404") {
		return fmt.Errorf("%s: %w", why, cryptolens.ErrNoMethod)
	}
	return fmt.Errorf("%s: %w", why, cryptolens.ErrAccessDenied)
}

// snapshotCut is the instant a load of table reads the snapshot at or
// before: a replay's pin of the table (the recorded snapshot's time),
// else the account's now.
func (a *Account) snapshotCut(table string) time.Time {
	if cut, ok := a.pins.MaxIDs[table]; ok {
		return time.Unix(cut, 0).UTC()
	}
	return a.Now()
}

// snapshotFor returns the snapshot a load of table reads from the source.
func (a *Account) snapshotFor(table string) (*logstore.Snapshot, error) {
	cut := a.snapshotCut(table)
	switch s := a.src.(type) {
	case *sampleSource:
		return s.inventory.get(func() (*logstore.Snapshot, error) { return sampleSnapshot(s, s.acct.Now), nil })
	case *storeSource:
		return s.snapshot(a.ctx, cut)
	case *apiSource:
		return s.inventory.get(func() (*logstore.Snapshot, error) { return logstore.FetchSnapshot(a.ctx, s.client, a.Now()) })
	}
	return nil, fmt.Errorf("no inventory in %T", a.src)
}

// sampleSnapshot is the sample account's inventory at instant at.
func sampleSnapshot(s *sampleSource, at time.Time) *logstore.Snapshot {
	inv := s.acct.InventoryAt(at)
	return logstore.SnapshotOf(at, inv.Products, inv.Licenses, inv.Customers)
}

// snapshot returns the store's newest snapshot at or before cut, taking
// one first when that is older than SnapshotMaxAge (unless a replay
// pinned the store).
func (s *storeSource) snapshot(ctx context.Context, cut time.Time) (*logstore.Snapshot, error) {
	return s.inventory.get(func() (*logstore.Snapshot, error) {
		snap, err := s.store.LoadSnapshot(cut)
		if err != nil || s.noSync || (snap != nil && cut.Sub(snap.Time) <= SnapshotMaxAge) {
			return snap, err
		}
		return s.store.SyncSnapshot(ctx, s.client, cut)
	})
}

// snapshotOnce holds the snapshot a source read, once per Account.
type snapshotOnce struct {
	mu   sync.Mutex
	done bool
	snap *logstore.Snapshot
	err  error
}

// get returns the snapshot read, reading it with read the first time.
func (o *snapshotOnce) get(read func() (*logstore.Snapshot, error)) (*logstore.Snapshot, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.done {
		o.snap, o.err = read()
		o.done = true
	}
	return o.snap, o.err
}
