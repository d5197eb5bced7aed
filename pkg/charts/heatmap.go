package charts

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/lenslog/lenslog/pkg/format"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// heatLevels is the number of colour steps of a heat map.
const heatLevels = 9

// HeatMap draws a grid of values as coloured cells, e.g. requests by
// weekday (rows, first at the top) and hour of day (columns), with a
// labelled colour scale on the right (Options.ValueLabel, default
// "Count"). Colours run from pale yellow (lowest) to dark red (highest) in
// nine steps; with no negative values the scale starts at zero.
//
// Values must be finite. A grid without rows or columns wraps ErrNoData.
func HeatMap(data Grid, title string, opts ...Options) (*plot.Plot, error) {
	o, err := pick("heat map", opts)
	if err != nil {
		return nil, err
	}
	ck := checker{"heat map", title}
	lo, hi, err := ck.grid(data)
	if err != nil {
		return nil, err
	}
	var pal palette.Palette = heatPalette{}
	g := gridXYZ{data}
	hm := plotter.NewHeatMap(g, pal)
	hm.Min, hm.Max = lo, hi
	p := newPlot(title, o.XLabel, o.YLabel)
	p.Add(hm, &colorScale{palette: pal.Colors(), min: lo, max: hi, label: orDefault(o.ValueLabel, "Count")})
	rows, cols := data.Dims()
	colLabels := make([]string, cols)
	for c := range cols {
		colLabels[c] = data.ColLabel(c)
	}
	rowLabels := make([]string, rows)
	for r := range rows {
		rowLabels[rows-1-r] = data.RowLabel(r) // row 0 on top
	}
	nominal(&p.X, colLabels)
	nominal(&p.Y, rowLabels)
	p.X.Width, p.Y.Width = 0, 0
	p.X.Padding, p.Y.Padding = 0, 0
	attach(p, gridNumbers(data, o, lo, hi))
	return p, nil
}

// gridNumbers are a heat map's figures, one row of the table per row of
// the grid.
func gridNumbers(data Grid, o Options, lo, hi float64) Numbers {
	rows, cols := data.Dims()
	n := Numbers{Columns: []string{orDefault(o.YLabel, "Row")}}
	for c := range cols {
		n.Columns = append(n.Columns, data.ColLabel(c))
	}
	for r := range rows {
		row := []string{data.RowLabel(r)}
		for c := range cols {
			row = append(row, format.Number(data.Z(r, c)))
		}
		n.Rows = append(n.Rows, row)
	}
	n.Summary = fmt.Sprintf("%d × %d grid of %s, from %s to %s", rows, cols,
		strings.ToLower(orDefault(o.ValueLabel, "Count")), format.Number(lo), format.Number(hi))
	return n
}

// grid checks a Grid and returns the colour range.
func (c checker) grid(data Grid) (lo, hi float64, err error) {
	if data == nil {
		return 0, 0, c.empty("grid")
	}
	rows, cols := data.Dims()
	if rows <= 0 || cols <= 0 {
		return 0, 0, c.empty("grid")
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for r := range rows {
		for col := range cols {
			v := data.Z(r, col)
			if err := c.finite(r, data.RowLabel(r)+" / "+data.ColLabel(col), v); err != nil {
				return 0, 0, err
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > 0 {
		lo = 0
	}
	if hi == lo {
		hi = lo + 1 // all zero: one colour, and a scale that still reads 0..1
	}
	return lo, hi, nil
}

// heatColors is ColorBrewer's nine-step sequential YlOrRd scheme (Cynthia
// Brewer, colorbrewer2.org), pale yellow to dark red. It is written out
// rather than taken from gonum's palette/brewer, whose init builds every
// ColorBrewer scheme: that package added 0.25 MB to every notebook cell
// program for these nine colours. A test checks them against brewer.
var heatColors = [heatLevels]color.RGBA{
	{0xff, 0xff, 0xcc, 0xff},
	{0xff, 0xed, 0xa0, 0xff},
	{0xfe, 0xd9, 0x76, 0xff},
	{0xfe, 0xb2, 0x4c, 0xff},
	{0xfd, 0x8d, 0x3c, 0xff},
	{0xfc, 0x4e, 0x2a, 0xff},
	{0xe3, 0x1a, 0x1c, 0xff},
	{0xbd, 0x00, 0x26, 0xff},
	{0x80, 0x00, 0x26, 0xff},
}

// heatPalette is the heat map's colours, lowest first.
type heatPalette struct{}

// Colors returns a fresh copy of heatColors.
func (heatPalette) Colors() []color.Color {
	cs := make([]color.Color, len(heatColors))
	for i, c := range heatColors {
		cs[i] = c
	}
	return cs
}

// gridXYZ adapts a Grid (row 0 on top) to gonum's GridXYZ (row 0 at the
// bottom, columns first).
type gridXYZ struct{ g Grid }

func (a gridXYZ) Dims() (c, r int) { r, c = a.g.Dims(); return c, r }
func (a gridXYZ) Z(c, r int) float64 {
	rows, _ := a.g.Dims()
	return a.g.Z(rows-1-r, c)
}
func (a gridXYZ) X(c int) float64 { return float64(c) }
func (a gridXYZ) Y(r int) float64 { return float64(r) }

// colorScale is a plotter drawing a vertical colour legend to the right of
// the data area: one swatch per palette colour, value labels at the
// boundaries and a title. Its glyph boxes make the plot leave room for it.
type colorScale struct {
	palette  []color.Color
	min, max float64
	label    string
}

var (
	scaleGap   = vg.Points(12) // between data area and swatches
	scaleWidth = vg.Points(14) // swatch width
)

func (s *colorScale) tickStyle(p *plot.Plot) text.Style {
	sty := p.Y.Tick.Label
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	return sty
}

func (s *colorScale) titleStyle(p *plot.Plot) text.Style {
	sty := p.Y.Label.TextStyle
	sty.Font = font.From(sansFont, TickSize)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	return sty
}

// Plot draws the swatches and labels right of the canvas.
func (s *colorScale) Plot(c draw.Canvas, p *plot.Plot) {
	x0 := c.Max.X + scaleGap
	x1 := x0 + scaleWidth
	h := (c.Max.Y - c.Min.Y) / vg.Length(len(s.palette))
	for i, col := range s.palette {
		y0 := c.Min.Y + vg.Length(i)*h
		c.FillPolygon(col, rect(x0, y0, x1, y0+h))
	}
	ticks := s.ticks()
	sty := s.tickStyle(p)
	for _, t := range ticks {
		y := c.Min.Y + vg.Length((t.Value-s.min)/(s.max-s.min))*(c.Max.Y-c.Min.Y)
		c.FillText(sty, vg.Point{X: x1 + 3, Y: y}, t.Label)
	}
	c.FillText(s.titleStyle(p), vg.Point{X: x0, Y: c.Max.Y + 4}, s.label)
}

// ticks labels the scale's range with a few round values.
func (s *colorScale) ticks() []plot.Tick {
	integer := s.min == math.Trunc(s.min) && s.max == math.Trunc(s.max)
	return numberTicks{integer: integer, max: 5}.Ticks(s.min, s.max)
}

// GlyphBoxes reserves the scale's width right of the data area.
func (s *colorScale) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	sty := s.tickStyle(p)
	wide := vg.Length(0)
	for _, t := range s.ticks() {
		wide = max(wide, sty.Width(t.Label))
	}
	wide = max(wide+scaleWidth+3, s.titleStyle(p).Width(s.label))
	title := s.titleStyle(p)
	return []plot.GlyphBox{
		{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: scaleGap + wide + 2, Y: 1}}},
		{X: 1, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{X: 1, Y: title.Height(s.label) + 6}}},
	}
}
