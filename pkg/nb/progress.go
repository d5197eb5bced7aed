package nb

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
	"golang.org/x/term"
)

// ProgressLine renders one snapshot of a sync as a line of text, e.g.
//
//	events, going back: 1,200 rows, 12 pages, 12 requests, 950 rows/s, 50% done, about 3 s left
//	webapi: 12,345 rows, 13 pages, 14 requests in 5 s
//
// (the second once the log is done). It only formats: the store computed
// the rate, the share done and the time left (logs.Progress), and
// both the notebook status line and the terminal line show this text.
func ProgressLine(p logs.Progress) string {
	name := string(p.Log)
	if p.Done {
		return fmt.Sprintf("%s: %s, %s, %s in %s", name, format.Counted(p.Rows, "row", "rows"), format.Counted(p.Pages, "page", "pages"),
			format.Counted(p.Requests, "request", "requests"), format.Duration(p.Elapsed))
	}
	if p.Backward {
		name += ", going back"
	}
	parts := []string{format.Counted(p.Rows, "row", "rows"), format.Counted(p.Pages, "page", "pages"), format.Counted(p.Requests, "request", "requests")}
	if p.Elapsed > 0 {
		parts = append(parts, format.Count(int(p.RowsPerSecond+0.5))+" rows/s")
	}
	if p.Fraction >= 0 && p.Fraction <= 1 {
		parts = append(parts, fmt.Sprintf("%d%% done", int(p.Fraction*100)))
	}
	if p.Remaining > 0 {
		parts = append(parts, "about "+roughDuration(p.Remaining)+" left")
	}
	if p.Waiting > 0 {
		parts = append(parts, fmt.Sprintf("waiting %s: %s", format.Duration(p.Waiting), p.WaitReason))
	}
	return name + ": " + strings.Join(parts, ", ")
}

// TerminalProgress returns a sync progress callback (for
// logstore.SyncOptions.Progress) that redraws one line per log in place on
// f when f is a terminal, and nil (show nothing) when it is not, e.g. when
// stderr goes to a file, a pipe or a notebook's log.
func TerminalProgress(f *os.File) func(logs.Progress) {
	if f == nil || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressBar(f, 100*time.Millisecond)
}

// barWidth is the width of the bar drawn before a line whose share done
// is known.
const barWidth = 24

// progressBar returns a callback that redraws the progress line on w (a
// carriage return, then erase to the end of the line) at most once per
// interval, and ends each log with its summary on a line of its own.
func progressBar(w io.Writer, interval time.Duration) func(logs.Progress) {
	var last time.Time
	return func(p logs.Progress) {
		if p.Done {
			fmt.Fprintf(w, "\r\x1b[K%s\n", ProgressLine(p))
			last = time.Time{}
			return
		}
		if now := time.Now(); now.Sub(last) >= interval {
			last = now
			fmt.Fprintf(w, "\r\x1b[K%s%s", bar(p.Fraction), ProgressLine(p))
		}
	}
}

// bar draws the share done as "[######..................] ", or nothing
// when it is unknown.
func bar(fraction float64) string {
	if fraction < 0 || fraction > 1 {
		return ""
	}
	n := int(fraction * barWidth)
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", barWidth-n) + "] "
}
