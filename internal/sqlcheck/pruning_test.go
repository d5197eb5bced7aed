package sqlcheck

import (
	"bufio"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

var (
	pruneRows = flag.Int("prune-rows", 1_000_000, "Web API rows of the store BenchmarkMonthScan reads (`N`), e.g. 10000000")
	pruneDays = flag.Int("prune-days", 365, "days of history of that store (`N`)")
	pruneDir  = flag.String("prune-dir", "", "keep that store in `DIR` and reuse it when it is there")
)

// readBytes returns how many bytes this process has read from files so
// far (Linux: rchar in /proc/self/io). DuckDB runs in this process, so
// the difference over a query is what the query read.
func readBytes(tb testing.TB) int64 {
	tb.Helper()
	f, err := os.Open("/proc/self/io")
	if err != nil {
		tb.Skipf("no /proc/self/io to count bytes read: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "rchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return n
		}
	}
	tb.Fatal("no rchar in /proc/self/io")
	return 0
}

// The queries BenchmarkMonthScan runs over a log folder, with and without
// a WHERE on one month: every column of every row (as SELECT * reads
// them), and three columns, what a notebook asks of a month (requests,
// keys, failures).
const (
	rowsQuery = `SELECT count(DISTINCT hash(id, product_id, key, ip, time, state, machine_code, friendly_name,
	floating_expires, do_int_value, do_id, is_anomaly, anomaly_properties)) FROM read_parquet(%s) %s`
	keysQuery = `SELECT count(DISTINCT key) + sum(CASE WHEN state %% 100 BETWEEN 20 AND 29 THEN 1 ELSE 0 END) * 0
	FROM read_parquet(%s) %s`
)

// scanBytes runs query over glob in a new DuckDB (no cache carried over)
// and returns the bytes read and the number the query returns.
func scanBytes(tb testing.TB, query, glob, where string) (read int64, n int) {
	tb.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("SET enable_external_file_cache = false"); err != nil {
		tb.Fatal(err)
	}
	before := readBytes(tb)
	if err := db.QueryRow(fmt.Sprintf(query, quote(glob), where)).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return readBytes(tb) - before, n
}

// filterColumnBytes returns the bytes of the time column chunks of the
// row groups whose statistics overlap [from, to): what a query filtered
// on time reads of that column, beyond what a full scan of other columns
// reads. DuckDB reads the filter column of every row group it does not
// skip, even one whose statistics show every row passes.
func filterColumnBytes(tb testing.TB, glob string, from, to time.Time) int64 {
	tb.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var n int64
	q := fmt.Sprintf(`SELECT sum(total_compressed_size) FROM parquet_metadata(%s)
		WHERE path_in_schema = 'time' AND stats_max_value::TIMESTAMPTZ >= TIMESTAMPTZ '%s' AND stats_min_value::TIMESTAMPTZ < TIMESTAMPTZ '%s'`,
		quote(glob), from.Format(time.RFC3339), to.Format(time.RFC3339))
	if err := db.QueryRow(q).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkMonthScan measures how much of a store DuckDB reads for one
// UTC month against a scan of every row, with a plain read_parquet, the
// month selected two ways: by a filter on time (all a format 4 store
// offered), and by the month column of format 5 (WHERE month = '2026-08').
// The segments' row groups are months and carry min/max statistics of
// both, so DuckDB skips those outside the month either way; the time
// filter also reads the time column of every row group it keeps, the
// month filter a few bytes of its one-value column. It reports the bytes
// of each and their ratio (month/full), for all columns and for three.
// Run it at 10 million rows:
//
//	go test -run '^$' -bench MonthScan -benchtime 1x -prune-rows 10000000 -prune-dir /tmp/prune
func BenchmarkMonthScan(b *testing.B) {
	dir := *pruneDir
	if dir == "" {
		dir = filepath.Join(tempRoot, "prune")
	}
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	if _, err := os.Stat(filepath.Join(dir, "webapi")); err != nil {
		if _, err := syncSample(dir, sample.Options{Seed: 7, End: end, Days: *pruneDays, WebAPIRows: *pruneRows}, false); err != nil {
			b.Fatal(err)
		}
	}
	s, err := logstore.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	info, err := s.Info(logstore.WebAPI)
	if err != nil {
		b.Fatal(err)
	}
	glob := filepath.Join(dir, "webapi", "*.parquet")
	from := end.AddDate(0, -3, 0) // a month in the middle of the history
	where := fmt.Sprintf("WHERE time >= TIMESTAMPTZ '%s' AND time < TIMESTAMPTZ '%s'",
		from.Format(time.RFC3339), from.AddDate(0, 1, 0).Format(time.RFC3339))
	byMonth := fmt.Sprintf("WHERE month = '%s'", from.Format("2006-01"))
	var rowsFull, rowsMonth, keysFull, keysMonth, rowsByMonth, keysByMonth int64
	var fullRows, monthRows, byMonthRows int
	for b.Loop() {
		rowsFull, fullRows = scanBytes(b, rowsQuery, glob, "")
		rowsMonth, monthRows = scanBytes(b, rowsQuery, glob, where)
		rowsByMonth, byMonthRows = scanBytes(b, rowsQuery, glob, byMonth)
		keysFull, _ = scanBytes(b, keysQuery, glob, "")
		keysMonth, _ = scanBytes(b, keysQuery, glob, where)
		keysByMonth, _ = scanBytes(b, keysQuery, glob, byMonth)
	}
	if byMonthRows != monthRows {
		b.Fatalf("WHERE month selects %d rows, the time filter %d", byMonthRows, monthRows)
	}
	b.ReportMetric(float64(info.Bytes), "store-bytes")
	b.ReportMetric(float64(monthRows)/float64(fullRows), "month-rows/all")
	b.ReportMetric(float64(rowsFull), "all-cols-full-bytes")
	b.ReportMetric(float64(rowsMonth), "all-cols-month-bytes")
	b.ReportMetric(float64(rowsMonth)/float64(rowsFull), "all-cols-month/full")
	b.ReportMetric(float64(keysFull), "3-cols-full-bytes")
	b.ReportMetric(float64(keysMonth), "3-cols-month-bytes")
	b.ReportMetric(float64(keysMonth)/float64(keysFull), "3-cols-month/full")
	b.ReportMetric(float64(rowsByMonth)/float64(rowsFull), "all-cols-month-column/full")
	b.ReportMetric(float64(keysByMonth), "3-cols-month-column-bytes")
	b.ReportMetric(float64(keysByMonth)/float64(keysFull), "3-cols-month-column/full")
	timeBytes := filterColumnBytes(b, glob, from, from.AddDate(0, 1, 0))
	b.ReportMetric(float64(timeBytes), "3-cols-month-time-bytes")
	b.ReportMetric(float64(keysMonth-timeBytes)/float64(keysFull), "3-cols-month-without-time/full")
	b.Logf("%d rows in %d segments; one month (%s) is %d rows", fullRows, info.Segments, from.Format("2006-01"), monthRows)
}
