package nb

import (
	"fmt"
	"html"
	"math"
	"time"
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

// roughDuration rounds d for people: 8s, 2m10s, 1h05m.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(math.Ceil(d.Seconds())))
	case d < time.Hour:
		d = d.Round(10 * time.Second)
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}
