package cryptolens_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// BenchmarkDecodeKeysPage decodes one full page of product/GetKeys (99
// licenses, each with its customer and activated machines) as the sample
// server sends it. licenses/s is the rate a first inventory sync decodes at.
func BenchmarkDecodeKeysPage(b *testing.B) {
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 7, End: sampleEnd, WebAPIRows: 70_000}), "bench")
	req := httptest.NewRequest(http.MethodPost, "/api/product/GetKeys", strings.NewReader(url.Values{"token": {"bench"}, "Page": {"1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	page, err := cryptolens.DecodeKeysPage(body)
	if err != nil || len(page) != cryptolens.KeysPageSize {
		b.Fatalf("%d licenses, %v; want a full page", len(page), err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := cryptolens.DecodeKeysPage(body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(page))/b.Elapsed().Seconds(), "licenses/s")
}
