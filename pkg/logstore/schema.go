package logstore

import "fmt"

// Log names one of the three Cryptolens logs; it is also the name of the
// log's folder in a store.
type Log string

// The logs a store keeps.
const (
	WebAPI  Log = "webapi"  // the Web API Log (ai/GetWebAPILog)
	Events  Log = "events"  // the Events Log (ai/GetEvents)
	Objects Log = "objects" // the Object Log (ai/GetObjectLog)
)

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
