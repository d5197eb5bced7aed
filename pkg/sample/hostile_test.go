package sample

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// hostileStrings are what TestHostile plants: markup, a control
// character, a string that is not valid JSON text, and one long string.
var hostileStrings = []string{
	`<img src=x onerror="alert(1)">`,
	"\x1b]8;;javascript:alert(1)\x07link\x1b]8;;\x07",
	`{"unterminated": "`,
	strings.Repeat(`"'><script>alert(1)</script>`, 40),
}

// TestHostile checks Options.Hostile: every string reaches every log, in
// the rows Planted.Hostile names, and through the server and the client
// byte for byte; the rest of the account is the account without them.
func TestHostile(t *testing.T) {
	end := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	opt := Options{Seed: 5, End: end, WebAPIRows: 20_000}
	plain := Generate(opt)
	opt.Hostile = hostileStrings
	a := Generate(opt)
	h := a.Planted.Hostile
	if len(h.WebAPIIDs) != len(hostileStrings) || len(h.EventIDs) != len(hostileStrings) || len(h.ObjectIDs) != len(hostileStrings) || h.SharedNames == 0 {
		t.Fatalf("planted %+v, want %d rows in each log and shared keys' names", h, len(hostileStrings))
	}
	if p := plain.Planted.Hostile; len(p.WebAPIIDs)+len(p.EventIDs)+len(p.ObjectIDs)+p.SharedNames != 0 {
		t.Errorf("without Options.Hostile, planted %+v", p)
	}

	t.Run("only the planted rows change", func(t *testing.T) {
		if len(a.WebAPI) != len(plain.WebAPI) || len(a.Events) != len(plain.Events) || len(a.Objects) != len(plain.Objects) {
			t.Fatalf("rows %d/%d/%d, without hostile strings %d/%d/%d", len(a.WebAPI), len(a.Events), len(a.Objects),
				len(plain.WebAPI), len(plain.Events), len(plain.Objects))
		}
		shared := func(k string) bool { return slices.Contains(a.Planted.SharedKeys, k) }
		for i, r := range a.WebAPI {
			p := plain.WebAPI[i]
			if !slices.Contains(h.WebAPIIDs, r.ID) {
				if shared(p.Key) {
					p.FriendlyName = r.FriendlyName
				}
				if r != p {
					t.Fatalf("web row %d changed: %+v, was %+v", r.ID, r, p)
				}
			}
		}
		for i, e := range a.Events {
			if !slices.Contains(h.EventIDs, e.ID) && e != plain.Events[i] {
				t.Fatalf("event %d changed", e.ID)
			}
		}
		for i, o := range a.Objects {
			if !slices.Contains(h.ObjectIDs, o.ID) && o != plain.Objects[i] {
				t.Fatalf("object entry %d changed", o.ID)
			}
		}
		if !slices.Equal(a.Planted.SharedKeys, plain.Planted.SharedKeys) || a.Planted.BlockEntry != plain.Planted.BlockEntry {
			t.Errorf("the planted story moved")
		}
	})

	t.Run("served byte for byte", func(t *testing.T) {
		ts := httptest.NewServer(NewServer(a, "tok"))
		defer ts.Close()
		c := cryptolens.New("tok")
		c.BaseURL = ts.URL + "/api/"
		ctx := context.Background()
		web, err := c.WebAPILog(ctx, cryptolens.WebAPILogQuery{Limit: 100, OrderBy: "Id descending"})
		if err != nil {
			t.Fatal(err)
		}
		events, err := c.Events(ctx, cryptolens.EventsQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		objects, err := c.ObjectLog(ctx, cryptolens.ObjectLogQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, r := range web {
			text.WriteString(r.FriendlyName + "\n" + r.MachineCode + "\n" + r.Key + "\n")
		}
		for _, e := range events {
			text.WriteString(e.FeatureName + "\n" + e.EventName + "\n" + e.MachineCode + "\n" + e.Metadata + "\n")
		}
		for _, o := range objects {
			text.WriteString(o.Data + "\n")
		}
		for _, s := range hostileStrings {
			if !strings.Contains(text.String(), s) {
				t.Errorf("the client did not get %.60q back", s)
			}
		}
		for _, e := range events {
			if slices.Contains(h.EventIDs, e.ID) && !slices.Contains(hostileStrings, e.FeatureName) {
				t.Errorf("event %d: feature %q, want a hostile string", e.ID, e.FeatureName)
			}
		}
	})
}
