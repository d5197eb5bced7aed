package lenslog

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/nb"
)

// Account is an opened source of the three logs.
type Account struct {
	ctx        context.Context
	src        source
	redactor   *logs.Redactor
	pins       Pins
	provenance string
	learned    learnedWindows // what the redactor has learned, see redact.go
}

// source is where tables come from: the sample account, the API through the
// store, or the API directly. The logs are fetched from each by fetch
// (table.go), the Usage Analytics tables by fetchUsage (usage.go).
type source interface {
	describe() string
	info() AccountInfo
	now() time.Time
	licenses() []cryptolens.License
}

// Open opens the account the environment names (ConfigFromEnv), or the
// sample account. A program with settings of its own changes the Config
// ConfigFromEnv returns and opens it with OpenConfig.
func Open() (*Account, error) {
	cfg, err := ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	return OpenConfig(cfg)
}

// OpenConfig opens the account cfg describes, reading nothing else.
func OpenConfig(cfg Config) (*Account, error) {
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	src, err := openSource(cfg)
	if err != nil {
		return nil, err
	}
	a := &Account{ctx: cfg.Context, src: src, pins: cfg.Pins, provenance: cfg.Provenance}
	if cfg.Redact {
		key, err := redactKey(cfg.RedactKey, cfg.SessionDir)
		if err != nil {
			return nil, err
		}
		a.redactor = logs.NewRedactor(key)
	}
	if cfg.PlotDir != "" {
		nb.SetPlotDir(cfg.PlotDir)
	}
	say(cfg, "lenslog: reading "+a.Source())
	return a, nil
}

// MustOpen opens the account the environment names (or the sample account)
// and panics with a readable message if that fails: for notebook cells.
func MustOpen() *Account {
	a, err := Open()
	if err != nil {
		panic(fmt.Sprintf("lenslog: %v", err))
	}
	return a
}

// Must returns v, or panics with err: it keeps notebook cells to one line.
// In a notebook, an error its reader can fix by changing the parameters
// or the token (a *NoDataError, an analysis.ErrNoData, a
// *PermissionError) is shown as a message instead, and the cell stops
// there: Must panics with a *Stopped, which the runner shows as that
// message rather than as a failure (see Stopped).
func Must[T any](v T, err error) T {
	if err != nil {
		fail(err)
	}
	return v
}

// Must2 is Must for calls that return two values and an error.
func Must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		fail(err)
	}
	return a, b
}

// Stopped is what Must panics with in a notebook after showing the
// message of an error the reader can fix. The message is shown as a
// stop (nb.Stop, marked with ipynb.StopKey): `kernel run` and `report`
// keep it as the cell's output and run the next cell, which, needing the
// same data, says briefly that it is skipped. In an interactive notebook
// the cell ends under the message with GoNB's note "exit status 2" (in
// its stderr line and its error): the program's standard error is closed
// first, so the runtime's panic report and goroutine dump are not shown.
type Stopped struct {
	Err error // what stopped the cell
}

// Error says that the cell stopped, and why.
func (s *Stopped) Error() string { return "lenslog: the cell stopped: " + s.Err.Error() }

// Unwrap returns what stopped the cell.
func (s *Stopped) Unwrap() error { return s.Err }

// fail panics with err, or in a notebook, for an error the reader can
// fix, shows its message (in full the first time in a session, briefly in
// the cells after it, which GoNB runs with the same declarations) and
// panics with a *Stopped.
func fail(err error) {
	msg, brief, ok := stopMessage(err)
	if !ok || !gonbui.IsNotebook {
		panic(fmt.Sprintf("lenslog: %v", err))
	}
	if said(onceKey(err, msg)) {
		msg = brief
	}
	nb.Stop(msg)
	os.Stderr.Close() // the message is the cell's end: no panic report under it
	panic(&Stopped{Err: err})
}

// stopMessage returns what a notebook shows for an error its reader can
// fix, in full and briefly; ok is false for any other error.
func stopMessage(err error) (msg, brief string, ok bool) {
	var nd *NoDataError
	var pe *PermissionError
	switch {
	case errors.As(err, &nd):
		return "**No data for these parameters:** " + err.Error() + ". The cells that need it show nothing.",
			"*Skipped: " + nd.What + " has no rows (see above).*", true
	case errors.Is(err, analysis.ErrNoData): // an analysis given nothing to look at
		return "**No data for these parameters:** " + err.Error() + ". The cells that need it show nothing.",
			"*Skipped: no data for these parameters (see above).*", true
	case errors.As(err, &pe):
		return fmt.Sprintf("**The access token lacks the \"%s\" permission** (or is locked to another product or key). "+
				"%s needs it: add it to the token (Cryptolens dashboard: Profile, Access tokens) or use a token that has it. "+
				"The cells that need it show nothing.", pe.Permission, pe.What),
			fmt.Sprintf("*Skipped: needs the \"%s\" permission (see above).*", pe.Permission), true
	}
	return "", "", false
}

// onceKey is what a stop's message is shown in full once for: a missing
// permission once whichever table needed it (its tables name different
// methods), any other stop once for its message.
func onceKey(err error, msg string) string {
	var pe *PermissionError
	if errors.As(err, &pe) {
		return "permission " + pe.Permission
	}
	return msg
}

// said reports whether this notebook session has shown note before, and
// marks it shown, in the session's folder (Config.SessionDir, from the one
// config function: Must has no Config at hand).
func said(note string) bool {
	cfg, _ := ConfigFromEnv() // a setting it cannot parse leaves the folder, which is all it needs
	h := sha256.Sum256([]byte(note))
	return markOnce(cfg.SessionDir, fmt.Sprintf("lenslog-nodata-%x", h[:8]))
}

// openSource picks the source: the sample account when asked for or when
// no token is set (unless an API URL says live data was wanted), else the
// API (through the store unless told not to).
func openSource(cfg Config) (source, error) {
	if cfg.UseSample || cfg.Token == "" {
		if !cfg.UseSample && cfg.BaseURL != "" {
			return nil, fmt.Errorf("an API URL is set but no access token was found: set $%s or $%s (%w)",
				EnvToken, EnvTokenFile, cryptolens.ErrNoToken)
		}
		so := cfg.Sample
		if so.End.IsZero() {
			so.End = cfg.Clock().UTC().Truncate(Day)
		}
		return newSampleSource(so, cfg.Pins.Now, cfg.IgnoredTokenFile), nil
	}
	c, err := cfg.Client()
	if err != nil {
		return nil, err
	}
	info := liveAccountInfo(c)
	desc := fmt.Sprintf("%s (token from %s)", info.URL, cfg.TokenFrom)
	clock := liveClock{info: info,
		pinned: cfg.Pins.Now, clock: cfg.Clock}
	if cfg.NoStore {
		clock.info.Store = "read directly"
		return &apiSource{client: c, desc: desc, liveClock: clock}, nil
	}
	dir, err := cfg.StoreFolder()
	if err != nil {
		return nil, err
	}
	st, err := openStore(dir, c, cfg.Note) // refuses a store that holds another account's logs
	if err != nil {
		return nil, err
	}
	clock.info.Store = "local store"
	return &storeSource{client: c, store: st, desc: desc + ", stored in " + dir, liveClock: clock,
		noSync: cfg.Pins.MaxIDs != nil}, nil
}

// Client returns a client for the account cfg names: its token and base
// URL. Without a token it is an error wrapping cryptolens.ErrNoToken.
func (cfg Config) Client() (*cryptolens.Client, error) {
	if cfg.Token == "" {
		return nil, fmt.Errorf("%w: set $%s or $%s, or put %s in the working directory",
			cryptolens.ErrNoToken, EnvToken, EnvTokenFile, cryptolens.TokenFile)
	}
	c := cryptolens.New(cfg.Token)
	if cfg.BaseURL != "" {
		c.BaseURL = cfg.BaseURL
	}
	return c, nil
}

// StoreFolder returns the folder of the account's local store: StoreDir,
// else the per-account folder in the user's cache folder.
func (cfg Config) StoreFolder() (string, error) {
	if cfg.StoreDir != "" {
		return cfg.StoreDir, nil
	}
	base := cfg.BaseURL
	if base == "" {
		base = cryptolens.DefaultBaseURL
	}
	return logstore.DefaultDir(base, cfg.Token)
}

// say writes note to cfg.Note or, when that is nil, shows it: in a
// notebook as a quiet line (not stderr, which reads as an error) under
// the report's opening (nb.Note), once per
// session (the cells of a session share cfg.SessionDir); elsewhere on
// stderr.
func say(cfg Config, note string) {
	if cfg.Note != nil {
		fmt.Fprintln(cfg.Note, note)
		return
	}
	h := sha256.Sum256([]byte(note))
	if markOnce(cfg.SessionDir, fmt.Sprintf("lenslog-said-%x", h[:8])) {
		return
	}
	if gonbui.IsNotebook {
		nb.Note(note)
		return
	}
	fmt.Fprintln(os.Stderr, note)
}

// Source says where the data comes from, e.g. "the sample account (...)".
func (a *Account) Source() string { return a.src.describe() }

// Now is the account's clock: the end of the sample's history, or the
// current time for a live account (or the time a replay pins). Spans are
// resolved against it.
func (a *Account) Now() time.Time { return a.src.now() }

// Info identifies the account without revealing it: the sample account's
// options, or a live account's URL and a fingerprint of URL and token.
func (a *Account) Info() AccountInfo {
	i := a.src.info()
	i.Redacted = a.redactor != nil
	i.Description = i.String()
	return i
}

// Redactor is the redactor applied on load, or nil when not redacting.
func (a *Account) Redactor() *logs.Redactor { return a.redactor }

// Key returns key as it appears in the tables this account loads: itself,
// or its pseudonym when redacting. Use it on keys typed into a notebook.
func (a *Account) Key(key string) string {
	if a.redactor == nil || key == "" {
		return key
	}
	return a.redactor.Key(key)
}

// Licenses lists what the account knows of its licenses (seat limits for
// the floating-seat audit), busiest floating licenses first. Only the sample
// account knows them; a live account returns nil (give limits by hand).
func (a *Account) Licenses() []cryptolens.License {
	ls := a.src.licenses()
	if a.redactor == nil {
		return ls
	}
	out := make([]cryptolens.License, len(ls))
	for i, l := range ls {
		l.Key = a.redactor.Key(l.Key)
		out[i] = l
	}
	return out
}
