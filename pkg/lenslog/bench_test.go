package lenslog

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// The generated load path was measured against a copy of the hand-written
// one it replaced (6 December, 1M rows, one run): the Web API Log from the
// sample 1.00, from the store 1.05, 705k activity buckets from the store
// 0.92. The copy is gone; these benchmarks keep the generated path's own
// figures.

// benchSources are the million-row sample account and a store synced from
// it (the tables sync names), as load sources.
func benchSources(b *testing.B, sync func(context.Context, *logstore.Store, *cryptolens.Client) error) (*sample.Account, []struct {
	name string
	src  source
}) {
	b.Helper()
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 1_000_000})
	srv := httptest.NewServer(sample.NewServer(acct, "bench"))
	b.Cleanup(srv.Close)
	c := cryptolens.New("bench")
	c.BaseURL = srv.URL + "/api/"
	st, err := logstore.OpenFor(b.TempDir(), c)
	if err != nil {
		b.Fatal(err)
	}
	if err := sync(context.Background(), st, c); err != nil {
		b.Fatal(err)
	}
	return acct, []struct {
		name string
		src  source
	}{
		{"sample", &sampleSource{acct: acct}},
		{"store", &storeSource{client: c, store: st, noSync: true, liveClock: liveClock{pinned: acct.Now}}},
	}
}

// BenchmarkLoadWebAPI1M loads a million-row Web API Log whole, from the
// sample account and from the store.
func BenchmarkLoadWebAPI1M(b *testing.B) {
	acct, sources := benchSources(b, func(ctx context.Context, st *logstore.Store, c *cryptolens.Client) error {
		_, err := st.Sync(ctx, c, logstore.SyncOptions{Logs: []logstore.Log{logstore.WebAPI}})
		return err
	})
	for _, s := range sources {
		a := &Account{ctx: context.Background(), src: s.src}
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				t, err := a.WebAPI(All())
				if err != nil || t.Len() != len(acct.WebAPI) {
					b.Fatalf("%d rows, %v", t.Len(), err)
				}
			}
		})
	}
}

// BenchmarkLoadUsageBuckets loads the license activity buckets of the
// million-row sample account whole, from the sample account and from the
// store.
func BenchmarkLoadUsageBuckets(b *testing.B) {
	acct, sources := benchSources(b, func(ctx context.Context, st *logstore.Store, c *cryptolens.Client) error {
		_, err := st.SyncUsageWith(ctx, c, logstore.UsageSyncOptions{Tables: []logstore.UsageTable{logstore.UsageBuckets}})
		return err
	})
	want := len(acct.Usage().Buckets)
	for _, s := range sources {
		a := &Account{ctx: context.Background(), src: s.src}
		b.Run(fmt.Sprintf("%s/%d", s.name, want), func(b *testing.B) {
			for b.Loop() {
				t, err := a.LicenseActivityBuckets(All())
				if err != nil || t.Len() != want {
					b.Fatalf("%d rows, %v", t.Len(), err)
				}
			}
		})
	}
}
