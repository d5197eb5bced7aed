package lenslog

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/nb"
)

// showProgress returns where sync progress goes: one line that updates in
// place in a notebook, a bar on stderr in a terminal, nowhere otherwise.
func showProgress() func(logs.Progress) {
	if !gonbui.IsNotebook {
		return nb.TerminalProgress(os.Stderr)
	}
	var status *nb.Status
	var last time.Time
	return func(p logs.Progress) {
		if status == nil {
			if p.Done && p.Pages <= 1 {
				return // nothing worth a line: the store was up to date
			}
			status = nb.NewStatus()
		}
		line := nb.ProgressLine(p)
		switch {
		case p.Done:
			status.Done(line)
			status = nil
		case time.Since(last) >= 200*time.Millisecond:
			last = time.Now()
			status.Set(line)
		}
	}
}

// openStore opens the account's store in dir (logstore.OpenFor). Opening
// a store an older lenslog wrote rewrites its segments once, seconds per
// million rows, so the cell says so while it runs, and how long it took,
// on the line a sync's progress uses (to note when it is given, else on
// stderr outside a notebook), as `kernel sync` says it.
func openStore(dir string, c *cryptolens.Client, note io.Writer) (*logstore.Store, error) {
	u, due := logstore.PendingUpgrade(dir)
	if !due || u.Segments == 0 {
		return logstore.OpenFor(dir, c)
	}
	var end func(string)
	if note == nil && gonbui.IsNotebook {
		status := nb.NewStatus()
		status.Set(u.Doing())
		end = func(result string) { status.Done(u.Doing() + " " + result) }
	} else {
		if note == nil {
			note = os.Stderr
		}
		fmt.Fprint(note, u.Doing()+" ")
		end = func(result string) { fmt.Fprintln(note, result) }
	}
	st, err := logstore.OpenFor(dir, c)
	if err != nil {
		end("stopped (see the error)")
		return nil, err
	}
	end(st.Upgraded().Result())
	return st, nil
}
