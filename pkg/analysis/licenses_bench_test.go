package analysis

import (
	"testing"

	"github.com/lenslog/lenslog/pkg/logs"
)

// sampleLicenseList is the sample account's license list as its inventory
// holds it.
func sampleLicenseList(t testing.TB) LicenseList {
	acct, _ := sampleOnce()
	inv := acct.Inventory()
	l := LicenseList{Licenses: &logs.Licenses{}, Machines: &logs.Machines{}, Customers: &logs.Customers{}}
	for _, e := range inv.Licenses {
		l.Licenses.Append(e.LicenseKey)
		l.Machines.Append(e.Machines...)
	}
	l.Customers.Append(inv.Customers...)
	if l.Len() == 0 {
		t.Fatal("the sample account lists no license")
	}
	return l
}

// BenchmarkLicenseAnalyses times each license analysis on the sample
// account's list (about 300 licenses) and its Web API Log (about 100,000
// rows), as notebooks 12 and 13 run them.
func BenchmarkLicenseAnalyses(b *testing.B) {
	lics := sampleLicenseList(b)
	_, api := sampleOnce()
	api.Period = logs.Window{From: sampleEnd.AddDate(0, 0, -120), To: sampleEnd}
	for _, bc := range []struct {
		name string
		run  func()
	}{
		{"Entitlements", func() { must(Entitlements(lics, api, ByProduct)) }},
		{"Renewals", func() { Renewals(lics, api) }},
		{"Upsell", func() { Upsell(lics, api) }},
		{"TrialFunnel", func() { must(TrialFunnel(lics, api, 0, 0)) }},
		{"Cohorts", func() { Cohorts(lics, api) }},
		{"LostLicenses", func() { must(LostLicenses(lics, api, 0)) }},
		{"Anomalies", func() { Anomalies(api) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.run()
			}
		})
	}
}
