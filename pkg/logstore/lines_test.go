package logstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The lines the sync, repair and upgrade print count in the house style
// of pkg/format's reports: thousands separators, and one thing in the
// singular ("1 request", never "1 requests").
func TestSummaryLines(t *testing.T) {
	for _, c := range []struct {
		name string
		line fmt.Stringer
		want string
	}{
		{"sync, one of each", SyncResult{Log: WebAPI, NewRows: 1, Requests: 1, Total: 1},
			"webapi: +1 row, 1 request, 1 total"},
		{"sync, thousands", SyncResult{Log: WebAPI, NewRows: 59521, Requests: 1, Total: 183053, Pending: 1200000},
			"webapi: +59,521 rows, 1 request, 183,053 total; 1,200,000 rows fetched in slices, listed when every slice is done (the next sync goes on)"},
		{"sync, mended", SyncResult{Log: Events, Requests: 2, Total: 5, Recovery: Recovery{RebuiltManifest: true, Segments: 1},
			Dropped: Dropped{NullRows: 1, Repeated: 1, Conflicts: 1, ConflictIDs: []int64{12345}}},
			"events: +0 rows, 2 requests, 5 total; manifest rebuilt from 1 segment file; 1 null row dropped; " +
				"1 row repeated an id of its page, the first kept; 1 row repeated a stored id with other content (id 12345), the stored row kept"},
		{"dropped, many", Dropped{NullRows: 2, Repeated: 1500, Conflicts: 3, ConflictIDs: []int64{17, 40, 41}},
			"2 null rows dropped; 1,500 rows repeated an id of their page, the first kept; " +
				"3 rows repeated a stored id with other content (ids 17, 40, 41), stored rows kept"},
		{"usage", UsageSyncResult{Table: UsageDaily, Fetched: 1, Rows: 1480, Requests: 1},
			"usage_daily: 1 row fetched, 1,480 stored, 1 request"},
		{"repair", RepairReport{Logs: []LogRepair{
			{Log: WebAPI, Checked: 1},
			{Log: Events, Checked: 12, Damaged: []string{"a.parquet"}, Recovered: 1, Lost: []Gap{{AfterID: 9, BeforeID: 1011, Rows: 1001, Reason: "gone"}}},
		}}, "webapi: 1 segment checked, no damage\nevents: 12 segments checked, 1 damaged (a.parquet), 1 row re-fetched; lost 1,001 rows with ids 10..1010: gone\n"},
		{"upgrade", Upgrade{From: 4, To: 5, Segments: 1, Rows: 2183738, Bytes: 42 << 20},
			"from format 4 to 5: 1 segment (2,183,738 rows, 42 MB)"},
		{"snapshot", &Snapshot{Time: time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC), Products: make([]cryptolens.Product, 1),
			Licenses: make([]cryptolens.LicenseKey, 1309), Skipped: map[InventoryTable]string{InventoryMachines: "no", InventoryCustomers: "no"}},
			"inventory snapshot 2026-11-05 12:00 UTC: 1 product, 1,309 licenses, machines skipped, customers skipped"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.line.String(); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// The line a command shows while Open upgrades a store, and its end.
func TestUpgradeLine(t *testing.T) {
	u := Upgrade{From: 4, To: 5, Segments: 14, Rows: 2153120, Bytes: 229 << 20}
	if got, want := u.Doing(), "upgrading the local store once, from format 4 to 5: 14 segments (2,153,120 rows, 229 MB)…"; got != want {
		t.Errorf("Doing() = %q, want %q", got, want)
	}
	for _, c := range []struct {
		name string
		did  Upgrade
		want string
	}{
		{"done", Upgrade{From: 4, To: 5, Took: 7300 * time.Millisecond}, "done in 7 s"},
		{"quick", Upgrade{From: 4, To: 5, Took: 250 * time.Millisecond}, "done in 250 ms"},
		{"locked", Upgrade{}, "not now: another process holds the store (the next sync or load upgrades it)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.did.Result(); got != c.want {
				t.Errorf("Result() = %q, want %q", got, c.want)
			}
		})
	}
}
