package charts

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// barWidth is the share of a category's slot a bar fills.
const barWidth = 0.7

// bars is a plotter drawing one rectangle per category i, from base[i] to
// top[i] along the value axis, centred on i along the category axis. Its
// width is in data units, so bars fit at any image size. Stacked bars are
// several bars layers whose bases are the tops of the layer below.
type bars struct {
	base, top  []float64
	colors     []color.Color // per bar; nil means fill for all
	fill       color.Color
	horizontal bool
}

func newBars(base, top []float64, fill color.Color) *bars {
	if base == nil {
		base = make([]float64, len(top))
	}
	return &bars{base: base, top: top, fill: fill}
}

func (b *bars) color(i int) color.Color {
	if b.colors != nil && b.colors[i] != nil {
		return b.colors[i]
	}
	return b.fill
}

// Plot draws the bars.
func (b *bars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for i := range b.top {
		if b.top[i] == b.base[i] {
			continue // nothing to draw; keeps element counts honest
		}
		w := barWidth
		if len(b.top) < 4 {
			w = 0.5 // two or three bars: keep them from looking like walls
		}
		lo, hi := float64(i)-w/2, float64(i)+w/2
		var pts []vg.Point
		if b.horizontal {
			pts = rect(trX(b.base[i]), trY(lo), trX(b.top[i]), trY(hi))
		} else {
			pts = rect(trX(lo), trY(b.base[i]), trX(hi), trY(b.top[i]))
		}
		c.FillPolygon(b.color(i), c.ClipPolygonXY(pts))
	}
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

// DataRange covers every category slot and the value range including 0.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	cmin, cmax := -0.5, float64(len(b.top))-0.5
	vmin, vmax := 0.0, 0.0
	for i := range b.top {
		vmin = math.Min(vmin, math.Min(b.base[i], b.top[i]))
		vmax = math.Max(vmax, math.Max(b.base[i], b.top[i]))
	}
	if b.horizontal {
		return vmin, vmax, cmin, cmax
	}
	return cmin, cmax, vmin, vmax
}

// Thumbnail draws the legend swatch.
func (b *bars) Thumbnail(c *draw.Canvas) {
	pts := rect(c.Min.X, c.Min.Y, c.Max.X, c.Max.Y)
	c.FillPolygon(b.fill, c.ClipPolygonXY(pts))
}
