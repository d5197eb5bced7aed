package nb

import (
	"fmt"
	"html"
	"strings"

	"github.com/lenslog/lenslog/pkg/format"
)

// Box is one headline figure of a report (format.Box: the analyses build
// them, e.g. analysis.SuccessBoxes); Boxes shows them.
type Box = format.Box

// Compare is the box of a figure now and over the previous period of the
// same length: nb.Compare("Failed requests", 404, 350).Bad().
func Compare[N int | int64 | float64](label string, now, before N) Box {
	return format.Compare(label, now, before)
}

// Value is the box of a figure without a previous period to compare with
// (a lifetime count, a check): nb.Value("Checks to look at", 2).Bad().
func Value[N int | int64 | float64](label string, v N) Box { return format.Value(label, v) }

// changeColor is the colour of b's change: green for good news, red for
// bad, grey for neither.
func changeColor(b Box) string {
	d := b.Value - b.Previous
	switch {
	case b.Better == 0 || d == 0:
		return "#656d76"
	case (d > 0) == (b.Better > 0):
		return "#1a7f37"
	}
	return "#b42318"
}

// Boxes shows the report's headline figures side by side; outside a
// notebook it prints one line per box ("Failed activations: 404 (▲ 12.5%
// against the previous period)").
func (d *Display) Boxes(boxes ...Box) {
	if d.notebook() {
		d.opening().DisplayHTML(BoxesHTML(boxes))
		return
	}
	for _, b := range boxes {
		line := b.Label + ": " + b.ValueText()
		if c := b.Change(); c != "" {
			line += " (" + c + " against the previous period)"
		}
		fmt.Fprintln(d.out(), line)
	}
}

// Boxes shows headline figures with a zero Display; see Display.Boxes.
func Boxes(boxes ...Box) { std().Boxes(boxes...) }

// BoxesHTML writes the boxes as HTML that needs no style sheet (a
// notebook's) and that a report page's sanitiser keeps.
func BoxesHTML(boxes []Box) string {
	var b strings.Builder
	b.WriteString(`<div class="value-boxes" style="margin: 8px 0 16px">` + "\n")
	for _, x := range boxes {
		b.WriteString(`<div class="value-box" style="display: inline-block; vertical-align: top; min-width: 170px; margin: 0 10px 10px 0; ` +
			`padding: 10px 14px; border: 1px solid #d0d7de; border-radius: 8px">`)
		fmt.Fprintf(&b, `<div style="color: #656d76; font-size: 85%%">%s</div>`, html.EscapeString(x.Label))
		fmt.Fprintf(&b, `<div style="font-size: 175%%; font-weight: 600; line-height: 1.3">%s</div>`, html.EscapeString(x.ValueText()))
		if c := x.Change(); c != "" {
			fmt.Fprintf(&b, `<div style="font-size: 85%%; color: %s">%s <span style="color: #656d76">vs previous period</span></div>`,
				changeColor(x), html.EscapeString(c))
		}
		if x.Note != "" {
			fmt.Fprintf(&b, `<div style="font-size: 80%%; color: #656d76">%s</div>`, html.EscapeString(x.Note))
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("</div>\n")
	return b.String()
}
