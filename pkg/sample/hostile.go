package sample

import "github.com/lenslog/lenslog/pkg/cryptolens"

// HostileRows names where Generate planted Options.Hostile's strings, so
// tests can check that reports show them, harmlessly.
type HostileRows struct {
	// WebAPIIDs are the newest Web API rows written by a device (with a
	// machine code): friendly name and machine code are hostile strings,
	// and on the newest hostileKeys of them the license key too.
	WebAPIIDs []int64
	// SharedNames: every row of the planted shared keys (Planted.
	// SharedKeys) has a hostile friendly name, so the friendly names a
	// key-sharing analysis lists for them are all hostile.
	SharedNames int
	// EventIDs are the newest events: feature name, event name and
	// machine code are hostile strings, and the metadata is by turns JSON
	// whose values are hostile ({"OS":…,"Arch":…}), JSON whose field name
	// is hostile, and hostile text that is not JSON.
	EventIDs []int64
	// ObjectIDs are the newest Object Log entries outside the planted
	// story: their data is by turns an update of Block, MaxNoOfMachines or
	// ExpirationDate to and from hostile values, an update of a field with
	// a hostile name, and hostile text that is not JSON.
	ObjectIDs []int64
}

// hostileKeys is how many of the hostile Web API rows also get a hostile
// license key: a few, so the analyses that pick a key still pick a real
// one.
const hostileKeys = 3

// plantHostile writes Options.Hostile's strings into the fields that
// customers' devices (and, for the Object Log, the account's users)
// write. Each string is planted at least once in every log, in the
// newest rows, which tables show; nothing else about the rows changes.
func (g *generator) plantHostile() {
	h := g.opt.Hostile
	if len(h) == 0 {
		return
	}
	p := &g.acc.Planted.Hostile
	p.WebAPIIDs = plantHostileWebAPI(g.acc.WebAPI, h)
	p.SharedNames = plantHostileNames(g.acc.WebAPI, g.acc.Planted.SharedKeys, h)
	p.EventIDs = plantHostileEvents(g.acc.Events, h)
	p.ObjectIDs = plantHostileObjects(g.acc.Objects, &g.acc.Planted, h)
}

// plantHostileWebAPI puts hostile strings into the newest len(h) device
// rows: h[i] as friendly name, the next one as machine code, and on the
// newest hostileKeys rows the one after as the key. It returns their ids.
func plantHostileWebAPI(rows []cryptolens.WebAPILogRow, h []string) []int64 {
	var ids []int64
	for i := len(rows) - 1; i >= 0 && len(ids) < len(h); i-- {
		r := &rows[i]
		if r.MachineCode == "" {
			continue
		}
		n := len(ids)
		r.FriendlyName, r.MachineCode = h[n], h[(n+1)%len(h)]
		if n < hostileKeys {
			r.Key = h[(n+2)%len(h)]
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// plantHostileNames gives every row of the keys a hostile friendly name,
// the same for the same original name, and returns how many rows changed.
func plantHostileNames(rows []cryptolens.WebAPILogRow, keys []string, h []string) int {
	shared := map[string]bool{}
	for _, k := range keys {
		shared[k] = true
	}
	names := map[string]string{}
	n := 0
	for i := range rows {
		r := &rows[i]
		if !shared[r.Key] || r.FriendlyName == "" {
			continue
		}
		if _, ok := names[r.FriendlyName]; !ok {
			names[r.FriendlyName] = h[len(names)%len(h)]
		}
		r.FriendlyName = names[r.FriendlyName]
		n++
	}
	return n
}

// plantHostileEvents puts hostile strings into the newest len(h) events
// and returns their ids. The newest event starts a third of the way into
// h, so that the newest few rows of the three logs, which a table shows,
// hold different strings.
func plantHostileEvents(events []cryptolens.Event, h []string) []int64 {
	var ids []int64
	for i := len(events) - 1; i >= 0 && len(ids) < len(h); i-- {
		e := &events[i]
		n := len(ids) + len(h)/3
		at := func(k int) string { return h[(n+k)%len(h)] }
		e.FeatureName, e.EventName, e.MachineCode = at(0), at(1), at(2)
		switch n % 3 {
		case 0:
			e.Metadata = mustJSON(map[string]string{"OS": at(3), "Arch": at(4)})
		case 1:
			e.Metadata = mustJSON(map[string]string{at(3): at(4)})
		default:
			e.Metadata = at(3)
		}
		ids = append(ids, e.ID)
	}
	return ids
}

// plantHostileObjects puts hostile strings into the data of the newest
// len(h) Object Log entries that are not part of the planted story, and
// returns their ids. The newest starts two thirds of the way into h.
func plantHostileObjects(objects []cryptolens.ObjectLogEntry, story *Planted, h []string) []int64 {
	var ids []int64
	for i := len(objects) - 1; i >= 0 && len(ids) < len(h); i-- {
		o := &objects[i]
		if o.ID == story.BlockEntry || o.ID == story.ProductChangeEntry || o.ID == story.ProductRevertEntry {
			continue
		}
		n := len(ids) + 2*len(h)/3
		at := func(k int) string { return h[(n+k)%len(h)] }
		o.ResourceAction = cryptolens.ActionUpdated
		switch n % 5 {
		case 0:
			o.Data = mustJSON(map[string][2]any{"Block": {at(0), at(1)}})
		case 1:
			o.Data = mustJSON(map[string][2]any{"MaxNoOfMachines": {at(0), 5}})
		case 2:
			o.Data = mustJSON(map[string][2]any{"ExpirationDate": {at(0), at(1)}})
		case 3:
			o.Data = mustJSON(map[string][2]any{at(0): {at(1), 1}})
		default:
			o.Data = at(0)
		}
		ids = append(ids, o.ID)
	}
	return ids
}
