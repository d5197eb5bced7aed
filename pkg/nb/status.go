package nb

import (
	"fmt"
	"html"
	"math"
	"strings"
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

// NewStatus starts a status line on Default.
func NewStatus() *Status { return Default.NewStatus() }

// SyncLine renders sync progress numbers as one status line, e.g.
//
//	Web API Log: 12,345 rows, 13 pages, 2,469 rows/s, 40% done, about 8s left
//
// fraction is the share of the work done, in [0,1], if the caller can
// estimate it (for example from how far back in time the pages reached);
// pass a negative value when unknown and the line has no estimate. It is
// a plain function of numbers so the sync code need not know this package.
func SyncLine(log string, rows, pages int, elapsed time.Duration, fraction float64) string {
	parts := []string{plural(rows, "row"), plural(pages, "page")}
	if secs := elapsed.Seconds(); secs > 0 {
		parts = append(parts, group(int(math.Round(float64(rows)/secs)))+" rows/s")
	}
	if fraction >= 0 && fraction <= 1 && !math.IsNaN(fraction) {
		parts = append(parts, fmt.Sprintf("%d%% done", int(fraction*100)))
		if fraction > 0 && fraction < 1 && elapsed > 0 {
			left := time.Duration(float64(elapsed) * (1 - fraction) / fraction)
			parts = append(parts, "about "+roughDuration(left)+" left")
		}
	}
	line := strings.Join(parts, ", ")
	if log != "" {
		line = log + ": " + line
	}
	return line
}

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
