package logstore

import (
	"io"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// benchStore writes a sample account's Web API Log (about n rows) into a
// new store as full-size segments, as compaction leaves them.
func benchStore(b *testing.B, n int) (*Store, int) {
	b.Helper()
	return benchStoreOf(b, n, func(w io.Writer, rows []cryptolens.WebAPILogRow) error { return webAPIKind.encode(w, rows) })
}

// benchStoreOf is benchStore with segments written by encode.
func benchStoreOf(b *testing.B, n int, encode func(io.Writer, []cryptolens.WebAPILogRow) error) (*Store, int) {
	b.Helper()
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: n})
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	m := &manifest{Log: WebAPI, HistoryStart: true}
	for rows := acct.WebAPI; len(rows) > 0; {
		k := min(len(rows), s.cfg.compactRows)
		seg := boundsOf(rows[:k])
		seg.File = segmentName(WebAPI, seg.MinID, seg.MaxID, randomTag())
		seg.Size, seg.CRC32C, err = writeFileAtomic(s.logDir(WebAPI), seg.File, func(w io.Writer) error { return encode(w, rows[:k]) })
		if err != nil {
			b.Fatal(err)
		}
		m.Segments = append(m.Segments, seg)
		rows = rows[k:]
	}
	if err := writeManifest(s.logDir(WebAPI), m); err != nil {
		b.Fatal(err)
	}
	return s, len(acct.WebAPI)
}

// BenchmarkMonthRowGroups compares, side by side, segments whose row
// groups are their UTC months (as the store writes them now) with
// segments cut every 128 Ki rows (as before 6 December 2026): bytes per
// million rows and the time to load them all.
func BenchmarkMonthRowGroups(b *testing.B) {
	every128Ki := func(n int) []int {
		var cuts []int
		for i := 128 * 1024; i < n; i += 128 * 1024 {
			cuts = append(cuts, i)
		}
		return cuts
	}
	for _, layout := range []struct {
		name   string
		months bool
	}{{"128Ki rows", false}, {"months", true}} {
		b.Run(layout.name, func(b *testing.B) {
			s, n := benchStoreOf(b, 1_000_000, func(w io.Writer, rows []cryptolens.WebAPILogRow) error {
				ft := footerOf(WebAPI, rows)
				if !layout.months {
					ft.groups = every128Ki(len(rows))
				}
				return encodeSegment(w, ft, rows, webAPIRecordOf)
			})
			info, err := s.Info(WebAPI)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.WebAPI(logs.Window{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
			b.ReportMetric(float64(info.Bytes)/float64(n), "MB/1M-rows")
		})
	}
}

// BenchmarkLoadWebAPI1M loads a million-row Web API Log from the store.
func BenchmarkLoadWebAPI1M(b *testing.B) {
	s, n := benchStore(b, 1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t, err := s.WebAPI(logs.Window{})
		if err != nil {
			b.Fatal(err)
		}
		if t.Len() != n {
			b.Fatalf("loaded %d rows, want %d", t.Len(), n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}

// BenchmarkLoadWebAPILast30Days loads the last 30 of 120 days: only the
// overlapping segments are read.
func BenchmarkLoadWebAPILast30Days(b *testing.B) {
	s, _ := benchStore(b, 1_000_000)
	w := logs.Window{From: sampleEnd.Add(-30 * 24 * time.Hour)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.WebAPI(w); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteSegment encodes and writes a 100 000-row segment.
func BenchmarkWriteSegment(b *testing.B) {
	rows := make([]cryptolens.WebAPILogRow, 100_000)
	for i := range rows {
		rows[i] = fakeWebAPIRow(i)
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := writeSegment(dir, webAPIKind, rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rows)), "ns/row")
}

// BenchmarkEncodeSegment writes one compacted segment (262,144 Web API
// rows) side by side: with every row's Parquet record made first (as
// before 6 December 2026) and a batch at a time (encodeSegment now). B/op
// shows the records no longer held at once; compaction holds a segment
// like this, which is what sets a 10M-row first sync's peak RSS.
func BenchmarkEncodeSegment(b *testing.B) {
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 300_000})
	rows := acct.WebAPI[:min(len(acct.WebAPI), 256*1024)]
	ft := footerOf(WebAPI, rows)
	for _, way := range []struct {
		name   string
		encode func() error
	}{
		{"all records first", func() error {
			return encodeSegment(io.Discard, ft, convert(rows, webAPIRecordOf), func(r webAPIRecord) webAPIRecord { return r })
		}},
		{"a batch at a time", func() error { return encodeSegment(io.Discard, ft, rows, webAPIRecordOf) }},
	} {
		b.Run(way.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := way.encode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
