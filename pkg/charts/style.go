package charts

import (
	"fmt"
	"image/color"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var nan = math.NaN()

// houseColors maps a series or category name to the colour every chart
// uses for it, so that Success is always green, Failure red and Unknown
// grey. It is never changed: a chart takes more names from
// Options.Colors. Lookup is exact first, then case-insensitive.
var houseColors = map[string]color.Color{
	"Success": rgb(0x2c, 0xa0, 0x2c),
	"Failure": rgb(0xd6, 0x27, 0x28),
	"Unknown": rgb(0x8c, 0x8c, 0x8c),
}

// housePalette colours series that no colour names, in order. It avoids
// green, red and grey so those keep their meaning.
var housePalette = []color.Color{
	rgb(0x1f, 0x77, 0xb4), // blue
	rgb(0xff, 0x7f, 0x0e), // orange
	rgb(0x94, 0x67, 0xbd), // purple
	rgb(0x8c, 0x56, 0x4b), // brown
	rgb(0xe3, 0x77, 0xc2), // pink
	rgb(0x17, 0xbe, 0xcf), // cyan
	rgb(0xbc, 0xbd, 0x22), // olive
}

// Colors returns the house colours by name (a copy: to colour a chart
// otherwise, pass Options.Colors).
func Colors() map[string]color.Color { return maps.Clone(houseColors) }

// Palette returns the house palette (a copy: see Options.Palette).
func Palette() []color.Color { return slices.Clone(housePalette) }

// overdraftColor shades the region below zero free seats.
var overdraftColor = color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0x38}

func rgb(r, g, b uint8) color.Color { return color.RGBA{R: r, G: g, B: b, A: 0xff} }

// ColorFor returns the colour of series name in a chart drawn with o: its
// entry in o.Colors, else in the house colours, else the palette's i-th
// (cycling), so the i-th unnamed series of a chart always gets the same
// colour.
func (o Options) ColorFor(name string, i int) color.Color {
	if c, ok := o.namedColor(name); ok {
		return c
	}
	if i < 0 {
		i = -i
	}
	pal := o.palette()
	return pal[i%len(pal)]
}

// namedColor looks name up in o.Colors, then in the house colours.
func (o Options) namedColor(name string) (color.Color, bool) {
	if c, ok := lookupColor(o.Colors, name); ok {
		return c, true
	}
	return lookupColor(houseColors, name)
}

// lookupColor finds name in m: exactly, else ignoring case.
func lookupColor(m map[string]color.Color, name string) (color.Color, bool) {
	if c, ok := m[name]; ok {
		return c, true
	}
	for k, c := range m {
		if strings.EqualFold(k, name) {
			return c, true
		}
	}
	return nil, false
}

func (o Options) palette() []color.Color {
	if len(o.Palette) == 0 {
		return housePalette
	}
	return o.Palette
}

// Font sizes, chosen to stay legible in an 800 px wide PNG (the default
// size, 600 pt at 96 dpi, so 1 pt is 4/3 px).
const (
	TitleSize = vg.Length(15)
	LabelSize = vg.Length(12.5)
	TickSize  = vg.Length(11)
	ValueSize = vg.Length(10)
)

var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	monoFont = font.Font{Typeface: "Liberation", Variant: "Mono"}
)

// Options tunes a chart. The zero value means the house defaults; each
// field says which charts read it. Pass at most one Options to a chart.
type Options struct {
	// XLabel and YLabel name the axes with their units, e.g. "Date (UTC)"
	// or "Requests per day". Empty means the chart's default.
	XLabel, YLabel string

	// Percent shows values in [0,1] as percentages (bar, top-N, time
	// series). A result implementing Percenter can ask for it too.
	Percent bool

	// N is how many bars a top-N chart keeps (default 20).
	N int

	// Bins is the number of histogram bins wanted (default: about
	// sqrt(n), at most 30, rounded to a nice width).
	Bins int

	// Location is the time zone of time axes and day labels (default UTC).
	Location *time.Location

	// Color overrides the colour of single-series charts whose series
	// no colour names (default the palette's first).
	Color color.Color

	// Colors names colours for series or categories (e.g. a product name)
	// over the house colours (Success green, Failure red, Unknown grey),
	// to keep a colour stable across charts.
	Colors map[string]color.Color

	// Palette colours, in order, the series no colour names; empty means
	// the house palette (blue, orange, purple, ...).
	Palette []color.Color

	// ValueLabel names the heat map's colour scale (default "Count").
	ValueLabel string

	// Lines are reference lines with labels, where the text names a limit
	// or threshold (a seat limit, silentDays): see Line. Every chart but
	// the heat map draws them.
	Lines []Line
}

// pick returns the one Options passed, or the zero value.
func pick(kind string, opts []Options) (Options, error) {
	switch len(opts) {
	case 0:
		return Options{}, nil
	case 1:
		return opts[0], nil
	default:
		return Options{}, fmt.Errorf("charts: %s: got %d Options values, want at most one", kind, len(opts))
	}
}

func (o Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

func (o Options) color() color.Color {
	if o.Color == nil {
		return o.palette()[0]
	}
	return o.Color
}

// percent reports whether to show values as percentages: Options.Percent,
// a Percenter result, or a value axis label that says "%", whose ticks
// must then read in percent too (not 0 to 1.0 under "Share (%)").
func (o Options) percent(data any) bool {
	if o.Percent || strings.Contains(o.YLabel, "%") {
		return true
	}
	p, ok := data.(Percenter)
	return ok && p.Percent()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// zoneSuffix is " (UTC)" or " (Europe/Stockholm)" for axis labels.
func zoneSuffix(loc *time.Location) string { return " (" + loc.String() + ")" }

// newPlot returns a plot with the house look: title, axis labels, fonts.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansFont, TitleSize)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, LabelSize)
		a.Tick.Label.Font = font.From(sansFont, TickSize)
		a.Label.Padding = vg.Points(4)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = font.From(sansFont, TickSize)
	p.Legend.Top = true
	return p
}

// valueStyle is the text style of labels written on or next to bars.
func valueStyle(p *plot.Plot) (s text.Style) {
	s = p.Y.Tick.Label
	s.Font = font.From(sansFont, ValueSize)
	s.Color = color.Gray{Y: 0x30}
	s.XAlign = draw.XCenter
	s.YAlign = draw.YBottom
	return s
}

// gridStyle is the faint line style of value grid lines.
var gridStyle = draw.LineStyle{Color: color.Gray{Y: 0xdd}, Width: vg.Points(0.5)}

// formatValue writes a bar value: "87.0%" for shares, "12,345" for whole
// numbers, three significant digits otherwise.
func formatValue(v float64, percent bool) string {
	if percent {
		return format.Share(v)
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return format.Count(int64(v))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// formatFixed writes v with dec decimals.
func formatFixed(v float64, dec int) string { return strconv.FormatFloat(v, 'f', dec, 64) }

// shorten cuts s to at most n runes, keeping its head and tail around an
// ellipsis: license keys and e-mail domains stay recognisable.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 5 {
		return s
	}
	tail := (n - 1) / 3
	head := n - 1 - tail
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}
