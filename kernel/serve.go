package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/sample"
)

func init() {
	register(command{
		name:    "serve",
		summary: "serve the sample account over a Cryptolens-compatible API",
		run:     runServe,
	})
}

// serveOptions are the serve command's flags.
type serveOptions struct {
	addr, token, end, faultKinds string
	rows, days                   int
	seed                         int64
	latency                      time.Duration
	faults                       float64
	public                       bool
	live                         liveFlags
}

// liveFlags are the flags that make the served account behave like a live
// one (sample.Live).
type liveFlags struct {
	every                 time.Duration
	webRows, events       int
	grants                []string
	missing, stall, echo  string
	stallAfter, echoAfter int
	trickle               time.Duration
}

// runServe generates the sample account and serves it until ctx ends.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseServe(args, stderr)
	if err != nil {
		return err
	}
	opt, faults, err := o.options()
	if err != nil {
		return err
	}
	live, err := o.live.options()
	if err != nil {
		return err
	}
	started := time.Now()
	acc := sample.Generate(opt)
	srv := sample.NewServer(acc, o.token)
	srv.SetFaults(faults)
	srv.SetLive(live)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.addr, err)
	}
	fmt.Fprintln(stdout, sampleSummary(acc, time.Since(started)))
	fmt.Fprintf(stdout, "serving http://%s/api/\n", ln.Addr())
	fmt.Fprintln(stdout, "token: the value of -token (not printed here); press Ctrl-C to stop")
	return serveUntilDone(ctx, ln, srv)
}

// parseServe reads the flags.
func parseServe(args []string, stderr io.Writer) (serveOptions, error) {
	var o serveOptions
	fs := newFlagSet("serve", stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:18080", "address to listen on (loopback unless -public)")
	fs.StringVar(&o.token, "token", "sample", "the fake access token clients of this sample server must send (the sample's own, not a secret: never pass a real Cryptolens token here)")
	fs.IntVar(&o.rows, "rows", sample.DefaultRows, "approximate Web API Log rows")
	fs.IntVar(&o.days, "days", sample.DefaultDays, "days of Web API history")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the sample account")
	fs.StringVar(&o.end, "end", "", "last day of the history, YYYY-MM-DD or RFC 3339 (default now)")
	fs.Float64Var(&o.faults, "faults", 0, "share of requests that fail, 0..1")
	fs.StringVar(&o.faultKinds, "fault-kinds", "", "comma-separated faults to inject (default all): "+faultNames())
	fs.DurationVar(&o.latency, "latency", 0, "delay every request by this long, as the real API over the internet does (e.g. 150ms)")
	fs.BoolVar(&o.public, "public", false, "allow listening on a non-loopback address")
	o.live.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if err := checkLoopback(o.addr, o.public); err != nil {
		return o, err
	}
	return o, nil
}

func faultNames() string {
	var names []string
	for _, f := range sample.AllFaults() {
		names = append(names, f.String())
	}
	return strings.Join(names, ", ")
}

// options turns the flags into generator options and faults.
func (o serveOptions) options() (sample.Options, sample.Faults, error) {
	opt := sample.Options{Seed: o.seed, Days: o.days, WebAPIRows: o.rows}
	f := sample.Faults{Rate: o.faults, Seed: o.seed, Latency: o.latency}
	switch {
	case o.rows <= 0:
		return opt, f, fmt.Errorf("%w: -rows %d: want a positive number of rows", errUsage, o.rows)
	case o.days <= 0:
		return opt, f, fmt.Errorf("%w: -days %d: want a positive number of days", errUsage, o.days)
	case o.latency < 0:
		return opt, f, fmt.Errorf("%w: -latency %v: want a duration of 0 or more", errUsage, o.latency)
	case o.faults < 0 || o.faults > 1:
		return opt, f, fmt.Errorf("%w: -faults %v: want a share between 0 and 1", errUsage, o.faults)
	}
	if o.end != "" {
		end, err := parseEnd(o.end)
		if err != nil {
			return opt, f, err
		}
		opt.End = end
	}
	for name := range strings.SplitSeq(o.faultKinds, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		k, err := sample.ParseFault(name)
		if err != nil {
			return opt, f, fmt.Errorf("%w: -fault-kinds: %v", errUsage, err)
		}
		f.Kinds = append(f.Kinds, k)
	}
	return opt, f, nil
}

// register adds the live-account flags to fs.
func (l *liveFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&l.every, "live-every", 0, "live account: new rows arrive every `DURATION` (ids increasing, times at now); 0 means none")
	fs.IntVar(&l.webRows, "live-webapi", 5, "live account: Web API rows that arrive each -live-every")
	fs.IntVar(&l.events, "live-events", 2, "live account: events that arrive each -live-every")
	fs.Func("grant", "also accept `TOKEN=Method+Method`, allowed only those methods (others answer \"Access denied\"); UsageAnalytics grants the five Usage Analytics methods; repeatable", func(s string) error {
		l.grants = append(l.grants, s)
		return nil
	})
	fs.StringVar(&l.missing, "missing", "", "methods the server does not have, comma-separated (`METHODS`, e.g. GetObjectLog,UsageAnalytics): they answer 404")
	fs.StringVar(&l.stall, "stall", "", "after -stall-after requests, hang every request: headers (nothing is ever sent) or trickle (a byte each -trickle)")
	fs.IntVar(&l.stallAfter, "stall-after", 0, "requests answered before -stall starts")
	fs.DurationVar(&l.trickle, "trickle", time.Second, "with -stall trickle, the time between two bytes")
	fs.StringVar(&l.echo, "echo", "", "after -echo-after requests, send the token back: `PLACE:SPELLING`, place message, redirect, header or field; spelling "+spellingNames())
	fs.IntVar(&l.echoAfter, "echo-after", 0, "requests answered before -echo starts")
}

func spellingNames() string {
	var names []string
	for _, s := range sample.AllSpellings() {
		names = append(names, s.String())
	}
	return strings.Join(names, ", ")
}

// options turns the live-account flags into a sample.Live.
func (l liveFlags) options() (sample.Live, error) {
	live := sample.Live{Every: l.every, WebAPIRows: l.webRows, Events: l.events,
		StallAfter: l.stallAfter, EchoAfter: l.echoAfter, TrickleEvery: l.trickle}
	switch {
	case l.every < 0 || l.trickle < 0:
		return live, fmt.Errorf("%w: -live-every and -trickle want a duration of 0 or more", errUsage)
	case l.webRows < 0 || l.events < 0 || l.stallAfter < 0 || l.echoAfter < 0:
		return live, fmt.Errorf("%w: -live-webapi, -live-events, -stall-after and -echo-after want 0 or more", errUsage)
	}
	for _, g := range l.grants {
		tok, methods, err := sample.ParseGrant(g)
		if err != nil {
			return live, fmt.Errorf("%w: -grant: %v", errUsage, err)
		}
		if live.Tokens == nil {
			live.Tokens = map[string][]string{}
		}
		live.Tokens[tok] = methods
	}
	var err error
	if live.Missing, err = sample.ParseMethods(l.missing); err != nil {
		return live, fmt.Errorf("%w: -missing: %v", errUsage, err)
	}
	if l.stall != "" {
		if live.Stall, err = sample.ParseStall(l.stall); err != nil {
			return live, fmt.Errorf("%w: -stall: %v", errUsage, err)
		}
	}
	if l.echo != "" {
		if live.Echo, err = sample.ParseEcho(l.echo); err != nil {
			return live, fmt.Errorf("%w: -echo: %v", errUsage, err)
		}
	}
	return live, nil
}

// parseEnd reads -end: a date means the last second of that day (UTC).
func parseEnd(s string) (time.Time, error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Add(24*time.Hour - time.Second), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: -end %q: want YYYY-MM-DD or RFC 3339", errUsage, s)
	}
	return t, nil
}

// checkLoopback refuses an address reachable from other machines unless
// public is set: the sample server has a well-known token.
func checkLoopback(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: -addr %q: %v", errUsage, addr, err)
	}
	if public {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w: -addr %q is not a loopback address; add -public to serve other machines", errUsage, addr)
}

// serveUntilDone serves on ln until ctx is cancelled, then shuts down,
// giving requests in flight a few seconds to finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	<-done
	return nil
}

// sampleSummary is serve's first line: what the sample account holds and
// how long making it took, e.g. "sample account: 103,412 Web API rows,
// 5,210 events, 1,187 object-log entries, 40 keys, ending 2026-11-05
// (made in 2 s)".
func sampleSummary(acc *sample.Account, took time.Duration) string {
	return fmt.Sprintf("sample account: %s Web API rows, %s events, %s object-log entries, %s keys, ending %s (made in %s)",
		format.Count(len(acc.WebAPI)), format.Count(len(acc.Events)), format.Count(len(acc.Objects)),
		format.Count(len(acc.Licenses)), format.Time(acc.Now), format.Duration(took))
}
