package report

import (
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
)

// Clock returns the environment that gives every notebook and every cell
// of one run the same "now", resolved once at the run's start, so that
// the windows of all cells are the same and the tables of a report add
// up (a cell resolving last-30d a few seconds after another would read
// other rows).
//
// For a live account now is start, in UTC, truncated to the second
// (LENSLOG_NOW): each load still syncs what is new, but reads no row after
// it, so rows that arrive while the report runs wait for the next run,
// and a replay pinned to the recorded now reads the same windows. For the
// sample account, whose now is the end of its history, it pins the last
// day (LENSLOG_SAMPLE_END), so a run across midnight reads one account.
// What the user pinned already is kept.
func Clock(cfg lenslog.Config, start time.Time) []string {
	switch {
	case !cfg.Pins.Now.IsZero():
		return nil
	case cfg.UseSample || cfg.Token == "":
		if cfg.Sample.End.IsZero() {
			return []string{lenslog.EnvSampleEnd + "=" + start.UTC().Format("2006-01-02")}
		}
		return nil
	}
	return []string{lenslog.EnvNow + "=" + start.UTC().Truncate(time.Second).Format(time.RFC3339)}
}
