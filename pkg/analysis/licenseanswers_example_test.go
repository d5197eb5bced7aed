package analysis_test

import (
	"fmt"
	"strings"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/logs"
)

// A license report opens with its boxes and its one-sentence answer, from
// the results its sections show. Without the period before (an empty
// table: the log holds none of it), no box shows a change.
func ExampleRenewalsAnswer() {
	lics, api := exampleLicenses()
	products, err := analysis.Entitlements(lics, api, analysis.ByProduct)
	if err != nil {
		fmt.Println(err)
		return
	}
	boxes, err := analysis.RenewalBoxes(lics, api, &logs.WebAPI{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range boxes {
		fmt.Println(strings.TrimSpace(b.Label + ": " + b.ValueText() + " " + b.Change()))
	}
	fmt.Println(analysis.RenewalsAnswer(products, analysis.Renewals(lics, api), analysis.Upsell(lics, api)))
	// Output:
	// Licenses: 3
	// Seats in use at peak: 50.0%
	// Expiring in 30 days: 1
	// Floating licenses at their limit: 1
	// Of the 6 seats purchased on 3 licenses, 50.0% were in use at the peak; 1 license expires within 30 days, 1 of them in use; 1 floating license ran out of seats, the longest FLOAT, 2 h at its limit.
}

// One customer's report: the list narrowed to the customer, the log to
// their keys, and the period before compared where the log holds it (here
// it holds none: no box shows a change).
func ExampleCustomerAnswer() {
	lics, api := exampleLicenses()
	acme, err := lics.OfCustomer(100)
	if err != nil {
		fmt.Println(err)
		return
	}
	mine := acme.Requests(api)
	before := &logs.WebAPI{Period: logs.Window{From: api.Period.From.Add(-api.Period.To.Sub(api.Period.From)), To: api.Period.From}}
	boxes, err := analysis.CustomerBoxes(acme, mine, before)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range boxes {
		fmt.Println(strings.TrimSpace(b.Label + ": " + b.ValueText() + " " + b.Change()))
	}
	products, _ := analysis.Entitlements(acme, mine, analysis.ByProduct)
	lost, _ := analysis.LostLicenses(acme, mine, 0)
	fmt.Println(analysis.CustomerAnswer(acme.Name(), products, analysis.Renewals(acme, mine), lost))
	// Output:
	// Licenses: 2
	// Seats in use at peak: 60.0%
	// Expiring in 90 days: 1
	// Lost licenses: 0
	// Acme holds 2 licenses with 5 seats, 60.0% of them in use at the peak; 1 license expires within 90 days, 1 of them in use; no license has gone silent for more than 40 days.
}
