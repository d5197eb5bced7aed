package lenslog

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/sample"
)

// Columns loads the same rows with only the asked columns, from every
// source; a product filter brings the column it needs; the analyses give
// the figures they give on whole tables; an unknown name is an error.
func TestColumnsFromEverySource(t *testing.T) {
	clearEnv(t)
	so := sample.Options{Seed: 9, End: time.Now().UTC().Truncate(time.Second), WebAPIRows: 20000}
	url := serve(t, sample.Generate(so), "tok")
	sources := map[string]func(*Config){
		"sample": func(c *Config) { c.UseSample, c.Sample = true, so },
		"store":  func(c *Config) { c.Token, c.BaseURL, c.StoreDir = "tok", url, t.TempDir() },
		"api":    func(c *Config) { c.Token, c.BaseURL, c.NoStore = "tok", url, true },
	}
	for name, set := range sources {
		t.Run(name, func(t *testing.T) {
			a, err := openWith(t, func(c *Config) {
				set(c)
				c.Note = &bytes.Buffer{}
			})
			if err != nil {
				t.Fatal(err)
			}
			span := Last(10 * Day)
			whole := Must(a.WebAPI(span))
			part := Must(a.WebAPI(span, Columns("State", "Key")))
			if part.Len() != whole.Len() || part.Loaded("IP") || !part.Loaded("Key") || !slices.Equal(part.ID, whole.ID) {
				t.Fatalf("%d rows (whole %d), IP loaded %v", part.Len(), whole.Len(), part.Loaded("IP"))
			}
			if got, want := analysis.SuccessRatio(part), analysis.SuccessRatio(whole); *got != *want {
				t.Errorf("success ratio %+v on the columns, %+v on the whole table", got, want)
			}
			p := whole.ProductID[0]
			prod := Must(a.WebAPI(span, Columns("State"), Product(p)))
			if !prod.Loaded("ProductID") || prod.Loaded("Key") || prod.Len() == 0 {
				t.Errorf("product %d with State: ProductID loaded %v, Key loaded %v, %d rows", p, prod.Loaded("ProductID"), prod.Loaded("Key"), prod.Len())
			}
			if _, err := a.WebAPI(span, Columns("Stat")); err == nil || !strings.Contains(err.Error(), `"Stat"`) {
				t.Errorf("unknown column: %v", err)
			}
		})
	}
}

// The Object Log takes Columns too, and refuses a product it does not
// have.
func TestObjectsColumns(t *testing.T) {
	clearEnv(t)
	so := sample.Options{Seed: 9, End: time.Now().UTC().Truncate(time.Second), WebAPIRows: 20000}
	a, err := openWith(t, func(c *Config) {
		c.UseSample, c.Sample = true, so
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	whole := Must(a.Objects(Last(30 * Day)))
	part := Must(a.Objects(Last(30*Day), Columns("ResourceType")))
	if part.Len() != whole.Len() || part.Len() == 0 || !part.Loaded("ResourceType") || part.Loaded("Data") {
		t.Errorf("objects with ResourceType: %d rows (whole %d), Data loaded %v", part.Len(), whole.Len(), part.Loaded("Data"))
	}
	if _, err := a.Objects(Last(30*Day), Product(3)); err == nil || !strings.Contains(err.Error(), "no product") {
		t.Errorf("objects with a product: %v", err)
	}
}

// A product or key that names nothing is recorded in the provenance as
// no data, so a report can list the notebook as such instead of "ok".
func TestNoDataIsRecorded(t *testing.T) {
	clearEnv(t)
	so := sample.Options{Seed: 9, End: time.Now().UTC().Truncate(time.Second), WebAPIRows: 20000}
	prov := filepath.Join(t.TempDir(), "provenance.jsonl")
	a, err := openWith(t, func(c *Config) {
		c.UseSample, c.Sample = true, so
		c.Provenance = prov
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	api := Must(a.WebAPI(Last(10 * Day)))
	if _, err := a.WebAPI(Last(10*Day), Product(999999)); err == nil {
		t.Fatal("product 999999 loaded without a NoDataError")
	}
	if _, err := a.KeyRows(api, "NO-SUCH-KEY"); err == nil {
		t.Fatal("an unknown key gave rows")
	}
	reads, err := ReadProvenance(prov)
	if err != nil {
		t.Fatal(err)
	}
	var noData []string
	for _, r := range reads {
		if r.NoData != "" {
			noData = append(noData, r.Filter+": "+r.NoData)
		}
	}
	if len(noData) != 2 || !strings.Contains(noData[0], "product 999999 has no rows") || !strings.Contains(noData[1], "key NO-SUCH-KEY has no rows") {
		t.Errorf("no-data reads %q, want the product's and the key's", noData)
	}
	if reads[0].NoData != "" {
		t.Errorf("the load that found rows is marked no data: %+v", reads[0])
	}
}
