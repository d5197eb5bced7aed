package lenslog

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/sample"
)

// TestEmptyWindowIsNoData loads periods that hold no rows, on the sample
// account and on live accounts read through the store, and checks that
// each load either returns a *NoDataError saying why and what the log
// holds, or (a quiet stretch of the Events Log inside its history) an
// empty table.
func TestEmptyWindowIsNoData(t *testing.T) {
	clearEnv(t)
	opt := sample.Options{End: sampleEnd, WebAPIRows: 20000}
	outage := sample.Generate(opt).Planted.OutageDay.Format(time.DateOnly)
	live := func(c sample.Content) *Account {
		t.Helper()
		o := opt
		o.Content = c
		url := serve(t, sample.Generate(o), "tok")
		a, err := openWith(t, func(c *Config) {
			c.Token, c.BaseURL, c.StoreDir, c.Note = "tok", url, t.TempDir(), &bytes.Buffer{}
			c.Clock = func() time.Time { return sampleEnd }
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	smp, err := openWith(t, func(c *Config) { c.UseSample, c.Sample, c.Note = true, opt, &bytes.Buffer{} })
	if err != nil {
		t.Fatal(err)
	}
	stored, empty := live(sample.FullContent), live(sample.NoRows)
	webAPI := func(a *Account, s Span) error { _, err := a.WebAPI(s); return err }
	events := func(a *Account, s Span) error { _, err := a.Events(s); return err }
	objects := func(a *Account, s Span) error { _, err := a.Objects(s); return err }
	product := func(a *Account, s Span) error { _, err := a.WebAPI(s, Product(9999)); return err }
	usage := func(a *Account, s Span) error { _, err := a.DailyAggregates(s); return err }
	tests := []struct {
		name string
		acct *Account
		load func(*Account, Span) error
		span string
		want []string // in the NoDataError's message; none: no error
	}{
		{"after now", smp, webAPI, "2027-03", []string{"the period 2027-03 has no rows in the Web API Log", "starts after the account's now, 2026-11-01 00:00 UTC", "the Web API Log holds"}},
		{"after now, events", smp, events, "2027-03", []string{"Events Log", "after the account's now", "the Events Log holds"}},
		{"before the history", smp, webAPI, "2020-01", []string{"ends before the log's oldest row", "holds"}},
		{"before the history, objects", smp, objects, "2020-01", []string{"Object Log", "ends before the log's oldest row"}},
		{"a day without rows", smp, webAPI, outage, []string{"no request was logged in it", "holds"}},
		{"a day without rows, events", smp, events, outage, nil},
		{"a day without rows, a product", smp, product, outage, []string{"no request was logged in it"}},
		{"a product without rows", smp, product, "last-7d", []string{"product 9999", "products with rows there"}},
		{"stored: after now", stored, webAPI, "2027-03", []string{"after the account's now", "the Web API Log has no rows in the local store"}},
		{"stored: before the history", stored, events, "2020-01", []string{"ends before the log's oldest row", "the Events Log has"}},
		{"stored: a day without rows", stored, webAPI, outage, []string{"no request was logged in it"}},
		{"after now, usage", smp, usage, "2027-03", []string{"Usage Analytics table usage_daily", "after the account's now"}},
		{"before the history, usage", smp, usage, "2020-01", nil},
		{"no rows at all", empty, webAPI, "all", []string{"the account has no rows in the Web API Log", "no client has called the API yet"}},
		{"no rows at all, events", empty, events, "last-30d", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.load(tt.acct, MustParseSpan(tt.span))
			var nd *NoDataError
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("err = %v, want an empty table", err)
			case tt.want == nil:
				return
			case !errors.As(err, &nd):
				t.Fatalf("err = %v, want a *NoDataError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the message does not say %q: %v", w, err)
				}
			}
		})
	}
}
