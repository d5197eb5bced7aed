package logstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
)

// The inventory (products, licenses, their activated machines, customers)
// is the account's present state: Cryptolens keeps no history of it. So
// each sync takes a snapshot and keeps it beside the earlier ones, under
// <store>/inventory/:
//
//	inventory/products/20261105T120000Z.parquet
//	inventory/licenses/20261105T120000Z.parquet
//	inventory/machines/20261105T120000Z.parquet
//	inventory/customers/20261105T120000Z.parquet
//	inventory/_snapshots.json
//
// one Parquet file per table and snapshot, named for the snapshot's time
// (UTC, to the second), whose rows carry it too (SnapshotTime), so
// read_parquet('inventory/licenses/*.parquet') is every snapshot at once.
// The other columns are named as the row type's Go fields. A snapshot is
// complete once _snapshots.json lists it (it is written last); files of a
// snapshot it does not list are leftovers of a sync that died, ignored and
// replaced. A table the token may not read (cryptolens.ErrAccessDenied, or
// a server without the method) is skipped: the snapshot lists it as
// skipped with the reason, and the others are kept.

// InventoryTable names one table of a snapshot.
type InventoryTable string

// The inventory tables, as their folders are named.
const (
	InventoryProducts  InventoryTable = "products"
	InventoryLicenses  InventoryTable = "licenses"
	InventoryMachines  InventoryTable = "machines"
	InventoryCustomers InventoryTable = "customers"
)

// AllInventoryTables lists the tables of a snapshot.
func AllInventoryTables() []InventoryTable {
	return []InventoryTable{InventoryProducts, InventoryLicenses, InventoryMachines, InventoryCustomers}
}

// inventoryDir is the folder of the snapshots.
const inventoryDir = "inventory"

// snapshotLayout names a snapshot's files.
const snapshotLayout = "20060102T150405Z"

// Snapshot is the account's inventory as of one instant.
type Snapshot struct {
	Time      time.Time // when it was taken (the fetch's start), UTC, to the second
	Products  []cryptolens.Product
	Licenses  []cryptolens.LicenseKey       // by id
	Machines  []cryptolens.ActivatedMachine // by license id, then activation
	Customers []cryptolens.Customer
	// Skipped are the tables the snapshot lacks, each with why (the
	// permission the token lacks, or the method the server lacks).
	Skipped map[InventoryTable]string
}

// Has reports whether the snapshot holds table t (it was not skipped).
func (s *Snapshot) Has(t InventoryTable) bool { _, skipped := s.Skipped[t]; return !skipped }

// SnapshotOf returns the snapshot of licenses (with their machines and
// customers), products and customers taken at t.
func SnapshotOf(t time.Time, products []cryptolens.Product, licenses []cryptolens.LicenseEntry, customers []cryptolens.Customer) *Snapshot {
	s := &Snapshot{Time: t.UTC().Truncate(time.Second), Products: products, Customers: customers}
	for _, l := range licenses {
		s.Licenses = append(s.Licenses, l.LicenseKey)
		s.Machines = append(s.Machines, l.Machines...)
	}
	return s
}

// FetchSnapshot reads the inventory from c, now: the products, every
// license (every page of product/GetKeys) and the customers. A table the
// token may not read, or the server does not have, is skipped and named in
// Skipped (the licenses' machines with them); any other failure ends it.
func FetchSnapshot(ctx context.Context, c *cryptolens.Client, now time.Time) (*Snapshot, error) {
	s := &Snapshot{Time: now.UTC().Truncate(time.Second)}
	skip := func(t InventoryTable, err error) error {
		if errors.Is(err, cryptolens.ErrAccessDenied) || errors.Is(err, cryptolens.ErrNoMethod) {
			if s.Skipped == nil {
				s.Skipped = map[InventoryTable]string{}
			}
			s.Skipped[t] = err.Error()
			return nil
		}
		return fmt.Errorf("logstore: inventory %s: %w", t, err)
	}
	var err error
	if s.Products, err = c.Products(ctx); err != nil {
		if err := skip(InventoryProducts, err); err != nil {
			return nil, err
		}
	}
	for page, err := range c.AllKeys(ctx, cryptolens.KeysQuery{}) {
		if err != nil {
			s.Licenses, s.Machines = nil, nil
			if err := skip(InventoryLicenses, err); err != nil {
				return nil, err
			}
			s.Skipped[InventoryMachines] = s.Skipped[InventoryLicenses]
			break
		}
		for _, l := range page {
			s.Licenses = append(s.Licenses, l.LicenseKey)
			s.Machines = append(s.Machines, l.Machines...)
		}
	}
	if s.Customers, err = c.Customers(ctx, cryptolens.CustomersQuery{}); err != nil {
		if err := skip(InventoryCustomers, err); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(s.Licenses, func(x, y cryptolens.LicenseKey) int { return cmpInt(x.ID, y.ID) })
	slices.SortStableFunc(s.Machines, func(x, y cryptolens.ActivatedMachine) int { return cmpInt(x.LicenseID, y.LicenseID) })
	return s, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// snapshotEntry is one snapshot in _snapshots.json.
type snapshotEntry struct {
	Time    time.Time                 `json:"time"`
	Rows    map[InventoryTable]int    `json:"rows"`
	Skipped map[InventoryTable]string `json:"skipped,omitempty"`
}

// SyncSnapshot fetches the inventory from c and keeps it as a snapshot
// taken at now, under the store's lock and account check (as a sync of the
// logs). A table the token may not read is skipped and named in the
// snapshot's Skipped; when every table is skipped nothing is kept.
func (s *Store) SyncSnapshot(ctx context.Context, c *cryptolens.Client, now time.Time) (*Snapshot, error) {
	lk, err := lockStore(ctx, s.dir)
	if err != nil {
		return nil, fmt.Errorf("logstore: snapshot: %w", err)
	}
	defer lk.unlock()
	a := accountOf(c)
	bind, err := s.bindingNeeded(a, false)
	if err != nil {
		return nil, err
	}
	snap, err := FetchSnapshot(ctx, c, now)
	if err != nil {
		return nil, err
	}
	if len(snap.Skipped) == len(AllInventoryTables()) {
		return snap, nil
	}
	if err := s.keepSnapshot(snap); err != nil {
		return nil, err
	}
	if bind {
		if err := s.recordAccount(a); err != nil {
			return nil, err
		}
	}
	return snap, nil
}

// keepSnapshot writes a snapshot's tables, then lists it.
func (s *Store) keepSnapshot(snap *Snapshot) error {
	root := filepath.Join(s.dir, inventoryDir)
	list, err := readSnapshotList(root)
	if err != nil {
		return err
	}
	e := snapshotEntry{Time: snap.Time, Rows: map[InventoryTable]int{}, Skipped: snap.Skipped}
	for _, t := range AllInventoryTables() {
		if !snap.Has(t) {
			continue
		}
		switch t {
		case InventoryProducts:
			e.Rows[t], err = len(snap.Products), writeSnapshotTable(root, t, snap.Time, snap.Products)
		case InventoryLicenses:
			e.Rows[t], err = len(snap.Licenses), writeSnapshotTable(root, t, snap.Time, snap.Licenses)
		case InventoryMachines:
			e.Rows[t], err = len(snap.Machines), writeSnapshotTable(root, t, snap.Time, snap.Machines)
		case InventoryCustomers:
			e.Rows[t], err = len(snap.Customers), writeSnapshotTable(root, t, snap.Time, snap.Customers)
		}
		if err != nil {
			return err
		}
	}
	list = slices.DeleteFunc(list, func(o snapshotEntry) bool { return o.Time.Equal(e.Time) })
	list = append(list, e)
	slices.SortFunc(list, func(x, y snapshotEntry) int { return x.Time.Compare(y.Time) })
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	_, _, err = writeFileAtomic(root, "_snapshots.json", func(w io.Writer) error { _, err := w.Write(data); return err })
	if err != nil {
		return fmt.Errorf("logstore: snapshot: %w", err)
	}
	return nil
}

// snapshotFolder is the folder, under a table's, of one snapshot's file:
// a Hive-style partition, so DuckDB and Spark read its time as a column.
func snapshotFolder(at time.Time) string { return "snapshot=" + at.UTC().Format(snapshotLayout) }

// writeSnapshotTable writes one table of a snapshot atomically.
func writeSnapshotTable[R any](root string, t InventoryTable, at time.Time, rows []R) error {
	dir := filepath.Join(root, string(t), snapshotFolder(at))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("logstore: snapshot: %w", err)
	}
	_, _, err := writeFileAtomic(dir, string(t)+".parquet", func(w io.Writer) error {
		pw := parquet.NewGenericWriter[R](w, parquet.Compression(&parquet.Snappy),
			parquet.KeyValueMetadata("lenslog.table", string(t)),
			parquet.KeyValueMetadata("lenslog.snapshot", at.UTC().Format(time.RFC3339)))
		if _, err := pw.Write(rows); err != nil {
			return fmt.Errorf("encode %s: %w", t, err)
		}
		return pw.Close()
	})
	if err != nil {
		return fmt.Errorf("logstore: write snapshot %s: %w", filepath.Join(string(t), snapshotFolder(at)), err)
	}
	return nil
}

// readSnapshotTable reads one table of a snapshot.
func readSnapshotTable[R any](root string, t InventoryTable, at time.Time) ([]R, error) {
	path := filepath.Join(root, string(t), snapshotFolder(at), string(t)+".parquet")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("logstore: read snapshot: %w", err)
	}
	rows, err := parquet.Read[R](bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &CorruptError{Path: path, Reason: "not a readable Parquet table", Err: err}
	}
	return rows, nil
}

// readSnapshotList reads _snapshots.json; none is an empty list.
func readSnapshotList(root string) ([]snapshotEntry, error) {
	data, err := os.ReadFile(filepath.Join(root, "_snapshots.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("logstore: read snapshot list: %w", err)
	}
	var list []snapshotEntry
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, &CorruptError{Path: filepath.Join(root, "_snapshots.json"), Reason: "not a snapshot list", Err: err}
	}
	return list, nil
}

// SnapshotTimes lists the times of the kept snapshots, oldest first.
func (s *Store) SnapshotTimes() ([]time.Time, error) {
	if err := s.checkAccount(s.account); err != nil {
		return nil, err
	}
	list, err := readSnapshotList(filepath.Join(s.dir, inventoryDir))
	var out []time.Time
	for _, e := range list {
		out = append(out, e.Time)
	}
	return out, err
}

// LoadSnapshot reads the newest snapshot taken at or before asOf (zero:
// the newest of all); nil when there is none. The tables it skipped are
// empty and named in its Skipped.
func (s *Store) LoadSnapshot(asOf time.Time) (*Snapshot, error) {
	if err := s.checkAccount(s.account); err != nil {
		return nil, err
	}
	root := filepath.Join(s.dir, inventoryDir)
	list, err := readSnapshotList(root)
	if err != nil {
		return nil, err
	}
	i := len(list) - 1
	for i >= 0 && !asOf.IsZero() && list[i].Time.After(asOf) {
		i--
	}
	if i < 0 {
		return nil, nil
	}
	return loadSnapshot(root, list[i])
}

// LoadSnapshots reads every kept snapshot, oldest first.
func (s *Store) LoadSnapshots() ([]*Snapshot, error) {
	if err := s.checkAccount(s.account); err != nil {
		return nil, err
	}
	root := filepath.Join(s.dir, inventoryDir)
	list, err := readSnapshotList(root)
	if err != nil {
		return nil, err
	}
	var out []*Snapshot
	for _, e := range list {
		snap, err := loadSnapshot(root, e)
		if err != nil {
			return nil, err
		}
		out = append(out, snap)
	}
	return out, nil
}

// loadSnapshot reads the tables of one listed snapshot.
func loadSnapshot(root string, e snapshotEntry) (*Snapshot, error) {
	snap := &Snapshot{Time: e.Time.UTC(), Skipped: e.Skipped}
	var err error
	for _, t := range AllInventoryTables() {
		if !snap.Has(t) {
			continue
		}
		switch t {
		case InventoryProducts:
			snap.Products, err = readSnapshotTable[cryptolens.Product](root, t, e.Time)
		case InventoryLicenses:
			snap.Licenses, err = readSnapshotTable[cryptolens.LicenseKey](root, t, e.Time)
		case InventoryMachines:
			snap.Machines, err = readSnapshotTable[cryptolens.ActivatedMachine](root, t, e.Time)
		case InventoryCustomers:
			snap.Customers, err = readSnapshotTable[cryptolens.Customer](root, t, e.Time)
		}
		if err != nil {
			return nil, err
		}
	}
	return snap, nil
}

// SkippedNote says which tables a snapshot skipped and why, for a sync's
// summary; "" when none.
func (s *Snapshot) SkippedNote() string {
	var parts []string
	for _, t := range AllInventoryTables() {
		if why, ok := s.Skipped[t]; ok {
			parts = append(parts, string(t)+" ("+why+")")
		}
	}
	return strings.Join(parts, "; ")
}

// String is a sync's summary line of the snapshot, e.g. "inventory
// snapshot 2026-11-05 12:00 UTC: 4 products, 309 licenses, 1 machine,
// 1,206 customers".
func (s *Snapshot) String() string {
	var parts []string
	for _, t := range AllInventoryTables() {
		if !s.Has(t) {
			parts = append(parts, string(t)+" skipped")
			continue
		}
		n := map[InventoryTable]int{InventoryProducts: len(s.Products), InventoryLicenses: len(s.Licenses),
			InventoryMachines: len(s.Machines), InventoryCustomers: len(s.Customers)}[t]
		parts = append(parts, format.Counted(n, strings.TrimSuffix(string(t), "s"), string(t))) // the tables are named in the plural
	}
	return "inventory snapshot " + format.Time(s.Time) + ": " + strings.Join(parts, ", ")
}
