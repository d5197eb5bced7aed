package lenslog

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
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
	clearEnv(t)
	opt := sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 20000}
	srv := sample.NewServer(sample.Generate(opt), "tok")
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	mem, err := openWith(t, func(c *Config) {
		c.UseSample, c.Sample = true, opt
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := loadInventory(t, mem)
	for _, noStore := range []bool{false, true} {
		dir := t.TempDir()
		open := func() *Account {
			a, err := openWith(t, func(c *Config) {
				c.Token = "tok"
				c.BaseURL = hs.URL + "/api/"
				c.StoreDir = dir
				c.NoStore = noStore
				c.Clock = func() time.Time { return sampleEnd }
				c.Note = &bytes.Buffer{}
			})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		got := loadInventory(t, open())
		if !reflect.DeepEqual(got, want) {
			t.Errorf("noStore=%v: the tables differ from the sample's (%d/%d licenses, %d/%d machines, %d/%d customers)", noStore,
				len(got.Licenses), len(want.Licenses), len(got.Machines), len(want.Machines), len(got.Customers), len(want.Customers))
		}
		if noStore {
			continue
		}
		before := srv.Requests()
		loadInventory(t, open())
		if n := srv.Requests() - before; n != 0 {
			t.Errorf("loading the tables again from the store made %d requests, want none (the snapshot is fresh)", n)
		}
	}
}

// TestInventoryWithoutPermission checks that a token without the
// inventory permissions gets a *PermissionError naming the method's
// permission, from the store and from the API, and that the logs still
// load.
func TestInventoryWithoutPermission(t *testing.T) {
	clearEnv(t)
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 5000}), "tok")
	srv.AddLogOnlyToken("logs-only-canary")
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for _, noStore := range []bool{false, true} {
		a, err := openWith(t, func(c *Config) {
			c.Token = "logs-only-canary"
			c.BaseURL = hs.URL + "/api/"
			c.StoreDir = t.TempDir()
			c.NoStore = noStore
			c.Note = &bytes.Buffer{}
			c.Clock = func() time.Time { return sampleEnd }
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.WebAPI(Last(Day)); err != nil {
			t.Fatalf("noStore=%v: the logs do not load: %v", noStore, err)
		}
		for _, tc := range []struct {
			name, perm string
			load       func() error
		}{
			{"licenses", "GetKeys", func() error { _, err := a.LicenseKeys(); return err }},
			{"machines", "GetKeys", func() error { _, err := a.Machines(); return err }},
			{"products", "GetProducts", func() error { _, err := a.Products(); return err }},
			{"customers", "GetCustomers", func() error { _, err := a.Customers(); return err }},
		} {
			err := tc.load()
			var pe *PermissionError
			if !errors.As(err, &pe) || pe.Permission != tc.perm || !errors.Is(err, cryptolens.ErrAccessDenied) {
				t.Fatalf("noStore=%v, %s: %v, want a *PermissionError for %s", noStore, tc.name, err, tc.perm)
			}
			if msg := err.Error(); !strings.Contains(msg, `"`+tc.perm+`" permission`) || strings.Contains(msg, "canary") {
				t.Errorf("noStore=%v, %s: message %q", noStore, tc.name, msg)
			}
		}
	}
}
