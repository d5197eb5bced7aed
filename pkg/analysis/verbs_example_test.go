package analysis_test

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// exampleSummaries is a small table of key usage summaries: four keys
// of two products.
func exampleSummaries() []cryptolens.KeyUsageSummary {
	t := &logs.UsageSummaries{}
	t.Append(
		cryptolens.KeyUsageSummary{ID: 1, ProductID: 3, Key: "AAAA", TotalRequests: 120, TotalFailed: 6},
		cryptolens.KeyUsageSummary{ID: 2, ProductID: 3, Key: "BBBB", TotalRequests: 40, TotalFailed: 10},
		cryptolens.KeyUsageSummary{ID: 3, ProductID: 7, Key: "CCCC", TotalRequests: 300, TotalFailed: 3},
		cryptolens.KeyUsageSummary{ID: 4, ProductID: 7, Key: "DDDD", TotalRequests: 40, TotalFailed: 0},
	)
	return t.Rows()
}

// requests and failed pick a summary's columns for the verbs.
func requests(s cryptolens.KeyUsageSummary) int64 { return s.TotalRequests }
func failed(s cryptolens.KeyUsageSummary) int64   { return s.TotalFailed }
func product(s cryptolens.KeyUsageSummary) int    { return s.ProductID }

func ExampleLargest() {
	// pandas: summaries.nlargest(3, "totalRequests")
	for _, s := range analysis.Largest(exampleSummaries(), 3, requests) {
		fmt.Println(s.Key, s.TotalRequests)
	}
	// Output:
	// CCCC 300
	// AAAA 120
	// BBBB 40
}

func ExampleMaxBy() {
	// pandas: summaries.loc[summaries["totalFailed"].idxmax()]
	worst, ok := analysis.MaxBy(exampleSummaries(), failed)
	fmt.Println(worst.Key, worst.TotalFailed, ok)
	_, ok = analysis.MaxBy(nil, failed)
	fmt.Println(ok)
	// Output:
	// BBBB 10 true
	// false
}

func ExampleSum() {
	// pandas: summaries["totalRequests"].sum()
	fmt.Println(analysis.Sum(exampleSummaries(), requests))
	// Output: 500
}

func ExampleMean() {
	// pandas: summaries["totalRequests"].mean()
	fmt.Println(analysis.Mean(exampleSummaries(), requests))
	// Output: 125
}

func ExampleGroupBy() {
	for _, g := range analysis.GroupBy(exampleSummaries(), product) {
		fmt.Printf("product %d: %d keys, first %s\n", g.Key, len(g.Rows), g.Rows[0].Key)
	}
	// Output:
	// product 3: 2 keys, first AAAA
	// product 7: 2 keys, first CCCC
}

func ExampleSumBy() {
	// pandas: summaries.groupby("productId", sort=False)["totalRequests"].sum()
	for _, t := range analysis.SumBy(exampleSummaries(), product, requests) {
		fmt.Printf("product %d: %d requests from %d keys\n", t.Key, t.Value, t.Rows)
	}
	// Output:
	// product 3: 160 requests from 2 keys
	// product 7: 340 requests from 2 keys
}

func ExampleMeanBy() {
	// pandas: summaries.groupby("productId", sort=False)["totalFailed"].mean()
	for _, t := range analysis.MeanBy(exampleSummaries(), product, failed) {
		fmt.Printf("product %d: %.1f failed per key\n", t.Key, t.Value)
	}
	// Output:
	// product 3: 8.0 failed per key
	// product 7: 1.5 failed per key
}

// exampleKPIs is two days of daily aggregates of one product.
func exampleKPIs() *analysis.KPIs {
	daily := &logs.UsageDaily{}
	daily.Append(
		cryptolens.DailyAggregate{ID: 1, ProductID: 3, Date: 1790000000 / 86400 * 86400, TotalRequestsLogged: 90, Successful: 81, Failed: 9, ActiveDevices: 12, ActiveKeys: 5, ActiveCustomers: 4},
		cryptolens.DailyAggregate{ID: 2, ProductID: 3, Date: 1790000000/86400*86400 + 86400, TotalRequestsLogged: 110, Successful: 109, Failed: 1, ActiveDevices: 14, ActiveKeys: 6, ActiveCustomers: 4},
	)
	return analysis.DailyKPIs(daily, 0)
}

func ExampleKPIs_Sum() {
	// pandas: kpis.sum()
	s := exampleKPIs().Sum()
	fmt.Printf("%d requests, %d failed\n", s.Requests, s.Failed)
	// Output: 200 requests, 10 failed
}

func ExampleKPIs_Mean() {
	// pandas: kpis.mean()
	m := exampleKPIs().Mean()
	fmt.Printf("%.0f requests and %.0f active devices a day\n", m.Requests, m.ActiveDevices)
	// Output: 100 requests and 13 active devices a day
}

func ExampleRanking_Top() {
	// pandas: counts.head(1), of a table sorted most first
	for _, c := range analysis.RequestsByKey(exampleLog()).Top(1).Rows {
		fmt.Printf("%s %d\n", c.Label, c.Requests)
	}
	// Output: A 4
}

func ExampleSharing_Top() {
	// pandas: sharing.nlargest(1, "score")
	for _, k := range analysis.KeySharing(exampleLog()).Top(1).Rows {
		fmt.Printf("%s %.2f\n", k.Key, k.Score)
	}
	// Output: A 1.58
}

func ExampleFieldChanges_Fields() {
	// pandas: history[history.field.isin(["Notes"])]
	obj := &logs.Objects{}
	obj.Append(cryptolens.ObjectLogEntry{ID: 1, Created: 1790000000, PerformedByUserID: "42",
		ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionUpdated, AffectedObjectID: 7,
		Data: `{"MaxNoOfMachines":[1,5],"Notes":["","moved to Oslo"]}`})
	for _, c := range analysis.FieldHistory(obj).Fields("Notes").Rows {
		fmt.Printf("%s: %q -> %q\n", c.Field, c.Old, c.New)
	}
	// Output: Notes: "" -> "moved to Oslo"
}

func ExampleKPIs_Only() {
	// pandas: kpis[["active_keys", "active_devices"]]
	sub := exampleKPIs().Only("Active keys", "Active devices")
	fmt.Println(sub.Series())
	// Output: [Active keys Active devices]
}

func ExampleChangeImpacts_Top() {
	// pandas: impacts.head(1), of a table ranked most excess failures first
	ranked := &analysis.ChangeImpacts{Rows: []analysis.ChangeEffect{
		{Target: "product 5377", Change: "updated: RequireSignedMachineCode false → true"},
		{Target: "key ABCDE", Change: "updated: Block false → true"},
	}}
	for _, c := range ranked.Top(1).Rows {
		fmt.Println(c.Target, c.Change)
	}
	// Output: product 5377 updated: RequireSignedMachineCode false → true
}

func ExampleUpsellList_Top() {
	// pandas: upsell.nlargest(1, "at_limit"), of a list ranked most time at the limit first
	list := &analysis.UpsellList{Rows: []analysis.AtLimit{{Key: "AAAA", Limit: 5, Peak: 6}, {Key: "BBBB", Limit: 2, Peak: 2}}}
	for _, a := range list.Top(1).Rows {
		fmt.Printf("%s: peak %d of %d seats\n", a.Key, a.Peak, a.Limit)
	}
	// Output: AAAA: peak 6 of 5 seats
}
