package nb

import (
	"fmt"
	"sync"
)

// held are the notes a cell made before it showed anything (Note), kept
// for after the report's opening. A cell is one process, so they are the
// one piece of package state: the cell's own.
var held struct {
	sync.Mutex
	notes   []string
	opening bool // the cell's first display was a Subject, and no Answer yet
	shown   bool // the cell has shown something
}

// Note shows a quiet line about where the figures come from, such as
// lenslog's "reading the built-in sample account". A report opens with
// its answer (Subject, Boxes, Answer), so in a notebook a note made
// before the cell showed anything waits: it shows under the answer when
// the cell opens with a subject line, otherwise before whatever the cell
// shows first. A cell that shows nothing through nb after it does not
// show it. Outside a notebook it prints at once.
func (d *Display) Note(text string) {
	if !d.notebook() {
		fmt.Fprintln(d.out(), text)
		return
	}
	held.Lock()
	wait := !held.shown || held.opening
	if wait {
		held.notes = append(held.notes, text)
	}
	held.Unlock()
	if !wait {
		d.front().DisplayMarkdown("*" + text + "*")
	}
}

// Note shows a quiet line about the data with a zero Display; see
// Display.Note.
func Note(text string) { std().Note(text) }

// opening is the frontend for a report's subject line and value boxes,
// which show before the notes held (see Note).
func (d *Display) opening() Frontend {
	held.Lock()
	if !held.shown {
		held.opening = true
	}
	held.shown = true
	held.Unlock()
	return d.frontend()
}

// showHeld ends the report's opening, if any, and shows the notes held,
// on f.
func showHeld(f Frontend) {
	held.Lock()
	notes := held.notes
	held.notes, held.opening, held.shown = nil, false, true
	held.Unlock()
	for _, n := range notes {
		f.DisplayMarkdown("*" + n + "*")
	}
}
