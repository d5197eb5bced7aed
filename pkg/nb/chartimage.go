package nb

import (
	"fmt"
	"html"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/lenslog/lenslog/pkg/charts"
	"github.com/lenslog/lenslog/pkg/format"
	"gonum.org/v1/plot"
)

// Image is a chart as a notebook shows it: a PNG drawn at twice the
// pixels it is shown at (sharp on a 2x screen and on paper), with a text
// alternative naming the chart and what it shows.
type Image struct {
	PNG           []byte
	Alt           string // the chart's title and a one-line summary
	Width, Height int    // the size to show it at, in CSS pixels
}

// ImageFrontend is a Frontend that can send an image with its text
// alternative and display size (GoNB's, through a MIME bundle of
// image/png and text/plain with the size in the image's metadata, the
// way Jupyter sends them). A Frontend without it gets the bare PNG.
type ImageFrontend interface {
	DisplayImage(img Image)
}

// DisplayImage sends img as one display_data message.
func (gonbFrontend) DisplayImage(img Image) {
	gonbui.SendData(&protocol.DisplayData{
		Data: map[protocol.MIMEType]any{protocol.MIMEImagePNG: img.PNG, protocol.MIMETextPlain: img.Alt},
		Metadata: map[string]any{string(protocol.MIMEImagePNG): map[string]int{
			"width": img.Width, "height": img.Height}},
	})
	gonbui.Sync()
}

// chartScale is how many image pixels a chart has per pixel shown.
const chartScale = 2

// sendChart shows p in the notebook: the image at twice its pixels with
// its alt text, then the numbers behind it in a collapsed table.
func (d *Display) sendChart(p *plot.Plot) error {
	png, err := charts.PNGScaled(p, 0, 0, chartScale)
	if err != nil {
		return err
	}
	nums, ok := charts.NumbersOf(p)
	img := Image{PNG: png, Alt: p.Title.Text, Width: charts.Pixels(charts.DefaultWidth), Height: charts.Pixels(charts.DefaultHeight)}
	if ok {
		img.Alt = nums.AltText()
	}
	if f, ok := d.front().(ImageFrontend); ok {
		f.DisplayImage(img)
	} else {
		d.front().DisplayPNG(png)
	}
	if ok && len(nums.Rows) > 0 {
		d.front().DisplayHTML(NumbersHTML(nums))
	}
	return nil
}

// NumbersHTML writes the numbers behind a chart as a table inside a
// collapsed <details>, the summary naming the chart: a reader opens it to
// check the picture, and a printed report shows it open.
func NumbersHTML(n charts.Numbers) string {
	var b strings.Builder
	title := n.Title
	if title == "" {
		title = "the chart"
	}
	fmt.Fprintf(&b, `<details class="data"><summary>The numbers behind “%s”</summary>`+"\n<table>\n<thead><tr>", html.EscapeString(title))
	for c, name := range n.Columns {
		align := "right"
		if c == 0 {
			align = "left"
		}
		fmt.Fprintf(&b, `<th style="text-align:%s">%s</th>`, align, html.EscapeString(name))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range n.Rows {
		b.WriteString("<tr>")
		for c, cell := range row {
			align := "right"
			if c == 0 {
				align = "left"
			}
			fmt.Fprintf(&b, `<td style="text-align:%s">%s</td>`, align, html.EscapeString(cell))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	if n.Total > len(n.Rows) {
		fmt.Fprintf(&b, "<p>%s of %s rows shown.</p>\n", format.Count(len(n.Rows)), format.Count(n.Total))
	}
	b.WriteString("</details>\n")
	return b.String()
}
