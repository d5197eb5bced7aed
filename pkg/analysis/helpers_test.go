package analysis

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// t0 is the start of every hand-made log: 2026-10-01 00:00:00 UTC.
var t0 = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

// at returns t0 plus d, in unix seconds.
func at(d time.Duration) int64 { return t0.Add(d).Unix() }

// row builds a Web API Log row; ids are given by table().
type row = cryptolens.WebAPILogRow

// table builds a Web API table from rows, numbering ids 1, 2, ... where
// a row has none.
func table(t testing.TB, rows ...row) *logs.WebAPI {
	t.Helper()
	api := &logs.WebAPI{}
	for i, r := range rows {
		if r.ID == 0 {
			r.ID = int64(i + 1)
		}
		api.Append(r)
	}
	return api
}

// req is a row of key with state at t0+d.
func req(key string, state cryptolens.State, d time.Duration) row {
	return row{Key: key, State: state, Time: at(d), ProductID: 1}
}

// seatRow is a floating-seat row: state from machine at t0+d, its seat
// expiring at t0+exp (0: no floatingExpires).
func seatRow(key string, state cryptolens.State, machine string, d, exp time.Duration) row {
	r := row{Key: key, State: state, Time: at(d), MachineCode: machine, FriendlyName: "user-" + machine, ProductID: 1}
	if exp != 0 {
		r.FloatingExpires = at(exp)
	}
	return r
}

// readCSV parses what a result wrote.
func readCSV(t testing.TB, r CSVWriter) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("read back CSV: %v\n%s", err, buf.String())
	}
	return recs
}

// near reports whether two floats agree to 1e-12.
func near(a, b float64) bool {
	d := a - b
	return d < 1e-12 && d > -1e-12
}

// during returns api as if loaded for w: a copy whose Period is w (an
// empty table for nil). Rows before w stay, for the replays that read
// them.
func during(api *logs.WebAPI, w logs.Window) *logs.WebAPI {
	var t logs.WebAPI
	if api != nil {
		t = *api
	}
	t.Period = w
	return &t
}
