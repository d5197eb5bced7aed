package sample

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

func benchmarkGenerate(b *testing.B, rows int) {
	var n int
	for b.Loop() {
		n = len(Generate(Options{End: testEnd, WebAPIRows: rows}).WebAPI)
	}
	b.ReportMetric(float64(n), "rows")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}

func BenchmarkGenerate100k(b *testing.B) { benchmarkGenerate(b, 100_000) }
func BenchmarkGenerate1M(b *testing.B)   { benchmarkGenerate(b, 1_000_000) }

// BenchmarkServePage1000 serves one 1000-row GetWebAPILog page from the
// middle of the default account, as a store's sync asks for it.
func BenchmarkServePage1000(b *testing.B) {
	a := defaultAccount(b)
	s := NewServer(a, "t")
	after := strconv.FormatInt(a.WebAPI[len(a.WebAPI)/2].ID, 10)
	req := httptest.NewRequest(http.MethodGet, "/api/ai/GetWebAPILog?token=t&Limit=1000&StartingAfter="+after, nil)
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		size = rec.Body.Len()
	}
	b.SetBytes(int64(size))
}

// BenchmarkServeKeyPage serves a seat-audit query: one key's floating
// states, newest first.
func BenchmarkServeKeyPage(b *testing.B) {
	a := defaultAccount(b)
	s := NewServer(a, "t")
	l := a.FloatingKeys()[0]
	req := httptest.NewRequest(http.MethodGet, "/api/ai/GetWebAPILog?token=t&Limit=1000&OrderBy=Id%20descending&ProductId="+
		strconv.Itoa(l.ProductID)+"&Key="+l.Key+"&States=[2014,2015,6011,2024]", nil)
	for b.Loop() {
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
}
