package lenslog

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// BenchmarkLoadWebAPI1M loads a million-row Web API Log whole, from the
// sample account and from the store, by the generic path (loadLog) and by
// a copy of the hand-written path it replaced (handWrittenWebAPI), side
// by side: the generic path must cost nothing measurable.
func BenchmarkLoadWebAPI1M(b *testing.B) {
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 1_000_000})
	srv := httptest.NewServer(sample.NewServer(acct, "bench"))
	defer srv.Close()
	c := cryptolens.New("bench")
	c.BaseURL = srv.URL + "/api/"
	st, err := logstore.OpenFor(b.TempDir(), c)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.Sync(ctx, c, logstore.SyncOptions{Logs: []logstore.Log{logstore.WebAPI}}); err != nil {
		b.Fatal(err)
	}
	sources := []struct {
		name string
		src  source
	}{
		{"sample", &sampleSource{acct: acct}},
		{"store", &storeSource{client: c, store: st, noSync: true, liveClock: liveClock{pinned: acct.Now}}},
	}
	for _, s := range sources {
		a := &Account{ctx: ctx, src: s.src}
		for _, path := range []struct {
			name string
			load func() (*logs.WebAPI, error)
		}{
			{"generic", func() (*logs.WebAPI, error) { return a.WebAPI(All()) }},
			{"handwritten", func() (*logs.WebAPI, error) { return handWrittenWebAPI(a, All()) }},
		} {
			b.Run(s.name+"/"+path.name, func(b *testing.B) {
				for b.Loop() {
					t, err := path.load()
					if err != nil || t.Len() != len(acct.WebAPI) {
						b.Fatalf("%d rows, %v", t.Len(), err)
					}
				}
			})
		}
	}
}

// handWrittenWebAPI is Account.WebAPI as it was written before the
// generic path, kept here only for the comparison.
func handWrittenWebAPI(a *Account, span Span, filters ...Filter) (*logs.WebAPI, error) {
	w := span.Window(a.Now())
	f := combine(filters)
	cols, err := f.loadColumns("Web API Log", (*logs.WebAPI).ColumnNames(nil))
	if err != nil {
		return nil, err
	}
	var t *logs.WebAPI
	switch s := a.src.(type) {
	case *sampleSource:
		t = &logs.WebAPI{}
		t.Append(inWindow(s.acct.WebAPI, w)...)
		t = t.Only(cols)
	case *storeSource:
		if err := s.sync(a.ctx, logstore.WebAPI, w); err != nil {
			return nil, err
		}
		if t, err = s.store.WebAPI(w, cols...); err != nil {
			return nil, err
		}
	}
	if cut, ok := a.pins.MaxIDs["webapi"]; ok {
		t = t.Where(func(i int) bool { return t.ID[i] <= cut })
	}
	r := a.newRead("webapi", span, w, t.ID)
	if f.product != 0 {
		all := t
		t = t.Where(func(i int) bool { return all.ProductID[i] == f.product })
		if err := a.finish(&r, f, t.Len(), all.ProductID, "Web API Log"); err != nil {
			return nil, err
		}
	} else if err := a.finish(&r, f, t.Len(), nil, ""); err != nil {
		return nil, err
	}
	t.Period = w
	return t, nil
}

// BenchmarkLoadUsageBuckets loads the license activity buckets of the
// million-row sample account whole, by the generated kind (fetchUsage and
// loadUsage) and by a copy of the hand-written path it replaced
// (handWrittenBuckets), side by side, from the sample account and from the
// store.
func BenchmarkLoadUsageBuckets(b *testing.B) {
	acct := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 1_000_000})
	srv := httptest.NewServer(sample.NewServer(acct, "bench"))
	defer srv.Close()
	c := cryptolens.New("bench")
	c.BaseURL = srv.URL + "/api/"
	st, err := logstore.OpenFor(b.TempDir(), c)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.SyncUsageWith(ctx, c, logstore.UsageSyncOptions{Tables: []logstore.UsageTable{logstore.UsageBuckets}}); err != nil {
		b.Fatal(err)
	}
	want := len(acct.Usage().Buckets)
	for _, s := range []struct {
		name string
		src  source
	}{
		{"sample", &sampleSource{acct: acct}},
		{"store", &storeSource{client: c, store: st, noSync: true, liveClock: liveClock{pinned: acct.Now}}},
	} {
		a := &Account{ctx: ctx, src: s.src}
		for _, path := range []struct {
			name string
			load func() (*logs.UsageBuckets, error)
		}{
			{"generated", func() (*logs.UsageBuckets, error) { return a.LicenseActivityBuckets(All()) }},
			{"handwritten", func() (*logs.UsageBuckets, error) { return handWrittenBuckets(a, All()) }},
		} {
			b.Run(fmt.Sprintf("%s/%s/%d", s.name, path.name, want), func(b *testing.B) {
				for b.Loop() {
					t, err := path.load()
					if err != nil || t.Len() != want {
						b.Fatalf("%d rows, %v", t.Len(), err)
					}
				}
			})
		}
	}
}

// handWrittenBuckets is Account.LicenseActivityBuckets as it was written
// before the kinds were generated (a per-table source method, then the
// filtering loop), kept here only for the comparison.
func handWrittenBuckets(a *Account, span Span) (*logs.UsageBuckets, error) {
	w := span.Window(a.Now())
	var u *logstore.Usage
	switch s := a.src.(type) {
	case *sampleSource:
		s.usageOnce.Do(func() { s.usageRows = s.acct.Usage() })
		r := s.usageRows
		u = &logstore.Usage{Daily: r.Daily, Countries: r.Countries, Summaries: r.Summaries, Devices: r.Devices, Buckets: r.Buckets}
	case *storeSource:
		var err error
		if u, err = s.store.LoadUsageTables(logstore.UsageBuckets); err != nil {
			return nil, err
		}
	}
	var rows []cryptolens.LicenseActivityBucket
	var ids []int64
	for _, r := range u.Buckets {
		if !w.Contains(r.BucketStart()) {
			continue
		}
		rows = append(rows, r)
		ids = append(ids, r.ID)
	}
	rd := a.newRead(string(logstore.UsageBuckets), span, w, ids)
	if err := a.finish(&rd, Filter{}, len(rows), nil, "Usage Analytics table ai/GetLicenseActivityBuckets"); err != nil {
		return nil, err
	}
	t := &logs.UsageBuckets{}
	t.Append(rows...)
	t.Period = w
	return t, nil
}
