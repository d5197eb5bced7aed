package sample

import (
	"hash/fnv"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// eventCount returns how many Events Log rows go with rows Web API rows.
func eventCount(rows int) int { return min(max(rows/5, 500), 250_000) }

// buildEvents fills Account.Events: the last eventDays days of feature
// usage, OS statistics and purchases registered by the clients, following
// each customer's working rhythm.
func (g *generator) buildEvents() {
	r := rngFor(g.opt.Seed, 2)
	n := eventCount(g.opt.WebAPIRows)
	from := g.end - eventDays*86400
	mean := float64(eventDays*86400) / (float64(n) / meanActivity)
	id := 1_200_000 + r.Int64N(100_000)
	g.acc.Events = make([]cryptolens.Event, 0, n+n/8)
	for t := from; ; {
		t += int64(expSeconds(r, mean)) + 1
		if t > g.end {
			break
		}
		m := &g.machines[r.IntN(len(g.machines))]
		l := g.lics[m.lic]
		blocked := l.blockedAt != 0 && t >= l.blockedAt // the application no longer starts
		if !l.activeAt(t) || m.mode == modeRogue || blocked || g.inOutage(t) || r.Float64() >= activity(t+l.tz) {
			continue
		}
		id += 1 + r.Int64N(8)
		e := cryptolens.Event{ID: id, ProductID: l.ProductID, Key: l.Key, Time: t}
		switch u := r.Float64(); {
		case u < 0.72:
			features := specOf(l.ProductID).features
			e.MachineCode = m.code
			e.FeatureName = features[r.IntN(len(features))]
			e.EventName = []string{"click", "open", "complete"}[pick(r, []float64{0.6, 0.25, 0.15})]
		case u < 0.94:
			e.MachineCode = m.code
			e.FeatureName, e.EventName = "Application", "start"
			e.Metadata = osMetadata[osOf(m.code)]
		default:
			e.FeatureName, e.EventName = "Purchase", []string{"upgrade", "credits"}[r.IntN(2)]
			e.Value = []int64{2500, 4900, 9900, 19900}[pick(r, []float64{0.3, 0.35, 0.25, 0.1})]
			e.Currency = l.cust.reg.currency
		}
		g.acc.Events = append(g.acc.Events, e)
	}
}

// specOf returns the product's spec.
func specOf(productID int) productSpec {
	for _, p := range productSpecs {
		if p.ID == productID {
			return p
		}
	}
	return productSpecs[0]
}

// osOf returns the index in osMetadata of the OS a machine runs: fixed per
// machine, so its OS events agree with each other.
func osOf(code string) int {
	h := fnv.New32a()
	h.Write([]byte(code))
	u := float64(h.Sum32()) / (1 << 32)
	for i, w := range osWeights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(osWeights) - 1
}
