package cryptolens

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// BenchmarkDecodeWebAPILogPage decodes the same generated 1000-row page
// with this package's decoder and with encoding/json into the same structs.
// MB/s is the throughput; s/1M-rows is the time to decode a million rows.
func BenchmarkDecodeWebAPILogPage(b *testing.B) {
	rows := genWebAPIRows(rand.New(rand.NewPCG(1, 1)), 1, MaxWebAPILogLimit)
	body := pageJSON(b, "logs", rows)
	b.Run("lenslog", func(b *testing.B) {
		benchPage(b, body, len(rows), func() (int, error) {
			r, err := DecodeWebAPILogPage(body)
			return len(r), err
		})
	})
	b.Run("lenslog_decoder", func(b *testing.B) { // copies strings, reuses its rows
		var dec Decoder
		var dst []WebAPILogRow
		benchPage(b, body, len(rows), func() (n int, err error) {
			dst, err = dec.AppendWebAPILog(dst[:0], body)
			return len(dst), err
		})
	})
	b.Run("encoding_json", func(b *testing.B) {
		benchPage(b, body, len(rows), func() (int, error) {
			var page struct {
				Result  int
				Message string
				Logs    []WebAPILogRow
			}
			err := json.Unmarshal(body, &page)
			return len(page.Logs), err
		})
	})
}

func BenchmarkDecodeEventsPage(b *testing.B) {
	evs := genEvents(rand.New(rand.NewPCG(1, 1)), 1, MaxEventsLimit)
	body := pageJSON(b, "events", evs)
	benchPage(b, body, len(evs), func() (int, error) {
		r, err := DecodeEventsPage(body)
		return len(r), err
	})
}

func BenchmarkDecodeObjectLogPage(b *testing.B) {
	objs := genObjects(rand.New(rand.NewPCG(1, 1)), 1, MaxObjectLogLimit)
	body := pageJSON(b, "events", objs)
	benchPage(b, body, len(objs), func() (int, error) {
		r, err := DecodeObjectLogPage(body)
		return len(r), err
	})
}

func benchPage(b *testing.B, body []byte, rows int, decode func() (int, error)) {
	b.Helper()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		n, err := decode()
		if err != nil || n != rows {
			b.Fatalf("decoded %d rows, err %v", n, err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e6/float64(rows), "s/1M-rows")
}
