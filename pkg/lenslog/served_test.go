package lenslog

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// served is a sample account behind the sample server, for the tests that
// read the same tables from the sample itself, through a store synced
// from the server, and from the server's API directly.
type served struct {
	opt sample.Options
	srv *sample.Server
	url string
}

// servedToken is the served account's full token; logsOnlyToken one that
// may read the three logs and nothing else (no message may show it).
const (
	servedToken   = "tok"
	logsOnlyToken = "logs-only-canary"
)

// serveSample serves the sample account of opt until the test ends.
func serveSample(t *testing.T, opt sample.Options) *served {
	t.Helper()
	clearEnv(t)
	srv := sample.NewServer(sample.Generate(opt), servedToken)
	srv.AddLogOnlyToken(logsOnlyToken)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &served{opt: opt, srv: srv, url: hs.URL + "/api/"}
}

// sample opens the same account in memory, without the server.
func (s *served) sample(t *testing.T) *Account {
	t.Helper()
	a, err := openWith(t, func(c *Config) {
		c.UseSample, c.Sample = true, s.opt
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// open opens the served account with token at the sample's last day,
// through a store in dir, or from the API directly when dir is "".
func (s *served) open(t *testing.T, token, dir string) *Account {
	t.Helper()
	a, err := openWith(t, func(c *Config) {
		c.Token, c.BaseURL = cryptolens.Token(token), s.url
		c.StoreDir, c.NoStore = dir, dir == ""
		c.Clock = func() time.Time { return s.opt.End }
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// eachSource runs check as a subtest on the served account read through
// a fresh store ("store", with its folder) and directly ("api", dir "").
func (s *served) eachSource(t *testing.T, check func(t *testing.T, dir string)) {
	t.Helper()
	t.Run("store", func(t *testing.T) { check(t, t.TempDir()) })
	t.Run("api", func(t *testing.T) { check(t, "") })
}

// checkWithoutPermission checks, from every source, that a token that may
// read the logs only still loads them, and that load then fails with a
// *PermissionError naming permission, without showing the token.
func checkWithoutPermission(t *testing.T, permission string, load func(a *Account) error) {
	t.Helper()
	s := serveSample(t, sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 5000})
	s.eachSource(t, func(t *testing.T, dir string) {
		a := s.open(t, logsOnlyToken, dir)
		if _, err := a.WebAPI(Last(Day)); err != nil {
			t.Fatalf("the logs do not load: %v", err)
		}
		err := load(a)
		var pe *PermissionError
		if !errors.As(err, &pe) || pe.Permission != permission || !errors.Is(err, cryptolens.ErrAccessDenied) {
			t.Fatalf("%v, want a *PermissionError for %s", err, permission)
		}
		if msg := err.Error(); !strings.Contains(msg, `"`+permission+`" permission`) || strings.Contains(msg, "canary") {
			t.Errorf("message %q", msg)
		}
	})
}

// plainAndRedacted opens the same sample account twice, as it is and
// redacted, for the tests that compare what redaction left.
func plainAndRedacted(t *testing.T) (plain, red *Account) {
	t.Helper()
	clearEnv(t)
	t.Setenv(EnvSampleEnd, "2026-11-01")
	t.Setenv(EnvSampleRows, "20000")
	plain, err := openWith(t, func(c *Config) { c.Note = &bytes.Buffer{} })
	if err != nil {
		t.Fatal(err)
	}
	red, err = openWith(t, func(c *Config) { c.Redact, c.Note = true, &bytes.Buffer{} })
	if err != nil {
		t.Fatal(err)
	}
	return plain, red
}
