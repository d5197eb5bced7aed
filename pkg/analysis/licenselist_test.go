package analysis

import (
	"errors"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// listOf builds a license list: keys A, B (customer 1, "Acme"), C
// (customer 2, named only) and D (no customer), with a machine on A.
func listOf(t *testing.T) LicenseList {
	t.Helper()
	lics := &logs.Licenses{}
	lics.Append(
		cryptolens.LicenseKey{ID: 1, Key: "A", ProductID: 1, CustomerID: 1, MaxNoOfMachines: 2, Created: at(0), Expires: at(400 * day)},
		cryptolens.LicenseKey{ID: 2, Key: "B", ProductID: 2, CustomerID: 1, MaxNoOfMachines: 1, Created: at(0), Expires: at(400 * day)},
		cryptolens.LicenseKey{ID: 3, Key: "C", ProductID: 1, CustomerID: 2, TrialActivation: true, Created: at(day), Expires: at(15 * day)},
		cryptolens.LicenseKey{ID: 4, Key: "D", ProductID: 1, Created: at(0), Expires: at(400 * day), Block: true},
	)
	machines := &logs.Machines{}
	machines.Append(cryptolens.ActivatedMachine{LicenseID: 1, Key: "A", Mid: "m1", Time: at(2 * day)})
	customers := &logs.Customers{}
	customers.Append(cryptolens.Customer{ID: 1, Name: "Ann", CompanyName: "Acme"}, cryptolens.Customer{ID: 2, Name: "Bo"})
	changes := &logs.InventoryChanges{}
	changes.Append(cryptolens.InventoryChange{ID: 1, Table: "licenses", Change: logstore.ChangeTrialConverted, Key: "B",
		Field: "TrialActivation", Old: "true", New: "false"})
	return LicenseList{Licenses: lics, Machines: machines, Customers: customers, Changes: changes}
}

func TestLicenseListOfCustomer(t *testing.T) {
	l := listOf(t)
	tests := []struct {
		name     string
		id       int64
		wantName string
		wantKeys string
		wantErr  string
	}{
		{"the customer with the most licenses", 0, "Acme", "A,B", ""},
		{"a customer by id, named without a company", 2, "Bo", "C", ""},
		{"a customer without licenses", 9, "", "", "customer 9 has no license in the list; the customers with the most: 1 (Acme, 2 licenses), 2 (Bo, 1 licenses)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.OfCustomer(tt.id)
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, ErrNoData) || err.Error() != tt.wantErr {
					t.Fatalf("err %v, want %q wrapping ErrNoData", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name() != tt.wantName || strings.Join(got.Keys(), ",") != tt.wantKeys {
				t.Errorf("got %q with %v, want %q with %s", got.Name(), got.Keys(), tt.wantName, tt.wantKeys)
			}
		})
	}
	if l.Name() != "every customer" || l.Product(1).Len() != 3 || l.Product(0).Len() != 4 {
		t.Errorf("Name %q, product 1 has %d licenses", l.Name(), l.Product(1).Len())
	}
}

func TestLicenseListReadsTheTables(t *testing.T) {
	l := listOf(t)
	got := l.licenses()
	want := []license{
		{Key: "A", ProductID: 1, CustomerID: 1, Customer: "Acme", Seats: 2, Activated: 1, FirstUsed: t0.Add(2 * day)},
		{Key: "B", ProductID: 2, CustomerID: 1, Customer: "Acme", Seats: 1, WasTrial: true},
		{Key: "C", ProductID: 1, CustomerID: 2, Customer: "Bo", Trial: true},
		{Key: "D", ProductID: 1, Blocked: true},
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.Key || g.ProductID != w.ProductID || g.CustomerID != w.CustomerID || g.Customer != w.Customer ||
			g.Seats != w.Seats || g.Activated != w.Activated || !g.FirstUsed.Equal(w.FirstUsed) || g.Trial != w.Trial ||
			g.WasTrial != w.WasTrial || g.Blocked != w.Blocked {
			t.Errorf("license %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	api := periodTable(t, node("A", "m1", day), node("Z", "m9", day), node("C", "m2", 2*day))
	if l.Requests(nil) != nil {
		t.Error("Requests(nil) is not nil: a period the log holds nothing of would read as one without requests")
	}
	if r := l.Requests(api); r.Len() != 2 || r.Period != api.Period {
		t.Errorf("Requests kept %d rows, period %v", r.Len(), r.Period)
	}
	if n := NeverUsed(l, api); n.Len() != 2 || n.Rows[0].Key != "B" && n.Rows[0].Key != "D" {
		t.Errorf("never used: %+v", n.Rows)
	}
	if (LicenseList{}).Len() != 0 || len((LicenseList{}).licenses()) != 0 {
		t.Error("an empty list has licenses")
	}
}
