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

// monthQuery is what a notebook asks of a month: requests, keys and
// failures. The month is a half-open range of row times; an empty range
// means every row.
const monthQuery = `SELECT count(*), count(DISTINCT key), sum(CASE WHEN state %% 100 BETWEEN 20 AND 29 THEN 1 ELSE 0 END)
FROM read_parquet(%s) %s`

// scanBytes runs monthQuery over glob in a new DuckDB (no cache carried
// over) and returns the bytes read and the rows counted.
func scanBytes(tb testing.TB, glob, where string) (read int64, rows int) {
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
	var keys, failures int
	before := readBytes(tb)
	if err := db.QueryRow(fmt.Sprintf(monthQuery, quote(glob), where)).Scan(&rows, &keys, &failures); err != nil {
		tb.Fatal(err)
	}
	return readBytes(tb) - before, rows
}

// BenchmarkMonthScan measures how much of a store DuckDB reads for one
// UTC month against a scan of every row, with a plain read_parquet and a
// filter on time: the segments' row groups carry min/max statistics of
// time, so DuckDB skips those outside the month. It reports the bytes of
// each and their ratio (month/full). Run it at 10 million rows:
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
	var full, month int64
	var fullRows, monthRows int
	for b.Loop() {
		full, fullRows = scanBytes(b, glob, "")
		month, monthRows = scanBytes(b, glob, where)
	}
	b.ReportMetric(float64(info.Bytes), "store-bytes")
	b.ReportMetric(float64(full), "full-bytes")
	b.ReportMetric(float64(month), "month-bytes")
	b.ReportMetric(float64(month)/float64(full), "month/full")
	b.ReportMetric(float64(monthRows)/float64(fullRows), "month-rows/full-rows")
	b.Logf("%d rows in %d segments; one month (%s) is %d rows", fullRows, info.Segments, from.Format("2006-01"), monthRows)
}
