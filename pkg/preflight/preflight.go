// Package preflight checks, in seconds, what lenslog's settings reach
// before anything long starts: which account (the sample, or a live
// account's URL and fingerprint), which API methods its token may call,
// and what the local store holds. `kernel doctor` prints the whole check;
// `kernel run` and `kernel report` make it first and stop, in one
// sentence, when the token cannot read the logs.
package preflight

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/lenslog"
)

// Method is one API method the check probes: what it reads, the
// permission a token needs to call it, and whether lenslog can do without.
type Method struct {
	Name       string // the API's name, e.g. "GetWebAPILog"
	Reads      string // what it reads, e.g. "the Web API Log"
	Permission string // the access token permission that allows it, as the dashboard names it
	// Optional is true for a method that only some notebooks need: its
	// absence is a warning, not a stop.
	Optional bool
	probe    func(ctx context.Context, c *cryptolens.Client) error
}

// Methods are the methods the check probes, one request each with the
// smallest page the method allows (product/GetKeys has no page size: one
// page of 99 licenses at most).
var Methods = []Method{
	{"GetWebAPILog", "the Web API Log", "Get Web API Log", false, func(ctx context.Context, c *cryptolens.Client) error {
		_, err := c.WebAPILog(ctx, cryptolens.WebAPILogQuery{Limit: 1})
		return err
	}},
	{"GetEvents", "the Events Log", "Get Events", false, func(ctx context.Context, c *cryptolens.Client) error {
		_, err := c.Events(ctx, cryptolens.EventsQuery{Limit: 1})
		return err
	}},
	{"GetObjectLog", "the Object Log", "Get Object Log", false, func(ctx context.Context, c *cryptolens.Client) error {
		_, err := c.ObjectLog(ctx, cryptolens.ObjectLogQuery{Limit: 1})
		return err
	}},
	{"GetDailyAggregates", "Usage Analytics (notebook 09)", cryptolens.UsagePermission, true, func(ctx context.Context, c *cryptolens.Client) error {
		_, err := c.DailyAggregates(ctx, cryptolens.DailyAggregatesQuery{UsageRange: cryptolens.UsageRange{Limit: 1}})
		return err
	}},
	{"GetProducts", "the products (notebooks 12-14)", cryptolens.PermissionGetProducts, true, func(ctx context.Context, c *cryptolens.Client) error {
		_, err := c.Products(ctx)
		return err
	}},
	{"GetKeys", "the licenses and their machines (notebooks 12-14; the real seat limit in 04)", cryptolens.PermissionGetKeys, true,
		func(ctx context.Context, c *cryptolens.Client) error {
			_, err := c.Keys(ctx, cryptolens.KeysQuery{Page: 1, SearchQuery: ""})
			return err
		}},
	{"GetCustomers", "the customers (notebooks 12-14)", cryptolens.PermissionGetCustomers, true, func(ctx context.Context, c *cryptolens.Client) error {
		_, err := c.Customers(ctx, cryptolens.CustomersQuery{Limit: 1})
		return err
	}},
}

// Where tells the user where tokens and permissions are set.
const Where = `the README's "Your own account" section`

// Probe is what one method answered.
type Probe struct {
	Method Method
	Err    error // nil when the token may call it
	Took   time.Duration
}

// Result is what the settings reach.
type Result struct {
	Sample      bool
	URL         string  // a live account's API URL, without user info
	Fingerprint string  // a live account's fingerprint, as the provenance records it
	TokenFrom   string  // where the token came from, e.g. "$CRYPTOLENS_TOKEN"
	Probes      []Probe // empty for the sample account
}

// Account describes the account in one line.
func (r Result) Account() string {
	if r.Sample {
		return "the built-in sample account (no access token is set; see " + Where + " to read yours)"
	}
	return fmt.Sprintf("%s, account fingerprint %s, token from %s", r.URL, r.Fingerprint, r.TokenFrom)
}

// Check resolves the account of cfg and, for a live one, probes each
// method once, all within timeout.
func Check(ctx context.Context, cfg lenslog.Config, timeout time.Duration) (Result, error) {
	if cfg.UseSample || cfg.Token == "" {
		if cfg.BaseURL != "" && !cfg.UseSample {
			return Result{}, fmt.Errorf("an API URL is set (%s) but no access token was found: set $%s or $%s (see %s)",
				stripUserinfo(cfg.BaseURL), lenslog.EnvToken, lenslog.EnvTokenFile, Where)
		}
		return Result{Sample: true}, nil
	}
	c, err := cfg.Client()
	if err != nil {
		return Result{}, err
	}
	r := Result{URL: stripUserinfo(c.BaseURL), Fingerprint: lenslog.Fingerprint(c.BaseURL, cfg.Token), TokenFrom: cfg.TokenFrom}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r.Probes = make([]Probe, len(Methods))
	done := make(chan struct{}, len(Methods))
	for i, m := range Methods { // at the same time: the check takes as long as the slowest
		go func() {
			start := time.Now()
			err := m.probe(ctx, c)
			r.Probes[i] = Probe{Method: m, Err: err, Took: time.Since(start)}
			done <- struct{}{}
		}()
	}
	for range Methods {
		<-done
	}
	return r, nil
}

// Stop returns, in one sentence, why a run must not start: the token is
// refused, or may not read a log every notebook needs, or the server does
// not answer. nil when every method that is not optional answered.
func (r Result) Stop() error {
	for _, p := range r.Probes {
		if p.Err != nil && !p.Method.Optional {
			return errors.New(r.problem(p))
		}
	}
	return nil
}

// Warnings says, one line each, which optional methods the token may not
// call and what does without them; none when the run stops anyway.
func (r Result) Warnings() []string {
	if r.Stop() != nil {
		return nil
	}
	var w []string
	for _, p := range r.Probes {
		if p.Err != nil && p.Method.Optional {
			w = append(w, r.problem(p))
		}
	}
	return w
}

// problem says what is wrong with one probe and what to do about it.
func (r Result) problem(p Probe) string {
	m := p.Method
	switch {
	case errors.Is(p.Err, cryptolens.ErrUnauthenticated):
		return fmt.Sprintf("the access token from %s is not accepted by %s (%s answered %q): set a valid token as %s says", r.TokenFrom, r.URL, m.Name, "unable to authenticate", Where)
	case errors.Is(p.Err, cryptolens.ErrAccessDenied):
		return fmt.Sprintf("the access token may not call %s, so lenslog cannot read %s: give the token the %q permission (see %s)", m.Name, m.Reads, m.Permission, Where)
	case errors.Is(p.Err, cryptolens.ErrNoSubscription):
		return fmt.Sprintf("the account has no active subscription, so %s answers no data: %v", m.Name, p.Err)
	case errors.Is(p.Err, context.DeadlineExceeded), errors.Is(p.Err, cryptolens.ErrTransient):
		return fmt.Sprintf("%s did not answer %s in time: %v (is the URL right, and the server up?)", r.URL, m.Name, p.Err)
	}
	return fmt.Sprintf("%s failed, so lenslog cannot read %s: %v", m.Name, m.Reads, p.Err)
}

// stripUserinfo drops user:password@ from a URL, so that what is shown
// never holds a proxy's credentials.
func stripUserinfo(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = nil
	return u.String()
}

// Write prints the check for a person: the account, each method with
// ok or what to fix, and the warnings.
func (r Result) Write(w io.Writer) {
	fmt.Fprintf(w, "account: %s\n", r.Account())
	for _, p := range r.Probes {
		if p.Err == nil {
			fmt.Fprintf(w, "  ok   %-20s %s (%s)\n", p.Method.Name, p.Method.Reads, format.Duration(p.Took))
			continue
		}
		mark := "FAIL"
		if p.Method.Optional {
			mark = "warn"
		}
		fmt.Fprintf(w, "  %s %-20s %s\n", mark, p.Method.Name, r.problem(p))
	}
}

// Timeout bounds the check run and report make first.
const Timeout = 10 * time.Second

// Gate is the check run and report make before building or starting
// anything: a token that cannot read the logs stops them with one
// sentence; a missing optional permission is a warning, written to w.
func Gate(ctx context.Context, cfg lenslog.Config, w io.Writer) error {
	r, err := Check(ctx, cfg, Timeout)
	if err != nil {
		return err
	}
	if err := r.Stop(); err != nil {
		return fmt.Errorf("%w (no notebook was run; `go run ./kernel doctor` shows the whole check)", err)
	}
	for _, s := range r.Warnings() {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
	return nil
}

// Doctor writes the whole check to w: the account, each method, the
// store's state. It fails, saying what to fix, when a run would stop or
// the store is damaged.
func Doctor(ctx context.Context, cfg lenslog.Config, timeout time.Duration, w io.Writer) error {
	r, err := Check(ctx, cfg, timeout)
	if err != nil {
		return err
	}
	r.Write(w)
	st, err := Store(cfg)
	switch {
	case err != nil:
		fmt.Fprintf(w, "store: %v\n", err)
	case st != nil:
		fmt.Fprintln(w, st)
		if st.Damage != nil {
			return errors.New("the store is damaged: run go run ./kernel sync -repair")
		}
	}
	if err := r.Stop(); err != nil {
		return fmt.Errorf("a run would stop: %w", err)
	}
	fmt.Fprintln(w, "ready: go run ./kernel report")
	return nil
}
