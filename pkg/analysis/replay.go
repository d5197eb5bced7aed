package analysis

import (
	"cmp"
	"math"
	"slices"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// SeatAction is what happened to a floating seat at one step of the replay.
type SeatAction int

// The seat actions. SeatExpired is the implicit deactivation of a seat
// whose floatingExpires passed without a refresh; it has no row of its own
// in the log.
const (
	SeatActivation    SeatAction = iota + 1 // 2014/2015 from a machine holding no seat: a seat is taken
	SeatVerification                        // 2014/2015 from a machine holding a seat: the seat is refreshed
	SeatDeactivation                        // 6011 from a machine holding a seat: the seat is freed
	SeatExpired                             // the seat's floatingExpires passed: the seat frees itself
	SeatDeviceLimit                         // 2024: no free seat, the activation was refused
	SeatReleaseUnheld                       // 6011 from a machine holding no seat: nothing changes
)

// String names the action as the seat audit shows it.
func (a SeatAction) String() string {
	switch a {
	case SeatActivation:
		return "activation"
	case SeatVerification:
		return "verification"
	case SeatDeactivation:
		return "deactivation"
	case SeatExpired:
		return "expired"
	case SeatDeviceLimit:
		return "device limit reached"
	case SeatReleaseUnheld:
		return "deactivation (no seat held)"
	default:
		return "unknown"
	}
}

// never is the expiry of a seat whose row had no floatingExpires: it is
// held until it is deactivated.
const never = math.MaxInt64

// isSeatState reports whether a state takes part in the seat replay.
func isSeatState(s cryptolens.State) bool {
	switch s {
	case cryptolens.StateFloatingActivated, cryptolens.StateFloatingOverdraft,
		cryptolens.StateFloatingReleased, cryptolens.StateNoFreeSeat:
		return true
	}
	return false
}

// seat is one machine's hold on a floating license.
type seat struct {
	expires int64 // unix seconds; the seat is free from this instant on
	name    string
}

// step is one thing the replay saw in the log or inferred from expiries.
type step struct {
	at        int64 // unix seconds
	action    SeatAction
	machine   string
	name      string
	state     cryptolens.State // 0 for an expiry
	expires   int64            // the seat's expiry after the step; 0 if no seat is held
	inUse     int              // seats in use after the step
	overdraft bool             // the row was a 2015
	delta     int              // change in seats in use: +1, -1 or 0
}

// seatReplay replays one license's floating-seat rows in id order, keeping
// machine code -> seat. A seat is held on [taken, expires): at its expiry
// instant it is free, so a machine activating exactly then takes a new
// seat.
type seatReplay struct {
	seats  map[string]seat
	minExp int64 // no seat expires before this; may be stale-low, never high
}

func newSeatReplay() *seatReplay {
	return &seatReplay{seats: map[string]seat{}, minExp: never}
}

// expire frees, in expiry order, every seat whose expiry is at or before
// upTo, calling emit for each.
func (r *seatReplay) expire(upTo int64, emit func(step)) {
	if r.minExp > upTo {
		return
	}
	type gone struct {
		machine string
		seat
	}
	var due []gone
	next := int64(never)
	for m, s := range r.seats {
		if s.expires <= upTo {
			due = append(due, gone{m, s})
		} else {
			next = min(next, s.expires)
		}
	}
	r.minExp = next
	slices.SortFunc(due, func(a, b gone) int {
		if c := cmp.Compare(a.expires, b.expires); c != 0 {
			return c
		}
		return cmp.Compare(a.machine, b.machine)
	})
	for _, g := range due {
		delete(r.seats, g.machine)
		emit(step{at: g.expires, action: SeatExpired, machine: g.machine, name: g.name,
			inUse: len(r.seats), delta: -1})
	}
}

// apply replays one log row: its time, state, machine, friendly name and
// floatingExpires (0 when absent). Call expire(at) first.
func (r *seatReplay) apply(at int64, state cryptolens.State, machine, name string, expires int64, emit func(step)) {
	st := step{at: at, state: state, machine: machine, name: name}
	switch state {
	case cryptolens.StateFloatingActivated, cryptolens.StateFloatingOverdraft:
		if expires == 0 {
			expires = never
		}
		st.action, st.delta = SeatActivation, 1
		if _, held := r.seats[machine]; held {
			st.action, st.delta = SeatVerification, 0
		}
		r.seats[machine] = seat{expires: expires, name: name}
		r.minExp = min(r.minExp, expires)
		st.expires = expires
		st.overdraft = state == cryptolens.StateFloatingOverdraft
	case cryptolens.StateFloatingReleased:
		st.action = SeatReleaseUnheld
		if _, held := r.seats[machine]; held {
			delete(r.seats, machine)
			st.action, st.delta = SeatDeactivation, -1
		}
	case cryptolens.StateNoFreeSeat:
		st.action = SeatDeviceLimit
	default:
		return
	}
	if s, held := r.seats[machine]; held && st.action != SeatVerification && st.action != SeatActivation {
		st.expires = s.expires
	}
	st.inUse = len(r.seats)
	emit(st)
}

// seatRowsByKey returns, per key, the indices of api's rows with a seat
// state, in id order. With only set, it keeps that key alone.
func seatRowsByKey(api *logs.WebAPI, only string) map[string][]int {
	onlyCode, ok := api.Key.Code(only)
	if only != "" && !ok {
		return map[string][]int{}
	}
	byCode := map[uint32][]int{}
	for i, s := range api.State {
		if !isSeatState(s) {
			continue
		}
		if c := api.Key.Codes[i]; only == "" || c == onlyCode {
			byCode[c] = append(byCode[c], i)
		}
	}
	by := make(map[string][]int, len(byCode))
	for c, rows := range byCode {
		by[api.Key.Dict.Value(c)] = rows
	}
	for _, rows := range by {
		if !slices.IsSortedFunc(rows, func(a, b int) int { return cmp.Compare(api.ID[a], api.ID[b]) }) {
			slices.SortStableFunc(rows, func(a, b int) int { return cmp.Compare(api.ID[a], api.ID[b]) })
		}
	}
	return by
}

// expiresOf returns row i's floatingExpires in unix seconds, or 0 when absent.
func expiresOf(api *logs.WebAPI, i int) int64 { return api.FloatingExpires[i] }
