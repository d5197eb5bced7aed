package lenslog

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/sample"
)

func TestDataHealthSample(t *testing.T) {
	clearEnv(t)
	so := sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 20000}
	a, err := openWith(t, func(c *Config) {
		c.UseSample, c.Sample = true, so
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.DataHealth(All())
	if err != nil {
		t.Fatal(err)
	}
	p := sample.Generate(so).Planted
	for _, check := range []string{"rows out of time order", "unknown state codes", "days without rows"} {
		if c, _ := h.Find("Web API Log", check); c.Status != analysis.StatusLook {
			t.Errorf("%s: %+v", check, c)
		}
	}
	if c, _ := h.Find("Web API Log", "days without rows"); !strings.Contains(c.Figure, p.OutageDay.Format("2006-01-02")) {
		t.Errorf("outage day %v not named: %s", p.OutageDay, c.Figure)
	}
	if c, _ := h.Find("Events Log", "source retention vs what was kept"); !strings.Contains(c.Figure, "45 d") {
		t.Errorf("sample retention: %s", c.Figure)
	}
}

// TestDataHealthStore checks a clean account read through the store: every
// check is ok, and the store's own facts (last sync, completeness) are
// read from it.
func TestDataHealthStore(t *testing.T) {
	clearEnv(t)
	acct := sample.Generate(sample.Options{Seed: 5, End: time.Now().UTC(), WebAPIRows: 20000, Clean: true})
	url := serve(t, acct, "tok")
	a, err := openWith(t, func(c *Config) {
		c.Token = "tok"
		c.BaseURL = url
		c.StoreDir = t.TempDir()
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.DataHealth(Last(60 * Day))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range h.Problems() {
		t.Errorf("clean account through the store flagged: %+v", c)
	}
	for _, log := range []string{"Web API Log", "Events Log", "Object Log"} {
		c, _ := h.Find(log, "last sync and completeness")
		if !strings.HasPrefix(c.Figure, "last synced ") || !strings.Contains(c.Figure, "(just now)") {
			t.Errorf("%s: %s", log, c.Figure)
		}
	}
	if c, _ := h.Find("Events Log", "source retention vs what was kept"); !strings.Contains(c.Figure, "only this store has them") {
		t.Errorf("events retention: %s", c.Figure)
	}
}

// TestTimelineLinkRedacted checks that redaction keeps the link from a key
// to its Object Log entry: the key in the Added copy's data gets the same
// pseudonym as the key column.
func TestTimelineLinkRedacted(t *testing.T) {
	clearEnv(t)
	so := sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 20000}
	a, err := openWith(t, func(c *Config) {
		c.UseSample, c.Sample = true, so
		c.Redact = true
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	p := sample.Generate(so).Planted
	key := a.Key(p.BlockedKey)
	if key == p.BlockedKey {
		t.Fatal("the key was not redacted")
	}
	api := Must(a.WebAPI(All()))
	obj := Must(a.Objects(All()))
	api.Period = Last(30 * Day).Window(a.Now()) // the whole log, its last 30 days told
	tl, err := analysis.LicenseTimeline(api, nil, obj, key)
	if err != nil {
		t.Fatal(err)
	}
	if tl.ObjectID != p.BlockedKeyObjectID || tl.KeyChanges == 0 || tl.Failures == 0 {
		t.Errorf("redacted timeline: %s, notes %v", tl.Summary(), tl.Notes)
	}
}
