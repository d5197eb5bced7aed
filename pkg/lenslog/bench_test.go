package lenslog

import (
	"context"
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
