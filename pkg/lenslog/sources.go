package lenslog

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// sampleSource serves the built-in sample account from memory.
type sampleSource struct {
	acct    *sample.Account
	opt     sample.Options
	pinned  time.Time // a replay's now; zero: the end of the history
	ignored string    // a token file found but not read (see Config.IgnoredTokenFile)

	usageOnce sync.Once     // the Usage Analytics tables are derived once (usage.go)
	usageRows *sample.Usage // what usageOnce derived
	inventory snapshotOnce  // the inventory snapshot read (inventory.go)
}

func newSampleSource(opt sample.Options, pinned time.Time, ignored string) *sampleSource {
	acct := sample.Generate(opt)
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	opt.End = acct.Now
	if opt.WebAPIRows <= 0 {
		opt.WebAPIRows = sample.DefaultRows // what regenerates it, not the rows it happened to get
	}
	return &sampleSource{acct: acct, opt: opt, pinned: pinned, ignored: ignored}
}

func (s *sampleSource) info() AccountInfo {
	return AccountInfo{Sample: true, Seed: s.opt.Seed, End: s.opt.End, Rows: s.opt.WebAPIRows}
}

func (s *sampleSource) describe() string {
	d := fmt.Sprintf("the built-in sample account (%s Web API rows, history ending %s); set %s or %s for your own",
		format.Count(len(s.acct.WebAPI)), s.acct.Now.UTC().Format("2006-01-02 15:04 UTC"), EnvToken, EnvTokenFile)
	if s.ignored != "" {
		d += fmt.Sprintf(" (%s is not read in a notebook: set %s=%s, or run `kernel report` in its folder, to use it)",
			s.ignored, EnvTokenFile, s.ignored)
	}
	return d
}

func (s *sampleSource) now() time.Time {
	if !s.pinned.IsZero() {
		return s.pinned
	}
	return s.acct.Now
}

func (s *sampleSource) licenses() []cryptolens.License {
	keys := s.acct.FloatingKeys()
	out := make([]cryptolens.License, len(keys))
	for i, k := range keys {
		out[i] = k.License
	}
	return out
}

// inWindow returns the rows that fall in w: a subslice when they are one
// run, as they are in time-ordered logs, else a filtered copy.
func inWindow[R cryptolens.Row](rows []R, w logs.Window) []R {
	first, last, n := len(rows), 0, 0
	for i, r := range rows {
		if w.Contains(r.RowTime()) {
			first, last, n = min(first, i), i+1, n+1
		}
	}
	switch n {
	case 0:
		return nil
	case last - first:
		return rows[first:last]
	}
	out := make([]R, 0, n)
	for _, r := range rows[first:last] {
		if w.Contains(r.RowTime()) {
			out = append(out, r)
		}
	}
	return out
}

// liveClock is what the two live sources share: the account's identity
// and its clock, Config.Clock unless a replay pinned it.
type liveClock struct {
	info   AccountInfo
	pinned time.Time
	clock  func() time.Time
}

func (c liveClock) now() time.Time {
	if !c.pinned.IsZero() {
		return c.pinned
	}
	if c.clock == nil {
		return time.Now().UTC()
	}
	return c.clock().UTC()
}

// storeSource syncs what is new into the local store, then loads from it.
type storeSource struct {
	liveClock
	client    *cryptolens.Client
	store     *logstore.Store
	desc      string
	noSync    bool         // a replay reads the store as it is
	inventory snapshotOnce // the inventory snapshot read (inventory.go)
}

func (s *storeSource) describe() string               { return s.desc }
func (s *storeSource) info() AccountInfo              { return s.liveClock.info }
func (s *storeSource) licenses() []cryptolens.License { return nil }

// sync brings one log up to date for window w, unless a replay pinned the
// ids to read.
func (s *storeSource) sync(ctx context.Context, log logstore.Log, w logs.Window) error {
	if s.noSync {
		return nil
	}
	_, err := s.store.Sync(ctx, s.client, logstore.SyncOptions{
		Logs: []logstore.Log{log}, Since: w.From, Progress: showProgress(),
	})
	return err
}

// apiSource reads the API directly each time, keeping nothing on disk.
type apiSource struct {
	liveClock
	client    *cryptolens.Client
	desc      string
	inventory snapshotOnce // the inventory snapshot read (inventory.go)
}

func (s *apiSource) describe() string               { return s.desc + ", not stored" }
func (s *apiSource) info() AccountInfo              { return s.liveClock.info }
func (s *apiSource) licenses() []cryptolens.License { return nil }
