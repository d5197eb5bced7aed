package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/nb"
)

func init() {
	register(command{
		name:    "sync",
		summary: "fetch new log rows into the local store",
		run:     runSync,
	})
}

// syncDefaultTimeout bounds a whole sync unless -timeout says otherwise:
// far more than a first sync of a large account takes, far less than
// "forever" for a server that stalls.
const syncDefaultTimeout = 30 * time.Minute

// syncDefaultSince is how far back a sync makes the store complete unless
// -since says otherwise: the 30 days the Events and Object logs are kept.
const syncDefaultSince = 720 * time.Hour

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sync", stderr)
	baseURL := fs.String("url", "", "API base `URL` (default $"+lenslog.EnvAPIURL+", else "+cryptolens.DefaultBaseURL+")")
	tokenFile := fs.String("token-file", "", "read the access token from `FILE`: the token alone, or JSON as in "+cryptolens.TokenFile+" (default $"+lenslog.EnvToken+", else $"+lenslog.EnvTokenFile+", else "+cryptolens.TokenFile+")")
	fs.String("token", "", "refused: a token in the arguments shows in ps to every user; use $"+lenslog.EnvToken+" or -token-file")
	dir := fs.String("store", "", "store `DIR` (default $"+lenslog.EnvStore+", else a per-account folder in the user's cache folder)")
	which := fs.String("log", "all", "which `LOG` to sync: webapi, events, objects or all")
	since := fs.Duration("since", syncDefaultSince, "make the Web API and Events logs complete back this far (`DURATION`); 0 means the whole history")
	repair := fs.Bool("repair", false, "check every stored segment first and re-fetch damaged ones; exits 1 if rows could not be recovered")
	rebind := fs.Bool("rebind", false, "the token (or URL) is new but the account is the one the store holds: record it instead of refusing")
	usage := fs.Bool("usage", true, "with -log all, also sync the Usage Analytics tables; a token without that permission skips them with a note")
	inventory := fs.Bool("inventory", true, "with -log all, also keep a snapshot of the products, licenses (with their machines) and customers; a table the token may not read is skipped with a note")
	maxRows := fs.Int("max-rows", logstore.DefaultMaxRows, "stop a log's sync after this many new `ROWS` (the rest comes with the next sync)")
	timeout := fs.Duration("timeout", syncDefaultTimeout, "stop the whole sync after this long (`DURATION`; the rows fetched are kept, the next sync goes on); 0 means no bound")
	workers := fs.Int("workers", logstore.DefaultWorkers, "a first sync fetches this many time slices of a log's history at once (`N`; 1: one page after another)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel sync [-url URL] [-token-file FILE] [-store DIR] [-log webapi|events|objects|all] [-since 720h] [-repair] [-rebind] [-usage=false] [-inventory=false] [-max-rows N] [-timeout 30m] [-workers 4]")
		fmt.Fprintln(stderr, "\nFetches what is new in the Cryptolens logs into the local store and prints one line per log.")
		fmt.Fprintln(stderr, "A log or table the token may not read (\"Access denied\") or the server does not have (404) is skipped with a note.")
		fmt.Fprintln(stderr, "Exit status: 0 all synced; 3 synced all this token may read, but skipped some or dropped rows the source sent (named); 1 failure; 2 usage error.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if isSet(fs, "token") {
		return fmt.Errorf("%w: -token is refused: a token in the arguments shows in ps to every user of the machine; set $%s or pass -token-file FILE",
			errUsage, lenslog.EnvToken)
	}
	logs, err := parseLogs(*which)
	if err != nil {
		return err
	}
	if *since < 0 {
		return fmt.Errorf("%w: -since %v is negative", errUsage, *since)
	}
	c, store, err := openSyncTarget(*baseURL, *tokenFile, *dir, stderr)
	if err != nil {
		return err
	}
	if *timeout < 0 {
		return fmt.Errorf("%w: -timeout %v is negative", errUsage, *timeout)
	}
	if *workers < 1 {
		return fmt.Errorf("%w: -workers %d; want 1 or more", errUsage, *workers)
	}
	opt := logstore.SyncOptions{Logs: logs, Progress: syncProgress(stderr), Rebind: *rebind, MaxRows: *maxRows, Timeout: *timeout,
		Workers: *workers}
	if *since > 0 {
		opt.Since = time.Now().Add(-*since)
	}
	var lost error
	if *repair {
		if lost, err = runRepair(ctx, store, c, *rebind, stdout); err != nil {
			return err
		}
	}
	started := time.Now()
	results, err := store.Sync(ctx, c, opt)
	refused, err := logstore.SplitRefused(err)
	var skipped, dropped []string
	for _, r := range results {
		if slices.ContainsFunc(refused, func(e *logstore.LogError) bool { return e.Log == r.Log }) {
			continue
		}
		fmt.Fprintln(stdout, r)
		if r.Dropped.Any() {
			dropped = append(dropped, string(r.Log))
		}
	}
	for _, e := range refused {
		fmt.Fprintf(stderr, "%s not synced: %v\n", e.Log, e.Err)
		skipped = append(skipped, string(e.Log))
	}
	if len(refused) == len(logs) && err == nil {
		return fmt.Errorf("no log synced: the token may read none of %s here (see above)", strings.Join(skipped, ", "))
	}
	if *usage && (*which == "all" || *which == "") && err == nil {
		var usageSkipped bool
		usageSkipped, err = syncUsage(ctx, store, c, logstore.UsageSyncOptions{Progress: opt.Progress, Timeout: remaining(started, *timeout)}, stdout, stderr)
		if usageSkipped {
			skipped = append(skipped, "Usage Analytics")
		}
	}
	if *inventory && (*which == "all" || *which == "") && err == nil {
		var skippedTables []string
		skippedTables, err = syncInventory(ctx, store, c, stdout, stderr)
		skipped = append(skipped, skippedTables...)
	}
	if err = errors.Join(err, lost); err != nil {
		return err
	}
	return partlySynced(skipped, dropped)
}

// partlySynced is the outcome of a sync that fetched all it could: nil, or
// errSkipped (exit status 3) saying what the store does not hold of what
// the source has or sent: logs or tables the token may not read, and rows
// of the logs dropped (null rows, repeated ids), each named above.
func partlySynced(skipped, dropped []string) error {
	var parts []string
	if len(skipped) > 0 {
		parts = append(parts, "skipped "+strings.Join(skipped, ", "))
	}
	if len(dropped) > 0 {
		parts = append(parts, "did not store some rows the source sent of "+strings.Join(dropped, ", ")+
			" (counted in _dropped.json for data health)")
	}
	if len(parts) == 0 {
		return nil
	}
	return fmt.Errorf("%w: synced all this token may read; %s (see above)", errSkipped, strings.Join(parts, "; "))
}

// syncUsage syncs the Usage Analytics tables, showing progress as the
// logs' sync does, and prints one line per table. A token without the
// "Usage Analytics" permission is common (it is a permission of its own),
// and a server may lack the methods: the tables are then skipped with a
// note, and skipped is true.
func syncUsage(ctx context.Context, store *logstore.Store, c *cryptolens.Client, opt logstore.UsageSyncOptions,
	stdout, stderr io.Writer) (skipped bool, err error) {
	results, err := store.SyncUsageWith(ctx, c, opt)
	for _, r := range results {
		if r.Fetched > 0 || r.Rows > 0 || err == nil {
			fmt.Fprintln(stdout, r)
		}
	}
	if logstore.Refused(err) {
		fmt.Fprintf(stderr, "Usage Analytics not synced: %v\n", err)
		return true, nil
	}
	return false, err
}

// syncInventory keeps a snapshot of the inventory and prints one line
// saying what it holds; each table the token may not read (a permission of
// its own per method) or the server does not have is named on stderr and
// returned.
func syncInventory(ctx context.Context, store *logstore.Store, c *cryptolens.Client, stdout, stderr io.Writer) (skipped []string, err error) {
	snap, err := store.SyncSnapshot(ctx, c, time.Now())
	if err != nil {
		return nil, err
	}
	for _, t := range logstore.AllInventoryTables() {
		if why, ok := snap.Skipped[t]; ok {
			fmt.Fprintf(stderr, "inventory %s not kept: %s\n", t, why)
			skipped = append(skipped, "inventory "+string(t))
		}
	}
	if len(skipped) < len(logstore.AllInventoryTables()) {
		fmt.Fprintln(stdout, snap)
	}
	return skipped, nil
}

// runRepair repairs the store and prints the report. lost is an error
// when rows could not be recovered: the command still syncs, then exits 1.
// With rebind the store first records c's account.
func runRepair(ctx context.Context, store *logstore.Store, c *cryptolens.Client, rebind bool, stdout io.Writer) (lost, err error) {
	if rebind {
		if err := store.Rebind(ctx, c); err != nil {
			return nil, err
		}
	}
	rep, err := store.Repair(ctx, c)
	fmt.Fprint(stdout, rep)
	if err != nil {
		return nil, err
	}
	if rep.Lost() {
		lost = errors.New("repair: some rows could not be recovered (the source no longer has them); " +
			"the manifest records them as gaps")
	}
	return lost, nil
}

// parseLogs reads the -log flag.
func parseLogs(s string) ([]logstore.Log, error) {
	if s == "all" || s == "" {
		return logstore.AllLogs(), nil
	}
	var out []logstore.Log
	for _, part := range strings.Split(s, ",") {
		l, err := logstore.ParseLog(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("%w: -log: %v", errUsage, err)
		}
		out = append(out, l)
	}
	return out, nil
}

// openSyncTarget resolves the account as notebooks do (lenslog's
// ConfigFromEnv), with the flags on top, builds the client and opens the
// store. It says on stderr where the token came from, never the token.
func openSyncTarget(baseURL, tokenFile, dir string, stderr io.Writer) (*cryptolens.Client, *logstore.Store, error) {
	cfg, err := flagConfig(baseURL, tokenFile, dir)
	if err != nil {
		return nil, nil, err
	}
	if cfg.NoStore {
		return nil, nil, fmt.Errorf("%w: $%s=off keeps no store: give -store DIR", errUsage, lenslog.EnvStore)
	}
	c, err := cfg.Client()
	if errors.Is(err, cryptolens.ErrNoToken) {
		return nil, nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if err != nil {
		return nil, nil, err
	}
	if dir, err = cfg.StoreFolder(); err != nil {
		return nil, nil, err
	}
	store, err := openUpgrading(dir, stderr)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(stderr, "syncing %s into %s (token from %s)\n", c.Account().URL, dir, cfg.TokenFrom)
	return c, store, nil
}

// openUpgrading opens the store in dir; when it was written by an older
// lenslog, whose segments Open rewrites once, it says so on one line of
// stderr, before (what is rewritten) and after (how long it took), as a
// notebook's load does.
func openUpgrading(dir string, stderr io.Writer) (*logstore.Store, error) {
	u, due := logstore.PendingUpgrade(dir)
	due = due && u.Segments > 0 // an empty store's upgrade is a file rewritten, not worth a line
	if due {
		fmt.Fprint(stderr, u.Doing()+" ")
	}
	store, err := logstore.Open(dir)
	switch {
	case !due:
	case err != nil:
		fmt.Fprintln(stderr, "failed")
	default:
		fmt.Fprintln(stderr, store.Upgraded().Result())
	}
	return store, err
}

// flagConfig resolves the account as notebooks do (lenslog's
// ConfigFromEnv), with the -url, -token-file and -store flags on top.
func flagConfig(baseURL, tokenFile, dir string) (lenslog.Config, error) {
	cfg, err := lenslog.ConfigFromEnv()
	if err != nil {
		return cfg, err
	}
	if tokenFile != "" {
		if cfg.Token, cfg.TokenFrom, err = cryptolens.ReadTokenFile(tokenFile); err != nil {
			return cfg, err
		}
	}
	if baseURL != "" {
		cfg.BaseURL = baseURL
	}
	if dir != "" {
		cfg.StoreDir, cfg.NoStore = dir, false
	}
	return cfg, nil
}

// terminalProgress draws a progress line per log when stderr is a terminal.
func terminalProgress(stderr io.Writer) func(logs.Progress) {
	if f, ok := stderr.(*os.File); ok {
		return nb.TerminalProgress(f)
	}
	return nil
}

// syncProgress draws the progress lines on a terminal; elsewhere (a file,
// a pipe, a script) it writes only the waits, a line each, at most one per
// log every waitNoteEvery, so a stalled or throttled sync still says what
// it waits for and how long.
func syncProgress(stderr io.Writer) func(logs.Progress) {
	if p := terminalProgress(stderr); p != nil {
		return p
	}
	said := map[string]time.Time{}
	return func(p logs.Progress) {
		if p.Waiting <= 0 || time.Since(said[p.Log]) < waitNoteEvery {
			return
		}
		said[p.Log] = time.Now()
		fmt.Fprintf(stderr, "%s: waiting %s: %s\n", p.Log, format.Duration(p.Waiting), p.WaitReason)
	}
}

// remaining is what is left of a -timeout bound started at start: at
// least a millisecond, so a spent bound stops at once rather than meaning
// "no bound"; 0 when there is no bound.
func remaining(start time.Time, bound time.Duration) time.Duration {
	if bound <= 0 {
		return 0
	}
	return max(bound-time.Since(start), time.Millisecond)
}

// waitNoteEvery spaces the lines syncProgress writes about one log's waits.
var waitNoteEvery = 10 * time.Second

// isSet reports whether the flag name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
