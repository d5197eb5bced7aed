package sample

import (
	"slices"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The Web API Log is simulated as discrete events: every machine, and a few
// special actors (key creation, the vendor's back office, the burst), is an
// agent with a next action time in one heap. Popping the earliest action
// and appending its row keeps the log in time order, so ids can simply
// increase; floating seats are tracked per license exactly as a seat audit
// replays them.

// hourWeights is the activity of an hour of a working day, in local time;
// weekendFactor scales Saturdays and Sundays.
var hourWeights = [24]float64{0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.12, 0.3, 0.7, 1, 1, 1,
	0.8, 0.95, 1, 1, 0.9, 0.6, 0.35, 0.25, 0.2, 0.15, 0.08, 0.05}

const weekendFactor = 0.18

// profile is the activity of each hour of the week, Sunday 00:00 first.
var profile = func() (p [168]float64) {
	for h := range p {
		p[h] = hourWeights[h%24]
		if d := h / 24; d == 0 || d == 6 {
			p[h] *= weekendFactor
		}
	}
	return p
}()

// meanActivity is the average of profile: the share of peak activity an
// actor keeps over a whole week.
var meanActivity = func() float64 {
	s := 0.0
	for _, v := range profile {
		s += v
	}
	return s / float64(len(profile))
}()

// unixUTC turns unix seconds into a UTC time.
func unixUTC(t int64) time.Time { return time.Unix(t, 0).UTC() }

// weekday returns 0 for Sunday .. 6 for Saturday of local unix seconds.
func weekday(local int64) int { return int((local/86400 + 4) % 7) }

// activity returns the profile value at local unix seconds.
func activity(local int64) float64 {
	return profile[weekday(local)*24+int(local%86400/3600)]
}

// nextActive returns the next time after t at which an actor that acts
// perDay times a day at peak activity acts, following the weekly rhythm in
// the time zone tz (thinning a Poisson process), or never.
func (g *generator) nextActive(t int64, perDay float64, tz int64) int64 {
	if perDay <= 0 {
		return never
	}
	mean := 86400 / perDay
	for {
		t += int64(expSeconds(g.r, mean)) + 1
		if t > g.end {
			return never
		}
		if g.r.Float64() < activity(t+tz) {
			return t
		}
	}
}

// agentHeap is a binary min-heap of (time, agent) pairs.
type agentHeap []heapItem

type heapItem struct {
	t int64
	a int32
}

func (h heapItem) less(o heapItem) bool { return h.t < o.t || h.t == o.t && h.a < o.a }

func (h *agentHeap) push(it heapItem) {
	*h = append(*h, it)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !s[i].less(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *agentHeap) pop() heapItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l, m := 2*i+1, i
		if l < len(s) && s[l].less(s[m]) {
			m = l
		}
		if r := l + 1; r < len(s) && s[r].less(s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// specialKind is an actor that is not a machine.
type specialKind int

const (
	specialCreate     specialKind = iota // a key is created (3010)
	specialBlock                         // the vendor blocks a key (7010)
	specialRenew                         // the vendor extends an expired key (7010)
	specialBackground                    // the vendor's back office: 1010, 40xx, 60x0, 70xx
	specialUnknown                       // the back office sends an undocumented state code (planted)
)

type special struct {
	kind specialKind
	lic  int32
}

// schedule queues agent a to act at t, unless t is past the end.
func (g *generator) schedule(t int64, a int32) {
	if t <= g.end && t != never {
		g.heap.push(heapItem{t, a})
	}
}

// addSpecial registers a special actor acting first at t.
func (g *generator) addSpecial(t int64, s special) {
	if t < g.start {
		return // happened before the history
	}
	a := int32(len(g.machines) + len(g.specials))
	g.specials = append(g.specials, s)
	g.schedule(t, a)
}

// simulateWebAPI runs the simulation from the start to the end of the
// history and fills Account.WebAPI.
func (g *generator) simulateWebAPI() {
	g.raw = make([]rawRow, 0, g.opt.WebAPIRows+g.opt.WebAPIRows/8+1024)
	g.nextID = 7_400_000 + g.r.Int64N(1_000_000)
	g.heap = make(agentHeap, 0, len(g.machines)+len(g.lics)+8)
	for i := range g.machines {
		g.scheduleFirst(int32(i))
	}
	for i, l := range g.lics {
		li := int32(i)
		if l.created >= g.start {
			g.addSpecial(l.created, special{specialCreate, li})
		}
		if l.blockedAt != 0 {
			g.addSpecial(l.blockedAt, special{specialBlock, li})
		}
		if l.renewAt != 0 {
			g.addSpecial(l.renewAt, special{specialRenew, li})
		}
	}
	g.addSpecial(g.nextActive(g.start, g.bgPerDay/meanActivity, 3600), special{kind: specialBackground})
	g.scheduleUnknownStates()
	for len(g.heap) > 0 {
		it := g.heap.pop()
		if it.t > g.end {
			break
		}
		g.act(it.a, it.t)
	}
	g.plantSkews()
	g.materialize()
}

// scheduleFirst queues machine i's first action.
func (g *generator) scheduleFirst(i int32) {
	m := &g.machines[i]
	l := g.lics[m.lic]
	from := max(g.start, l.created)
	switch m.mode {
	case modeAlwaysOn:
		m.inSession, m.sessionEnd = true, never
		g.schedule(from+int64(g.r.IntN(600)), i)
	case modeRogue:
		g.schedule(g.acc.Planted.BurstStart.Unix(), i)
	default:
		g.schedule(g.nextActive(from, m.rate*g.scale, l.tz), i)
	}
}

// act performs agent a's action at t.
func (g *generator) act(a int32, t int64) {
	if g.inOutage(t) {
		g.afterOutage(a)
		return
	}
	if int(a) < len(g.machines) {
		m := &g.machines[a]
		if g.lics[m.lic].Floating {
			g.floatingStep(a, m, t)
		} else {
			g.nodeLockedStep(a, m, t)
		}
		return
	}
	s := g.specials[int(a)-len(g.machines)]
	switch s.kind {
	case specialCreate:
		g.emit(t, s.lic, -1, cryptolens.StateKeyCreated, false, 0, 0, 0)
	case specialBlock, specialRenew:
		g.emit(t, s.lic, -1, 7010, false, 0, 0, 0)
	case specialBackground:
		g.background(t)
		g.schedule(g.nextActive(t, g.bgPerDay/meanActivity, 3600), a)
	case specialUnknown:
		g.emitUnknown(t, s.lic)
	}
}

// rawRow is a Web API row during the simulation: pointer-free, so the
// garbage collector does not scan millions of them while they are made,
// and turned into cryptolens.WebAPILogRow once the count is known.
type rawRow struct {
	id, t, expires, doInt, doID int64
	lic, mach                   int32 // mach -1: the vendor's back office
	state                       int16
	ident                       bool // the row carries the machine code and friendly name
}

// emit appends one row made by machine mach of license l (-1: by the
// vendor); ident says whether it names the machine.
func (g *generator) emit(t int64, l int32, mach int32, st cryptolens.State, ident bool,
	expires, doInt, doID int64) {
	g.nextID += 1 + g.r.Int64N(24)
	g.raw = append(g.raw, rawRow{id: g.nextID, t: t, expires: expires, doInt: doInt, doID: doID,
		lic: l, mach: mach, state: int16(st), ident: ident})
}

// emitMachine appends a row made by machine m naming itself.
func (g *generator) emitMachine(t int64, a int32, st cryptolens.State, expires int64) {
	g.emit(t, g.machines[a].lic, a, st, true, expires, 0, 0)
}

// materialize turns the raw rows into Account.WebAPI, sized exactly.
func (g *generator) materialize() {
	rows := make([]cryptolens.WebAPILogRow, len(g.raw))
	for i := range g.raw {
		r := &g.raw[i]
		l := g.lics[r.lic]
		row := &rows[i]
		*row = cryptolens.WebAPILogRow{ID: r.id, ProductID: l.ProductID, Key: l.Key, IP: g.vendorIP,
			Time: r.t, State: cryptolens.State(r.state), FloatingExpires: r.expires,
			DOIntValue: r.doInt, DOID: r.doID}
		if r.mach >= 0 {
			m := &g.machines[r.mach]
			row.IP = m.ip
			if r.ident {
				row.MachineCode, row.FriendlyName = m.code, m.name
			}
		}
	}
	g.raw = nil
	g.acc.WebAPI = rows
}

// nodeLockedStep is one application start on a node-locked machine:
// an activation (2010 the first time, then mostly 2011) or a failure.
func (g *generator) nodeLockedStep(a int32, m *machine, t int64) {
	l := g.lics[m.lic]
	if !l.activeAt(t) {
		return
	}
	st := g.nodeLockedState(l, m, t)
	g.emitMachine(t, a, st, 0)
	if st.Outcome() == cryptolens.OutcomeFailure {
		if m.again == 0 { // a failed start: this try and 0-3 quick retries
			m.patience--
			if m.patience <= 0 {
				return // the user gave up
			}
			m.again = 1 + g.r.IntN(4)
		}
		if m.again--; m.again > 0 { // the user clicks "Activate" again
			g.schedule(t+5+int64(g.r.IntN(40)), a)
			return
		}
	} else {
		m.again = 0
		m.patience = max(m.patience, 3+g.r.IntN(10))
		g.meter(t, l, a)
	}
	g.schedule(g.nextActive(t, m.rate*g.scale, l.tz), a)
}

// nodeLockedState decides the outcome of an activation at t. The failure
// detail digits are this sample's convention: 2021 blocked, 2022 expired,
// 2023 machine limit reached, 2020 other.
func (g *generator) nodeLockedState(l *lic, m *machine, t int64) cryptolens.State {
	switch {
	case l.blockedAt != 0 && t >= l.blockedAt:
		return 2021
	case l.expires != 0 && t >= l.expires && (l.renewAt == 0 || t < l.renewAt):
		return 2022
	case !m.activated && l.activated >= l.MaxNoOfMachines:
		return 2023
	case g.r.Float64() < g.otherFailure(l, t):
		return 2020
	case !m.activated:
		m.activated = true
		l.activated++
		return 2010
	}
	switch u := g.r.Float64(); {
	case u < 0.03:
		return 2012
	case u < 0.05:
		return 2013
	}
	return 2011
}

// meter reports metered usage to the license's data object (8010, or 8020
// when the call fails).
func (g *generator) meter(t int64, l *lic, a int32) {
	if !l.metered || g.r.Float64() < 0.4 {
		return
	}
	st := cryptolens.State(8010)
	if g.r.Float64() < 0.06 {
		st = 8020
	}
	g.emit(t, g.machines[a].lic, a, st, false, 0, int64(1+g.r.IntN(25)), l.doID)
}

// floatingStep advances a floating client: start a session by taking a
// seat, refresh it while in use, then release it (6011) or let it expire.
func (g *generator) floatingStep(a int32, m *machine, t int64) {
	l := g.lics[m.lic]
	if !l.activeAt(t) {
		return
	}
	switch {
	case m.mode == modeRogue:
		g.rogueStep(a, m, l, t)
	case !m.inSession:
		g.startSession(a, m, l, t)
	case t >= m.sessionEnd:
		g.endSession(a, m, l, t)
	default:
		st, exp := g.takeSeat(l, a, t)
		g.emitMachine(t, a, st, exp)
		g.scheduleRefresh(a, m, l, t)
	}
}

// startSession tries to take a seat; on 2024 the client retries a couple
// of times a few minutes apart, then waits for its next session.
func (g *generator) startSession(a int32, m *machine, l *lic, t int64) {
	st, exp := g.takeSeat(l, a, t)
	g.emitMachine(t, a, st, exp)
	if st == cryptolens.StateNoFreeSeat {
		if m.retries > 0 {
			m.retries--
			g.schedule(t+60+int64(g.r.IntN(300)), a)
			return
		}
		m.retries = 3
		g.schedule(g.nextActive(t, m.rate*g.scale, l.tz), a)
		return
	}
	m.inSession = true
	hours := min(max(3.5*logNormal(g.r, 0.5), 0.15), 10)
	m.sessionEnd = t + int64(hours*3600)
	g.meter(t, l, a)
	g.scheduleRefresh(a, m, l, t)
}

// endSession releases the seat (6011) or, a third of the time, just stops
// refreshing so that the seat expires.
func (g *generator) endSession(a int32, m *machine, l *lic, t int64) {
	m.inSession = false
	m.retries = 3
	if g.r.Float64() < 0.67 {
		l.release(a)
		g.emitMachine(t, a, cryptolens.StateFloatingReleased, 0)
	}
	g.schedule(g.nextActive(t, m.rate*g.scale, l.tz), a)
}

// scheduleRefresh queues the next seat refresh, well before the seat
// expires, or the end of the session if that comes first.
func (g *generator) scheduleRefresh(a int32, m *machine, l *lic, t int64) {
	next := t + int64(float64(l.interval)*(0.6+0.3*g.r.Float64()))
	g.schedule(min(next, m.sessionEnd), a)
}

// rogueStep is the planted burst: activation attempts about once a minute
// until the client is stopped.
func (g *generator) rogueStep(a int32, m *machine, l *lic, t int64) {
	if t > m.until {
		return
	}
	st, exp := g.takeSeat(l, a, t)
	g.emitMachine(t, a, st, exp)
	p := &g.acc.Planted
	if st == p.BurstState {
		p.BurstFailures++
		p.BurstEnd = unixUTC(t)
	}
	if st == cryptolens.StateNoFreeSeat {
		g.schedule(t+45+int64(g.r.IntN(30)), a)
	}
}

// takeSeat is one floating activation by machine m at t, decided as
// Cryptolens does: a machine holding a live seat refreshes it; otherwise it
// takes a free seat (2014), an overdraft seat (2015) or gets 2024.
func (g *generator) takeSeat(l *lic, mi int32, t int64) (cryptolens.State, int64) {
	l.expireSeats(t)
	exp := t + l.interval
	held := -1
	for i, s := range l.seats {
		if s.m == mi {
			held = i
		}
	}
	switch {
	case held >= 0:
		l.seats[held].expires = exp
	case len(l.seats) < l.MaxNoOfMachines+l.MaxOverdraft:
		l.seats = append(l.seats, seat{mi, exp})
	default:
		return cryptolens.StateNoFreeSeat, 0
	}
	if len(l.seats) > l.MaxNoOfMachines {
		return cryptolens.StateFloatingOverdraft, exp
	}
	return cryptolens.StateFloatingActivated, exp
}

// expireSeats frees the seats whose time ran out by t.
func (l *lic) expireSeats(t int64) {
	l.seats = slices.DeleteFunc(l.seats, func(s seat) bool { return s.expires <= t })
}

// release frees machine m's seat.
func (l *lic) release(m int32) {
	l.seats = slices.DeleteFunc(l.seats, func(s seat) bool { return s.m == m })
}

// background is one action of the vendor's back office or integrations:
// optional fields, license changes, node-locked deactivations and the odd
// validation call.
func (g *generator) background(t int64) {
	li := g.activeLicense(t)
	if li < 0 {
		return
	}
	fail := g.r.Float64() < 0.1
	var st cryptolens.State
	switch u := g.r.Float64(); {
	case u < 0.35:
		st = 4010
	case u < 0.6:
		st = 7010
	case u < 0.72:
		st = 1010
	case u < 0.78:
		st = 4011 // optional field incremented (detail digit: sample convention)
	default:
		g.deactivate(t, li, fail)
		return
	}
	if fail {
		st += 10
	}
	g.emit(t, li, -1, st, false, 0, 0, 0)
}

// deactivate removes one activated machine from a node-locked key (6010),
// or fails to (6020: the machine was not activated).
func (g *generator) deactivate(t int64, li int32, fail bool) {
	l := g.lics[li]
	if l.Floating || len(l.machines) == 0 {
		return
	}
	a := l.machines[g.r.IntN(len(l.machines))]
	m := &g.machines[a]
	if fail || !m.activated {
		g.emitMachine(t, a, 6020, 0)
		return
	}
	m.activated = false
	l.activated--
	g.emitMachine(t, a, 6010, 0)
}

// activeLicense picks a license whose clients are active at t, or -1.
func (g *generator) activeLicense(t int64) int32 {
	for range 8 {
		i := g.r.IntN(len(g.lics))
		if l := g.lics[i]; l.activeAt(t) && l.role != roleBurst {
			return int32(i)
		}
	}
	return -1
}
