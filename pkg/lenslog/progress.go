package lenslog

import (
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/lenslog/lenslog/pkg/logs"
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
