package nb

import (
	"fmt"
	"html"
	"strings"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// Subject shows, under a report's title, what it was asked: the scope
// (a product, a license; empty ones are left out) and the period in
// dates, e.g. "Product 3349 · 2026-10-01 to 2026-10-31". A report opens
// with it, its value boxes (Boxes) and its answer (Answer), so that the
// first screen and the first printed page answer the question.
func (d *Display) Subject(period logs.Window, scope ...string) {
	line := SubjectText(period, scope...)
	if d.notebook() {
		d.opening().DisplayHTML(`<p class="report-subject" style="font-size: 125%; font-weight: 600; margin: 0 0 8px">` +
			html.EscapeString(line) + "</p>")
		return
	}
	fmt.Fprintln(d.out(), line)
}

// SubjectText is the line Subject shows.
func SubjectText(period logs.Window, scope ...string) string {
	var parts []string
	for _, s := range scope {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, strings.ToUpper(s[:1])+s[1:])
		}
	}
	return strings.Join(append(parts, format.Period(period.From, period.To)), " · ")
}

// Answer shows the report's answer in one sentence, after its value boxes,
// e.g. "84.4% of the 12,345 requests succeeded; the failures are mostly
// activations (state 2021)."
func (d *Display) Answer(sentence string) {
	if d.notebook() {
		f := d.opening()
		f.DisplayHTML(`<p class="report-answer" style="font-size: 115%; margin: 0 0 16px">` +
			html.EscapeString(sentence) + "</p>")
		showHeld(f)
		return
	}
	fmt.Fprintln(d.out(), sentence)
}

// Subject shows what a report was asked with a zero Display; see
// Display.Subject.
func Subject(period logs.Window, scope ...string) { std().Subject(period, scope...) }

// Answer shows a report's one-sentence answer with a zero Display; see
// Display.Answer.
func Answer(sentence string) { std().Answer(sentence) }

// Product is the scope of a report that takes a product parameter, for
// Subject: "product 3349", or "every product" for 0.
func Product(id int) string { return format.Product(id) }
