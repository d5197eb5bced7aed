package charts

import (
	"math"

	"gonum.org/v1/plot"
)

// numberTicks is a plot.Ticker for value axes: at most about max major
// ticks at steps of 1, 2 or 5 times a power of ten, never finer than 1 when
// integer is set (counts, seats), labelled with thousands separators.
type numberTicks struct {
	integer bool
	suffix  string // appended to each label, e.g. "%"
	max     int    // wanted major ticks; 0 means 6
}

// Ticks returns the major ticks between min and max.
func (t numberTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
		return []plot.Tick{{Value: min, Label: formatValue(min, false) + t.suffix}}
	}
	n := t.max
	if n <= 0 {
		n = 6
	}
	step := niceStep((max - min) / float64(n))
	if t.integer && step < 1 {
		step = 1
	}
	var ticks []plot.Tick
	for v := math.Ceil(min/step) * step; v <= max+step*1e-9; v += step {
		v = math.Round(v/step) * step // no accumulated drift: 0.30000000000000004
		ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v, step) + t.suffix})
	}
	return ticks
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*pow*(1+1e-9) {
			return m * pow
		}
	}
	return 10 * pow
}

// tickLabel formats v with as many decimals as step needs.
func tickLabel(v, step float64) string {
	if step >= 1 || v == 0 {
		return formatValue(math.Round(v), false)
	}
	dec := int(math.Ceil(-math.Log10(step) - 1e-9))
	return formatFixed(v, dec)
}
