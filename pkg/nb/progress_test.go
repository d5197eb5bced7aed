package nb

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name string
		p    logs.Progress
		want string
	}{
		{"unknown share", logs.Progress{Log: "webapi", Rows: 12345, Pages: 13, Requests: 14,
			Elapsed: 5 * time.Second, RowsPerSecond: 2469, Fraction: -1},
			"webapi: 12,345 rows, 13 pages, 14 requests, 2,469 rows/s"},
		{"estimate, going back", logs.Progress{Log: "events", Backward: true, Rows: 1200, Pages: 12, Requests: 12,
			Elapsed: time.Second, RowsPerSecond: 950, Fraction: 0.5, Remaining: 2500 * time.Millisecond},
			"events, going back: 1,200 rows, 12 pages, 12 requests, 950 rows/s, 50% done, about 3 s left"},
		{"minutes left", logs.Progress{Log: "objects", Rows: 500, Pages: 5, Requests: 6,
			Elapsed: 30 * time.Second, RowsPerSecond: 16.7, Fraction: 0.2, Remaining: 2 * time.Minute},
			"objects: 500 rows, 5 pages, 6 requests, 17 rows/s, 20% done, about 2 min left"},
		{"hours left", logs.Progress{Log: "webapi", Rows: 1, Pages: 1, Requests: 1,
			Elapsed: time.Hour, Fraction: 0.25, Remaining: 3 * time.Hour},
			"webapi: 1 row, 1 page, 1 request, 0 rows/s, 25% done, about 3 h left"},
		{"waiting", logs.Progress{Log: "events", Rows: 100, Pages: 1, Requests: 2, Fraction: -1,
			Waiting: 4 * time.Second, WaitReason: "the server asked to wait (Retry-After)"},
			"events: 100 rows, 1 page, 2 requests, waiting 4 s: the server asked to wait (Retry-After)"},
		{"not started", logs.Progress{Log: "objects", Fraction: 0},
			"objects: 0 rows, 0 pages, 0 requests, 0% done"},
		{"done", logs.Progress{Log: "webapi", Rows: 2000, Pages: 2, Requests: 3,
			Elapsed: 1500 * time.Millisecond, Fraction: 1, Done: true},
			"webapi: 2,000 rows, 2 pages, 3 requests in 2 s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProgressLine(tt.p); got != tt.want {
				t.Errorf("ProgressLine =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

func TestProgressBarEndsEachLog(t *testing.T) {
	var buf bytes.Buffer
	draw := progressBar(&buf, time.Hour)
	draw(logs.Progress{Log: "webapi", Rows: 1000, Pages: 1, Requests: 1, Fraction: 0.5})
	draw(logs.Progress{Log: "webapi", Rows: 2000, Pages: 2, Requests: 2, Fraction: -1}) // throttled
	draw(logs.Progress{Log: "webapi", Rows: 2000, Pages: 2, Requests: 3, Elapsed: 1500 * time.Millisecond, Done: true})
	draw(logs.Progress{Log: "events", Rows: 7, Pages: 1, Requests: 1, Fraction: -1}) // a new log draws at once
	want := "\r\x1b[K[############............] webapi: 1,000 rows, 1 page, 1 request, 50% done" +
		"\r\x1b[Kwebapi: 2,000 rows, 2 pages, 3 requests in 2 s\n" +
		"\r\x1b[Kevents: 7 rows, 1 page, 1 request"
	if buf.String() != want {
		t.Errorf("drew\n %q\nwant\n %q", buf.String(), want)
	}
}

func TestTerminalProgressIsQuietOffTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if TerminalProgress(f) != nil {
		t.Error("a file is not a terminal, want no progress")
	}
	if TerminalProgress(nil) != nil {
		t.Error("no file, want no progress")
	}
}
