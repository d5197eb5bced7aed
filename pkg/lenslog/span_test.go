package lenslog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openSample opens the pinned sample account recording into a fresh
// provenance file, with the given pins.
func openSample(t *testing.T, pins Pins) (*Account, string) {
	t.Helper()
	clearEnv(t)
	t.Setenv(EnvSampleEnd, "2026-11-05")
	t.Setenv(EnvSampleRows, "20000")
	prov := filepath.Join(t.TempDir(), "provenance.jsonl")
	a, err := openWith(t, func(c *Config) {
		c.Note = &bytes.Buffer{}
		if pins.Pinned() {
			c.Pins = pins
		}
		c.Provenance = prov
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, prov
}

func TestProvenanceRecordsEachRead(t *testing.T) {
	a, prov := openSample(t, Pins{})
	span := MustParseSpan("2026-10")
	api := Must(a.WebAPI(span))
	Must(a.WebAPI(span)) // the same read again, as the next cell does
	ev := Must(a.Events(Last(7 * Day)))
	reads, err := ReadProvenance(prov)
	if err != nil {
		t.Fatal(err)
	}
	if len(reads) != 2 {
		t.Fatalf("%d reads recorded, want 2 (repeats dropped): %+v", len(reads), reads)
	}
	r := reads[0]
	if r.Log != "webapi" || r.Span != "2026-10" || r.Rows != api.Len() || r.MaxID != api.ID[api.Len()-1] ||
		!r.From.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || !r.To.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("web api read recorded as %+v (table has %d rows)", r, api.Len())
	}
	if reads[1].Log != "events" || reads[1].Rows != ev.Len() {
		t.Errorf("events read recorded as %+v", reads[1])
	}
	acct := r.Account
	if !acct.Sample || acct.Seed != 1 || !acct.End.Equal(time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)) ||
		!strings.Contains(acct.Description, "sample account, seed 1, ending 2026-11-05") {
		t.Errorf("account recorded as %+v", acct)
	}
	if ids := MaxIDs(reads); ids["webapi"] != r.MaxID || ids["events"] != reads[1].MaxID {
		t.Errorf("MaxIDs = %v", ids)
	}
}

func TestPinsCutRowsAndClock(t *testing.T) {
	a, _ := openSample(t, Pins{})
	all := Must(a.WebAPI(Last(30 * Day)))
	cut := all.ID[all.Len()/2]
	pinnedNow := a.Now().Add(-Day)
	p, prov := openSample(t, Pins{Now: pinnedNow, MaxIDs: map[string]int64{"webapi": cut}})
	if !p.Now().Equal(pinnedNow) {
		t.Errorf("Now = %v, want the pinned %v", p.Now(), pinnedNow)
	}
	got := Must(p.WebAPI(Last(30 * Day)))
	for i, id := range got.ID {
		if id > cut {
			t.Fatalf("row %d has id %d above the pinned %d", i, id, cut)
		}
	}
	if got.Len() == 0 || got.ID[got.Len()-1] != cut {
		t.Errorf("pinned read ends at id %v, want %d", got.ID, cut)
	}
	reads, _ := ReadProvenance(prov)
	if len(reads) != 1 || reads[0].Cut != cut || !reads[0].Pinned || !reads[0].Now.Equal(pinnedNow) {
		t.Errorf("pinned read recorded as %+v", reads)
	}
}

func TestPinsFromEnv(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvNow, "2026-11-05T10:00:00Z")
	t.Setenv(EnvMaxIDs, "webapi=120,events=0")
	p, err := pinsFromEnv()
	if err != nil || !p.Now.Equal(time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)) || p.MaxIDs["webapi"] != 120 || len(p.MaxIDs) != 2 {
		t.Fatalf("pins %+v, %v", p, err)
	}
	env := p.Env()
	if len(env) != 2 || env[1] != EnvMaxIDs+"=events=0,webapi=120" {
		t.Errorf("Env() = %q", env)
	}
	for _, bad := range []string{"webapi", "webapi=x", "logs=1", "webapi=-1"} {
		t.Setenv(EnvMaxIDs, bad)
		if _, err := pinsFromEnv(); err == nil || !strings.Contains(err.Error(), EnvMaxIDs) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
	t.Setenv(EnvMaxIDs, "")
	t.Setenv(EnvNow, "yesterday")
	if _, err := pinsFromEnv(); err == nil || !strings.Contains(err.Error(), EnvNow) {
		t.Errorf("bad now: err = %v", err)
	}
}

func TestProductFilter(t *testing.T) {
	a, prov := openSample(t, Pins{})
	span := Last(30 * Day)
	all := Must(a.WebAPI(span))
	one := Must(a.WebAPI(span, Product(3349)))
	want := 0
	for _, p := range all.ProductID {
		if p == 3349 {
			want++
		}
	}
	if one.Len() != want || want == 0 {
		t.Fatalf("product 3349: %d rows, want %d", one.Len(), want)
	}
	_, err := a.WebAPI(span, Product(9999))
	var nd *NoDataError
	if !errors.As(err, &nd) {
		t.Fatalf("err = %v, want a *NoDataError", err)
	}
	for _, part := range []string{"product 9999 has no rows in the Web API Log", "products with rows there: ", "3349 ("} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not say %q", err, part)
		}
	}
	if _, err := a.Events(span, Product(9999)); !errors.As(err, &nd) || nd.Log != "Events Log" {
		t.Errorf("events: err = %v", err)
	}
	reads, _ := ReadProvenance(prov)
	if len(reads) < 2 || reads[1].Filter != "product 3349" || reads[1].Kept != want || reads[1].Rows != all.Len() {
		t.Errorf("filtered read recorded as %+v", reads)
	}
}

func TestKeyRows(t *testing.T) {
	a, _ := openSample(t, Pins{})
	api := Must(a.WebAPI(Last(7 * Day)))
	one, err := a.KeyRows(api, api.Key.At(0))
	if err != nil || one.Len() == 0 {
		t.Fatalf("a key of the table: %v", err)
	}
	_, err = a.KeyRows(api, "NOPE-NOPE")
	if err == nil || !strings.Contains(err.Error(), "key NOPE-NOPE has no rows") || !strings.Contains(err.Error(), "the busiest keys there: ") {
		t.Errorf("err = %v", err)
	}
	if _, err := a.FloatingLicense(api, Last(7*Day), "NOPE-NOPE", 0); err == nil || !strings.Contains(err.Error(), "key NOPE-NOPE") {
		t.Errorf("FloatingLicense of a key with no rows: %v", err)
	}
}

// TestKeyRowsRedacted: when redacting, a key typed by a person and the
// pseudonym the tables show (a key an analysis picked, e.g. 06's most
// suspicious key) both name the key's rows.
func TestKeyRowsRedacted(t *testing.T) {
	plain, _ := openSample(t, Pins{})
	real := Must(plain.WebAPI(Last(7 * Day))).Key.At(0)
	a, err := openWith(t, func(c *Config) {
		c.Note = &bytes.Buffer{}
		c.Redact, c.RedactKey = true, bytes.Repeat([]byte{7}, 32)
	})
	if err != nil {
		t.Fatal(err)
	}
	api := Must(a.WebAPI(Last(7 * Day)))
	for _, key := range []string{real, a.Key(real)} {
		one, err := a.KeyRows(api, key)
		if err != nil || one.Len() == 0 || one.Key.At(0) != a.Key(real) {
			t.Errorf("KeyRows(%q): %v", key, err)
		}
	}
}

func TestRecordFailureIsReported(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvSampleRows, "20000")
	a, err := openWith(t, func(c *Config) {
		c.Note = &bytes.Buffer{}
		c.Provenance = filepath.Join(t.TempDir(), "missing", "p.jsonl")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.WebAPI(Last(Day)); err == nil || !strings.Contains(err.Error(), "record provenance") {
		t.Errorf("err = %v, want the failed record reported", err)
	}
}

// pinsFromEnv parses the pins the test put in the environment, as
// ConfigFromEnv does.
func pinsFromEnv() (Pins, error) {
	cfg, err := configFrom(os.LookupEnv, ".", false)
	return cfg.Pins, err
}
