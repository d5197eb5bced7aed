package nb

import (
	"fmt"
	"html"
	"math"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
)

// Status is a line that updates in place in a notebook, e.g. sync
// progress. Outside a notebook each update is printed as its own line
// (repeats of the same text are skipped). After Done, updates are ignored.
type Status struct {
	d    *Display
	id   string
	last string
	done bool
}

// NewStatus starts a status line; nothing is shown until the first Set.
func (d *Display) NewStatus() *Status {
	s := &Status{d: d}
	if d.notebook() {
		s.id = "lenslog-status-" + d.front().UniqueID()
	}
	return s
}

// Set replaces the status text.
func (s *Status) Set(text string) { s.show(text, "⏳", "#555") }

// Done shows the final text and ends the status.
func (s *Status) Done(text string) {
	s.show(text, "✓", "#2ca02c")
	s.done = true
}

func (s *Status) show(text, mark, colour string) {
	if s.done {
		return
	}
	text = Redact(text)
	if s.d.notebook() {
		s.d.front().UpdateHTML(s.id, fmt.Sprintf(`<div style="font-family:monospace;color:%s">%s %s</div>`,
			colour, mark, html.EscapeString(text)))
		return
	}
	if text == s.last {
		return
	}
	s.last = text
	fmt.Fprintln(s.d.out(), text)
}

// NewStatus starts a status line on a zero Display.
func NewStatus() *Status { return std().NewStatus() }

// roughDuration rounds an estimate for people, then writes it as
// format.Duration does: whole seconds under a minute ("8 s"), tens of
// seconds under an hour ("2 min 10 s"), minutes beyond ("1 h 5 min").
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		d = time.Duration(math.Ceil(d.Seconds())) * time.Second
	case d < time.Hour:
		d = d.Round(10 * time.Second)
	default:
		d = d.Round(time.Minute)
	}
	return format.Duration(d)
}
