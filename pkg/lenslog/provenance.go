package lenslog

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// Environment variables through which the report runner and a notebook's
// cells talk: each cell is a fresh program, so what a load resolved is
// handed back in a file, and a replay's pins are handed in.
const (
	// EnvProvenance names a file every load appends one JSON line to (a
	// Read): what account, which window in absolute UTC, how many rows and
	// the highest id. The runner sets it and gathers the lines.
	EnvProvenance = "LENSLOG_PROVENANCE"
	// EnvNow pins the account's clock (RFC 3339) for spans such as
	// last-30d: a replay sets it to the original run's now.
	EnvNow = "LENSLOG_NOW"
	// EnvMaxIDs caps the rows read to those a snapshot had, e.g.
	// "webapi=120345,events=812,objects=77": a replay sets it, and the
	// store is then read as it is, without syncing.
	EnvMaxIDs = "LENSLOG_MAX_IDS"
)

// AccountInfo identifies the account a run read without revealing it: the
// sample account's options, or a live account's API URL and a fingerprint
// of URL and token (never the token).
type AccountInfo struct {
	Sample      bool      `json:"sample,omitempty"`
	Seed        int64     `json:"seed,omitempty"`        // the sample account's seed
	End         time.Time `json:"end,omitzero"`          // the sample account's last instant
	Rows        int       `json:"rows,omitempty"`        // the sample account's Web API rows
	URL         string    `json:"url,omitempty"`         // a live account's API base URL
	Fingerprint string    `json:"fingerprint,omitempty"` // cryptolens.Account.Short: 12 hex digits of SHA-256 over URL and token
	Store       string    `json:"store,omitempty"`       // "local store" or "read directly"
	Redacted    bool      `json:"redacted,omitempty"`    // identifiers were redacted on load
	Description string    `json:"description,omitempty"` // the line above in words
}

// String describes the account in one line, e.g. "sample account, seed 1,
// ending 2026-11-05 00:00 UTC" or "https://api.cryptolens.io/api/,
// account fingerprint 3f2a9c0d1e2b, local store".
func (a AccountInfo) String() string {
	if a.Sample {
		return fmt.Sprintf("sample account, seed %d, ending %s, size %d",
			a.Seed, a.End.UTC().Format("2006-01-02 15:04 UTC"), a.Rows)
	}
	s := fmt.Sprintf("%s, account fingerprint %s", a.URL, a.Fingerprint)
	if a.Store != "" {
		s += ", " + a.Store
	}
	return s
}

// liveAccountInfo describes a live account by its one identity
// (cryptolens.AccountOf): the API URL without user info and the short
// fingerprint, never the token.
func liveAccountInfo(c *cryptolens.Client) AccountInfo {
	a := c.Account()
	return AccountInfo{URL: a.URL, Fingerprint: a.Short()}
}

// Read is what one load resolved, as recorded for the report's provenance:
// the account, its now, the log, the span as written and as an absolute
// UTC window, the filter, the rows read and the highest id among them.
type Read struct {
	Account AccountInfo `json:"account"`
	Now     time.Time   `json:"now"`
	Log     string      `json:"log"` // webapi, events, objects, or a Usage Analytics table (usage_daily, ...)
	Span    string      `json:"span"`
	From    time.Time   `json:"from,omitzero"` // zero: the beginning
	To      time.Time   `json:"to,omitzero"`   // zero: up to now
	Filter  string      `json:"filter,omitempty"`
	Rows    int         `json:"rows"`             // rows read in the window, before the filter
	Kept    int         `json:"kept"`             // rows after the filter
	MaxID   int64       `json:"max_id,omitempty"` // the highest id read; 0 when none
	Cut     int64       `json:"cut,omitempty"`    // the replay's id cap, when one was applied
	Pinned  bool        `json:"pinned,omitempty"` // now and ids were pinned by a replay
	// NoData says, when the notebook's parameters named nothing (a product
	// without rows there, a key that made no request), what: the
	// NoDataError's message. A report lists such a notebook as "no data".
	NoData string `json:"no_data,omitempty"`
}

// Window returns the read's window.
func (r Read) Window() logs.Window { return logs.Window{From: r.From, To: r.To} }

// Pins are what a replay fixes: the account's now and, per log, the
// highest id to read. The zero value pins nothing.
type Pins struct {
	Now    time.Time
	MaxIDs map[string]int64 // by log name: webapi, events, objects, usage_daily, ...
}

// Pinned reports whether the pins fix anything.
func (p Pins) Pinned() bool { return !p.Now.IsZero() || p.MaxIDs != nil }

// Env returns the pins as the environment variables EnvNow and EnvMaxIDs.
func (p Pins) Env() []string {
	var env []string
	if !p.Now.IsZero() {
		env = append(env, EnvNow+"="+p.Now.UTC().Format(time.RFC3339Nano))
	}
	if p.MaxIDs != nil {
		var parts []string
		for _, l := range sortedKeys(p.MaxIDs) {
			parts = append(parts, l+"="+strconv.FormatInt(p.MaxIDs[l], 10))
		}
		env = append(env, EnvMaxIDs+"="+strings.Join(parts, ","))
	}
	return env
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// logNames are the names reads and pins use for the three logs and the
// Usage Analytics tables (whose reads are named for their table).
var logNames = []string{"webapi", "events", "objects",
	string(logstore.UsageDaily), string(logstore.UsageCountries), string(logstore.UsageSummaries),
	string(logstore.UsageDevices), string(logstore.UsageBuckets),
	string(logstore.InventoryProducts), string(logstore.InventoryLicenses), string(logstore.InventoryMachines),
	string(logstore.InventoryCustomers), inventoryChangesName}

func isLogName(s string) bool {
	for _, n := range logNames {
		if n == s {
			return true
		}
	}
	return false
}

// record appends r to the provenance file, if one is named. A failure to
// record is reported, not hidden: a report without its provenance would
// claim less than it should.
func record(path string, r Read) error {
	if path == "" {
		return nil
	}
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("record provenance: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("record provenance: %w", err)
	}
	return nil
}

// ReadProvenance reads the reads recorded in the file at path, in order,
// with repeats dropped: GoNB runs a notebook's declarations again in every
// cell, so one load is recorded once per cell. A missing file is no reads.
func ReadProvenance(path string) ([]Read, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var reads []Read
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var r Read
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("provenance %s line %d: %w", path, n, err)
		}
		if k := string(sc.Bytes()); !seen[k] {
			seen[k] = true
			reads = append(reads, r)
		}
	}
	return reads, sc.Err()
}

// MaxIDs returns, per log, the highest id the reads saw: the pins that
// replay them. A log that was read but had no rows is pinned at 0.
func MaxIDs(reads []Read) map[string]int64 {
	if len(reads) == 0 {
		return nil
	}
	m := map[string]int64{}
	for _, r := range reads {
		m[r.Log] = max(m[r.Log], r.MaxID)
	}
	return m
}
