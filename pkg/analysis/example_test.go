package analysis_test

import (
	"fmt"
	"os"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// exampleLog is a small Web API Log: key A activates twice, key B is
// refused a seat, and a third request has an unknown outcome.
func exampleLog() *logs.WebAPI {
	t := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC).Unix()
	api := &logs.WebAPI{}
	api.Append(
		cryptolens.WebAPILogRow{ID: 1, Key: "A", State: 2014, Time: t, MachineCode: "m1", FriendlyName: "ann", FloatingExpires: t + 3600},
		cryptolens.WebAPILogRow{ID: 2, Key: "A", State: 2014, Time: t + 60, MachineCode: "m2", FriendlyName: "bob", FloatingExpires: t + 3660},
		cryptolens.WebAPILogRow{ID: 3, Key: "B", State: 2024, Time: t + 120, MachineCode: "m3"},
		cryptolens.WebAPILogRow{ID: 4, Key: "A", State: 6011, Time: t + 180, MachineCode: "m1"},
		cryptolens.WebAPILogRow{ID: 5, Key: "A", State: 2034, Time: t + 240},
	)
	return api
}

func ExampleSuccessRatio() {
	r := analysis.SuccessRatio(exampleLog())
	for i := range r.Len() {
		fmt.Printf("%s %.0f%%\n", r.Label(i), 100*r.Value(i))
	}
	// Output:
	// Success 60%
	// Failure 20%
	// Unknown 20%
}

func ExampleHeaviestKeys() {
	keys, err := analysis.HeaviestKeys(exampleLog(), 0.01)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := keys.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Key,Requests,Share
	// A,4,0.8
	// B,1,0.2
}

func ExampleSeatAudit() {
	api := exampleLog()
	api.Period = logs.Window{To: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)} // as if loaded up to noon
	rep, err := analysis.SeatAudit(api, "A", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range rep.Events {
		fmt.Println(e.Time.Format("15:04"), e.Action, e.FreeSeats, e.MachineCode)
	}
	fmt.Println(rep.Summary())
	// Output:
	// 09:00 activation 0 m1
	// 09:01 activation -1 m2
	// 09:03 deactivation 0 m1
	// 10:01 expired 1 m2
	// A: 0 of 1 seats in use at 2026-10-01 12:00 UTC; 2 activations, 1 deactivation, 1 expired, 0 overdrafts, 0 device-limit-reached
}

func ExampleKeySharing() {
	for _, k := range analysis.KeySharing(exampleLog()).Rows {
		fmt.Printf("%s %.2f %s\n", k.Key, k.Score, k.Reason)
	}
	// Output:
	// A 1.58 2 machines, 0 IPs
	// B 1.50 1 machine, 0 IPs, 1 no-free-seat
}

func ExampleRequestsByState() {
	for _, c := range analysis.RequestsByState(exampleLog()).Rows {
		fmt.Printf("%s %d %s\n", c.Label, c.Requests, c.Note)
	}
	// Output:
	// 2014 2 floating activation succeeded (seat taken or refreshed)
	// 2024 1 floating activation failed: no free seat (device limit reached)
	// 2034 1 activation, outcome unknown (code 2034: detail not documented)
	// 6011 1 floating seat released (floating deactivation)
}

func ExampleFieldHistory() {
	obj := &logs.Objects{}
	obj.Append(cryptolens.ObjectLogEntry{ID: 1, Created: 1790000000, PerformedByUserID: "42",
		ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionUpdated, AffectedObjectID: 7,
		Data: `{"MaxNoOfMachines":[1,5],"Notes":["","moved to Oslo"]}`})
	for _, c := range analysis.FieldHistory(obj).Rows {
		fmt.Printf("user %s changed %s of key %d: %q -> %q\n", c.User, c.Field, c.ObjectID, c.Old, c.New)
	}
	// Output:
	// user 42 changed MaxNoOfMachines of key 7: "1" -> "5"
	// user 42 changed Notes of key 7: "" -> "moved to Oslo"
}

func ExampleRevenue() {
	ev := &logs.Events{}
	ev.Append(
		cryptolens.Event{ID: 1, ProductID: 3, Currency: "USD", Value: 2530},
		cryptolens.Event{ID: 2, ProductID: 3, Currency: "USD", Value: 1},
	)
	for _, r := range analysis.Revenue(ev).Rows {
		fmt.Println(r.Currency, r.ProductID, r.Purchases, r.Total)
	}
	// Output:
	// USD 3 2 25.31
}
