package lenslog

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// inventoryTables are the four inventory tables as an account loads them.
type inventoryTables struct {
	Products  []cryptolens.Product
	Licenses  []cryptolens.LicenseKey
	Machines  []cryptolens.ActivatedMachine
	Customers []cryptolens.Customer
}

// loadInventory loads the four tables through a, as rows.
func loadInventory(t *testing.T, a *Account, filters ...Filter) inventoryTables {
	t.Helper()
	return inventoryTables{
		Products:  Must(a.Products(filters...)).Rows(),
		Licenses:  Must(a.LicenseKeys(filters...)).Rows(),
		Machines:  Must(a.Machines(filters...)).Rows(),
		Customers: Must(a.Customers()).Rows(),
	}
}

// TestInventoryFromSample checks the loaders on the sample account: the
// tables hold the sample's inventory (each license of its list, with its
// seat limit and customer, the blocked key blocked), Product narrows, and
// each load is recorded with the snapshot's time.
func TestInventoryFromSample(t *testing.T) {
	a, prov := openSample(t, Pins{})
	full := sample.Generate(sample.Options{End: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), WebAPIRows: 20000})
	inv := loadInventory(t, a)
	if len(inv.Licenses) != len(full.Licenses) || len(inv.Customers) != len(full.Customers) || len(inv.Products) != len(full.Products) {
		t.Fatalf("%d licenses, %d customers, %d products; want %d, %d, %d", len(inv.Licenses), len(inv.Customers),
			len(inv.Products), len(full.Licenses), len(full.Customers), len(full.Products))
	}
	byKey := map[string]cryptolens.LicenseKey{}
	for _, l := range inv.Licenses {
		byKey[l.Key] = l
	}
	for _, l := range full.Licenses {
		got, ok := byKey[l.Key]
		switch {
		case !ok:
			t.Errorf("license %s missing", l.Key)
		case got.ID != l.ID || got.ProductID != l.ProductID || got.MaxNoOfMachines != l.MaxNoOfMachines || got.CustomerID != l.CustomerID:
			t.Errorf("license %s: %+v, want the sample's %+v", l.Key, got, l)
		case got.Block != (l.Key == full.Planted.BlockedKey):
			t.Errorf("license %s: blocked %v", l.Key, got.Block)
		}
	}
	for _, m := range inv.Machines {
		if l := byKey[m.Key]; l.ID != m.LicenseID || l.ProductID != m.ProductID {
			t.Errorf("machine %s on %s: license %d product %d, want %d %d", m.Mid, m.Key, m.LicenseID, m.ProductID, l.ID, l.ProductID)
		}
	}
	one := Must(a.LicenseKeys(Product(3350)))
	for i := range one.Len() {
		if one.ProductID[i] != 3350 {
			t.Fatalf("Product(3350) kept a license of product %d", one.ProductID[i])
		}
	}
	if one.Len() == 0 || one.Period.To != full.Now {
		t.Errorf("Product(3350): %d licenses as of %v", one.Len(), one.Period.To)
	}
	reads, err := ReadProvenance(prov)
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	for _, r := range reads {
		logged = append(logged, r.Log)
		if r.MaxID != full.Now.Unix() {
			t.Errorf("read of %s: max id %d, want the snapshot's time %d", r.Log, r.MaxID, full.Now.Unix())
		}
	}
	if want := []string{"products", "licenses", "machines", "customers", "licenses"}; !reflect.DeepEqual(logged, want) {
		t.Errorf("provenance: %v, want %v", logged, want)
	}
}

// TestInventorySameFromEverySource checks that the store (after a sync
// through the sample server) and the API give the tables the sample
// account gives, and that a second load from the store takes no new
// snapshot.
func TestInventorySameFromEverySource(t *testing.T) {
	s := serveSample(t, sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 20000})
	want := loadInventory(t, s.sample(t))
	s.eachSource(t, func(t *testing.T, dir string) {
		got := loadInventory(t, s.open(t, servedToken, dir))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the tables differ from the sample's (%d/%d licenses, %d/%d machines, %d/%d customers)",
				len(got.Licenses), len(want.Licenses), len(got.Machines), len(want.Machines), len(got.Customers), len(want.Customers))
		}
		if dir == "" {
			return
		}
		before := s.srv.Requests()
		loadInventory(t, s.open(t, servedToken, dir))
		if n := s.srv.Requests() - before; n != 0 {
			t.Errorf("loading the tables again from the store made %d requests, want none (the snapshot is fresh)", n)
		}
	})
}

// TestInventoryWithoutPermission checks that a token without the
// inventory permissions gets a *PermissionError naming the method's
// permission, from the store and from the API, and that the logs still
// load.
func TestInventoryWithoutPermission(t *testing.T) {
	for _, tc := range []struct {
		name, perm string
		load       func(a *Account) error
	}{
		{"licenses", "GetKeys", func(a *Account) error { _, err := a.LicenseKeys(); return err }},
		{"machines", "GetKeys", func(a *Account) error { _, err := a.Machines(); return err }},
		{"products", "GetProducts", func(a *Account) error { _, err := a.Products(); return err }},
		{"customers", "GetCustomers", func(a *Account) error { _, err := a.Customers(); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) { checkWithoutPermission(t, tc.perm, tc.load) })
	}
}

// changeKey names a change for comparison: what, of which object, which
// field, from and to.
type changeKey struct {
	Change, Key, Machine, Field, Old, New string
	Object                                int64
}

// changesOf lists a table's changes by changeKey, with their rows.
func changesOf(t *logs.InventoryChanges) map[changeKey]cryptolens.InventoryChange {
	out := map[changeKey]cryptolens.InventoryChange{}
	for _, r := range t.Rows() {
		out[changeKey{r.Change, r.Key, r.MachineCode, r.Field, r.Old, r.New, r.ObjectID}] = r
	}
	return out
}

// TestInventoryChangesFromSample checks the sample account's changes
// between its weekly snapshots: the planted block of the blocked key is
// one, between the snapshots around it and matched with its Object Log
// entry, and the key's creation is a "license added" matched with its
// Added copy.
func TestInventoryChangesFromSample(t *testing.T) {
	a, _ := openSample(t, Pins{})
	full := sample.Generate(sample.Options{End: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), WebAPIRows: 20000})
	p := full.Planted
	ch := Must(a.InventoryChanges(All()))
	var blocked, added, machines int
	for _, r := range ch.Rows() {
		from, to := time.Unix(r.From, 0), time.Unix(r.To, 0)
		switch {
		case r.Key == p.BlockedKey && r.Change == "blocked":
			blocked++
			if !from.Before(p.BlockedAt) || to.Before(p.BlockedAt) || r.ObjectLogID != p.BlockEntry || r.Field != "Block" {
				t.Errorf("the block: %+v; want between snapshots around %v, Object Log entry %d", r, p.BlockedAt, p.BlockEntry)
			}
		case r.Key == p.BlockedKey && r.Change == "license added":
			added++
			if r.ObjectID != p.BlockedKeyObjectID || r.ObjectLogID == 0 || to.Before(p.BlockedKeyCreated) {
				t.Errorf("the blocked key's creation: %+v", r)
			}
		case r.Change == "machine added" || r.Change == "machine removed":
			machines++
		}
	}
	if blocked != 1 || added != 1 || machines == 0 {
		t.Errorf("%d blocks, %d additions of the blocked key, %d machine changes; want 1, 1 and some", blocked, added, machines)
	}
}

// TestInventoryChangesAcrossSyncs syncs a store from the sample server,
// plants changes in the server's inventory (and one in its Object Log),
// syncs again an hour and more later, and checks that the changes table
// names each, with the two snapshots' times, and matches the logged one.
func TestInventoryChangesAcrossSyncs(t *testing.T) {
	clearEnv(t)
	acct := sample.Generate(sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 20000})
	srv := sample.NewServer(acct, "tok")
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	open := func(now time.Time) *Account {
		a, err := openWith(t, func(c *Config) {
			c.Token, c.BaseURL, c.StoreDir = "tok", hs.URL+"/api/", dir
			c.Clock = func() time.Time { return now }
			c.Note = &bytes.Buffer{}
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := Must(open(sampleEnd).LicenseKeys())
	if first.Len() == 0 {
		t.Fatal("no licenses")
	}
	inv := srv.Inventory()
	var withMachines, blocked *cryptolens.LicenseEntry
	for i := range inv.Licenses {
		l := &inv.Licenses[i]
		if len(l.Machines) > 1 && withMachines == nil && !l.Block && i > 4 {
			withMachines = l
		}
		if l.Block {
			blocked = l
		}
	}
	l := inv.Licenses
	raised, extended, blockedNow, feature, removed := l[0], l[1], l[2], l[3], l[4]
	gone := withMachines.Machines[0]
	srv.EditInventory(func(inv *sample.Inventory) {
		for i := range inv.Licenses {
			x := &inv.Licenses[i]
			switch x.ID {
			case raised.ID:
				x.MaxNoOfMachines += 2
			case extended.ID:
				x.Expires += 365 * 86400
			case blockedNow.ID:
				x.Block = true
			case feature.ID:
				x.F5 = !x.F5
			case blocked.ID:
				x.Block = false
			case withMachines.ID:
				x.Machines = append(x.Machines[1:], cryptolens.ActivatedMachine{Mid: "new-machine", IP: "10.0.0.0",
					Time: sampleEnd.Add(time.Hour).Unix(), FriendlyName: "new laptop"})
			}
		}
		inv.Licenses = slices.DeleteFunc(inv.Licenses, func(x cryptolens.LicenseEntry) bool { return x.ID == removed.ID })
		inv.Licenses = append(inv.Licenses, cryptolens.LicenseEntry{LicenseKey: cryptolens.LicenseKey{ID: 999_001,
			ProductID: 3349, Key: "NEWKY-AAAAA-BBBBB-CCCCC", Created: sampleEnd.Add(time.Hour).Unix(), MaxNoOfMachines: 1}})
	})
	logged := srv.LogChange(cryptolens.ObjectLogEntry{Created: sampleEnd.Add(90 * time.Minute).Unix(), PerformedByUserID: "31244",
		ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionUpdated, AffectedObjectID: raised.ID,
		Data: fmt.Sprintf(`{"MaxNoOfMachines":[%d,%d]}`, raised.MaxNoOfMachines, raised.MaxNoOfMachines+2)})

	later := sampleEnd.Add(2 * time.Hour)
	got := changesOf(Must(open(later).InventoryChanges(All())))
	itoa := func(v int) string { return fmt.Sprint(v) }
	day := func(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.RFC3339) }
	want := []changeKey{
		{"limit raised", raised.Key, "", "MaxNoOfMachines", itoa(raised.MaxNoOfMachines), itoa(raised.MaxNoOfMachines + 2), raised.ID},
		{"expiry extended", extended.Key, "", "Expires", day(extended.Expires), day(extended.Expires + 365*86400), extended.ID},
		{"blocked", blockedNow.Key, "", "Block", "false", "true", blockedNow.ID},
		{"unblocked", blocked.Key, "", "Block", "true", "false", blocked.ID},
		{"feature changed", feature.Key, "", "F5", fmt.Sprint(feature.F5), fmt.Sprint(!feature.F5), feature.ID},
		{"license removed", removed.Key, "", "", "", "", removed.ID},
		{"license added", "NEWKY-AAAAA-BBBBB-CCCCC", "", "", "", "", 999_001},
		{"machine removed", withMachines.Key, gone.Mid, "", "", "", withMachines.ID},
		{"machine added", withMachines.Key, "new-machine", "", "", "", withMachines.ID},
	}
	for _, k := range want {
		r, ok := got[k]
		if !ok {
			t.Errorf("no change %+v", k)
			continue
		}
		if r.From != sampleEnd.Unix() || r.To != later.Unix() {
			t.Errorf("%s %s: between %d and %d, want the two syncs' %d and %d", k.Change, k.Key, r.From, r.To, sampleEnd.Unix(), later.Unix())
		}
		matched := r.ObjectLogID == logged.ID && r.ChangedBy == "31244"
		if matched != (k.Change == "limit raised") {
			t.Errorf("%s %s: Object Log entry %d by %q; want only the raised limit matched with entry %d", k.Change, k.Key, r.ObjectLogID, r.ChangedBy, logged.ID)
		}
	}
	for _, m := range removed.Machines { // a license removed takes its machines with it
		if _, ok := got[changeKey{"machine removed", removed.Key, m.Mid, "", "", "", removed.ID}]; !ok {
			t.Errorf("the removed license's machine %s is not removed", m.Mid)
		}
	}
	if len(got) != len(want)+len(removed.Machines) {
		t.Errorf("%d changes, want the %d planted: %v", len(got), len(want)+len(removed.Machines), got)
	}
}

// TestInventoryRedactedLikeTheLogs checks that a redacted account shows no
// real key, machine code, IP, friendly name, customer name or e-mail in
// the inventory, and gives a key and a machine code the pseudonyms the
// Web API Log gives them.
func TestInventoryRedactedLikeTheLogs(t *testing.T) {
	plain, red := plainAndRedacted(t)
	api := Must(red.WebAPI(Last(30 * Day)))
	inLog := map[string]bool{}
	for i := range api.Len() {
		inLog[api.Key.At(i)+" "+api.MachineCode.At(i)] = true
	}
	real, got := loadInventory(t, plain), loadInventory(t, red)
	for i, l := range got.Licenses {
		if l.Key == real.Licenses[i].Key || l.Key != red.Key(real.Licenses[i].Key) {
			t.Fatalf("license %d: key %s, want the pseudonym of %s", i, l.Key, real.Licenses[i].Key)
		}
	}
	matched := 0
	for i, m := range got.Machines {
		r := real.Machines[i]
		if m.Mid == r.Mid || m.IP == r.IP || m.FriendlyName == r.FriendlyName && r.FriendlyName != "" {
			t.Fatalf("machine %d not redacted: %+v", i, m)
		}
		if inLog[m.Key+" "+m.Mid] {
			matched++
		}
	}
	if matched == 0 {
		t.Error("no redacted machine has the key and machine code the redacted Web API Log shows")
	}
	for i, c := range got.Customers {
		r := real.Customers[i]
		if c.Name == r.Name || c.Email == r.Email || c.CompanyName == r.CompanyName || !strings.HasPrefix(c.Email, "email-") {
			t.Fatalf("customer %d not redacted: %+v", i, c)
		}
	}
	changes := Must(red.InventoryChanges(All())).Rows()
	if len(changes) == 0 || !strings.HasPrefix(changes[0].Key, "key-") {
		t.Errorf("changes not redacted: %+v", changes[:min(1, len(changes))])
	}
}

// TestInventoryReplayReadsTheRecordedSnapshot checks that a load pinned
// to a snapshot's time (what a replay's pins say) reads that snapshot,
// though a later one was taken since, and does not sync.
func TestInventoryReplayReadsTheRecordedSnapshot(t *testing.T) {
	clearEnv(t)
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 5000}), "tok")
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	open := func(now time.Time, pins Pins) *Account {
		a, err := openWith(t, func(c *Config) {
			c.Token, c.BaseURL, c.StoreDir = "tok", hs.URL+"/api/", dir
			c.Clock = func() time.Time { return now }
			c.Pins = pins
			c.Note = &bytes.Buffer{}
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := Must(open(sampleEnd, Pins{}).LicenseKeys())
	srv.EditInventory(func(inv *sample.Inventory) { inv.Licenses[0].MaxNoOfMachines += 7 })
	second := Must(open(sampleEnd.Add(3*time.Hour), Pins{}).LicenseKeys())
	if second.MaxNoOfMachines[0] != first.MaxNoOfMachines[0]+7 {
		t.Fatalf("the second snapshot does not hold the change: %d, %d", first.MaxNoOfMachines[0], second.MaxNoOfMachines[0])
	}
	before := srv.Requests()
	pins := Pins{Now: sampleEnd.Add(5 * time.Hour), MaxIDs: map[string]int64{"licenses": sampleEnd.Unix()}}
	replay := Must(open(sampleEnd.Add(5*time.Hour), pins).LicenseKeys())
	if !reflect.DeepEqual(replay.Rows(), first.Rows()) || !replay.Period.To.Equal(sampleEnd) {
		t.Errorf("the replay read the snapshot of %v, want the recorded one of %v", replay.Period.To, sampleEnd)
	}
	if n := srv.Requests() - before; n != 0 {
		t.Errorf("the replay made %d requests", n)
	}
}

// TestSnapshotKindsNameTheClientsMethods: the generated kinds spell the
// API methods and permissions as the client does, so a load's message
// names what the client called.
func TestSnapshotKindsNameTheClientsMethods(t *testing.T) {
	tests := []struct {
		name, method, permission string
		wantMethod, wantPerm     string
	}{
		{"products", productsKind.method, productsKind.permission, cryptolens.MethodGetProducts, cryptolens.PermissionGetProducts},
		{"licenses", licensesKind.method, licensesKind.permission, cryptolens.MethodGetKeys, cryptolens.PermissionGetKeys},
		{"machines", machinesKind.method, machinesKind.permission, cryptolens.MethodGetKeys, cryptolens.PermissionGetKeys},
		{"customers", customersKind.method, customersKind.permission, cryptolens.MethodGetCustomers, cryptolens.PermissionGetCustomers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.method != tt.wantMethod || tt.permission != tt.wantPerm {
				t.Errorf("%s, %s; the client calls %s, which needs %s", tt.method, tt.permission, tt.wantMethod, tt.wantPerm)
			}
		})
	}
}
