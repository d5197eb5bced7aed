package sample

import (
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The planted story of the blocked key, the product change and the data
// problems (see Planted). Times are fixed offsets from the end of the
// history, moved to working days, so that every account has them in the
// same place and the random streams of the rest of the account do not
// shift when one of them moves.
const (
	blockedKeyAge      = 50*86400 - 9*3600 // the blocked key is created 50 days before the end
	productChangeAge   = 12 * 86400        // the product change, days before the end
	productChangeHours = 3*86400 + 5*3600  // how long until it is reverted
	productQuiet       = 4 * 86400         // no other change to the product this close to it
	outageAge          = 27 * 86400        // the outage day, days before the end
	changedProduct     = 5377              // FieldNotes Mobile
	changedField       = "RequireSignedMachineCode"
	normalOtherFailure = 0.025 // share of node-locked activations failing with 2020
	changeFailure      = 0.5   // the same while the product change is in force
)

// plantedUnknownStates are the undocumented codes the back office sends a
// few times: an unknown outcome digit (4030, 7090) and an unknown method
// group (9011).
var plantedUnknownStates = []cryptolens.State{4030, 7090, 9011, 4030, 7090}

// plantedSkews are the days before the end at which a back-office row is
// logged with a skewed clock, and how far back: well inside the history,
// away from its edges and from the spans notebooks load (7, 30, 60 days).
var plantedSkews = []struct {
	daysBefore int64
	back       int64 // seconds
}{{95, 7 * 60}, {85, 35 * 60}, {74, 80 * 60}, {52, 165 * 60}, {47, 230 * 60}}

// workingDay returns the UTC midnight of the working day at or before
// midnight day.
func workingDay(day int64) int64 {
	day = day / 86400 * 86400
	for weekday(day) == 0 || weekday(day) == 6 {
		day -= 86400
	}
	return day
}

// planStory fixes the times of the product change and the outage, before
// the simulation runs.
func (g *generator) planStory() {
	p := &g.acc.Planted
	day := (g.end - productChangeAge) / 86400 * 86400
	for weekday(day) != 2 {
		day -= 86400 // a Tuesday, so the days after it are working days
	}
	change := day + 9*3600 + 40*60
	revert := change + productChangeHours // the Friday afternoon
	g.changeAt, g.revertAt = change, revert
	p.ProductChangeID, p.ProductChangeField = changedProduct, changedField
	p.ProductChangeAt, p.ProductRevertAt = unixUTC(change), unixUTC(revert)
	if g.opt.Clean {
		return
	}
	g.outageFrom = workingDay(g.end - outageAge)
	p.OutageDay = unixUTC(g.outageFrom)
}

// inOutage reports whether t falls on the outage day.
func (g *generator) inOutage(t int64) bool {
	return g.outageFrom != 0 && t >= g.outageFrom && t < g.outageFrom+86400
}

// afterOutage puts agent a's action, due during the outage, to when
// Cryptolens is back: machines resume their rhythm, the vendor's own
// actions happen within the next hours.
func (g *generator) afterOutage(a int32) {
	back := g.outageFrom + 86400
	if int(a) < len(g.machines) {
		m := &g.machines[a]
		l := g.lics[m.lic]
		if m.mode == modeAlwaysOn || m.inSession {
			g.schedule(back+int64(g.pr.IntN(1800)), a)
			return
		}
		g.schedule(g.nextActive(back, m.rate*g.scale, l.tz), a)
		return
	}
	if g.specials[int(a)-len(g.machines)].kind == specialBackground {
		g.schedule(g.nextActive(back, g.bgPerDay/meanActivity, 3600), a)
		return
	}
	g.schedule(back+int64(g.pr.IntN(4*3600)), a)
}

// otherFailure is the chance that a node-locked activation of l at t
// fails for no reason the key explains (2020).
func (g *generator) otherFailure(l *lic, t int64) float64 {
	if l.ProductID == changedProduct && t >= g.changeAt && t < g.revertAt {
		return changeFailure
	}
	return normalOtherFailure
}

// scheduleUnknownStates queues the back-office rows with undocumented
// state codes, at working hours spread over the history.
func (g *generator) scheduleUnknownStates() {
	if g.opt.Clean {
		return
	}
	for i := range plantedUnknownStates {
		day := workingDay(g.end - int64(100-19*i)*86400)
		g.addSpecial(day+11*3600+int64(i)*1723, special{kind: specialUnknown, lic: int32(i)})
	}
}

// emitUnknown writes planted unknown-state row i for a license active at
// t.
func (g *generator) emitUnknown(t int64, i int32) {
	li := int32(g.pr.IntN(len(g.lics)))
	for try := 0; (!g.lics[li].activeAt(t) || g.lics[li].role != roleNormal) && try < 1000; try++ {
		li = int32(g.pr.IntN(len(g.lics)))
	}
	st := plantedUnknownStates[i]
	g.emit(t, li, -1, st, false, 0, 0, 0)
	p := &g.acc.Planted
	p.UnknownStateIDs = append(p.UnknownStateIDs, g.nextID)
	p.UnknownStates = append(p.UnknownStates, st)
}

// plantSkews moves a few back-office rows earlier than the rows before
// them, as a server with a wrong clock would log them. Each is the first
// back-office row of a normal key after 14:00 UTC on its day.
func (g *generator) plantSkews() {
	if g.opt.Clean {
		return
	}
	for _, s := range plantedSkews {
		at := workingDay(g.end-s.daysBefore*86400) + 14*3600
		for i := range g.raw {
			r := &g.raw[i]
			if r.t < at || r.mach >= 0 || g.lics[r.lic].role != roleNormal || i == 0 {
				continue
			}
			r.t -= s.back
			if g.raw[i-1].t > r.t {
				g.acc.Planted.OutOfOrderIDs = append(g.acc.Planted.OutOfOrderIDs, r.id)
			}
			break
		}
	}
}

// plantedObjects returns the Object Log entries of the story: the block
// of the blocked key, and the product change and its revert.
func (g *generator) plantedObjects() []objectEntry {
	var out []objectEntry
	for i, l := range g.lics {
		if l.role == roleBlocked {
			out = append(out, objectEntry{Created: l.blockedAt + 4, PerformedByUserID: objectUsers[2],
				ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionUpdated,
				AffectedObjectID: licenseIDBase + int64(i), Data: mustJSON(map[string][2]any{"Block": {false, true}})})
			p := &g.acc.Planted
			p.BlockedKeyCreated, p.BlockedKeyObjectID = l.Created, licenseIDBase+int64(i)
		}
	}
	product := func(at int64, user string, from, to bool) objectEntry {
		return objectEntry{Created: at, PerformedByUserID: user, ResourceType: cryptolens.ResourceProduct,
			ResourceAction: cryptolens.ActionUpdated, AffectedObjectID: changedProduct,
			Data: mustJSON(map[string][2]any{changedField: {from, to}})}
	}
	return append(out, product(g.changeAt, objectUsers[1], false, true),
		product(g.revertAt, objectUsers[0], true, false))
}

// blursStory reports whether a random entry e would blur the planted
// story: another change to the changed product close to the change, or
// another block of the blocked key.
func (g *generator) blursStory(e objectEntry) bool {
	if e.ResourceType == cryptolens.ResourceProduct && e.AffectedObjectID == changedProduct {
		return e.Created > g.changeAt-productQuiet && e.Created < g.revertAt+productQuiet
	}
	if e.ResourceType != cryptolens.ResourceLicenseKey || e.AffectedObjectID < licenseIDBase {
		return false
	}
	i := e.AffectedObjectID - licenseIDBase
	return i < int64(len(g.lics)) && g.lics[i].role == roleBlocked && strings.Contains(e.Data, `"Block"`)
}

// notePlantedIDs records the ids the planted Object Log entries got.
func (g *generator) notePlantedIDs() {
	p := &g.acc.Planted
	for _, e := range g.acc.Objects {
		switch {
		case e.AffectedObjectID == p.BlockedKeyObjectID && e.Created == p.BlockedAt.Unix()+4 &&
			e.ResourceType == cryptolens.ResourceLicenseKey:
			p.BlockEntry = e.ID
		case e.ResourceType == cryptolens.ResourceProduct && e.AffectedObjectID == changedProduct &&
			e.Created == g.changeAt:
			p.ProductChangeEntry = e.ID
		case e.ResourceType == cryptolens.ResourceProduct && e.AffectedObjectID == changedProduct &&
			e.Created == g.revertAt:
			p.ProductRevertEntry = e.ID
		}
	}
}
