package cryptolens_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestInventoryFromSampleServer reads the inventory through the sample
// server, with faults on: every license of more than one page of
// product/GetKeys (99 a page), exactly as the server holds them, with
// their customers and machines; the filters, the order and the customer's
// licenses; and the products and customers.
func TestInventoryFromSampleServer(t *testing.T) {
	acct := sample.Generate(sample.Options{Seed: 7, End: sampleEnd, WebAPIRows: 70_000})
	srv, c, _ := startSample(t, acct, 0.2)
	inv := srv.Inventory()
	if len(inv.Licenses) <= 2*cryptolens.KeysPageSize {
		t.Fatalf("only %d licenses: the test needs more than two pages", len(inv.Licenses))
	}
	ctx := context.Background()
	var pages int
	var got []cryptolens.LicenseEntry
	for page, err := range c.AllKeys(ctx, cryptolens.KeysQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, page...)
	}
	if want := (len(inv.Licenses) + 98) / 99; pages != want || !reflect.DeepEqual(got, inv.Licenses) {
		t.Errorf("%d pages, %d licenses; want %d pages and the server's %d licenses as they are", pages, len(got), want, len(inv.Licenses))
	}

	first, err := c.Keys(ctx, cryptolens.KeysQuery{ProductID: 3350, OrderBy: "Created descending"})
	if err != nil {
		t.Fatal(err)
	}
	var want []cryptolens.LicenseEntry
	for _, l := range inv.Licenses {
		if l.ProductID == 3350 {
			want = append(want, l)
		}
	}
	if first.Total != len(want) || len(first.Licenses) != len(want) || !slices.IsSortedFunc(first.Licenses, func(x, y cryptolens.LicenseEntry) int {
		return int(y.Created - x.Created)
	}) {
		t.Errorf("product 3350 by creation, newest first: %d of %d, total %d", len(first.Licenses), len(want), first.Total)
	}
	key := inv.Licenses[5].Key
	found, err := c.Keys(ctx, cryptolens.KeysQuery{SearchQuery: strings.ToLower(key[:11])})
	if err != nil || len(found.Licenses) == 0 || found.Licenses[0].Key != key {
		t.Errorf("searching %q: %+v, %v", key[:11], found.Licenses, err)
	}

	cust := inv.Licenses[0].CustomerID
	mine, err := c.CustomerLicenses(ctx, cust)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) == 0 || slices.ContainsFunc(mine, func(l cryptolens.LicenseEntry) bool { return l.CustomerID != cust }) {
		t.Errorf("customer %d's licenses: %d, some of another customer", cust, len(mine))
	}
	products, err := c.Products(ctx)
	if err != nil || !reflect.DeepEqual(products, inv.Products) {
		t.Errorf("products %+v, %v; want %+v", products, err, inv.Products)
	}
	customers, err := c.Customers(ctx, cryptolens.CustomersQuery{})
	if err != nil || !reflect.DeepEqual(customers, inv.Customers) {
		t.Errorf("%d customers, %v; want the server's %d", len(customers), err, len(inv.Customers))
	}
	one, err := c.Customers(ctx, cryptolens.CustomersQuery{CustomerID: cust})
	if err != nil || len(one) != 1 || one[0].ID != cust {
		t.Errorf("customer %d: %+v, %v", cust, one, err)
	}
}

// TestInventoryPermissions checks that each inventory method needs its
// own permission: a token granted GetKeys alone reads the licenses, and
// the other methods fail with ErrAccessDenied naming theirs.
func TestInventoryPermissions(t *testing.T) {
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 7, End: sampleEnd, WebAPIRows: 5000}), "full")
	srv.SetLive(sample.Live{Tokens: map[string][]string{"keys-only": {"GetKeys"}}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := &cryptolens.Client{BaseURL: hs.URL + "/api/", Token: "keys-only"}
	ctx := context.Background()
	if _, err := c.Keys(ctx, cryptolens.KeysQuery{}); err != nil {
		t.Fatalf("GetKeys: %v", err)
	}
	for _, tc := range []struct {
		perm string
		call func() error
	}{
		{"GetProducts", func() error { _, err := c.Products(ctx); return err }},
		{"GetCustomers", func() error { _, err := c.Customers(ctx, cryptolens.CustomersQuery{}); return err }},
		{"GetCustomerLicenses", func() error { _, err := c.CustomerLicenses(ctx, 52000); return err }},
	} {
		err := tc.call()
		if !errors.Is(err, cryptolens.ErrAccessDenied) || !strings.Contains(err.Error(), `lacks the "`+tc.perm+`" permission`) {
			t.Errorf("%s: %v, want access denied naming the permission", tc.perm, err)
		}
	}
}
