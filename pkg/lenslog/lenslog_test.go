package lenslog

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// sampleEnd is the fixed last day the tests' sample accounts end on.
var sampleEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// clearEnv makes the test independent of the developer's environment and
// working directory (apitokens.json).
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"CRYPTOLENS_TOKEN", "CRYPTOLENS_API_URL", EnvSampleEnd, EnvSampleRows,
		EnvRedact, EnvRedactKey, EnvStore} {
		t.Setenv(k, "")
	}
	t.Chdir(t.TempDir())
}

// openWith opens the account the environment names, with edit's changes
// to its settings: what a command does with its flags.
func openWith(t testing.TB, edit func(*Config)) (*Account, error) {
	t.Helper()
	cfg, err := ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	edit(&cfg)
	return OpenConfig(cfg)
}

// serve starts the sample server for an account and returns its base URL.
func serve(t *testing.T, acct *sample.Account, token string) string {
	t.Helper()
	srv := httptest.NewServer(sample.NewServer(acct, token))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/"
}

func TestOpenWithoutTokenReadsSample(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvSampleEnd, "2026-11-01")
	t.Setenv(EnvSampleRows, "20000")
	var note bytes.Buffer
	a, err := openWith(t, func(c *Config) {
		c.Note = &note
	})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Now().Equal(sampleEnd) {
		t.Errorf("Now = %v, want %v", a.Now(), sampleEnd)
	}
	if !strings.Contains(note.String(), "sample account") {
		t.Errorf("note %q does not say the sample account is read", note.String())
	}
	api, err := a.WebAPI(Last(7 * Day))
	if err != nil {
		t.Fatal(err)
	}
	if api.Len() == 0 {
		t.Fatal("no rows in the last 7 days of the sample account")
	}
	from := sampleEnd.Add(-7 * Day)
	for i, tm := range api.Time.Values() {
		if tm.Before(from) || tm.After(sampleEnd) {
			t.Fatalf("row %d at %v is outside the last 7 days", i, tm)
		}
	}
	if len(a.Licenses()) == 0 {
		t.Error("the sample account lists no floating licenses")
	}
}

func TestOpenBadEnvironment(t *testing.T) {
	tests := []struct{ name, key, value, want string }{
		{"end not a day", EnvSampleEnd, "yesterday", EnvSampleEnd},
		{"rows not a number", EnvSampleRows, "many", EnvSampleRows},
		{"redact key not hex", EnvRedactKey, "xyz", EnvRedactKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv(EnvRedact, "1")
			t.Setenv(tt.key, tt.value)
			_, err := openWith(t, func(c *Config) {
				c.Note = &bytes.Buffer{}
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

// TestStoreAndDirectAgree reads the same account through the store and
// directly from the API, and both must equal the source.
func TestStoreAndDirectAgree(t *testing.T) {
	clearEnv(t)
	acct := sample.Generate(sample.Options{Seed: 3, End: time.Now().UTC(), WebAPIRows: 20000})
	url := serve(t, acct, "secret-token")
	now := acct.Now.Add(time.Minute) // the clock the live account is read by
	for _, noStore := range []bool{false, true} {
		a, err := openWith(t, func(c *Config) {
			c.Token = "secret-token"
			c.BaseURL = url
			c.StoreDir = t.TempDir()
			c.NoStore = noStore
			c.Note = &bytes.Buffer{}
			c.Clock = func() time.Time { return now }
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(a.Source(), "secret-token") {
			t.Fatalf("Source() shows the token: %s", a.Source())
		}
		api, err := a.WebAPI(Last(10 * Day))
		if err != nil {
			t.Fatalf("noStore=%v: %v", noStore, err)
		}
		if !a.Now().Equal(now) {
			t.Fatalf("noStore=%v: Now = %v, want the clock's %v", noStore, a.Now(), now)
		}
		cut := now.Add(-10 * Day)
		want := 0
		for _, r := range acct.WebAPI {
			if !r.RowTime().Before(cut) {
				want++
			}
		}
		if api.Len() != want {
			t.Errorf("noStore=%v: %d rows, want %d", noStore, api.Len(), want)
		}
		for i := 1; i < api.Len(); i++ {
			if api.ID[i] <= api.ID[i-1] {
				t.Fatalf("noStore=%v: ids not ascending at row %d", noStore, i)
			}
		}
		obj, err := a.Objects(All())
		if err != nil {
			t.Fatal(err)
		}
		if obj.Len() != len(acct.Objects) {
			t.Errorf("noStore=%v: %d object log rows, want %d", noStore, obj.Len(), len(acct.Objects))
		}
	}
}

func TestWrongTokenIsClearAndSecret(t *testing.T) {
	clearEnv(t)
	acct := sample.Generate(sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 20000})
	url := serve(t, acct, "right")
	a, err := openWith(t, func(c *Config) {
		c.Token = "canary-wrong-token"
		c.BaseURL = url
		c.NoStore = true
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.WebAPI(Last(Day))
	if err == nil {
		t.Fatal("a wrong token read the log")
	}
	if strings.Contains(err.Error(), "canary-wrong-token") {
		t.Fatalf("error shows the token: %v", err)
	}
	if !strings.Contains(err.Error(), "Unable to authenticate") {
		t.Errorf("error %q does not carry the server's message", err)
	}
}

func TestRedactOnLoad(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvSampleEnd, "2026-11-01")
	t.Setenv(EnvSampleRows, "20000")
	plain, err := openWith(t, func(c *Config) {
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	red, err := openWith(t, func(c *Config) {
		c.Redact = true
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	p := Must(plain.WebAPI(Last(3 * Day)))
	r := Must(red.WebAPI(Last(3 * Day)))
	if p.Len() != r.Len() {
		t.Fatalf("redaction changed the row count: %d vs %d", p.Len(), r.Len())
	}
	real := map[string]bool{}
	for i := range p.Key.Values() {
		real[p.Key.At(i)], real[p.MachineCode.At(i)], real[p.FriendlyName.At(i)], real[p.IP.At(i)] = true, true, true, true
	}
	delete(real, "")
	for i := range r.Key.Codes {
		for _, v := range []string{r.Key.At(i), r.MachineCode.At(i), r.FriendlyName.At(i), r.IP.At(i)} {
			if real[v] {
				t.Fatalf("row %d still shows %q", i, v)
			}
		}
	}
	lic := red.Licenses()[0]
	found := false
	for _, k := range r.Key.Values() {
		found = found || k == lic.Key
	}
	if !found {
		t.Errorf("redacted license key %q matches no redacted row", lic.Key)
	}
}

func TestSpanWindow(t *testing.T) {
	now := sampleEnd
	if w := Last(Day).Window(now); !w.From.Equal(now.Add(-Day)) || !w.To.After(now) || !w.Contains(now) {
		t.Errorf("Last(Day) = %v", w)
	}
	from := now.Add(-48 * time.Hour)
	if w := Between(from, now).Window(time.Time{}); !w.From.Equal(from) || !w.To.Equal(now) {
		t.Errorf("Between = %v", w)
	}
	if w := All().Window(now); !w.From.IsZero() || !w.To.IsZero() {
		t.Errorf("All = %v", w)
	}
}

func TestInWindow(t *testing.T) {
	at := func(id int64, sec int64) cryptolens.WebAPILogRow {
		return cryptolens.WebAPILogRow{ID: id, Time: sampleEnd.Unix() + sec}
	}
	w := logs.Window{From: sampleEnd, To: sampleEnd.Add(10 * time.Second)}
	tests := []struct {
		name string
		rows []cryptolens.WebAPILogRow
		ids  []int64
	}{
		{"one run", []cryptolens.WebAPILogRow{at(1, -5), at(2, 0), at(3, 9), at(4, 10)}, []int64{2, 3}},
		{"out of order", []cryptolens.WebAPILogRow{at(1, 1), at(2, -5), at(3, 2)}, []int64{1, 3}},
		{"none", []cryptolens.WebAPILogRow{at(1, -5), at(2, 20)}, nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inWindow(tt.rows, w)
			if len(got) != len(tt.ids) {
				t.Fatalf("got %d rows, want ids %v", len(got), tt.ids)
			}
			for i, r := range got {
				if r.ID != tt.ids[i] {
					t.Errorf("row %d has id %d, want %d", i, r.ID, tt.ids[i])
				}
			}
		})
	}
}

func TestLiveURLWithoutToken(t *testing.T) {
	clearEnv(t)
	t.Setenv("CRYPTOLENS_API_URL", "http://127.0.0.1:1/api/")
	_, err := openWith(t, func(c *Config) {
		c.Note = &bytes.Buffer{}
	})
	if !errors.Is(err, cryptolens.ErrNoToken) || !strings.Contains(err.Error(), "CRYPTOLENS_TOKEN") {
		t.Fatalf("err = %v, want ErrNoToken saying where to put the token", err)
	}
}

func TestFloatingLicense(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvSampleEnd, "2026-11-05")
	t.Setenv(EnvSampleRows, "20000")
	a, err := openWith(t, func(c *Config) {
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	span := Last(7 * Day)
	api := Must(a.WebAPI(span))
	l, err := a.FloatingLicense(api, span, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	lic, ok := sample.Generate(sample.Options{End: sampleEnd.Add(4 * Day), WebAPIRows: 20000}).License(l.Key)
	if !ok || l.Limit != lic.MaxNoOfMachines || l.LimitFrom != "the account's license list" {
		t.Errorf("picked %+v; the account lists %+v", l, lic)
	}
	if l, _ := a.FloatingLicense(api, span, "", 3); l.Limit != 3 || l.LimitFrom != "the parameters" {
		t.Errorf("a given limit was not kept: %+v", l)
	}
	if _, err := a.FloatingLicense(&logs.WebAPI{}, span, "", 0); !errors.As(err, new(*NoDataError)) {
		t.Errorf("an empty log found a license: %v", err)
	}
}

// TestFloatingLicenseLive checks that a live account whose token may not
// read its licenses (no GetKeys) gets a seat limit inferred from the log
// and labelled so, for the default key of a seat audit over a day and a
// week: never an error.
func TestFloatingLicenseLive(t *testing.T) {
	clearEnv(t)
	acct := sample.Generate(sample.Options{Seed: 11, End: sampleEnd, WebAPIRows: 20000})
	srv := sample.NewServer(acct, "full")
	srv.SetLive(sample.Live{Tokens: map[string][]string{"tok": {"GetWebAPILog", "GetEvents", "GetObjectLog"}}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	a, err := openWith(t, func(c *Config) {
		c.Token, c.BaseURL, c.StoreDir, c.Note = "tok", hs.URL+"/api/", t.TempDir(), &bytes.Buffer{}
		c.Clock = func() time.Time { return acct.Now }
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, span := range []Span{Last(24 * time.Hour), Last(7 * Day), MustParseSpan("2026-10-20")} {
		api := Must(a.WebAPI(span))
		l, err := a.FloatingLicense(api, span, "", 0)
		if err != nil {
			t.Fatalf("%s: %v", span, err)
		}
		lic, ok := acct.License(l.Key)
		if !ok || l.Limit < 1 || !strings.HasPrefix(l.LimitFrom, "the log: ") {
			t.Errorf("%s: inferred %+v", span, l)
		}
		if strings.HasPrefix(l.LimitFrom, "the log: at least") && l.Limit > lic.MaxNoOfMachines+lic.MaxOverdraft {
			t.Errorf("%s: a lower bound %d above the limit %d", span, l.Limit, lic.MaxNoOfMachines)
		}
		t.Logf("%s: %s: %d (the account's %d, overdraft %d), from %s", span, l.Key, l.Limit, lic.MaxNoOfMachines, lic.MaxOverdraft, l.LimitFrom)
	}
}

// TestFloatingLicenseLiveListed checks that a live-like account whose
// token may read its licenses (product/GetKeys) gets the real seat limit
// from them, as notebook 04's default does, for a span and for each
// floating key with seat rows, from the store and from the API.
func TestFloatingLicenseLiveListed(t *testing.T) {
	clearEnv(t)
	acct := sample.Generate(sample.Options{Seed: 11, End: sampleEnd, WebAPIRows: 20000})
	srv := sample.NewServer(acct, "full")
	srv.SetLive(sample.Live{Tokens: map[string][]string{"tok": {"GetWebAPILog", "GetEvents", "GetObjectLog", "GetKeys"}}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for _, noStore := range []bool{false, true} {
		a, err := openWith(t, func(c *Config) {
			c.Token, c.BaseURL, c.StoreDir, c.NoStore, c.Note = "tok", hs.URL+"/api/", t.TempDir(), noStore, &bytes.Buffer{}
			c.Clock = func() time.Time { return acct.Now }
		})
		if err != nil {
			t.Fatal(err)
		}
		span := Last(7 * Day)
		api := Must(a.WebAPI(span))
		for _, key := range []string{"", acct.Planted.BurstKey, acct.Planted.SharedKeys[1]} {
			l, err := a.FloatingLicense(api, span, key, 0)
			if err != nil {
				t.Fatalf("noStore=%v, key %q: %v", noStore, key, err)
			}
			lic, _ := acct.License(l.Key)
			if l.Limit != lic.MaxNoOfMachines || l.LimitFrom != "the account's license list" {
				t.Errorf("noStore=%v, key %q: %+v; want the account's limit %d from its license list", noStore, key, l, lic.MaxNoOfMachines)
			}
		}
	}
}
