package analysis

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// SeatEvent is one row of a seat audit: a log row replayed, or a seat
// expiring on its own.
type SeatEvent struct {
	Time         time.Time
	Action       SeatAction
	FreeSeats    int // the seat limit minus seats in use after the event; negative = overdraft
	InUse        int // seats in use after the event
	MachineCode  string
	FriendlyName string
	State        cryptolens.State // the row's state; 0 for an expiry, which has no row
	Overdraft    bool             // the row was a 2015: a seat taken over the limit
	SeatExpires  time.Time        // when the machine's seat expires after the event; zero if it holds none or it never expires
}

// SeatReport is the floating-seat audit of one license over a window: what
// happened to its seats, in time order, and how many were in use. As a chart
// it is a step line of free seats over time.
type SeatReport struct {
	Key         string
	MaxMachines int       // the seat limit the audit counts against
	From, End   time.Time // the window audited: [From, End); From is zero when it starts with the log
	Events      []SeatEvent

	InUseAtStart int // seats held at From, taken before the window
	InUseAtEnd   int // seats held at the end of the window ("in use now")

	Activations   int // seats taken
	Verifications int // seats refreshed
	Deactivations int // seats freed by a 6011
	Expiries      int // seats freed by their expiry passing
	Overdrafts    int // 2015 rows: activations or refreshes over the limit
	DeviceLimit   int // 2024 rows: activations refused, no free seat

	// Notes lists what in the data the audit had to assume, e.g. rows
	// without a machine code; empty when nothing.
	Notes []string
}

// SeatAudit replays the floating-seat rows of one license (states 2014,
// 2015, 6011, 2024 in id order) and reports every seat change inside the
// window the table was loaded for (api.Period, w below), as the help site's floating-license audit does, done right:
//
//   - 2014 or 2015 from a machine holding no seat is an activation; from a
//     machine holding one it is a verification that refreshes the seat's
//     expiry. A 2015 also counts as an overdraft.
//   - 6011 frees the machine's seat (a deactivation).
//   - 2024 is "device limit reached": nothing changes.
//   - A seat whose floatingExpires passes frees itself; the audit lists that
//     as an "expired" event at the expiry instant, before any later row. A
//     seat is held up to but not including its expiry instant.
//
// Rows before the window are replayed too, silently, so seats taken before
// it and still held count as in use (InUseAtStart). A zero w.To means now.
// api may hold any rows: SeatAudit picks key's rows with those states
// itself. maxMachines is the license's MaxNoOfMachines.
func SeatAudit(api *logs.WebAPI, key string, maxMachines int) (*SeatReport, error) {
	var w logs.Window
	if api != nil {
		w = api.Period
	}
	if key == "" {
		return nil, noData("seat audit: no license key given")
	}
	if maxMachines < 1 {
		return nil, fmt.Errorf("seat audit of %s: maxMachines is %d; want the license's seat limit (MaxNoOfMachines), at least 1", key, maxMachines)
	}
	end := w.To
	if end.IsZero() {
		end = time.Now().UTC().Truncate(time.Second)
	}
	if !w.From.IsZero() && !w.From.Before(end) {
		return nil, noData(fmt.Sprintf("seat audit of %s: the window %s is empty", key, w))
	}
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIState, logs.WebAPIMachineCode, logs.WebAPIFriendlyName, logs.WebAPIFloatingExpires)
	rep := &SeatReport{Key: key, MaxMachines: maxMachines, From: w.From, End: end}
	rep.replay(api, seatRowsByKey(api, key)[key])
	return rep, nil
}

// replay runs the seat replay over rows and fills in the report.
func (rep *SeatReport) replay(api *logs.WebAPI, rows []int) {
	from, end := int64(math.MinInt64), rep.End.Unix()
	if !rep.From.IsZero() {
		from = rep.From.Unix()
	}
	r := newSeatReplay()
	started := from == math.MinInt64
	silent := func(step) {}
	record := func(s step) { rep.record(s) }
	start := func() {
		r.expire(from, silent)
		rep.InUseAtStart, started = len(r.seats), true
	}
	var undated, noMachine, noExpiry int
	for _, i := range rows {
		at := api.Time[i] // unix seconds; 0: no time
		if at == 0 {
			undated++
			continue
		}
		if at >= end {
			continue
		}
		if !started && at >= from {
			start()
		}
		emit := silent
		if started {
			emit = record
		}
		r.expire(at, emit)
		if api.MachineCode.Codes[i] == 0 { // ""
			noMachine++
		}
		if s := api.State[i]; (s == cryptolens.StateFloatingActivated || s == cryptolens.StateFloatingOverdraft) && api.FloatingExpires[i] == 0 {
			noExpiry++
		}
		r.apply(at, api.State[i], api.MachineCode.At(i), api.FriendlyName.At(i), expiresOf(api, i), emit)
	}
	if !started {
		start()
	}
	r.expire(end-1, record)
	rep.InUseAtEnd = len(r.seats)
	rep.note(undated, "row(s) without a time were left out")
	rep.note(noMachine, "row(s) had no machine code; they are tracked as one machine with an empty code")
	rep.note(noExpiry, "activation(s) had no floatingExpires; those seats are held until deactivated")
}

// note adds a data-quality note when n is not zero.
func (rep *SeatReport) note(n int, what string) {
	if n > 0 {
		rep.Notes = append(rep.Notes, format.Count(n)+" "+what)
	}
}

// record adds one step inside the window to the report.
func (rep *SeatReport) record(s step) {
	ev := SeatEvent{
		Time: time.Unix(s.at, 0).UTC(), Action: s.action,
		FreeSeats: rep.MaxMachines - s.inUse, InUse: s.inUse,
		MachineCode: s.machine, FriendlyName: s.name, State: s.state, Overdraft: s.overdraft,
	}
	if s.expires != 0 && s.expires != never {
		ev.SeatExpires = time.Unix(s.expires, 0).UTC()
	}
	rep.Events = append(rep.Events, ev)
	switch s.action {
	case SeatActivation:
		rep.Activations++
	case SeatVerification:
		rep.Verifications++
	case SeatDeactivation:
		rep.Deactivations++
	case SeatExpired:
		rep.Expiries++
	case SeatDeviceLimit:
		rep.DeviceLimit++
	}
	if s.overdraft {
		rep.Overdrafts++
	}
}

// FreeSeatsNow returns the free seats at the end of the window: the limit
// minus InUseAtEnd, negative when overdrawn.
func (rep *SeatReport) FreeSeatsNow() int { return rep.MaxMachines - rep.InUseAtEnd }

// Len returns the number of events.
func (rep *SeatReport) Len() int { return len(rep.Events) }

// Time returns when event i happened.
func (rep *SeatReport) Time(i int) time.Time { return rep.Events[i].Time }

// Value returns the free seats after event i.
func (rep *SeatReport) Value(i int) float64 { return float64(rep.Events[i].FreeSeats) }

func (rep *SeatReport) columns() []col {
	ev := rep.Events
	return []col{
		timeCol("Time", ev, func(e SeatEvent) time.Time { return e.Time }),
		strCol("Action", ev, func(e SeatEvent) string { return e.Action.String() }),
		intCol("Free seats", ev, func(e SeatEvent) int { return e.FreeSeats }),
		intCol("In use", ev, func(e SeatEvent) int { return e.InUse }),
		strCol("Machine code", ev, func(e SeatEvent) string { return e.MachineCode }),
		strCol("Friendly name", ev, func(e SeatEvent) string { return e.FriendlyName }),
		strCol("State", ev, func(e SeatEvent) string {
			if e.State == 0 {
				return ""
			}
			return e.State.String()
		}),
		boolCol("Overdraft", ev, func(e SeatEvent) bool { return e.Overdraft }),
		timeCol("Seat expires", ev, func(e SeatEvent) time.Time { return e.SeatExpires }),
	}
}

// Frame returns the events as a table: Time, Action, Free seats, In use,
// Machine code, Friendly name, State, Overdraft, Seat expires.
func (rep *SeatReport) Frame() dataframe.DataFrame { return frameOf(rep.columns()) }

// WriteCSV writes the events as CSV with the same columns as Frame.
func (rep *SeatReport) WriteCSV(w io.Writer) error { return writeCols(w, rep.columns()) }

// Summary says in one line what the audit found, e.g. "ABCD-...: 3 of 5
// seats in use at 2026-10-01 12:00:00; 2 overdrafts, 7 device-limit-reached".
func (rep *SeatReport) Summary() string {
	return fmt.Sprintf("%s: %s of %s seats in use at %s; %s, %s, %s expired, %s, %s device-limit-reached",
		rep.Key, format.Count(rep.InUseAtEnd), format.Count(rep.MaxMachines), format.Time(rep.End), format.Counted(rep.Activations, "activation", "activations"),
		format.Counted(rep.Deactivations, "deactivation", "deactivations"), format.Count(rep.Expiries), format.Counted(rep.Overdrafts, "overdraft", "overdrafts"),
		format.Count(rep.DeviceLimit))
}
