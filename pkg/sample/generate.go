package sample

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// productSpec is how one product's licenses look and behave.
type productSpec struct {
	Product
	weight   float64  // share of the licenses
	floating float64  // share of its licenses that are floating
	metered  bool     // clients report usage to a data object (8010)
	features []string // feature names its events use
}

var productSpecs = []productSpec{
	{Product{3349, "PixelForge Studio"}, 0.42, 0.01, false, []string{"Export", "Import", "Render", "Share", "Print"}},
	{Product{3350, "PixelForge CLI"}, 0.2, 0, true, []string{"BatchConvert", "Export", "Upscale"}},
	{Product{4812, "RenderGrid Server"}, 0.16, 0.12, true, []string{"Render", "Queue", "Preview"}},
	{Product{5377, "FieldNotes Mobile"}, 0.22, 0, false, []string{"Sync", "Scan", "Share", "Annotate"}},
}

// role is what a license is planted for; most are roleNormal.
type role int

const (
	roleNormal role = iota
	roleShared
	roleSharedFloating
	roleBurst
	roleSilent
	roleOverdraft
	roleBlocked
)

// plantedRoles are given to the first licenses built, before the normal
// ones.
var plantedRoles = []role{roleShared, roleSharedFloating, roleBurst, roleSilent, roleSilent,
	roleSilent, roleOverdraft, roleOverdraft, roleBlocked}

// rowsPerLicenseDay is the measured average of Web API rows one license
// produces per day at activity scale 1; it sets how many licenses a target
// row count needs.
const rowsPerLicenseDay = 2.7

const (
	minLicenses = 40
	maxLicenses = 60_000
	never       = math.MaxInt64
)

// customer is a company that bought licenses.
type customer struct {
	name, domain string
	reg          region
	offices      []string // office IP addresses
}

// lic is a license plus the simulation's state for it.
type lic struct {
	License
	role       role
	cust       *customer
	created    int64
	expires    int64 // 0: never
	renewAt    int64 // 0: not renewed
	blockedAt  int64 // 0: never
	silentFrom int64 // 0: never silent
	interval   int64 // floating seat lifetime, seconds
	tz         int64
	metered    bool
	trial      bool // a 14-day trial; most are not converted and expire
	doID       int64
	machines   []int32
	activated  int    // node-locked machines activated
	seats      []seat // floating seats in use
}

// seat is one floating seat in use: by which machine, until when.
type seat struct {
	m       int32
	expires int64
}

// activeAt reports whether the license's clients may act at t.
func (l *lic) activeAt(t int64) bool {
	return t >= l.created && (l.silentFrom == 0 || t < l.silentFrom)
}

// machineMode is how a machine's client behaves.
type machineMode int

const (
	modeNormal   machineMode = iota
	modeAlwaysOn             // a server that holds its floating seat all the time
	modeRogue                // the burst: retries activation about once a minute
)

// machine is one device running the customer's application.
type machine struct {
	lic        int32
	code, name string
	ip         string
	mode       machineMode
	rate       float64 // app starts (node-locked) or sessions (floating) per peak day
	activated  bool    // node-locked: holds one of the license's machine slots
	inSession  bool    // floating: running and holding (or trying for) a seat
	sessionEnd int64
	retries    int // floating: retries left after a 2024 in this attempt
	patience   int // node-locked: failures left before the user gives up
	again      int // node-locked: quick retries left after a failure
	until      int64
}

// generator holds the state of one Generate call.
type generator struct {
	opt        Options
	acc        *Account
	start, end int64
	scale      float64 // activity multiplier that brings rows to the target
	r          *rand.Rand
	lics       []*lic
	machines   []machine
	customers  []*customer
	vendorIP   string
	specials   []special
	heap       agentHeap
	raw        []rawRow
	nextID     int64
	bgPerDay   float64

	pr                 *rand.Rand // draws for the planted data problems, apart from the simulation's
	changeAt, revertAt int64      // the planted product change is in force in [changeAt, revertAt)
	outageFrom         int64      // the outage day's midnight; 0: none
}

func newGenerator(opt Options) *generator {
	end := opt.End.Unix()
	g := &generator{
		opt:   opt,
		acc:   &Account{Now: opt.End},
		start: end - int64(opt.Days)*86400,
		end:   end,
		r:     rngFor(opt.Seed, 1),
		pr:    rngFor(opt.Seed, 4),
	}
	for _, p := range productSpecs {
		g.acc.Products = append(g.acc.Products, p.Product)
	}
	g.vendorIP = "52.174." + itoa(g.r.IntN(256)) + ".0"
	return g
}

// licenseCount returns how many licenses the target needs and the activity
// scale that makes up for rounding and the bounds.
func licenseCount(rows, days int) (int, float64) {
	want := float64(rows) / (float64(days) * rowsPerLicenseDay)
	n := int(math.Round(want))
	n = min(max(n, minLicenses), maxLicenses)
	return n, want / float64(n)
}

// buildLicenses makes the customers, licenses and machines.
func (g *generator) buildLicenses() {
	n, scale := licenseCount(g.opt.WebAPIRows, g.opt.Days)
	g.scale = scale
	g.bgPerDay = 0.035 * float64(g.opt.WebAPIRows) / float64(g.opt.Days)
	g.buildCustomers(max(8, n*2/3))
	seen := make(map[string]bool, n)
	for i := range n {
		rl := roleNormal
		if i < len(plantedRoles) {
			rl = plantedRoles[i]
		}
		key := newKey(g.r)
		for seen[key] {
			key = newKey(g.r)
		}
		seen[key] = true
		g.lics = append(g.lics, g.newLicense(i, key, rl))
	}
	for i, l := range g.lics {
		g.addMachines(int32(i), l)
	}
	g.plantFacts()
	g.acc.Licenses = make([]License, len(g.lics))
	for i, l := range g.lics {
		g.acc.Licenses[i] = g.public(i, l)
	}
	g.acc.Customers = g.publicCustomers()
	slices.SortFunc(g.acc.Licenses, func(x, y License) int {
		if c := x.Created.Compare(y.Created); c != 0 {
			return c
		}
		return strings.Compare(x.Key, y.Key)
	})
}

func (g *generator) buildCustomers(n int) {
	for i := range n {
		reg := regions[pick(g.r, regionWeights)]
		name, domain := companyName(i, reg)
		c := &customer{name: name, domain: domain, reg: reg}
		for range 1 + g.r.IntN(2) {
			c.offices = append(c.offices, newIP(g.r, reg))
		}
		g.customers = append(g.customers, c)
	}
}

// pickCustomer favours the first customers, so a few big customers own
// many keys and most own one or two.
func (g *generator) pickCustomer() *customer {
	u := g.r.Float64()
	return g.customers[int(u*u*float64(len(g.customers)))]
}

// newLicense draws license i with the given role.
func (g *generator) newLicense(i int, key string, rl role) *lic {
	spec := productSpecs[pick(g.r, []float64{0.42, 0.2, 0.16, 0.22})]
	l := &lic{role: rl, cust: g.pickCustomer()}
	l.Key = key
	l.tz = l.cust.reg.tz
	l.Customer = l.cust.name
	l.doID = 20_000 + int64(i)
	floating := g.r.Float64() < spec.floating
	switch rl {
	case roleShared, roleSilent, roleBlocked:
		spec, floating = productSpecs[0], false
	case roleSharedFloating, roleOverdraft:
		spec, floating = productSpecs[0], true
	case roleBurst:
		spec, floating = productSpecs[2], true
	}
	l.ProductID, l.Floating, l.metered = spec.ID, floating, spec.metered
	l.created = g.start - int64(30+g.r.IntN(700))*86400 - int64(g.r.IntN(86400))
	if rl == roleNormal && g.r.Float64() < 0.15 {
		l.created = g.start + int64(g.r.Float64()*float64(g.end-g.start-86400))
	}
	if rl == roleBlocked {
		l.created = g.end - blockedKeyAge // within the Object Log, which keeps its Added copy
	}
	g.setLimits(l, rl)
	if rl == roleNormal && !l.Floating && g.r.Float64() < 0.18 {
		g.makeTrial(l)
	} else if rl == roleNormal && !l.Floating && g.r.Float64() < 0.15 {
		l.expires = g.start + 10*86400 + g.r.Int64N(g.end-g.start-15*86400)
		if g.r.Float64() < 0.5 {
			l.renewAt = l.expires + int64(1+g.r.IntN(10))*86400 + int64(g.r.IntN(28800))
		}
	}
	l.Created = time.Unix(l.created, 0).UTC()
	if l.expires != 0 {
		l.Expires = time.Unix(l.expires, 0).UTC()
	}
	return l
}

// makeTrial turns l into a one-machine 14-day trial created during the
// history; a quarter are converted (extended, 7010) before they expire,
// the rest expire and their users keep getting 2022 for a while.
func (g *generator) makeTrial(l *lic) {
	l.trial = true
	l.MaxNoOfMachines = 1
	l.created = g.start - 20*86400 + g.r.Int64N(g.end-g.start+17*86400)
	l.expires = l.created + 14*86400
	if g.r.Float64() < 0.25 {
		l.renewAt = l.expires - g.r.Int64N(3*86400)
	}
}

// setLimits draws the machine or seat limit, floating interval and
// overdraft.
func (g *generator) setLimits(l *lic, rl role) {
	if !l.Floating {
		l.MaxNoOfMachines = []int{1, 2, 3, 5, 10}[pick(g.r, []float64{0.4, 0.2, 0.2, 0.12, 0.08})]
		switch rl {
		case roleShared:
			l.MaxNoOfMachines = 50
		case roleBlocked:
			l.MaxNoOfMachines = 5 // a team of five, all activated: the block is what fails them
		}
		return
	}
	l.MaxNoOfMachines = []int{2, 3, 5, 10}[pick(g.r, []float64{0.25, 0.3, 0.3, 0.15})]
	l.interval = []int64{3600, 1800, 7200}[pick(g.r, []float64{0.7, 0.15, 0.15})]
	if g.r.Float64() < 0.15 {
		l.MaxOverdraft = 1
	}
	switch rl {
	case roleSharedFloating:
		l.MaxNoOfMachines, l.MaxOverdraft, l.interval = 5, 0, 3600
	case roleOverdraft:
		l.MaxNoOfMachines, l.MaxOverdraft, l.interval = 3+g.r.IntN(3), 1+g.r.IntN(2), 3600
	case roleBurst:
		l.MaxNoOfMachines, l.MaxOverdraft, l.interval = 2, 0, 4*3600
	}
	l.FloatingInterval = time.Duration(l.interval) * time.Second
}

// users returns how many machines run the license's application.
func (g *generator) users(l *lic) int {
	m := l.MaxNoOfMachines
	switch l.role {
	case roleShared:
		return 45
	case roleSharedFloating:
		return 20
	case roleBurst:
		return 0 // its machines are planted
	case roleOverdraft:
		return m + 2
	case roleBlocked:
		return m
	}
	if l.Floating {
		return 5*m/2 + g.r.IntN(m/2+1)
	}
	if l.trial {
		return 1
	}
	n := 1 + g.r.IntN(m)
	if g.r.Float64() < 0.18 {
		n = m + 1 // one user too many: 2023 until they give up
	}
	return n
}

// addMachines creates the license's machines.
func (g *generator) addMachines(li int32, l *lic) {
	spread := l.role == roleShared || l.role == roleSharedFloating
	for range g.users(l) {
		m := machine{lic: li, code: newMachineCode(g.r), name: friendlyName(g.r, l.cust.domain)}
		switch {
		case spread:
			m.ip = newIP(g.r, regions[g.r.IntN(len(regions))])
		case g.r.Float64() < 0.8:
			m.ip = l.cust.offices[g.r.IntN(len(l.cust.offices))]
		default:
			m.ip = newIP(g.r, l.cust.reg)
		}
		if l.Floating {
			m.rate = 2.2 * logNormal(g.r, 0.4)
			if spread {
				m.rate /= 2 // users all over the world, each using it now and then
			}
		} else {
			m.rate = 1.6 * logNormal(g.r, 0.6)
			if l.trial {
				m.rate *= 1.6 // evaluating: opens the application often
			}
			if l.activated < l.MaxNoOfMachines && l.created < g.start {
				m.activated = true
				l.activated++
			}
		}
		m.patience = 10 + g.r.IntN(50)
		if l.role == roleBlocked {
			m.patience += 60 // the team keeps trying until support answers
			m.rate *= 2.5    // and uses the application all day
		}
		if l.trial {
			m.patience = 20 + g.r.IntN(80)
		}
		m.retries = 3
		g.addMachine(l, m)
	}
}

func (g *generator) addMachine(l *lic, m machine) int32 {
	i := int32(len(g.machines))
	g.machines = append(g.machines, m)
	l.machines = append(l.machines, i)
	return i
}

// plantFacts sets the planted facts' times and machines and records them.
func (g *generator) plantFacts() {
	p := &g.acc.Planted
	silentDays := []int64{34, 45, 56}
	for i, l := range g.lics {
		switch l.role {
		case roleShared, roleSharedFloating:
			p.SharedKeys = append(p.SharedKeys, l.Key)
		case roleSilent:
			d := silentDays[len(p.SilentKeys)]
			l.silentFrom = g.end - d*86400 - int64(g.r.IntN(43200))
			p.SilentKeys = append(p.SilentKeys, l.Key)
		case roleOverdraft:
			p.OverdraftKeys = append(p.OverdraftKeys, l.Key)
		case roleBlocked:
			l.blockedAt = g.end - 20*86400 + int64(g.r.IntN(28800))
			p.BlockedKey, p.BlockedAt = l.Key, time.Unix(l.blockedAt, 0).UTC()
		case roleBurst:
			g.plantBurst(int32(i), l)
		}
	}
}

// plantBurst gives the burst key two always-on render nodes and a rogue
// third node that retries during one hour nine days before the end.
func (g *generator) plantBurst(li int32, l *lic) {
	for i := range 2 {
		g.addMachine(l, machine{lic: li, code: newMachineCode(g.r),
			name: "render-node-" + itoa(i+1), ip: l.cust.offices[0], mode: modeAlwaysOn})
	}
	day := (g.end-9*86400+l.tz)/86400*86400 - l.tz // local midnight
	for weekday(day+l.tz) == 0 || weekday(day+l.tz) == 6 {
		day -= 86400
	}
	start := day + 14*3600 + int64(g.r.IntN(1800))
	rogue := machine{lic: li, code: newMachineCode(g.r),
		name: "render-node-3", ip: l.cust.offices[0], mode: modeRogue, until: start + 55*60}
	g.addMachine(l, rogue)
	p := &g.acc.Planted
	p.BurstKey, p.BurstMachine, p.BurstState = l.Key, rogue.code, 2024
	p.BurstStart = time.Unix(start, 0).UTC()
}

func itoa(i int) string { return strconv.Itoa(i) }
