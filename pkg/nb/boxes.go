package nb

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/lenslog/lenslog/pkg/format"
)

// Box is one headline figure of a report, shown first, like a Quarto
// dashboard's value box: what it is, its value, and its change against
// the same figure over the previous period of the same length.
type Box struct {
	// Label says what the figure is, e.g. "Failed activations".
	Label string
	// Value is the figure; Previous the same figure over the previous
	// period of the same length, when HasPrevious.
	Value, Previous float64
	HasPrevious     bool
	// Share writes Value as a percentage (a fraction in [0,1]) and its
	// change in percentage points; otherwise it is a number and its change
	// a percentage of Previous.
	Share bool
	// Currency, when set, writes Value as money ("1,234.50 USD").
	Currency string
	// Better is +1 when a rise is good news (successes), -1 when it is bad
	// (failures), 0 when neither: it colours the change.
	Better int
	// Note is a line under the value, e.g. "2026-10-06 to 2026-11-04".
	Note string
}

// ValueText writes the box's value in the house style; a headline figure
// that is not whole (an average) with one decimal.
func (b Box) ValueText() string {
	switch {
	case b.Share:
		return format.Share(b.Value)
	case b.Currency != "":
		return format.Money(b.Value, b.Currency)
	}
	return format.Number(math.Round(b.Value*10) / 10)
}

// Change writes the change against the previous period: "▲ 2.1 pts" for
// a share, "▼ 12.5%" for a number, "no change", "new" when the previous
// period had none; "" without a previous figure.
func (b Box) Change() string {
	if !b.HasPrevious {
		return ""
	}
	d := b.Value - b.Previous
	arrow := "▲"
	if d < 0 {
		arrow = "▼"
	}
	switch {
	case d == 0:
		return "no change"
	case b.Share:
		return fmt.Sprintf("%s %s pts", arrow, format.Number(math.Round(math.Abs(d)*1000)/10))
	case b.Previous == 0:
		return "new"
	}
	return fmt.Sprintf("%s %s%%", arrow, format.Number(math.Round(math.Abs(d)/math.Abs(b.Previous)*1000)/10))
}

// changeColor is the colour of the change: green for good news, red for
// bad, grey for neither.
func (b Box) changeColor() string {
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
		d.front().DisplayHTML(BoxesHTML(boxes))
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
				x.changeColor(), html.EscapeString(c))
		}
		if x.Note != "" {
			fmt.Fprintf(&b, `<div style="font-size: 80%%; color: #656d76">%s</div>`, html.EscapeString(x.Note))
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("</div>\n")
	return b.String()
}

// Compare is the box of a figure now and over the previous period of the
// same length: nb.Compare("Failed requests", 404, 350).Bad().
func Compare[N int | int64 | float64](label string, now, before N) Box {
	return Box{Label: label, Value: float64(now), Previous: float64(before), HasPrevious: true}
}

// AsShare is b with its value a share (a fraction in [0,1]).
func (b Box) AsShare() Box { b.Share = true; return b }

// Good is b with a rise being good news (coloured green).
func (b Box) Good() Box { b.Better = 1; return b }

// Bad is b with a rise being bad news (coloured red).
func (b Box) Bad() Box { b.Better = -1; return b }

// Value is the box of a figure without a previous period to compare with
// (a lifetime count, a check): nb.Value("Checks to look at", 2).Bad().
func Value[N int | int64 | float64](label string, v N) Box {
	return Box{Label: label, Value: float64(v)}
}
