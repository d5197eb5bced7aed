package lenslog

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/nb"
	"github.com/lenslog/lenslog/pkg/sample"
)

// Environment variables Open reads.
const (
	EnvSampleEnd  = "LENSLOG_SAMPLE_END"  // the sample account's last day, YYYY-MM-DD
	EnvSampleRows = "LENSLOG_SAMPLE_ROWS" // the sample account's Web API rows
	EnvRedact     = "LENSLOG_REDACT"      // "1" to redact identifiers
	EnvRedactKey  = "LENSLOG_REDACT_KEY"  // hex secret for pseudonyms
	EnvStore      = "LENSLOG_STORE"       // store folder; "off" reads the API directly
)

// Options say which account to open and how. The zero value opens what the
// environment names, or the sample account.
type Options struct {
	Token    string          // explicit access token; see the package doc for the fallbacks
	BaseURL  string          // API base URL; "" means $CRYPTOLENS_API_URL or the Cryptolens API
	StoreDir string          // local store; "" means $LENSLOG_STORE or the per-account cache folder
	NoStore  bool            // read the API directly and keep nothing on disk
	Sample   *sample.Options // open the sample account with these options, even if a token is set
	Redact   bool            // redact identifiers (also when $LENSLOG_REDACT=1)
	// Note receives the one line saying which source was opened; nil means
	// stderr, and only the first time in a notebook session.
	Note io.Writer
	// Context bounds every request; nil means context.Background().
	Context context.Context
	// Pins fix the account's now and the highest id read per log, as a
	// replay of a recorded run does; the zero value means $LENSLOG_NOW and
	// $LENSLOG_MAX_IDS, else nothing pinned. With ids pinned the store is
	// read as it is, without syncing.
	Pins Pins
	// Provenance names the file each load records itself in; "" means
	// $LENSLOG_PROVENANCE, else nowhere.
	Provenance string
}

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
// store, or the API directly.
type source interface {
	describe() string
	info() AccountInfo
	now() time.Time
	webAPI(ctx context.Context, w logs.Window) (*logs.WebAPI, error)
	events(ctx context.Context, w logs.Window) (*logs.Events, error)
	objects(ctx context.Context, w logs.Window) (*logs.Objects, error)
	licenses() []sample.License
}

// Open opens the account the options and environment name.
func Open(opt Options) (*Account, error) {
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if !opt.Pins.Pinned() {
		p, err := pinsFromEnv()
		if err != nil {
			return nil, err
		}
		opt.Pins = p
	}
	if opt.Provenance == "" {
		opt.Provenance = os.Getenv(EnvProvenance)
	}
	src, err := openSource(opt)
	if err != nil {
		return nil, err
	}
	a := &Account{ctx: ctx, src: src, pins: opt.Pins, provenance: opt.Provenance}
	if opt.Redact || os.Getenv(EnvRedact) == "1" {
		key, err := redactKey()
		if err != nil {
			return nil, err
		}
		a.redactor = logs.NewRedactor(key)
	}
	sayOnce(opt.Note, "lenslog: reading "+a.Source())
	return a, nil
}

// MustOpen opens the account the environment names (or the sample account)
// and panics with a readable message if that fails: for notebook cells.
func MustOpen() *Account {
	a, err := Open(Options{})
	if err != nil {
		panic(fmt.Sprintf("lenslog: %v", err))
	}
	return a
}

// Must returns v, or panics with err: it keeps notebook cells to one line.
// In a notebook, a *NoDataError (a parameter naming a product or key the
// account has no rows for) is shown as a message instead, and the cell
// stops there without failing.
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

// fail panics with err, except for a *NoDataError in a notebook: that is
// said in words (in full the first time in a session, briefly in the cells
// after it, which GoNB runs with the same declarations) and the cell's
// program ends normally.
func fail(err error) {
	var nd *NoDataError
	if !errors.As(err, &nd) || !gonbui.IsNotebook {
		panic(fmt.Sprintf("lenslog: %v", err))
	}
	msg := "**No data for these parameters:** " + err.Error() + ". The cells that need it show nothing."
	if said(err.Error()) {
		msg = "*Skipped: " + nd.What + " has no rows (see above).*"
	}
	nb.Markdown(msg)
	gonbui.Sync()
	os.Exit(0)
}

// said reports whether this notebook session has shown note before, and
// marks it shown; see sayOnce.
func said(note string) bool {
	h := sha256.Sum256([]byte(note))
	marker := filepath.Join(os.TempDir(), fmt.Sprintf("lenslog-nodata-%d-%x", os.Getppid(), h[:8]))
	f, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return true
	}
	f.Close()
	return false
}

// openSource picks the source: the sample account when asked for or when no
// token is found (unless an API URL says live data was wanted), else the
// API (through the store unless told not to).
func openSource(opt Options) (source, error) {
	if opt.Sample != nil {
		return newSampleSource(*opt.Sample, opt.Pins.Now), nil
	}
	tok, from, err := cryptolens.FindToken(opt.Token)
	live := opt.BaseURL != "" || os.Getenv(cryptolens.EnvBaseURL) != ""
	if errors.Is(err, cryptolens.ErrNoToken) && live {
		return nil, fmt.Errorf("an API URL is set but no access token was found: set $%s or put it in %s (%w)",
			cryptolens.EnvToken, cryptolens.TokenFile, err)
	}
	if errors.Is(err, cryptolens.ErrNoToken) {
		so, err := sampleOptionsFromEnv()
		if err != nil {
			return nil, err
		}
		return newSampleSource(so, opt.Pins.Now), nil
	}
	if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	c := cryptolens.New(tok)
	if opt.BaseURL != "" {
		c.BaseURL = opt.BaseURL
	}
	desc := fmt.Sprintf("%s (token from %s)", c.BaseURL, from)
	clock := liveClock{info: AccountInfo{URL: c.BaseURL, Fingerprint: fingerprint(c.BaseURL, tok)}, pinned: opt.Pins.Now}
	dir := opt.StoreDir
	if dir == "" {
		dir = os.Getenv(EnvStore)
	}
	if opt.NoStore || dir == "off" {
		clock.info.Store = "read directly"
		return &apiSource{client: c, desc: desc, liveClock: clock}, nil
	}
	if dir == "" {
		if dir, err = logstore.DefaultDir(c.BaseURL, tok); err != nil {
			return nil, err
		}
	}
	st, err := logstore.OpenFor(dir, c) // refuses a store that holds another account's logs
	if err != nil {
		return nil, err
	}
	clock.info.Store = "local store"
	return &storeSource{client: c, store: st, desc: desc + ", stored in " + dir, liveClock: clock,
		noSync: opt.Pins.MaxIDs != nil}, nil
}

// sampleOptionsFromEnv reads the sample account's options: its last day
// ($LENSLOG_SAMPLE_END, default today) and size ($LENSLOG_SAMPLE_ROWS).
func sampleOptionsFromEnv() (sample.Options, error) {
	var so sample.Options
	so.End = time.Now().UTC().Truncate(Day)
	if s := os.Getenv(EnvSampleEnd); s != "" {
		end, err := time.Parse("2006-01-02", s)
		if err != nil {
			return so, fmt.Errorf("%s=%q: want a day such as 2026-11-01", EnvSampleEnd, s)
		}
		so.End = end
	}
	if s := os.Getenv(EnvSampleRows); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return so, fmt.Errorf("%s=%q: want a positive number of rows", EnvSampleRows, s)
		}
		so.WebAPIRows = n
	}
	return so, nil
}

// sayOnce writes note to w or, when w is nil, shows it once per notebook
// session: GoNB runs each cell as a child of one kernel, so the parent's pid
// names the session. In a notebook it is a quiet line of output (not
// stderr, which reads as an error); elsewhere it goes to stderr.
func sayOnce(w io.Writer, note string) {
	if w != nil {
		fmt.Fprintln(w, note)
		return
	}
	marker := filepath.Join(os.TempDir(), fmt.Sprintf("lenslog-said-%d", os.Getppid()))
	f, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return // said already (or cannot tell: stay quiet rather than repeat)
	}
	f.Close()
	if gonbui.IsNotebook {
		nb.Markdown("*" + note + "*")
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

// WebAPI returns the Web API Log rows in span, oldest first, narrowed by
// the filters (Product).
func (a *Account) WebAPI(span Span, filters ...Filter) (*logs.WebAPI, error) {
	w := span.Window(a.Now())
	t, err := a.src.webAPI(a.ctx, w)
	if err != nil {
		return nil, fmt.Errorf("web api log: %w", err)
	}
	if cut, ok := a.pins.MaxIDs["webapi"]; ok {
		t = t.Where(func(i int) bool { return t.ID[i] <= cut })
	}
	r := a.newRead("webapi", span, w, t.ID)
	f := combine(filters)
	if f.product != 0 {
		all := t
		t = t.Where(func(i int) bool { return all.ProductID[i] == f.product })
		if err := a.finish(&r, f, t.Len(), all.ProductID, "Web API Log"); err != nil {
			return nil, err
		}
	} else if err := a.finish(&r, f, t.Len(), nil, ""); err != nil {
		return nil, err
	}
	return a.redactWebAPI(t, w)
}

// Events returns the Events Log rows in span, oldest first, narrowed by
// the filters (Product).
func (a *Account) Events(span Span, filters ...Filter) (*logs.Events, error) {
	w := span.Window(a.Now())
	t, err := a.src.events(a.ctx, w)
	if err != nil {
		return nil, fmt.Errorf("events log: %w", err)
	}
	if cut, ok := a.pins.MaxIDs["events"]; ok {
		t = t.Where(func(i int) bool { return t.ID[i] <= cut })
	}
	r := a.newRead("events", span, w, t.ID)
	f := combine(filters)
	if f.product != 0 {
		all := t
		t = t.Where(func(i int) bool { return all.ProductID[i] == f.product })
		if err := a.finish(&r, f, t.Len(), all.ProductID, "Events Log"); err != nil {
			return nil, err
		}
	} else if err := a.finish(&r, f, t.Len(), nil, ""); err != nil {
		return nil, err
	}
	return a.redactEvents(t, w)
}

// Objects returns the Object Log rows in span, oldest first. (The Object
// Log has no product: it records changes to any object of the account.)
func (a *Account) Objects(span Span) (*logs.Objects, error) {
	w := span.Window(a.Now())
	t, err := a.src.objects(a.ctx, w)
	if err != nil {
		return nil, fmt.Errorf("object log: %w", err)
	}
	if cut, ok := a.pins.MaxIDs["objects"]; ok {
		t = t.Where(func(i int) bool { return t.ID[i] <= cut })
	}
	r := a.newRead("objects", span, w, t.ID)
	if err := a.finish(&r, Filter{}, t.Len(), nil, ""); err != nil {
		return nil, err
	}
	return a.redactObjects(t, w)
}

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
func (a *Account) Licenses() []sample.License {
	ls := a.src.licenses()
	if a.redactor == nil {
		return ls
	}
	out := make([]sample.License, len(ls))
	for i, l := range ls {
		l.Key = a.redactor.Key(l.Key)
		out[i] = l
	}
	return out
}
