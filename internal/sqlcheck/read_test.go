package sqlcheck

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lenslog/lenslog/pkg/logstore"
)

// describe returns the columns DuckDB finds in the files glob matches,
// read with a plain read_parquet, as "name TYPE" in order.
func describe(t *testing.T, db *sql.DB, glob string) []string {
	t.Helper()
	rows, err := db.Query(fmt.Sprintf("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(%s))", quote(glob)))
	if err != nil {
		t.Fatalf("describe %s: %v", glob, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, name+" "+typ)
	}
	return cols
}

// count returns the number of rows DuckDB reads from the files glob
// matches with a plain read_parquet.
func count(t *testing.T, db *sql.DB, glob string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM read_parquet(%s)", quote(glob))).Scan(&n); err != nil {
		t.Fatalf("read %s: %v", glob, err)
	}
	return n
}

// Every table of a synced store reads in DuckDB with a plain read_parquet
// of its files (no union_by_name), every row once: each log folder's
// segments, and each Usage Analytics table.
func TestReadEveryTable(t *testing.T) {
	f := sampleFixture(t)
	db := openDuckDB(t, f.dir)
	for _, l := range logstore.AllLogs() {
		checkLog(t, db, f.dir, l)
	}
	usage, err := filepath.Glob(filepath.Join(f.dir, "usage", "*.parquet"))
	if err != nil || len(usage) != 5 {
		t.Fatalf("usage tables %v (%v), want 5", usage, err)
	}
	for _, path := range usage {
		if n := count(t, db, path); n == 0 {
			t.Errorf("%s: DuckDB reads no rows", path)
		}
	}
}

// A store that began at format 2 (before the Web API Log's anomaly
// columns) or 4 (before the month column) reads the same way once lenslog
// has opened it: its old segments were rewritten with every column.
func TestReadUpgradedStore(t *testing.T) {
	for _, fixture := range []string{"format2-store", "format4-store"} {
		t.Run(fixture, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			if err := os.CopyFS(dir, os.DirFS("../../pkg/logstore/testdata/"+fixture)); err != nil {
				t.Fatal(err)
			}
			if _, err := logstore.Open(dir); err != nil {
				t.Fatal(err)
			}
			db := openDuckDB(t, dir)
			for _, l := range logstore.AllLogs() {
				checkLog(t, db, dir, l)
			}
		})
	}
}

// checkLog checks that DuckDB reads log l of the store in dir with a plain
// read_parquet: every segment has the columns the log has now, of the same
// types, and the rows are those the manifest counts.
func checkLog(t *testing.T, db *sql.DB, dir string, l logstore.Log) {
	t.Helper()
	s, err := logstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(l)
	if err != nil {
		t.Fatal(err)
	}
	segs, err := filepath.Glob(filepath.Join(dir, string(l), "*.parquet"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("%s: no segments (%v)", l, err)
	}
	want := describe(t, db, segs[len(segs)-1])
	for _, seg := range segs {
		if got := describe(t, db, seg); !slices.Equal(got, want) {
			t.Errorf("%s: %s has columns\n%v\nthe newest segment has\n%v", l, filepath.Base(seg), got, want)
		}
	}
	if !slices.Contains(want, "month VARCHAR") {
		t.Errorf("%s: columns %v lack month", l, want)
	}
	if !slices.Contains(want, "is_anomaly BOOLEAN") && l == logstore.WebAPI {
		t.Errorf("%s: columns %v lack is_anomaly", l, want)
	}
	glob := filepath.Join(dir, string(l), "*.parquet")
	if n := count(t, db, glob); n != info.Rows {
		t.Errorf("%s: DuckDB reads %d rows, the store holds %d", l, n, info.Rows)
	}
	timeCol := "time"
	if l == logstore.Objects {
		timeCol = "created"
	}
	var wrong int
	q := fmt.Sprintf("SELECT count(*) FROM read_parquet(%s) WHERE month <> strftime(%s AT TIME ZONE 'UTC', '%%Y-%%m')", quote(glob), timeCol)
	if err := db.QueryRow(q).Scan(&wrong); err != nil || wrong != 0 {
		t.Errorf("%s: %d rows whose month is not their time's UTC month (%v)", l, wrong, err)
	}
	// What lets an engine read one month and little else: each row group
	// holds one month (these stores' rows are in time order), so its month
	// statistics name it, and its month chunk is a few bytes.
	var groups, mixed, big int
	q = fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE stats_min_value IS DISTINCT FROM stats_max_value),
		count(*) FILTER (WHERE total_compressed_size > 256) FROM parquet_metadata(%s) WHERE path_in_schema = 'month'`, quote(glob))
	if err := db.QueryRow(q).Scan(&groups, &mixed, &big); err != nil || groups == 0 || mixed != 0 || big != 0 {
		t.Errorf("%s: of %d row groups, %d hold more than one month and %d have a month chunk over 256 bytes (%v)",
			l, groups, mixed, big, err)
	}
}
