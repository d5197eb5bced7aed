package sqlcheck

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
	lsql "github.com/lenslog/lenslog/sql"
)

// sampleEnd fixes the sample account's last instant, so every run checks
// the same rows.
var sampleEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// sampleRows is the size of the sample account's Web API Log: enough for
// every planted story (shared keys, silent keys, floating seats at their
// limit) and a few segments per log.
const sampleRows = 60_000

// tempRoot holds the stores the tests build; TestMain removes it.
var tempRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sqlcheck-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tempRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fixture is the sample account synced into a store, and its Web API Log
// as the store loads it for the Go analyses.
type fixture struct {
	dir string
	api *logs.WebAPI
}

var sampleStore = sync.OnceValues(func() (*fixture, error) {
	dir := filepath.Join(tempRoot, "sample")
	s, err := syncSample(dir, sample.Options{Seed: 42, End: sampleEnd, WebAPIRows: sampleRows}, true)
	if err != nil {
		return nil, err
	}
	api, err := s.WebAPI(logs.Window{})
	if err != nil {
		return nil, err
	}
	return &fixture{dir: dir, api: api}, nil
})

// syncSample generates a sample account and syncs it into a store in dir
// from the sample server on loopback, its usage tables too when asked.
func syncSample(dir string, opt sample.Options, usage bool) (*logstore.Store, error) {
	acct := sample.Generate(opt)
	hs := httptest.NewServer(sample.NewServer(acct, "sqlcheck-token"))
	defer hs.Close()
	c := cryptolens.New("sqlcheck-token")
	c.BaseURL = hs.URL + "/api/"
	s, err := logstore.Open(dir)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if _, err := s.Sync(ctx, c, logstore.SyncOptions{}); err != nil {
		return nil, fmt.Errorf("sync the sample account: %w", err)
	}
	if usage {
		if _, err := s.SyncUsage(ctx, c); err != nil {
			return nil, fmt.Errorf("sync the sample account's usage tables: %w", err)
		}
	}
	return s, nil
}

// sampleFixture returns the synced sample store, built once per run.
func sampleFixture(t *testing.T) *fixture {
	t.Helper()
	f, err := sampleStore()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sessionZone is the time zone of the DuckDB session: not UTC, so a query
// that leaves day boundaries to the session gets other days than the Go
// analyses, which count UTC days.
const sessionZone = "America/Los_Angeles"

// openDuckDB opens an in-memory DuckDB with a view per log of the store in
// dir, named as the log (webapi, events, objects), over a plain
// read_parquet of its segment files.
func openDuckDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1) // one session, so its settings hold for every query
	exec(t, db, fmt.Sprintf("SET TimeZone = '%s'", sessionZone))
	for _, l := range logstore.AllLogs() {
		exec(t, db, fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet(%s)", l, quote(filepath.Join(dir, string(l), "*.parquet"))))
	}
	return db
}

func exec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// quote writes s as an SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlFile returns the text of one of the repository's SQL files.
func sqlFile(t *testing.T, name string) string {
	t.Helper()
	data, err := lsql.Files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// query runs one of the SQL files with args and scans every row with
// scan, which returns the destinations of one row's columns.
func query[R any](t *testing.T, db *sql.DB, name string, scan func(*R) []any, args ...any) []R {
	t.Helper()
	rows, err := db.Query(sqlFile(t, name), args...)
	if err != nil {
		t.Fatalf("sql/%s: %v", name, err)
	}
	defer rows.Close()
	var out []R
	for rows.Next() {
		var r R
		if err := rows.Scan(scan(&r)...); err != nil {
			t.Fatalf("sql/%s: row %d: %v", name, len(out)+1, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("sql/%s: %v", name, err)
	}
	return out
}
