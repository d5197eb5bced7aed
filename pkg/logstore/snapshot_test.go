package logstore

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestSnapshotsKeptAcrossSyncs takes two snapshots through the sample
// server, with a change between them, and checks that both are kept and
// read back as served, that LoadSnapshot picks the one at or before a
// time, that files of a snapshot no list names are ignored, and that the
// diff names the change.
func TestSnapshotsKeptAcrossSyncs(t *testing.T) {
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 5, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), WebAPIRows: 5000}), "tok")
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := &cryptolens.Client{BaseURL: hs.URL + "/api/", Token: "tok"}
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t1, t2 := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)
	first, err := s.SyncSnapshot(ctx, c, t1)
	if err != nil {
		t.Fatal(err)
	}
	srv.EditInventory(func(inv *sample.Inventory) { inv.Licenses[0].Block = true })
	if _, err := s.SyncSnapshot(ctx, c, t2); err != nil {
		t.Fatal(err)
	}
	// A sync that died after writing a table of a third snapshot.
	orphan := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	if err := writeSnapshotTable(filepath.Join(s.dir, inventoryDir), InventoryLicenses, orphan, []cryptolens.LicenseKey{{ID: 1}}); err != nil {
		t.Fatal(err)
	}
	times, err := s.SnapshotTimes()
	if err != nil || !reflect.DeepEqual(times, []time.Time{t1, t2}) {
		t.Fatalf("snapshots %v, %v; want %v and %v", times, err, t1, t2)
	}
	inv := srv.Inventory()
	got, err := s.LoadSnapshot(t2.Add(-time.Hour))
	if err != nil || !got.Time.Equal(t1) || !reflect.DeepEqual(got.Licenses, first.Licenses) || len(got.Machines) != len(first.Machines) {
		t.Fatalf("at or before %v: %v, %v", t2.Add(-time.Hour), got, err)
	}
	last, err := s.LoadSnapshot(time.Time{})
	if err != nil || !last.Time.Equal(t2) || !last.Licenses[0].Block || len(last.Licenses) != len(inv.Licenses) || len(last.Customers) != len(inv.Customers) {
		t.Fatalf("the newest: %v, %v", last, err)
	}
	if early, err := s.LoadSnapshot(t1.Add(-time.Second)); early != nil || err != nil {
		t.Errorf("before the first snapshot: %v, %v; want none", early, err)
	}
	ch := DiffSnapshots(got, last)
	if len(ch) != 1 || ch[0].Change != ChangeBlocked || ch[0].Key != inv.Licenses[0].Key || ch[0].From != t1.Unix() || ch[0].To != t2.Unix() {
		t.Errorf("changes %+v; want the one block", ch)
	}
	if _, err := os.Stat(filepath.Join(s.dir, inventoryDir, "licenses", "snapshot=20261102T060000Z", "licenses.parquet")); err != nil {
		t.Errorf("the layout SCHEMA.md shows: %v", err)
	}
}

// TestSnapshotSkipsWhatTheTokenMayNotRead: a token granted only the
// products keeps a snapshot of them, and names the others as skipped
// with the permission; one granted nothing keeps nothing.
func TestSnapshotSkipsWhatTheTokenMayNotRead(t *testing.T) {
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 5, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), WebAPIRows: 2000}), "tok")
	srv.SetLive(sample.Live{Tokens: map[string][]string{"products": {"GetProducts"}, "none": {"GetWebAPILog"}}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	snap, err := s.SyncSnapshot(context.Background(), &cryptolens.Client{BaseURL: hs.URL + "/api/", Token: "products"}, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Products) != 4 || snap.Has(InventoryLicenses) || snap.Has(InventoryMachines) || snap.Has(InventoryCustomers) {
		t.Fatalf("snapshot %v", snap)
	}
	stored, err := s.LoadSnapshot(at)
	if err != nil || stored == nil || len(stored.Products) != 4 || stored.Has(InventoryLicenses) {
		t.Fatalf("stored %v, %v", stored, err)
	}
	if why := stored.Skipped[InventoryCustomers]; why == "" || !strings.Contains(why, `"GetCustomers" permission`) {
		t.Errorf("customers skipped for %q; want the permission named", why)
	}
	s2, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	none, err := s2.SyncSnapshot(context.Background(), &cryptolens.Client{BaseURL: hs.URL + "/api/", Token: "none"}, at)
	if err != nil || len(none.Skipped) != 4 {
		t.Fatalf("%v, %v; want every table skipped", none, err)
	}
	if kept, err := s2.LoadSnapshot(time.Time{}); kept != nil || err != nil {
		t.Errorf("a snapshot of nothing was kept: %v, %v", kept, err)
	}
}
