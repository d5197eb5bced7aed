package nb

import (
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

// newCell forgets what an earlier test showed: each cell is a process of
// its own, with nothing shown yet.
func newCell(t *testing.T) {
	t.Helper()
	held.Lock()
	held.notes, held.opening, held.shown = nil, false, false
	held.Unlock()
}

// TestNoteWaitsForTheOpening: lenslog's note on the account read comes
// before anything a cell shows; a report's first screen must open with
// its subject, boxes and answer, so the note waits for them.
func TestNoteWaitsForTheOpening(t *testing.T) {
	period := logs.Window{From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name string
		cell func(d *Display)
		want string // the kinds shown, in order, the note as "note"
	}{
		{"a report's opening first, then the note", func(d *Display) {
			d.Note("reading the sample")
			d.Subject(period, "product 3349")
			d.Boxes(Value("Requests", 3))
			d.Answer("All went well.")
			d.Text("then the sections")
		}, "subject boxes answer note text"},
		{"a cell that opens otherwise shows the note first", func(d *Display) {
			d.Note("reading the sample")
			d.Text("a table")
		}, "note text"},
		{"an opening without an answer ends at the next display", func(d *Display) {
			d.Note("reading the sample")
			d.Subject(period)
			d.Text("a table")
		}, "subject note text"},
		{"a cell that stops shows the note before why", func(d *Display) {
			d.Note("reading the sample")
			d.Stop("No data for these parameters")
		}, "note text"},
		{"a note after the cell showed something shows at once", func(d *Display) {
			d.Text("a table")
			d.Note("reading the sample")
		}, "text note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newCell(t)
			d, f, _ := notebookDisplay(t)
			tt.cell(d)
			var got []string
			for _, c := range f.calls {
				switch {
				case c.kind == "markdown" && c.body == "*reading the sample*":
					got = append(got, "note")
				case strings.Contains(c.body, "report-subject"):
					got = append(got, "subject")
				case strings.Contains(c.body, "value-box"):
					got = append(got, "boxes")
				case strings.Contains(c.body, "report-answer"):
					got = append(got, "answer")
				default:
					got = append(got, "text")
				}
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("shown in the order %q, want %q", s, tt.want)
			}
		})
	}
	newCell(t)
	_, _, out := textDisplay(t)
	(&Display{Out: out, Notebook: func() bool { return false }}).Note("reading the sample")
	if out.String() != "reading the sample\n" {
		t.Errorf("outside a notebook the note printed %q", out.String())
	}
}
