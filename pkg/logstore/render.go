package logstore

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// TerminalProgress returns a Progress callback that draws a one-line
// progress bar per log on f when f is a terminal, and nil (show nothing)
// when it is not, e.g. when stderr goes to a file or a notebook.
func TerminalProgress(f *os.File) func(Progress) {
	if f == nil || !isTerminal(f) {
		return nil
	}
	return ProgressBar(f, 100*time.Millisecond)
}

// ProgressBar returns a Progress callback that redraws a progress line on
// w (with a carriage return) at most once per interval, and ends each log
// with a summary line. It draws whatever w is; TerminalProgress decides
// whether to draw at all.
func ProgressBar(w io.Writer, interval time.Duration) func(Progress) {
	var last time.Time
	return func(p Progress) {
		if p.Done {
			fmt.Fprintf(w, "\r\x1b[K%s\n", progressSummary(p))
			last = time.Time{}
			return
		}
		if now := time.Now(); now.Sub(last) >= interval {
			last = now
			fmt.Fprintf(w, "\r\x1b[K%s", progressLine(p, 24))
		}
	}
}

// progressLine renders p as, e.g.,
// "events ← [#########...............]  38%  1200 rows  12 requests  950 rows/s  ~3s left".
func progressLine(p Progress, width int) string {
	var b strings.Builder
	arrow := "→"
	if p.Backward {
		arrow = "←"
	}
	fmt.Fprintf(&b, "%s %s ", p.Log, arrow)
	if p.Fraction >= 0 {
		n := int(p.Fraction * float64(width))
		fmt.Fprintf(&b, "[%s%s] %3.0f%%  ", strings.Repeat("#", n), strings.Repeat(".", width-n), 100*p.Fraction)
	}
	fmt.Fprintf(&b, "%d rows  %d requests  %.0f rows/s", p.Rows, p.Requests, p.RowsPerSecond)
	if p.Remaining > 0 {
		fmt.Fprintf(&b, "  ~%s left", p.Remaining.Round(time.Second))
	}
	return b.String()
}

// progressSummary renders a finished log, e.g.
// "webapi: 1200 rows, 3 requests in 1.2s".
func progressSummary(p Progress) string {
	return fmt.Sprintf("%s: %d rows, %d requests in %s", p.Log, p.Rows, p.Requests, p.Elapsed.Round(time.Millisecond))
}
