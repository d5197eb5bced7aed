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
// not carry MaxNoOfMachines). When a device was refused a seat (2024) the
// seats in use at that moment are the limit, barring overdraft; without a
// refusal the peak seats in use is a lower bound. The text says which
// rule gave the number. It returns 0 when the key has no seat activity in
// the window.
func InferSeatLimit(api *logs.WebAPI, key string, w logs.Window) (limit int, how string, err error) {
	rep, err := SeatAudit(api, key, unlimitedSeats, w)
	if err != nil {
		return 0, "", err
	}
	refused, peak := 0, rep.InUseAtStart
	for _, e := range rep.Events {
		peak = max(peak, e.InUse)
		if e.Action == SeatDeviceLimit && !e.Overdraft {
			refused = max(refused, e.InUse)
		}
	}
	switch {
	case refused > 0:
		return refused, fmt.Sprintf("%d seats were in use when a device was refused (2024)", refused), nil
	case peak > 0:
		return peak, fmt.Sprintf("at least %d: the most seats in use at once; no device was refused", peak), nil
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
