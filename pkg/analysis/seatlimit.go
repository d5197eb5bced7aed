package analysis

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// unlimitedSeats is a seat limit no license reaches, for replaying a key's
// seats without a limit.
const unlimitedSeats = 1 << 30

// InferSeatLimit estimates a floating license's seat limit from its own
// log, for accounts whose limits lenslog cannot read (the Web API Log does
// not carry MaxNoOfMachines). Replaying the key's seats tells how many were
// in use at each row, and the server's answers bound the limit: a seat
// taken or refreshed within the limit (2014) means it is at least the
// seats then in use; one taken or refreshed over it (2015, overdraft) means
// it is below them; a device refused (2024, no overdraft allowed) means
// they had reached it. Without a 2015 or 2024 the peak seats in use is a
// lower bound, and a key whose seats were all taken before the rows given
// is at least 1. The text says which rule gave the number. It returns 0
// only when the key has no floating-seat activity in the window the table
// was loaded for (api.Period).
//
// The estimate is as good as the seats the replay sees: load rows from
// some time before the window you ask about (a few seat lifetimes), so
// seats taken before it count.
func InferSeatLimit(api *logs.WebAPI, key string) (limit int, how string, err error) {
	rep, err := SeatAudit(api, key, unlimitedSeats)
	if err != nil {
		return 0, "", err
	}
	var within, refused, peak = 0, 0, rep.InUseAtStart
	over := -1 // the fewest seats in use a 2015 left, less one; -1: no 2015
	for _, e := range rep.Events {
		peak = max(peak, e.InUse)
		switch {
		case e.Overdraft:
			if over < 0 || e.InUse-1 < over {
				over = e.InUse - 1
			}
		case e.State == cryptolens.StateFloatingActivated:
			within = max(within, e.InUse)
		case e.Action == SeatDeviceLimit:
			refused = max(refused, e.InUse)
		}
	}
	switch {
	case max(over, within) > 0 && over >= 0:
		n := max(over, within)
		return n, fmt.Sprintf("%d: a seat went over the limit (2015, overdraft) with %d in use", n, n+1), nil
	case refused > 0:
		n := max(refused, within)
		return n, fmt.Sprintf("%d: %d seats were in use when a device was refused (2024)", n, refused), nil
	case peak > 0:
		return peak, fmt.Sprintf("at least %d: the most seats in use at once; no device was refused or went over the limit", peak), nil
	case len(rep.Events) > 0:
		return 1, "at least 1: the key used floating seats, but the rows read show none taken", nil
	}
	return 0, "no seat activity in the window", nil
}

// BusiestFloatingKey returns the key with the most floating-seat rows (2014,
// 2015, 2024, 6011) in api, the natural default for a seat audit, or "" when
// there are none. Ties go to the smaller key, so the choice is stable.
func BusiestFloatingKey(api *logs.WebAPI) string {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIState)
	counts := map[string]int{}
	best, most := "", 0
	for i, s := range api.State {
		switch s {
		case cryptolens.StateFloatingActivated, cryptolens.StateFloatingOverdraft,
			cryptolens.StateNoFreeSeat, cryptolens.StateFloatingReleased:
		default:
			continue
		}
		k := api.Key.At(i)
		counts[k]++
		if n := counts[k]; n > most || n == most && k < best {
			best, most = k, n
		}
	}
	return best
}
