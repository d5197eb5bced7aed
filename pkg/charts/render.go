package charts

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// margin is the blank border around a rendered chart.
const margin = vg.Length(8)

// Default image size: 600 x 375 pt, which is 800 x 500 px in a PNG (96 dpi).
const (
	DefaultWidth  = vg.Length(600)
	DefaultHeight = vg.Length(375)
)

// Pixels converts a length to PNG pixels at the 96 dpi PNG renders use.
func Pixels(l vg.Length) int { return int(l.Dots(96) + 0.5) }

// PNG renders p as a PNG image in memory. Zero w or h means the default
// size (800 x 500 px).
func PNG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	return render(p, w, h, "png")
}

// PNGScaled renders p as a PNG of scale times the pixels of PNG at the
// same layout: PNGScaled(p, 0, 0, 2) is 1600 x 1000 px, to be shown at
// 800 x 500 so that it is sharp on a 2x (high-density) screen and on paper.
func PNGScaled(p *plot.Plot, w, h vg.Length, scale float64) ([]byte, error) {
	if scale <= 0 || scale > 8 || math.IsNaN(scale) {
		return nil, fmt.Errorf("charts: render png: scale %g, want more than 0 and at most 8", scale)
	}
	return render(p, w, h, "png@"+strconv.FormatFloat(scale, 'g', -1, 64))
}

// SVG renders p as an SVG document in memory. Fonts are referenced by name
// (Liberation Sans), not embedded. Zero w or h means the default size.
func SVG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	return render(p, w, h, "svg")
}

func render(p *plot.Plot, w, h vg.Length, format string) (out []byte, err error) {
	if p == nil {
		return nil, fmt.Errorf("charts: render %s: nil plot", format)
	}
	if w < 0 || h < 0 {
		return nil, fmt.Errorf("charts: render %s of %q: negative size %gx%g pt", format, p.Title.Text, w.Points(), h.Points())
	}
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	// gonum/plot panics on some inconsistent plots (e.g. a heat map whose
	// range was edited to Min > Max); report that as an error instead.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("charts: render %s of %q: %v", format, p.Title.Text, r)
		}
	}()
	c, err := newCanvas(w, h, format)
	if err != nil {
		return nil, fmt.Errorf("charts: render %s of %q: %w", format, p.Title.Text, err)
	}
	p.Draw(draw.Crop(draw.New(c), margin, -margin, margin, -margin))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("charts: render %s of %q: %w", format, p.Title.Text, err)
	}
	return buf.Bytes(), nil
}

// newCanvas is draw.NewFormattedCanvas, plus "png@S": a PNG at S times
// the 96 dpi of a plain PNG.
func newCanvas(w, h vg.Length, format string) (vg.CanvasWriterTo, error) {
	f, scale, ok := strings.Cut(format, "@")
	if !ok {
		return draw.NewFormattedCanvas(w, h, format)
	}
	s, err := strconv.ParseFloat(scale, 64)
	if err != nil || f != "png" {
		return nil, fmt.Errorf("unknown format %q", format)
	}
	return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(96*s+0.5)))}, nil
}
