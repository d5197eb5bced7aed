package logstore

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestRebindProvesSameAccount: a rebind is accepted only when the new
// token reads the stored rows unchanged; rows rewritten under the same ids
// are named, and nothing is written.
func TestRebindProvesSameAccount(t *testing.T) {
	acct, _, c := startSample(t, 2000)
	s := openTest(t)
	if _, err := s.Sync(t.Context(), c, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	serve := func(a *sample.Account, token string) *cryptolens.Client {
		hs := httptest.NewServer(sample.NewServer(a, token))
		t.Cleanup(hs.Close)
		nc := sampleClient(hs.URL)
		nc.Token = cryptolens.Token(token)
		return nc
	}
	rewritten := *acct
	rewritten.Events = append([]cryptolens.Event(nil), acct.Events...)
	last := &rewritten.Events[len(rewritten.Events)-1]
	last.FeatureName += "-rewritten"

	for _, c := range []struct {
		name    string
		client  *cryptolens.Client
		wantErr string
	}{
		{"rows rewritten under the same ids", serve(&rewritten, "token-2"), "differs in FeatureName"},
		{"another account", serve(sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: 2000, Seed: 9}), "token-3"), "is not in what it reads"},
		{"same account, new token", serve(acct, "token-4"), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := snapshot(t, s.Dir())
			err := s.Rebind(t.Context(), c.client)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("rebind refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrNotSameAccount) || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("rebind: %v; want it refused saying %q", err, c.wantErr)
			}
			after, sf := snapshot(t, s.Dir()), filepath.Join(s.Dir(), storeFileName)
			if len(after) != len(before) || before[sf] == "" || after[sf] != before[sf] {
				t.Error("a refused rebind changed the store")
			}
		})
	}
}
