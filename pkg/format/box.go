package format

import (
	"fmt"
	"math"
)

// Box is one headline figure of a report, shown first, like a Quarto
// dashboard's value box: what it is, its value, and its change against
// the same figure over the previous period of the same length. The
// analyses build the boxes of their results (analysis.SuccessBoxes, ...);
// pkg/nb shows them (nb.Boxes).
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

// Compare is the box of a figure now and over the previous period of the
// same length: Compare("Failed requests", 404, 350).Bad().
func Compare[N int | int64 | float64](label string, now, before N) Box {
	return Box{Label: label, Value: float64(now), Previous: float64(before), HasPrevious: true}
}

// Value is the box of a figure without a previous period to compare with
// (a lifetime count, a check): Value("Checks to look at", 2).Bad().
func Value[N int | int64 | float64](label string, v N) Box {
	return Box{Label: label, Value: float64(v)}
}

// AsShare is b with its value a share (a fraction in [0,1]).
func (b Box) AsShare() Box { b.Share = true; return b }

// Good is b with a rise being good news (coloured green).
func (b Box) Good() Box { b.Better = 1; return b }

// Bad is b with a rise being bad news (coloured red).
func (b Box) Bad() Box { b.Better = -1; return b }

// ValueText writes the box's value in the house style; a headline figure
// that is not whole (an average) with one decimal.
func (b Box) ValueText() string {
	switch {
	case b.Share:
		return Share(b.Value)
	case b.Currency != "":
		return Money(b.Value, b.Currency)
	}
	return Number(math.Round(b.Value*10) / 10)
}

// multipleFrom is the ratio from which a rise reads as a multiple of the
// previous figure ("▲ 138×") rather than a percentage ("▲ 13,700%").
const multipleFrom = 10

// Change writes the change against the previous period: "▲ 2.1 pts" for
// a share, "▼ 12.5%" for a number, "▲ 138×" for a number that grew
// tenfold or more, "no change", "new" when the previous period had none;
// "" without a previous figure.
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
		return fmt.Sprintf("%s %s pts", arrow, Number(math.Round(math.Abs(d)*1000)/10))
	case b.Previous == 0:
		return "new"
	case b.Previous > 0 && b.Value/b.Previous >= multipleFrom:
		return fmt.Sprintf("%s %s×", arrow, Number(math.Round(b.Value/b.Previous)))
	}
	return fmt.Sprintf("%s %s%%", arrow, Number(math.Round(math.Abs(d)/math.Abs(b.Previous)*1000)/10))
}
