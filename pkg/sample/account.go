package sample

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// Options choose the sample account to generate. The zero value is the
// default account: seed 1, ending now, 120 days, about 100 000 Web API rows.
type Options struct {
	Seed       int64     // 0 means 1; same options, same account, byte for byte
	End        time.Time // last instant of the history; zero means now (so "last 30 days" has data)
	Days       int       // length of the Web API history; 0 means 120; below 60 is raised to 60
	WebAPIRows int       // approximate Web API Log rows; 0 means 100_000; scales to several million
	// Clean leaves out the planted data-quality problems (the outage day,
	// the rows out of time order, the unknown state codes), for tests that
	// need an account a data-health check finds nothing wrong with. The
	// planted behaviour (shared keys, the burst, the blocked key, the
	// product change) stays.
	Clean bool
	// Hostile, when not empty, plants these strings in the newest rows of
	// every log, where customers' devices write (friendly names, machine
	// codes, a few license keys, event names and metadata) and in Object
	// Log data, for tests that reports stay safe with hostile data; see
	// Planted.Hostile. Empty leaves the account as it is.
	Hostile []string
	// Content leaves rows out, for tests of an account never used or one
	// whose every request failed; the zero value keeps every row. Planted
	// facts about rows left out no longer hold.
	Content Content
}

// Defaults of Options.
const (
	DefaultDays = 120
	DefaultRows = 100_000
	minDays     = 60 // the planted silent keys need 60 days of history
	eventDays   = 45 // the Events Log keeps about this many days
	objectDays  = 60 // the Object Log covers this many days
)

// How long the sample account keeps its Events and Object logs, as
// Cryptolens keeps them for a limited time (it keeps every Web API row).
const (
	EventsRetention  = eventDays * 24 * time.Hour
	ObjectsRetention = objectDays * 24 * time.Hour
)

// normalize fills in the defaults the zero values stand for.
func (o Options) normalize() Options {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.End.IsZero() {
		o.End = time.Now()
	}
	o.End = o.End.UTC().Truncate(time.Second)
	if o.Days <= 0 {
		o.Days = DefaultDays
	}
	o.Days = max(o.Days, minDays)
	if o.WebAPIRows <= 0 {
		o.WebAPIRows = DefaultRows
	}
	return o
}

// Product is one of the account's products.
type Product struct {
	ID   int    // product id, as the logs carry it
	Name string // name shown in the dashboard
}

// License is one license key of the sample account: the key as any
// account knows it (cryptolens.License: key, product, seat limit), and how
// the sample generates its rows.
type License struct {
	cryptolens.License
	Created  time.Time // when the key was created (3010 in the log if within the history)
	Customer string    // company the key was sold to
	// FloatingInterval is how long a floating seat lives without a refresh
	// (floatingExpires = time + FloatingInterval); 0 for node-locked keys.
	FloatingInterval time.Duration
	// MaxOverdraft is how many seats a floating key may go over its limit
	// (each such activation is a 2015); 0 means no overdraft.
	MaxOverdraft int
	// Expires is when the license runs out, zero if it does not; clients
	// activating after it get 2022 until it is extended (7010).
	Expires time.Time

	// ID is the license's id, the Object Log's affectedObjectId for it;
	// CustomerID its customer's (Account.Customers).
	ID, CustomerID int64
	// Trial marks a 14-day trial created during the history; Extended is
	// when a trial was converted or a time-limited license renewed (the
	// 7010 in the log), zero if it was not.
	Trial    bool
	Extended time.Time
	// BlockedAt is when the license was blocked (the 7010 in the log),
	// zero if it is not.
	BlockedAt time.Time
}

// Customer is one customer of the sample account, as its licenses'
// Customer names it.
type Customer struct {
	ID     int64  // the customer's id, the Object Log's affectedObjectId for it
	Name   string // the company, as License.Customer
	Email  string // its contact address
	Domain string // its web domain, which its users' e-mail addresses share
}

// Planted lists the facts deliberately planted in the account, so tests of
// analyses can check that they find them.
type Planted struct {
	// SharedKeys are used far more widely than a normal key: dozens of
	// machines and IP addresses (key sharing). The first is node-locked with
	// 50 machines allowed; the second is floating and hits its seat limit.
	SharedKeys []string
	// BurstKey is a floating key whose seats are held by two always-on
	// render nodes; between BurstStart and BurstEnd a third, misconfigured
	// node retries about once a minute and gets BurstState (2024, no free
	// seat) BurstFailures times, where the key normally has none.
	BurstKey      string
	BurstMachine  string
	BurstState    cryptolens.State
	BurstStart    time.Time
	BurstEnd      time.Time
	BurstFailures int
	// SilentKeys had normal activity and then none at all for the last 30 to
	// 60 days (inactive licenses); see Account.LastActivity.
	SilentKeys []string
	// OverdraftKeys are floating keys that allow overdraft and use it: they
	// have 2015 rows.
	OverdraftKeys []string
	// BlockedKey was blocked (a 7010 row) at BlockedAt; its clients get 2021
	// afterwards until they give up.
	BlockedKey string
	BlockedAt  time.Time
	// BlockedKeyCreated is when the blocked key was created: within the
	// Object Log's history, so the log holds its Added copy, which links
	// the key string to BlockedKeyObjectID (its affectedObjectId). The
	// block itself is Object Log entry BlockEntry.
	BlockedKeyCreated  time.Time
	BlockedKeyObjectID int64
	BlockEntry         int64

	// ProductChangeID's settings were changed (Object Log entry
	// ProductChangeEntry at ProductChangeAt, field ProductChangeField, by
	// a team member); afterwards the product's node-locked activations
	// fail (2020) about ten times as often, until the change is reverted
	// at ProductRevertAt (entry ProductRevertEntry). No other change to
	// that product falls within four days of either.
	ProductChangeID    int
	ProductChangeField string
	ProductChangeAt    time.Time
	ProductChangeEntry int64
	ProductRevertAt    time.Time
	ProductRevertEntry int64

	// The planted data-quality problems, all empty with Options.Clean.
	//
	// OutageDay is a whole UTC day on which no log has a row: Cryptolens
	// was unreachable, requests failed unlogged and clients came back the
	// next day.
	OutageDay time.Time
	// OutOfOrderIDs are Web API rows logged with a time minutes to hours
	// earlier than the row before them (a back-office server's clock
	// skew), well inside the history.
	OutOfOrderIDs []int64
	// UnknownStateIDs are Web API rows whose state code is not documented
	// (an unknown method group or outcome digit): UnknownStates, in order.
	UnknownStateIDs []int64
	UnknownStates   []cryptolens.State

	// Hostile names the rows Options.Hostile's strings were planted in;
	// empty without them.
	Hostile HostileRows
}

// Account is a generated Cryptolens account: products, licenses and the
// three logs, each in ascending id (and time) order.
type Account struct {
	Now       time.Time // = End
	Products  []Product
	Licenses  []License                   // sorted by creation time, then key
	Customers []Customer                  // by id
	WebAPI    []cryptolens.WebAPILogRow   // ascending id
	Events    []cryptolens.Event          // ascending id
	Objects   []cryptolens.ObjectLogEntry // ascending id
	Planted   Planted                     // facts tests can assert

	byKey    map[string]int   // key -> index in Licenses
	requests map[string]int   // key -> Web API rows
	last     map[string]int64 // key -> time of its last Web API row
}

// Generate builds the sample account the options describe. It is
// deterministic: equal options give an identical account (with a zero End,
// "now" differs between calls). Generating 100 000 rows takes a fraction
// of a second; time and memory grow linearly with WebAPIRows.
func Generate(opt Options) *Account {
	opt = opt.normalize()
	g := newGenerator(opt)
	g.buildLicenses()
	g.planStory()
	g.simulateWebAPI()
	a := g.acc
	g.buildEvents()
	g.buildObjects()
	g.plantHostile()
	g.keepContent()
	a.index()
	return a
}

// rngFor returns the random stream for one part of the generation, so
// that changing one part does not shift the others.
func rngFor(seed int64, part uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15^part))
}

// index builds the lookup maps once the logs are complete.
func (a *Account) index() {
	a.byKey = make(map[string]int, len(a.Licenses))
	for i, l := range a.Licenses {
		a.byKey[l.Key] = i
	}
	a.requests = make(map[string]int, len(a.Licenses))
	a.last = make(map[string]int64, len(a.Licenses))
	for i := range a.WebAPI {
		r := &a.WebAPI[i]
		a.requests[r.Key]++
		a.last[r.Key] = r.Time
	}
}

// License returns the license with the given key.
func (a *Account) License(key string) (License, bool) {
	i, ok := a.byKey[key]
	if !ok {
		return License{}, false
	}
	return a.Licenses[i], true
}

// Product returns the product with the given id.
func (a *Account) Product(id int) (Product, bool) {
	for _, p := range a.Products {
		if p.ID == id {
			return p, true
		}
	}
	return Product{}, false
}

// Requests returns how many Web API Log rows the key has.
func (a *Account) Requests(key string) int { return a.requests[key] }

// LastActivity returns the time of the key's last Web API Log row, or the
// zero time if it has none.
func (a *Account) LastActivity(key string) time.Time {
	t, ok := a.last[key]
	if !ok {
		return time.Time{}
	}
	return time.Unix(t, 0).UTC()
}

// FloatingKeys returns the floating licenses, busiest first (most Web API
// rows; ties by key), so a notebook can pick the first as its default key
// for a seat audit.
func (a *Account) FloatingKeys() []License {
	return a.busiest(func(l License) bool { return l.Floating })
}

// NodeLockedKeys returns the node-locked licenses, busiest first.
func (a *Account) NodeLockedKeys() []License {
	return a.busiest(func(l License) bool { return !l.Floating })
}

// busiest returns the licenses keep accepts, most requests first.
func (a *Account) busiest(keep func(License) bool) []License {
	var out []License
	for _, l := range a.Licenses {
		if keep(l) {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(x, y License) int {
		if d := a.requests[y.Key] - a.requests[x.Key]; d != 0 {
			return d
		}
		return strings.Compare(x.Key, y.Key)
	})
	return out
}
