package analysis_test

import (
	"fmt"
	"os"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// exampleLicenses is a license list of two customers' licenses and the
// last 30 days of their Web API Log, ending 2026-11-01: FLOAT, floating
// with 2 seats, had both taken for two hours and refused a third device;
// NODE, node-locked with 3 machines, activated one and expires in 20 days;
// TRIAL, a trial, was never used.
func exampleLicenses() (analysis.LicenseList, *logs.WebAPI) {
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	day := int64(24 * 3600)
	t := end.Unix() - 10*day
	lics := &logs.Licenses{}
	lics.Append(
		cryptolens.LicenseKey{ID: 1, Key: "FLOAT", ProductID: 7, CustomerID: 100, Floating: true, MaxNoOfMachines: 2,
			Created: t - 300*day, Expires: t + 200*day},
		cryptolens.LicenseKey{ID: 2, Key: "NODE", ProductID: 7, CustomerID: 100, MaxNoOfMachines: 3,
			Created: t - 100*day, Expires: end.Unix() + 20*day},
		cryptolens.LicenseKey{ID: 3, Key: "TRIAL", ProductID: 8, CustomerID: 200, TrialActivation: true, MaxNoOfMachines: 1,
			Created: t - 5*day, Expires: t + 9*day},
	)
	machines := &logs.Machines{}
	machines.Append(cryptolens.ActivatedMachine{LicenseID: 2, Key: "NODE", Mid: "n1", Time: t})
	customers := &logs.Customers{}
	customers.Append(cryptolens.Customer{ID: 100, CompanyName: "Acme"}, cryptolens.Customer{ID: 200, CompanyName: "Globex"})
	api := &logs.WebAPI{Period: logs.Window{From: end.Add(-30 * 24 * time.Hour), To: end}}
	api.Append(
		cryptolens.WebAPILogRow{ID: 1, Key: "FLOAT", ProductID: 7, State: 2014, Time: t, MachineCode: "a", FloatingExpires: t + 7200},
		cryptolens.WebAPILogRow{ID: 2, Key: "FLOAT", ProductID: 7, State: 2014, Time: t, MachineCode: "b", FloatingExpires: t + 7200},
		cryptolens.WebAPILogRow{ID: 3, Key: "FLOAT", ProductID: 7, State: 2024, Time: t + 60, MachineCode: "c"},
		cryptolens.WebAPILogRow{ID: 4, Key: "NODE", ProductID: 7, State: 2011, Time: t, MachineCode: "n1"},
	)
	return analysis.LicenseList{Licenses: lics, Machines: machines, Customers: customers}, api
}

func ExampleEntitlements() {
	lics, api := exampleLicenses()
	sum, err := analysis.Entitlements(lics, api, analysis.ByCustomer)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range sum.Rows {
		fmt.Printf("%s: %d licenses, %d seats, %d activated, %d in use at peak (%.0f%%)\n",
			e.Name, e.Licenses, e.Seats, e.Activated, e.PeakInUse, 100*e.Used)
	}
	// Output:
	// Acme: 2 licenses, 5 seats, 1 activated, 3 in use at peak (60%)
	// Globex: 1 licenses, 1 seats, 0 activated, 0 in use at peak (0%)
}

func ExampleRenewals() {
	lics, api := exampleLicenses()
	r := analysis.Renewals(lics, api)
	if err := r.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Key,Product,Customer,Expires,Within days,Use,Last seen,Requests last 14 days,Trial
	// NODE,7,Acme,2026-11-21 00:00:00,30,in use,2026-10-22 00:00:00,1,false
}

func ExampleUpsell() {
	lics, api := exampleLicenses()
	for _, a := range analysis.Upsell(lics, api).Rows {
		fmt.Printf("%s: %d seats, %.0f hours at the limit, %d refused\n", a.Key, a.Limit, a.AtLimit.Hours(), a.Refused)
	}
	// Output:
	// FLOAT: 2 seats, 2 hours at the limit, 1 refused
}

func ExampleTrialFunnel() {
	lics, api := exampleLicenses()
	f, err := analysis.TrialFunnel(lics, api, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range f.Steps {
		fmt.Printf("%s: %d\n", s.Step, s.Licenses)
	}
	// Output:
	// Trials created: 1
	// Activated: 0
	// Converted: 0
	// Still active after 30 days: 0
}
