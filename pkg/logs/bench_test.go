package logs

import (
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// benchEnd is the end of the benchmarks' sample account, fixed so runs
// compare.
var benchEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// benchRows generates, once, the sample account's Web API Log at about a
// million rows: the size the performance issue measures.
var benchRows = sync.OnceValue(func() []cryptolens.WebAPILogRow {
	return sample.Generate(sample.Options{End: benchEnd, WebAPIRows: 1_000_000}).WebAPI
})

// benchTable returns the rows as a table, outside the timer.
func benchTable(b *testing.B) *WebAPI {
	b.Helper()
	t := &WebAPI{}
	t.Append(benchRows()...)
	b.ReportAllocs()
	b.ResetTimer()
	return t
}

// perRow reports the time per row, which stays comparable across sizes.
func perRow(b *testing.B, rows int) {
	b.Helper()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}

// BenchmarkWebAPIFrame1M turns a million-row table into a gota DataFrame,
// as nb.Show(api.Frame()) does before cutting it for display.
func BenchmarkWebAPIFrame1M(b *testing.B) {
	t := benchTable(b)
	for b.Loop() {
		if df := t.Frame(); df.Nrow() != t.Len() {
			b.Fatalf("frame has %d rows, want %d", df.Nrow(), t.Len())
		}
	}
	perRow(b, t.Len())
}

// BenchmarkWebAPIAppend1M appends a million rows page by page, 1000 at a
// time, as a client appends decoded pages.
func BenchmarkWebAPIAppend1M(b *testing.B) {
	rows := benchRows()
	b.ReportAllocs()
	for b.Loop() {
		t := &WebAPI{}
		for p := rows; len(p) > 0; {
			n := min(len(p), cryptolens.MaxWebAPILogLimit)
			t.Append(p[:n]...)
			p = p[n:]
		}
		if t.Len() != len(rows) {
			b.Fatalf("table has %d rows, want %d", t.Len(), len(rows))
		}
	}
	perRow(b, len(rows))
}

// BenchmarkWebAPIWindow1M cuts the last 30 of 120 days out of a
// million-row table.
func BenchmarkWebAPIWindow1M(b *testing.B) {
	t := benchTable(b)
	w := Window{From: benchEnd.Add(-30 * 24 * time.Hour)}
	for b.Loop() {
		if t.Window(w).Len() == 0 {
			b.Fatal("the last 30 days are empty")
		}
	}
	perRow(b, t.Len())
}
