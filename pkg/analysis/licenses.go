package analysis

import (
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// license is what the license analyses read of one license in the
// account's license list (product/GetKeys): the present state, which the
// API gives and the Web API Log does not.
type license struct {
	Key        string
	ProductID  int
	CustomerID int    // 0: sold to no customer
	Customer   string // the customer's name, or "" when none
	Created    time.Time
	Expires    time.Time // zero: never expires
	Trial      bool      // a trial license now (TrialActivation)
	WasTrial   bool      // a trial once, by the account's history (snapshots, Object Log), though not now
	Floating   bool      // floating seats rather than node-locked machines
	Seats      int       // MaxNoOfMachines: seats or machines purchased; 0 means no limit
	Activated  int       // machines activated now (ActivatedMachines)
	FirstUsed  time.Time // the earliest activation time of its activated machines; zero if none
	Blocked    bool
}

// expiresWithin reports whether l expires in (now, now+d].
func (l license) expiresWithin(now time.Time, d time.Duration) bool {
	return !l.Expires.IsZero() && l.Expires.After(now) && !l.Expires.After(now.Add(d))
}

// keyUse is what the Web API Log says about one key up to an instant.
type keyUse struct {
	First, Last time.Time        // first and last request
	Requests    int              // requests in the table up to the instant
	Recent      int              // requests in the recentDays before the instant
	LastState   cryptolens.State // the state of the last request
	LastMachine string           // its machine code
	LastName    string           // its friendly name
	Activated   bool             // an activation succeeded (201x states)
	FirstActive time.Time        // the first successful activation
	months      map[int]bool     // months (monthIndex) with a request
}

// recentDays is how far back a request makes a license "in use": the
// window of recent use for renewals, and the reach of Recent.
const recentDays = 14

// usesByKey reads, in one pass, each key's use of the API up to now (a
// zero now means every row). The table must hold Key, State, MachineCode
// and FriendlyName.
func usesByKey(api *logs.WebAPI, now time.Time) map[string]*keyUse {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIState, logs.WebAPIMachineCode, logs.WebAPIFriendlyName)
	recent := now.Add(-recentDays * 24 * time.Hour)
	out := map[string]*keyUse{}
	for i := range api.Time {
		t := api.Time.At(i)
		if t.IsZero() || (!now.IsZero() && t.After(now)) {
			continue
		}
		k := api.Key.At(i)
		u := out[k]
		if u == nil {
			u = &keyUse{First: t, months: map[int]bool{}}
			out[k] = u
		}
		u.Requests++
		if !now.IsZero() && t.After(recent) {
			u.Recent++
		}
		if t.Before(u.First) {
			u.First = t
		}
		s := api.State[i]
		if !t.Before(u.Last) {
			u.Last, u.LastState, u.LastMachine, u.LastName = t, s, api.MachineCode.At(i), api.FriendlyName.At(i)
		}
		if successfulActivation(s) {
			if !u.Activated || t.Before(u.FirstActive) {
				u.FirstActive = t
			}
			u.Activated = true
		}
		u.months[monthIndex(t)] = true
	}
	return out
}

// monthIndex numbers calendar months (UTC) from year 0, so consecutive
// months differ by one.
func monthIndex(t time.Time) int {
	t = t.UTC()
	return t.Year()*12 + int(t.Month()) - 1
}

// monthOf is the first instant of month index m.
func monthOf(m int) time.Time {
	return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// asOf is the instant a license analysis looks from: the end of the
// table's period, else (a period open at its end) its newest row, else the
// current time.
func asOf(api *logs.WebAPI) time.Time {
	if !api.Period.To.IsZero() {
		return api.Period.To.UTC()
	}
	var last time.Time
	for i := range api.Time {
		if t := api.Time.At(i); t.After(last) {
			last = t
		}
	}
	if last.IsZero() {
		return time.Now().UTC().Truncate(time.Second)
	}
	return last.UTC()
}

// successfulActivation reports whether s is an activation that succeeded
// (2010–2015: node-locked, floating, overdraft).
func successfulActivation(s cryptolens.State) bool {
	return s.Group() == cryptolens.GroupActivation && s.Outcome() == cryptolens.OutcomeSuccess
}
