package charts

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Line is a reference line drawn across a chart with its label, where the
// text names a limit or threshold: a seat limit, the silentDays after
// which a key counts as inactive. Set one of Value (a horizontal line at
// that value of the value axis, in the data's units: a share as a
// fraction), X (a vertical line at that value of a numeric x axis, e.g.
// days on a histogram) or At (a vertical line at that instant of a time
// axis).
type Line struct {
	// Label is written beside the line, e.g. "seat limit 5".
	Label string
	// Value places a horizontal line on the value axis.
	Value float64
	// X places a vertical line on a numeric x axis (Vertical must be set).
	X float64
	// Vertical says the line is vertical, at X.
	Vertical bool
	// At places a vertical line on a time axis.
	At time.Time
}

// refColor is the colour of reference lines and their labels.
var refColor = color.RGBA{R: 0x9a, G: 0x67, B: 0x00, A: 0xff}

// refLine is a plotter drawing one Line.
type refLine struct {
	label    string
	at       float64 // in the axis's units (a share already in percent points)
	vertical bool
}

// Plot draws the dashed line and its label.
func (r refLine) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	sty := valueStyle(plt)
	sty.Color = refColor
	ls := draw.LineStyle{Color: refColor, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	if r.vertical {
		x := trX(r.at)
		c.StrokeLines(ls, c.ClipLinesY([]vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}})...)
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		c.FillText(sty, vg.Point{X: x + 3, Y: c.Max.Y - 2}, r.label)
		return
	}
	y := trY(r.at)
	c.StrokeLines(ls, c.ClipLinesX([]vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})...)
	sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
	c.FillText(sty, vg.Point{X: c.Max.X - 2, Y: y + 2}, r.label)
}

// addLines draws o.Lines on p, widening the axes to show each one: a seat
// limit above every value still shows. Call it once the axes are set.
func addLines(p *plot.Plot, o Options, percent bool, title string) error {
	for i, l := range o.Lines {
		r := refLine{label: l.Label}
		switch {
		case !l.At.IsZero():
			r.at, r.vertical = unixSeconds(l.At), true
		case l.Vertical:
			r.at, r.vertical = l.X, true
		default:
			r.at = scaled(l.Value, percent)
		}
		if math.IsNaN(r.at) || math.IsInf(r.at, 0) {
			return fmt.Errorf("charts: %q: reference line %d (%s) is at %v, want a finite value", title, i+1, l.Label, r.at)
		}
		a := &p.Y
		if r.vertical {
			a = &p.X
		}
		if r.at > a.Max {
			a.Max = r.at + (r.at-a.Min)*0.08
		}
		if r.at < a.Min {
			a.Min = r.at
		}
		p.Add(r)
	}
	return nil
}

// finish adds the chart's reference lines and its numbers: the last step
// of every constructor.
func finish(p *plot.Plot, o Options, percent bool, n Numbers) (*plot.Plot, error) {
	if err := addLines(p, o, percent, p.Title.Text); err != nil {
		return nil, err
	}
	attach(p, n)
	return p, nil
}
