package analysis_test

import (
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// ExampleAnomalies reads the group a server flagged in anomalyProperties
// and shows it whole: the rows from its first id to its last, flagged or
// not.
func ExampleAnomalies() {
	t := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC).Unix()
	props := `{"groupId": "g-17", "startingAt": 2, "endingAt": 4}`
	api := &logs.WebAPI{}
	api.Append(
		cryptolens.WebAPILogRow{ID: 1, Key: "A", State: 2011, Time: t},
		cryptolens.WebAPILogRow{ID: 2, Key: "B", State: 2022, Time: t + 60, IsAnomaly: true, AnomalyProperties: props},
		cryptolens.WebAPILogRow{ID: 3, Key: "B", State: 2011, Time: t + 120},
		cryptolens.WebAPILogRow{ID: 4, Key: "B", State: 2022, Time: t + 180, IsAnomaly: true, AnomalyProperties: props},
	)
	groups := analysis.Anomalies(api)
	for _, g := range groups.Groups {
		fmt.Printf("group %s: rows %d..%d, %d held, %d failed, keys %v\n", g.Group, g.StartingAt, g.EndingAt, g.Held, g.Failures, g.Keys)
		rows := groups.Rows(g.Group)
		for i := range rows.Len() {
			fmt.Println(rows.ID[i], rows.State[i], rows.IsAnomaly[i])
		}
	}
	// Output:
	// group g-17: rows 2..4, 3 held, 2 failed, keys [B]
	// 2 2022 true
	// 3 2011 false
	// 4 2022 true
}
