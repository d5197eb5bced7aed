package sample

import (
	"io"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// TestInventory checks the sample account's inventory against its logs and
// its license list: same options, same inventory; every license listed,
// with its id, product, limit and customer; node-locked machines within
// the limit and each activated in the log; the blocked key blocked;
// trials that lapsed and trials that converted; and licenses expiring
// within 30, 60 and 90 days of the end.
func TestInventory(t *testing.T) {
	opt := Options{End: time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC), WebAPIRows: 40_000}
	a := Generate(opt)
	inv := a.Inventory()
	if again := Generate(opt).Inventory(); !reflect.DeepEqual(inv, again) {
		t.Fatal("the same options gave another inventory")
	}
	if len(inv.Licenses) != len(a.Licenses) || len(inv.Customers) != len(a.Customers) || len(inv.Products) != len(a.Products) {
		t.Fatalf("%d licenses, %d customers, %d products", len(inv.Licenses), len(inv.Customers), len(inv.Products))
	}
	activated := map[string]bool{}
	for _, r := range a.WebAPI {
		if r.State >= 2010 && r.State <= 2015 {
			activated[r.Key+" "+r.MachineCode] = true
		}
	}
	var lapsed, converted, soon [3]int
	now := a.Now.Unix()
	for _, e := range inv.Licenses {
		l, ok := a.License(e.Key)
		switch {
		case !ok || l.ID != e.ID || l.ProductID != e.ProductID || l.MaxNoOfMachines != e.MaxNoOfMachines || l.CustomerID != e.CustomerID:
			t.Fatalf("license %s: %+v, the list has %+v", e.Key, e.LicenseKey, l)
		case e.Block != (e.Key == a.Planted.BlockedKey):
			t.Errorf("license %s: blocked %v", e.Key, e.Block)
		case e.Customer == nil || e.Customer.Name != l.Customer:
			t.Errorf("license %s: customer %+v, want %q", e.Key, e.Customer, l.Customer)
		case !l.Floating && len(e.Machines) > e.MaxNoOfMachines:
			t.Errorf("license %s: %d machines over its limit %d", e.Key, len(e.Machines), e.MaxNoOfMachines)
		}
		for _, m := range e.Machines {
			if !activated[e.Key+" "+m.Mid] || (m.FloatingExpires != 0 && m.FloatingExpires <= now) {
				t.Errorf("license %s: machine %s is not active in the log", e.Key, m.Mid)
			}
		}
		switch {
		case l.Trial && e.TrialActivation:
			lapsed[0]++
		case l.Trial && !l.Extended.IsZero() && e.Period == 365 && e.Expires == l.Expires.AddDate(1, 0, 0).Unix():
			converted[0]++
		}
		if d := e.Expires - now; d > 0 && d <= 90*86400 {
			soon[(d-1)/(30*86400)]++
		}
	}
	if lapsed[0] == 0 || converted[0] == 0 || soon[0] == 0 || soon[1] == 0 || soon[2] == 0 {
		t.Errorf("%d lapsed trials, %d converted, expiring within 30/60/90 days: %v; want some of each", lapsed[0], converted[0], soon)
	}
	earlier := a.InventoryAt(a.Now.Add(-30 * 24 * time.Hour))
	if len(earlier.Licenses) >= len(inv.Licenses) {
		t.Errorf("30 days earlier there were %d licenses, now %d: keys created since are missing from neither", len(earlier.Licenses), len(inv.Licenses))
	}
	if ts := a.InventoryTimes(); len(ts) != 9 || !ts[len(ts)-1].Equal(a.Now) {
		t.Errorf("snapshot times %v", ts)
	}
}

// TestInventoryServerParameters checks the server's answers to the
// inventory methods' parameters: pages of 99, a bad OrderBy or Page, and a
// customer's licenses without a customer.
func TestInventoryServerParameters(t *testing.T) {
	a := Generate(Options{End: time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC), WebAPIRows: 40_000})
	hs := httptest.NewServer(NewServer(a, "tok"))
	t.Cleanup(hs.Close)
	get := func(path string, v url.Values) string {
		t.Helper()
		v.Set("token", "tok")
		resp, err := hs.Client().PostForm(hs.URL+"/api/"+path, v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	n := len(a.Licenses) // 123: two pages, 99 and 24
	page2 := get("product/getkeys", url.Values{"Page": {"2"}})
	rows, err := cryptolens.DecodeKeysPage([]byte(page2))
	if err != nil || len(rows) != n-99 || !strings.Contains(page2, `"pageCount":2`) || rows[0].ID != a.Inventory().Licenses[99].ID {
		t.Errorf("page 2: %d licenses, %v, %.200s", len(rows), err, page2)
	}
	for _, tc := range []struct{ path, name, value string }{
		{"product/GetKeys", "OrderBy", "Colour"},
		{"product/GetKeys", "Page", "-1"},
		{"customer/GetCustomerLicenses", "CustomerId", "0"},
		{"customer/GetCustomers", "Limit", "many"},
	} {
		if body := get(tc.path, url.Values{tc.name: {tc.value}}); !strings.Contains(body, MsgInputIncorrect) {
			t.Errorf("%s %s=%s: %s", tc.path, tc.name, tc.value, body)
		}
	}
}
