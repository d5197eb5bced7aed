package nb

import (
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/lenslog/lenslog/pkg/charts"
	"gonum.org/v1/plot"
)

// Plot displays p as a PNG image at the default chart size (800 x 500 px,
// drawn at twice those pixels so it is sharp on a 2x screen), with the
// chart's title and summary as its text alternative and the numbers
// behind it in a collapsed table under it (see NumbersHTML).
// Outside a notebook it prints "[chart: <title>, PNG 800x500]",
// or, with a plot folder (Display.PlotDir or LENSLOG_PLOT_DIR), writes
// the image there and says where. A non-nil error among errs is shown
// instead, so Plot(charts.Bar(...)) works directly.
func (d *Display) Plot(p *plot.Plot, errs ...error) {
	d.image(p, "png", errs)
}

// SVG displays p as an SVG image (sharp at any zoom, larger for dense
// charts); otherwise it behaves like Plot.
func (d *Display) SVG(p *plot.Plot, errs ...error) {
	d.image(p, "svg", errs)
}

func (d *Display) image(p *plot.Plot, format string, errs []error) {
	if err := firstError(errs); err != nil {
		d.chartError(err)
		return
	}
	if p == nil {
		d.Error(errors.New("nb: no chart to show (nil plot)"))
		return
	}
	if d.notebook() && format == "png" {
		if err := d.sendChart(p); err != nil {
			d.Error(err)
		}
		return
	}
	img, err := renderImage(p, format)
	if err != nil {
		d.Error(err)
		return
	}
	if d.notebook() {
		d.sendImage(img, format)
		return
	}
	d.describeImage(p, img, format)
}

// chartError shows why a chart was not drawn: a chart without data (a
// span or product with no rows) as a quiet sentence, any other error as
// an error.
func (d *Display) chartError(err error) {
	var de *charts.DataError
	if !errors.As(err, &de) || !errors.Is(err, charts.ErrNoData) {
		d.Error(err)
		return
	}
	msg := fmt.Sprintf("No chart of %q: it has no rows to draw.", de.Title)
	if d.notebook() {
		d.front().DisplayHTML(`<div style="color:#555;font-style:italic">` + html.EscapeString(msg) + `</div>`)
		return
	}
	fmt.Fprintln(d.out(), msg)
}

func renderImage(p *plot.Plot, format string) ([]byte, error) {
	if format == "svg" {
		return charts.SVG(p, 0, 0)
	}
	return charts.PNG(p, 0, 0)
}

func (d *Display) sendImage(img []byte, format string) {
	if format == "png" {
		d.front().DisplayPNG(img)
		return
	}
	// Like gonbui.DisplaySVG: SVG goes as HTML so that notebooks converted
	// to HTML keep it. The XML prolog has no place inside HTML.
	svg := string(img)
	if i := strings.Index(svg, "<svg"); i > 0 {
		svg = svg[i:]
	}
	d.front().DisplayHTML("<div>" + svg + "</div>")
}

// describeImage prints the chart line, writing the file first if a plot
// folder is set.
func (d *Display) describeImage(p *plot.Plot, img []byte, format string) {
	title := p.Title.Text
	if title == "" {
		title = "untitled"
	}
	line := fmt.Sprintf("[chart: %s, %s %dx%d", title, strings.ToUpper(format),
		charts.Pixels(charts.DefaultWidth), charts.Pixels(charts.DefaultHeight))
	if dir := d.plotDir(); dir != "" {
		path, err := writeImage(dir, title, format, img)
		if err != nil {
			d.Error(err)
			return
		}
		line += ", written to " + path
	}
	fmt.Fprintln(d.out(), line+"]")
}

func (d *Display) plotDir() string {
	if d.PlotDir != "" {
		return d.PlotDir
	}
	dir, _ := defaultPlotDir.Load().(string)
	return dir
}

// defaultPlotDir is the folder SetPlotDir gave.
var defaultPlotDir atomic.Value

// SetPlotDir sets where Plot and SVG write chart files outside a notebook
// when a Display's PlotDir is empty: the edge's setting ($LENSLOG_PLOT_DIR,
// resolved by lenslog's Config and set when an account is opened).
func SetPlotDir(dir string) { defaultPlotDir.Store(dir) }

var unsafeRE = regexp.MustCompile(`[^a-z0-9]+`)

// fileStem makes a file name from a title: "Requests per day" -> "requests-per-day".
func fileStem(title string) string {
	s := strings.Trim(unsafeRE.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if s == "" {
		s = "chart"
	}
	return s[:min(len(s), 60)]
}

// writeImage writes img as dir/<stem>.<format>, or <stem>-2, -3... if
// that exists, and returns the path.
func writeImage(dir, title, format string, img []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("nb: plot folder %s: %w", dir, err)
	}
	stem := fileStem(title)
	for n := 1; n < 10000; n++ {
		name := stem
		if n > 1 {
			name = fmt.Sprintf("%s-%d", stem, n)
		}
		path := filepath.Join(dir, name+"."+format)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("nb: write chart %q: %w", title, err)
		}
		_, werr := f.Write(img)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", fmt.Errorf("nb: write chart %q to %s: %w", title, path, werr)
		}
		return path, nil
	}
	return "", fmt.Errorf("nb: write chart %q: %s has too many files named %s-N.%s", title, dir, stem, format)
}

// Plot displays a chart as PNG with a zero Display; see Display.Plot.
func Plot(p *plot.Plot, errs ...error) { std().Plot(p, errs...) }

// SVG displays a chart as SVG with a zero Display; see Display.SVG.
func SVG(p *plot.Plot, errs ...error) { std().SVG(p, errs...) }
