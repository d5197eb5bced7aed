package logstore

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/parquet-go/parquet-go"
)

// A segment starts a row group at each row of a later UTC month than
// every row before it, so each row group's time statistics cover about
// one month and outside engines skip the months a query does not ask for.
// Rows out of order stay where their id puts them, and rows without a
// time decide nothing.
func TestSegmentRowGroupsFollowMonths(t *testing.T) {
	at := func(s string) int64 {
		v, err := time.Parse(time.DateTime, s)
		must(t, err)
		return v.Unix()
	}
	for _, tc := range []struct {
		name  string
		times []int64
		want  []int64 // rows per row group
	}{
		{"one month", []int64{at("2026-10-01 00:00:00"), at("2026-10-31 23:59:59")}, []int64{2}},
		{"three months", []int64{at("2026-09-30 23:59:59"), at("2026-10-01 00:00:00"), at("2026-10-15 00:00:00"),
			at("2026-11-01 00:00:00"), at("2026-11-02 00:00:00")}, []int64{1, 2, 2}},
		{"a row out of order", []int64{at("2026-09-30 12:00:00"), at("2026-10-02 00:00:00"),
			at("2026-09-29 00:00:00"), at("2026-10-03 00:00:00")}, []int64{1, 3}},
		{"rows without a time", []int64{0, at("2026-09-30 12:00:00"), 0, at("2026-10-02 00:00:00"), 0}, []int64{3, 2}},
		{"a stray year", []int64{at("2026-09-30 12:00:00"), at("2099-01-01 00:00:00"), at("2026-10-02 00:00:00")}, []int64{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := make([]cryptolens.WebAPILogRow, len(tc.times))
			for i, sec := range tc.times {
				rows[i] = cryptolens.WebAPILogRow{ID: int64(i + 1), Time: sec, State: 1010, Key: "K"}
			}
			var buf bytes.Buffer
			must(t, webAPIKind.encode(&buf, rows))
			f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			must(t, err)
			var got []int64
			for _, g := range f.Metadata().RowGroups {
				got = append(got, g.NumRows)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("row groups of %v rows, want %v", got, tc.want)
			}
		})
	}
}
