package lenslog

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/nb"
	"github.com/lenslog/lenslog/pkg/sample"
)

// Environment variables ConfigFromEnv reads. This file is the only place
// in lenslog's libraries that reads the environment (a test checks it).
const (
	EnvToken      = "CRYPTOLENS_TOKEN"    // the access token
	EnvTokenFile  = "LENSLOG_TOKEN_FILE"  // a file holding it (the token alone, or JSON as in apitokens.json)
	EnvAPIURL     = "CRYPTOLENS_API_URL"  // the API base URL (a license server, a proxy, the sample server)
	EnvSampleEnd  = "LENSLOG_SAMPLE_END"  // the sample account's last day, YYYY-MM-DD
	EnvSampleRows = "LENSLOG_SAMPLE_ROWS" // the sample account's Web API rows
	EnvRedact     = "LENSLOG_REDACT"      // "1" to redact identifiers
	EnvRedactKey  = "LENSLOG_REDACT_KEY"  // hex secret for pseudonyms
	EnvStore      = "LENSLOG_STORE"       // store folder; "off" reads the API directly
	EnvExportDir  = "LENSLOG_EXPORT_DIR"  // the folder a report's tables are exported to (see Export)
)

// Config is every setting that decides which account Open opens and how.
// It is resolved once, at the edge (ConfigFromEnv, then a command's flags
// on top), and passed down as a value: nothing below reads the
// environment. OpenConfig opens exactly what it says.
type Config struct {
	// Token is the access token; "" opens the sample account.
	Token cryptolens.Token
	// TokenFrom says where Token came from (never the token itself), e.g.
	// "$CRYPTOLENS_TOKEN"; the note Open prints repeats it.
	TokenFrom string
	// IgnoredTokenFile names a token file that was found but, by the
	// rules of ConfigFromEnv, not used (apitokens.json beside a
	// notebook); the note says so, so the choice is never silent.
	IgnoredTokenFile string
	// BaseURL is the API base URL; "" means cryptolens.DefaultBaseURL.
	// Set without a Token, it is an error: live data was wanted.
	BaseURL string
	// StoreDir is the local store; "" means the per-account folder in the
	// user's cache folder (logstore.DefaultDir).
	StoreDir string
	// NoStore reads the API directly and keeps nothing on disk.
	NoStore bool
	// UseSample opens the sample account even when Token is set.
	UseSample bool
	// Sample is the sample account's options; a zero End means today (by
	// Clock).
	Sample sample.Options
	// Redact redacts identifiers as data is loaded.
	Redact bool
	// RedactKey keys the pseudonyms; nil means the notebook session's key
	// (kept in SessionDir) or, without one, a random key for this process.
	RedactKey []byte
	// SessionDir is a folder private to one notebook session (GoNB's
	// $GONB_TMP_DIR, removed when the kernel ends), where the cells of a
	// session agree on a redaction key and on what was said once. ""
	// means none: every program is its own session.
	SessionDir string
	// Pins fix the account's now and the highest id read per log, as a
	// replay of a recorded run does. With ids pinned the store is read as
	// it is, without syncing.
	Pins Pins
	// Provenance names the file each load records itself in; "" nowhere.
	Provenance string
	// ExportDir is the folder Export writes a report's tables to, beside
	// its page; "" writes none.
	ExportDir string
	// PlotDir, from $LENSLOG_PLOT_DIR (nb.PlotDirEnv), is where nb.Plot
	// and nb.SVG write each chart outside a notebook once an account is
	// opened (nb.SetPlotDir); "" only describes it.
	PlotDir string
	// Clock is a live account's "now" (unless Pins fix it) and the
	// default end of the sample; nil means time.Now.
	Clock func() time.Time
	// Note receives the line saying which source was opened, and the one
	// saying a store written by an older lenslog is being upgraded; nil
	// means stderr, or in a notebook a quiet line once per session (the
	// upgrade: the status line a sync's progress shows on).
	Note io.Writer
	// Context bounds every request; nil means context.Background().
	Context context.Context
}

// ConfigFromEnv resolves the settings of the environment and working
// directory: the variables above, the replay's LENSLOG_NOW and
// LENSLOG_MAX_IDS, LENSLOG_PROVENANCE, LENSLOG_PLOT_DIR and GoNB's
// session folder.
//
// The token comes from $CRYPTOLENS_TOKEN, else the file $LENSLOG_TOKEN_FILE
// names, else (outside a notebook only) apitokens.json in the working
// directory. Inside a notebook an apitokens.json beside it is not read: a
// stray file there must not switch a report to live data. `kernel run`
// and `kernel report` pass the apitokens.json of the folder they run in as
// $LENSLOG_TOKEN_FILE, and the note each notebook prints says which.
func ConfigFromEnv() (Config, error) {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	return configFrom(os.LookupEnv, wd, gonbui.IsNotebook)
}

// configFrom is ConfigFromEnv with the environment, working directory and
// whether this is a notebook given.
func configFrom(lookup func(string) (string, bool), wd string, inNotebook bool) (Config, error) {
	env := func(k string) string { v, _ := lookup(k); return strings.TrimSpace(v) }
	cfg := Config{
		BaseURL:    env(EnvAPIURL),
		StoreDir:   env(EnvStore),
		Redact:     env(EnvRedact) == "1",
		SessionDir: env(protocol.GONB_TMP_DIR_ENV),
		Provenance: env(EnvProvenance),
		ExportDir:  env(EnvExportDir),
		PlotDir:    env(nb.PlotDirEnv),
	}
	if cfg.StoreDir == "off" {
		cfg.StoreDir, cfg.NoStore = "", true
	}
	var err error
	if cfg.Token, cfg.TokenFrom, cfg.IgnoredTokenFile, err = tokenFrom(env, wd, inNotebook); err != nil {
		return cfg, err
	}
	if cfg.Sample, err = sampleOptions(env(EnvSampleEnd), env(EnvSampleRows)); err != nil {
		return cfg, err
	}
	if cfg.RedactKey, err = parseRedactKey(env(EnvRedactKey)); err != nil {
		return cfg, err
	}
	cfg.Pins, err = parsePins(env(EnvNow), env(EnvMaxIDs))
	return cfg, err
}

// tokenFrom finds the token by the rules of ConfigFromEnv. ignored names
// an apitokens.json left unread because this is a notebook.
func tokenFrom(env func(string) string, wd string, inNotebook bool) (tok cryptolens.Token, from, ignored string, err error) {
	if t := env(EnvToken); t != "" {
		return cryptolens.Token(t), "$" + EnvToken, "", nil
	}
	if path := env(EnvTokenFile); path != "" {
		tok, from, err = cryptolens.ReadTokenFile(path)
		if err != nil {
			return "", "", "", fmt.Errorf("$%s: %w", EnvTokenFile, err)
		}
		return tok, from + " ($" + EnvTokenFile + ")", "", nil
	}
	if inNotebook {
		path := filepath.Join(wd, cryptolens.TokenFile)
		if _, err := os.Stat(path); err == nil {
			ignored = path
		}
		return "", "", ignored, nil
	}
	tok, from, err = cryptolens.TokenFromDir(wd)
	if errors.Is(err, cryptolens.ErrNoToken) {
		return "", "", "", nil
	}
	return tok, from, "", err
}

// sampleOptions reads the sample account's last day (YYYY-MM-DD; "" for
// today) and size ("" for the default).
func sampleOptions(end, rows string) (sample.Options, error) {
	var so sample.Options
	if end != "" {
		t, err := time.Parse("2006-01-02", end)
		if err != nil {
			return so, fmt.Errorf("%s=%q: want a day such as 2026-11-01", EnvSampleEnd, end)
		}
		so.End = t
	}
	if rows != "" {
		n, err := strconv.Atoi(rows)
		if err != nil || n <= 0 {
			return so, fmt.Errorf("%s=%q: want a positive number of rows", EnvSampleRows, rows)
		}
		so.WebAPIRows = n
	}
	return so, nil
}

// parseRedactKey reads a pseudonym key in hex ("" for none). Errors never
// quote it.
func parseRedactKey(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	key, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s is not hex: want %d or more hex digits", EnvRedactKey, 2*minRedactKey)
	}
	if len(key) < minRedactKey {
		return nil, fmt.Errorf("%s is too short: want %d or more hex digits (%d random bytes), e.g. from `openssl rand -hex 32`",
			EnvRedactKey, 2*minRedactKey, minRedactKey)
	}
	return key, nil
}

// parsePins reads the pins of EnvNow (RFC 3339) and EnvMaxIDs
// (LOG=ID,...), either "" for none.
func parsePins(now, maxIDs string) (Pins, error) {
	var p Pins
	if now != "" {
		t, err := time.Parse(time.RFC3339Nano, now)
		if err != nil {
			return p, fmt.Errorf("%s=%q: want an RFC 3339 time such as 2026-11-05T10:00:00Z", EnvNow, now)
		}
		p.Now = t.UTC()
	}
	if maxIDs != "" {
		p.MaxIDs = map[string]int64{}
		for part := range strings.SplitSeq(maxIDs, ",") {
			name, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id < 0 || !isLogName(name) {
				return p, fmt.Errorf("%s=%q: want LOG=ID pairs such as webapi=120345,events=812 (logs: %s)",
					EnvMaxIDs, maxIDs, strings.Join(logNames, ", "))
			}
			p.MaxIDs[name] = id
		}
	}
	return p, nil
}

// markOnce reports whether name was marked in dir before, and marks it:
// the cells of one notebook session (each a process of its own) share dir.
// With no dir nothing is shared and it reports false.
func markOnce(dir, name string) bool {
	if dir == "" {
		return false
	}
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return true
	}
	if err == nil {
		f.Close()
	}
	return false
}
