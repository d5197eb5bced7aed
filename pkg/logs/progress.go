package logs

import "time"

// Progress is a snapshot of one log's sync, passed to the store's sync
// callback (logstore.SyncOptions.Progress) after every page and once more when the log is done. It is plain numbers,
// computed here once, so that whoever shows it (nb.ProgressLine, for the
// notebook's status line and the kernel's terminal line) only formats.
type Progress struct {
	Log      string // the log or table, as the store names it (logstore.Log, logstore.UsageTable)
	Backward bool   // fetching older rows (newest first) rather than newer ones
	Rows     int    // new rows fetched so far for this log
	Pages    int    // pages fetched so far for this log
	Requests int    // HTTP requests so far for this log, retries included
	Elapsed  time.Duration
	// RowsPerSecond is the fetch rate so far.
	RowsPerSecond float64
	// Fraction estimates how much of the current direction is done, 0..1,
	// from how much of the time span to cover the rows fetched so far
	// cover; -1 when it cannot be estimated (a backward sync of the whole
	// history).
	Fraction float64
	// Remaining estimates the time left for the current direction; 0 when
	// unknown.
	Remaining time.Duration
	Done      bool // the log's sync has finished (successfully or not)
	// Waiting is set while the sync waits rather than fetches: the time
	// left of a retry's wait (a backoff, or the server's Retry-After), how
	// long a request has gone unanswered (a slow or stalled server), or how
	// long local work without a request has taken (compacting segments).
	// WaitReason says which, in words. 0 and "" when it does not wait.
	Waiting    time.Duration
	WaitReason string
}
