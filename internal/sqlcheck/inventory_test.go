package sqlcheck

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// The inventory snapshots read in DuckDB with a plain read_parquet of a
// table's folders, every snapshot at once, its time a column "snapshot"
// (the Hive-style folder name), as SCHEMA.md shows.
func TestReadInventorySnapshots(t *testing.T) {
	acct := sample.Generate(sample.Options{Seed: 42, End: sampleEnd, WebAPIRows: 20_000})
	srv := sample.NewServer(acct, "sqlcheck-token")
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c := cryptolens.New("sqlcheck-token")
	c.BaseURL = hs.URL + "/api/"
	dir := filepath.Join(tempRoot, "inventory")
	s, err := logstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t1, t2 := sampleEnd, sampleEnd.Add(24*time.Hour)
	if _, err := s.SyncSnapshot(context.Background(), c, t1); err != nil {
		t.Fatal(err)
	}
	srv.EditInventory(func(inv *sample.Inventory) { inv.Licenses = inv.Licenses[1:] })
	if _, err := s.SyncSnapshot(context.Background(), c, t2); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	glob := quote(filepath.Join(dir, "inventory", "licenses", "*", "*.parquet"))
	rows, err := db.Query(fmt.Sprintf("SELECT snapshot, count(*), sum(MaxNoOfMachines) FROM read_parquet(%s) GROUP BY snapshot ORDER BY snapshot", glob))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var snap string
		var n, seats int64
		if err := rows.Scan(&snap, &n, &seats); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %d", snap, n))
	}
	n := len(acct.Licenses)
	want := []string{fmt.Sprintf("%s %d", t1.Format("20060102T150405Z"), n), fmt.Sprintf("%s %d", t2.Format("20060102T150405Z"), n-1)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("licenses per snapshot %v, want %v", got, want)
	}
	for _, table := range logstore.AllInventoryTables() {
		if k := count(t, db, filepath.Join(dir, "inventory", string(table), "*", "*.parquet")); k == 0 {
			t.Errorf("%s: DuckDB reads no rows", table)
		}
	}
}
