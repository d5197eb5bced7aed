package logstore

import (
	"fmt"
	"sync"
	"time"
)

// Log names one of the three Cryptolens logs; it is also the name of the
// log's folder in a store.
type Log string

// The logs a store keeps.
const (
	WebAPI  Log = "webapi"  // the Web API Log (ai/GetWebAPILog)
	Events  Log = "events"  // the Events Log (ai/GetEvents)
	Objects Log = "objects" // the Object Log (ai/GetObjectLog)
)

// Title names the log as people do: "Web API Log".
func (l Log) Title() string {
	switch l {
	case WebAPI:
		return "Web API Log"
	case Events:
		return "Events Log"
	case Objects:
		return "Object Log"
	}
	return string(l)
}

// AllLogs lists the three logs in the order Sync visits them.
func AllLogs() []Log { return []Log{WebAPI, Events, Objects} }

// ParseLog turns "webapi", "events" or "objects" into a Log.
func ParseLog(s string) (Log, error) {
	switch l := Log(s); l {
	case WebAPI, Events, Objects:
		return l, nil
	}
	return "", fmt.Errorf("logstore: unknown log %q (want webapi, events or objects)", s)
}

// micros is the number of microseconds in a second: times are stored as
// TIMESTAMP(MICROS, UTC), the unit every outside engine reads natively.
const micros = 1_000_000

// The records a segment stores, one per log, and the functions that read
// segments into tables are generated from internal/logschema into
// schema_gen.go.

// monthOf is the UTC month of a row time as a segment's month column holds
// it: "2026-10", the name of a Hive-style month=2026-10 folder, as text
// that sorts as time does. Every row has one (a row without a time is in
// 1970-01), so WHERE month = '2026-10' selects exactly the rows whose
// time is in that month, and a segment's row groups, which follow months
// (monthStarts), each hold one value: an engine skips the other months by
// the column's statistics and reads a few bytes of it in the month's.
func monthOf(t time.Time) string {
	y, m, _ := t.UTC().Date()
	if i := (y-firstNamedYear)*12 + int(m) - 1; i >= 0 && i < len(monthNames()) {
		return monthNames()[i] // no allocation per row
	}
	return fmt.Sprintf("%04d-%02d", y, m)
}

// firstNamedYear is the first year of monthNames.
const firstNamedYear = 1970

// monthNames are the months of 1970 to 2199, named once.
var monthNames = sync.OnceValue(func() []string {
	names := make([]string, 0, 230*12)
	for y := firstNamedYear; y < firstNamedYear+230; y++ {
		for m := 1; m <= 12; m++ {
			names = append(names, fmt.Sprintf("%04d-%02d", y, m))
		}
	}
	return names
})
