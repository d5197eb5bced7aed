package sample

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The Usage Analytics figures of the sample account, derived from its Web
// API Log as Cryptolens derives them, so that they agree with the log:
//
//   - Keys flagged as excluded from usage analytics (test licenses, see
//     Account.AnalyticsExcluded) are left out of every figure.
//   - The aggregates lag: only rows up to UsageLag before the newest row
//     are counted (Usage.AsOf), so the newest day is partly computed.
//   - Success is the state's outcome digit (cryptolens.OutcomeSuccess),
//     failure likewise; a row of unknown outcome counts in the total only.
//   - A row's country comes from its (anonymised) IP address (CountryOf).
//   - Devices and activity buckets count only rows with a machine code.
//
// Ids follow the order in which rows first appear (days, then products;
// keys and devices by first sighting; buckets by start), so that rows
// added later get larger ids and a forward cursor finds them.

// UsageLag is how far the sample's Usage Analytics figures trail the
// newest Web API Log row.
const UsageLag = 2 * time.Hour

// bucketSeconds is the length of an activity bucket.
const bucketSeconds = 30 * 60

// Usage holds the five Usage Analytics tables of an account.
type Usage struct {
	AsOf      time.Time // rows logged after this are not yet counted
	Excluded  []string  // keys left out (test licenses), sorted
	Daily     []cryptolens.DailyAggregate
	Countries []cryptolens.DailyCountryAggregate
	Summaries []cryptolens.KeyUsageSummary
	Devices   []cryptolens.KeyDevice
	Buckets   []cryptolens.LicenseActivityBucket
}

// excludedEvery picks one test license in this many.
const excludedEvery = 25

// AnalyticsExcluded returns the keys flagged as excluded from usage
// analytics (the sample's test licenses), sorted: one license in 25 in
// creation order, never one of the planted keys.
func (a *Account) AnalyticsExcluded() []string {
	planted := map[string]bool{a.Planted.BurstKey: true, a.Planted.BlockedKey: true}
	for _, ks := range [][]string{a.Planted.SharedKeys, a.Planted.SilentKeys, a.Planted.OverdraftKeys} {
		for _, k := range ks {
			planted[k] = true
		}
	}
	var out []string
	n := 0
	for _, l := range a.Licenses {
		if planted[l.Key] {
			continue
		}
		if n%excludedEvery == excludedEvery/2 {
			out = append(out, l.Key)
		}
		n++
	}
	slices.Sort(out)
	return out
}

// KeyID returns the id of a license key, as the Usage Analytics methods
// and the Object Log know it; 0 for a key the account does not have.
func (a *Account) KeyID(key string) int64 {
	i, ok := a.byKey[key]
	if !ok {
		return 0
	}
	return licenseIDBase + int64(i)
}

// Usage returns the account's Usage Analytics figures, derived from its
// Web API Log.
func (a *Account) Usage() *Usage { return computeUsage(a, a.WebAPI) }

// countryRegions maps each region (as in regions) to its country code.
var countryRegions = []string{"SE", "DE", "GB", "US", "US", "NL", "FI", "JP"}

// otherCountries place the addresses outside the customers' regions (the
// vendor's own back office, say).
var otherCountries = []string{"IE", "US", "CA", "FR", "AU", "IN"}

// CountryOf returns the ISO 3166-1 alpha-2 country of an anonymised IPv4
// address, as the sample's geolocation sees it: by the first octets its
// regions use (an octet two regions share is split by the second octet),
// other addresses spread over otherCountries by their first two octets;
// "" for text that is not an IPv4 address.
func CountryOf(ip string) string {
	first, rest, ok := strings.Cut(ip, ".")
	if !ok {
		return ""
	}
	o1, err := strconv.Atoi(first)
	second, _, _ := strings.Cut(rest, ".")
	o2, err2 := strconv.Atoi(second)
	if err != nil || err2 != nil || o1 < 0 || o1 > 255 || o2 < 0 || o2 > 255 {
		return ""
	}
	var cands []string
	for i, g := range regions {
		if slices.Contains(g.octets, o1) {
			cands = append(cands, countryRegions[i])
		}
	}
	if len(cands) == 0 {
		return otherCountries[(o1*256+o2)%len(otherCountries)]
	}
	return cands[o2%len(cands)]
}

// computeUsage derives the five tables from rows (ascending ids).
func computeUsage(a *Account, rows []cryptolens.WebAPILogRow) *Usage {
	u := &Usage{Excluded: a.AnalyticsExcluded()}
	var newest int64
	for i := range rows {
		newest = max(newest, rows[i].Time)
	}
	asOf := newest - int64(UsageLag/time.Second)
	u.AsOf = time.Unix(asOf, 0).UTC()
	excluded := map[string]bool{}
	for _, k := range u.Excluded {
		excluded[k] = true
	}
	b := newUsageBuilder(a)
	for i := range rows {
		r := &rows[i]
		if r.Time > asOf || excluded[r.Key] {
			continue
		}
		b.add(r)
	}
	b.finish(u)
	return u
}

type dayProduct struct {
	day     int64
	product int
}

type dayCountry struct {
	dayProduct
	country string
}

type keyMachine struct{ key, machine string }

type bucketKey struct {
	keyMachine
	start int64
}

type dayFigures struct {
	row                      cryptolens.DailyAggregate
	devices, keys, customers map[string]bool
}

// usageBuilder accumulates the tables row by row.
type usageBuilder struct {
	a         *Account
	days      map[dayProduct]*dayFigures
	countries map[dayCountry]*cryptolens.DailyCountryAggregate
	keys      map[string]*cryptolens.KeyUsageSummary
	devices   map[keyMachine]*cryptolens.KeyDevice
	buckets   map[bucketKey]*cryptolens.LicenseActivityBucket
	lastEvent map[keyMachine]int64 // a device's previous event on a key
	keyOrder  []string
	devOrder  []keyMachine
}

func newUsageBuilder(a *Account) *usageBuilder {
	return &usageBuilder{a: a, days: map[dayProduct]*dayFigures{},
		countries: map[dayCountry]*cryptolens.DailyCountryAggregate{},
		keys:      map[string]*cryptolens.KeyUsageSummary{}, devices: map[keyMachine]*cryptolens.KeyDevice{},
		buckets: map[bucketKey]*cryptolens.LicenseActivityBucket{}, lastEvent: map[keyMachine]int64{}}
}

// outcome returns 1, 0 for a successful row and 0, 1 for a failed one.
func outcome(s cryptolens.State) (ok, failed int64) {
	switch s.Outcome() {
	case cryptolens.OutcomeSuccess:
		return 1, 0
	case cryptolens.OutcomeFailure:
		return 0, 1
	}
	return 0, 0
}

func (b *usageBuilder) add(r *cryptolens.WebAPILogRow) {
	ok, failed := outcome(r.State)
	day := r.Time - r.Time%86400
	dp := dayProduct{day, r.ProductID}
	d := b.days[dp]
	if d == nil {
		d = &dayFigures{row: cryptolens.DailyAggregate{ProductID: r.ProductID, Date: day},
			devices: map[string]bool{}, keys: map[string]bool{}, customers: map[string]bool{}}
		b.days[dp] = d
	}
	d.row.TotalRequestsLogged++
	d.row.Successful += ok
	d.row.Failed += failed
	if r.MachineCode != "" {
		d.devices[r.MachineCode] = true
	}
	if r.Key != "" {
		d.keys[r.Key] = true
		if l, found := b.a.License(r.Key); found && l.Customer != "" {
			d.customers[l.Customer] = true
		}
	}
	dc := dayCountry{dp, CountryOf(r.IP)}
	c := b.countries[dc]
	if c == nil {
		c = &cryptolens.DailyCountryAggregate{ProductID: r.ProductID, Date: day, CountryCode: dc.country}
		b.countries[dc] = c
	}
	c.TotalRequests++
	c.Successful += ok
	c.Failed += failed
	if r.Key == "" {
		return
	}
	b.addKey(r, ok, failed)
	if r.MachineCode != "" {
		b.addDevice(r)
	}
}

func (b *usageBuilder) addKey(r *cryptolens.WebAPILogRow, ok, failed int64) {
	s := b.keys[r.Key]
	if s == nil {
		s = &cryptolens.KeyUsageSummary{ProductID: r.ProductID, KeyID: b.a.KeyID(r.Key), Key: r.Key, FirstSeenUtc: r.Time}
		b.keys[r.Key] = s
		b.keyOrder = append(b.keyOrder, r.Key)
	}
	s.TotalRequests++
	s.TotalSuccessful += ok
	s.TotalFailed += failed
	s.FirstSeenUtc = min(s.FirstSeenUtc, r.Time)
	s.LastSeenUtc = max(s.LastSeenUtc, r.Time)
}

func (b *usageBuilder) addDevice(r *cryptolens.WebAPILogRow) {
	km := keyMachine{r.Key, r.MachineCode}
	d := b.devices[km]
	if d == nil {
		d = &cryptolens.KeyDevice{ProductID: r.ProductID, KeyID: b.a.KeyID(r.Key), Key: r.Key,
			MachineCode: r.MachineCode, FirstSeenUtc: r.Time}
		b.devices[km] = d
		b.devOrder = append(b.devOrder, km)
	}
	d.TotalRequests++
	d.FirstSeenUtc = min(d.FirstSeenUtc, r.Time)
	d.LastSeenUtc = max(d.LastSeenUtc, r.Time)

	start := r.Time - r.Time%bucketSeconds
	bk := bucketKey{km, start}
	bu := b.buckets[bk]
	if bu == nil {
		bu = &cryptolens.LicenseActivityBucket{ProductID: r.ProductID, KeyID: d.KeyID, Key: r.Key,
			MachineCode: r.MachineCode, BucketStartUtc: start, FirstEventUtc: r.Time}
		if prev, seen := b.lastEvent[km]; seen {
			bu.GapFromPreviousEventSeconds = max(0, r.Time-prev)
		}
		b.buckets[bk] = bu
	}
	switch {
	case r.State >= 2010 && r.State <= 2015:
		bu.RefreshCount++
	case r.State == 6010 || r.State == 6011:
		bu.DeactivationCount++
	}
	bu.FirstEventUtc = min(bu.FirstEventUtc, r.Time)
	if r.Time >= bu.LastEventUtc {
		bu.LastEventUtc, bu.LastEventState = r.Time, r.State
	}
	b.lastEvent[km] = max(b.lastEvent[km], r.Time)
}

// finish sorts the tables into id order and numbers them.
func (b *usageBuilder) finish(u *Usage) {
	for _, d := range b.days {
		d.row.ActiveDevices, d.row.ActiveKeys, d.row.ActiveCustomers = int64(len(d.devices)), int64(len(d.keys)), int64(len(d.customers))
		u.Daily = append(u.Daily, d.row)
	}
	slices.SortFunc(u.Daily, func(x, y cryptolens.DailyAggregate) int {
		return cmp.Or(cmp.Compare(x.Date, y.Date), cmp.Compare(x.ProductID, y.ProductID))
	})
	for i := range u.Daily {
		u.Daily[i].ID = int64(i + 1)
	}
	for _, c := range b.countries {
		u.Countries = append(u.Countries, *c)
	}
	slices.SortFunc(u.Countries, func(x, y cryptolens.DailyCountryAggregate) int {
		return cmp.Or(cmp.Compare(x.Date, y.Date), cmp.Compare(x.ProductID, y.ProductID), strings.Compare(x.CountryCode, y.CountryCode))
	})
	for i := range u.Countries {
		u.Countries[i].ID = int64(i + 1)
	}
	for i, k := range b.keyOrder {
		s := *b.keys[k]
		s.ID = int64(i + 1)
		u.Summaries = append(u.Summaries, s)
	}
	for i, km := range b.devOrder {
		d := *b.devices[km]
		d.ID = int64(i + 1)
		u.Devices = append(u.Devices, d)
	}
	for _, bu := range b.buckets {
		u.Buckets = append(u.Buckets, *bu)
	}
	slices.SortFunc(u.Buckets, func(x, y cryptolens.LicenseActivityBucket) int {
		return cmp.Or(cmp.Compare(x.BucketStartUtc, y.BucketStartUtc), cmp.Compare(x.FirstEventUtc, y.FirstEventUtc),
			strings.Compare(x.Key, y.Key), strings.Compare(x.MachineCode, y.MachineCode))
	})
	for i := range u.Buckets {
		u.Buckets[i].ID = int64(i + 1)
	}
}
