package lenslog

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestLicenseList loads the sample account's license list whole and for
// one product: the licenses with their machines and customers, each
// customer named by its company.
func TestLicenseList(t *testing.T) {
	a, _ := openSample(t, Pins{})
	all := Must(a.LicenseList())
	if all.Len() == 0 || all.Machines.Len() == 0 || all.Customers.Len() == 0 {
		t.Fatalf("%d licenses, machines %d, customers %d", all.Len(), all.Machines.Len(), all.Customers.Len())
	}
	one := Must(a.LicenseList(Product(3349)))
	if one.Len() == 0 || one.Len() >= all.Len() {
		t.Errorf("product 3349 has %d of %d licenses", one.Len(), all.Len())
	}
	for i := range one.Len() {
		if p := one.Licenses.ProductID[i]; p != 3349 {
			t.Fatalf("license %d of product %d in product 3349's list", i, p)
		}
	}
	biggest := Must(all.OfCustomer(0))
	if biggest.Len() == 0 || biggest.Name() == "" || biggest.Name() == "every customer" {
		t.Errorf("the biggest customer: %q with %d licenses", biggest.Name(), biggest.Len())
	}
	if _, err := all.OfCustomer(-1); !errors.Is(err, analysis.ErrNoData) {
		t.Errorf("an unknown customer: %v, want ErrNoData", err)
	}
}

// TestLicenseListOnAServerWithoutOne: a server without product/GetKeys
// (404) gives an error a notebook shows as "no data", not a failure.
func TestLicenseListOnAServerWithoutOne(t *testing.T) {
	clearEnv(t)
	srv := sample.NewServer(sample.Generate(sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 5000}), "tok")
	srv.SetLive(sample.Live{Missing: []string{"GetKeys", "GetProducts", "GetCustomers"}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	a, err := openWith(t, func(c *Config) {
		c.Token, c.BaseURL, c.NoStore, c.Note = "tok", hs.URL+"/api/", true, &bytes.Buffer{}
		c.Clock = func() time.Time { return sampleEnd }
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.LicenseList()
	if !errors.Is(err, analysis.ErrNoData) || !strings.Contains(err.Error(), "no license list") {
		t.Errorf("a server without GetKeys: %v, want ErrNoData saying it has no license list", err)
	}
}

// TestPreviousPeriod: the period before a report's is loaded as long and
// with the same filters; one before the log's history is empty, not a
// no-data stop, and the provenance does not list it as "no data" (notebook
// 13's year on the 120-day sample was listed so by a plain WebAPI load).
func TestPreviousPeriod(t *testing.T) {
	a, prov := openSample(t, Pins{})
	tests := []struct {
		name  string
		span  Span
		empty bool
	}{
		{"inside the history", Last(30 * Day), false},
		{"before the history", Last(365 * Day), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := Must(a.WebAPI(tt.span, Product(3349)))
			prev, err := a.WebAPI(Previous(api.Period), Product(3349))
			if err != nil {
				t.Fatal(err)
			}
			if tt.empty {
				if prev.Len() != 0 {
					t.Errorf("%d rows over %s, want none", prev.Len(), prev.Period)
				}
				reads, err := ReadProvenance(prov)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range reads {
					if r.NoData != "" {
						t.Errorf("the provenance lists %s %s as no data: %s", r.Log, r.Span, r.NoData)
					}
				}
				return
			}
			if prev.Len() == 0 {
				t.Fatalf("no rows before %s", api.Period)
			}
			if !prev.Period.To.Equal(api.Period.From) || prev.Period.To.Sub(prev.Period.From) != api.Period.To.Sub(api.Period.From) {
				t.Errorf("the period before %s is %s", api.Period, prev.Period)
			}
			for i := range prev.Len() {
				if p := prev.ProductID[i]; p != 3349 {
					t.Fatalf("row %d of product %d", i, p)
				}
			}
		})
	}
}

// TestPreviousBeforeTheHistory loads the period before one that starts
// the sample's history, as a report's value boxes do: every table comes
// back empty with its period, no error (a notebook's Must would stop the
// report over the first month of an account), and the provenance lists
// no "no data". A plain load of the same period is no data.
func TestPreviousBeforeTheHistory(t *testing.T) {
	a, prov := openSample(t, Pins{})
	all := Must(a.WebAPI(All()))
	first := time.Unix(slices.Min(all.Time), 0).UTC().Truncate(Day)
	w := logs.Window{From: first, To: first.Add(30 * Day)}
	if _, err := a.WebAPI(Between(w.From.Add(-30*Day), w.From)); !errors.As(err, new(*NoDataError)) {
		t.Fatalf("a plain load before the history: %v, want a NoDataError", err)
	}
	before := countNoData(t, prov)
	api, err := a.WebAPI(Previous(w), Product(3349))
	if err != nil || api.Len() != 0 || !api.Period.To.Equal(w.From) {
		t.Errorf("Web API Log before the history: %v rows over %v, %v; want none over the 30 days before %s, no error", api.Len(), api.Period, err, w.From)
	}
	daily, err := a.DailyAggregates(Previous(w), Product(3349))
	if err != nil || daily.Len() != 0 {
		t.Errorf("daily aggregates before the history: %v, want an empty table", err)
	}
	if n := countNoData(t, prov); n != before {
		t.Errorf("the provenance lists %d more loads as no data, want none", n-before)
	}
}

// countNoData counts the reads of the provenance file that found no data.
func countNoData(t *testing.T, prov string) int {
	t.Helper()
	reads, err := ReadProvenance(prov)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range reads {
		if r.NoData != "" {
			n++
		}
	}
	return n
}
