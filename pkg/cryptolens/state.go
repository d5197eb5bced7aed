package cryptolens

import (
	"fmt"
	"strconv"
)

// State is the four-digit state code of a Web API Log row, ABCD: AB is the
// method group, C the outcome (1 success, 2 failure), D an optional detail.
type State int

// Group is the method group of a state: the first two digits.
type Group int

// The method groups of the Web API Log.
const (
	GroupValidation    Group = 10 // key validation
	GroupActivation    Group = 20 // machine activation
	GroupKeyGeneration Group = 30 // key creation
	GroupOptionalField Group = 40 // optional field changes
	GroupNone          Group = 50 // no request associated
	GroupDeactivation  Group = 60 // machine deactivation
	GroupLicenseChange Group = 70 // other license changes: extend, block, features...
	GroupDataObject    Group = 80 // data-object operations
)

// groupNames names each known group, in order; it is the one table to
// correct if Cryptolens documents more.
var groupNames = map[Group]string{
	GroupValidation:    "validation",
	GroupActivation:    "activation",
	GroupKeyGeneration: "key generation",
	GroupOptionalField: "optional field",
	GroupNone:          "no request",
	GroupDeactivation:  "deactivation",
	GroupLicenseChange: "license change",
	GroupDataObject:    "data object",
}

// Groups lists the known method groups in code order.
func Groups() []Group {
	return []Group{GroupValidation, GroupActivation, GroupKeyGeneration, GroupOptionalField,
		GroupNone, GroupDeactivation, GroupLicenseChange, GroupDataObject}
}

// String names the group, or "group NN" for one not documented.
func (g Group) String() string {
	if n, ok := groupNames[g]; ok {
		return n
	}
	return "group " + strconv.Itoa(int(g))
}

// Known reports whether g is one of the documented groups.
func (g Group) Known() bool { _, ok := groupNames[g]; return ok }

// Outcome is whether a request succeeded, from the third digit of its state.
type Outcome int

// The outcomes. OutcomeUnknown is any third digit other than 1 or 2: it is
// never guessed to be either.
const (
	OutcomeUnknown Outcome = iota
	OutcomeSuccess
	OutcomeFailure
)

// String names the outcome as reports show it.
func (o Outcome) String() string {
	switch o {
	case OutcomeSuccess:
		return "Success"
	case OutcomeFailure:
		return "Failure"
	default:
		return "Unknown"
	}
}

// Valid reports whether s has four digits.
func (s State) Valid() bool { return s >= 1000 && s <= 9999 }

// Group returns the method group (the first two digits).
func (s State) Group() Group { return Group(int(s) / 100) }

// Outcome returns success, failure or unknown from the third digit. This is
// the documented test state%100/10 - 1, with every other digit unknown.
func (s State) Outcome() Outcome {
	if !s.Valid() {
		return OutcomeUnknown
	}
	switch int(s) % 100 / 10 {
	case 1:
		return OutcomeSuccess
	case 2:
		return OutcomeFailure
	default:
		return OutcomeUnknown
	}
}

// Detail returns the optional fourth digit.
func (s State) Detail() int { return int(s) % 10 }

// String returns the code itself, e.g. "2014".
func (s State) String() string { return strconv.Itoa(int(s)) }

// confirmed holds the meanings official sources confirm for exact codes.
var confirmed = map[State]string{
	2010: "node-locked activation succeeded",
	2011: "node-locked activation succeeded",
	2012: "node-locked activation succeeded",
	2013: "node-locked activation succeeded",
	2014: "floating activation succeeded (seat taken or refreshed)",
	2015: "floating activation succeeded over the seat limit (overdraft)",
	2024: "floating activation failed: no free seat (device limit reached)",
	3010: "key created",
	6011: "floating seat released (floating deactivation)",
}

// Confirmed reports whether official sources document this exact code.
func (s State) Confirmed() bool { _, ok := confirmed[s]; return ok }

// Description says what the code means to a reader: the confirmed meaning
// when official sources document the code, else what its digits tell
// (group and outcome) and, for a detail digit no source documents, says so
// with the code, e.g. "activation failed (code 2021: detail not
// documented)", so that a reader knows where the log stops telling.
func (s State) Description() string {
	if d, ok := confirmed[s]; ok {
		return d
	}
	if !s.Valid() {
		return fmt.Sprintf("not a state code (%d)", int(s))
	}
	g := s.Group().String()
	switch s.Outcome() {
	case OutcomeSuccess:
		g += " succeeded"
	case OutcomeFailure:
		g += " failed"
	default:
		g += ", outcome unknown"
	}
	if s.Detail() != 0 {
		g += fmt.Sprintf(" (code %d: detail not documented)", int(s))
	}
	return g
}

// ConfirmedStates lists the codes with a confirmed meaning, in order.
func ConfirmedStates() []State {
	return []State{2010, 2011, 2012, 2013, 2014, 2015, 2024, 3010, 6011}
}

// Floating seat states, as the seat audit reads them.
const (
	StateFloatingActivated State = 2014 // seat taken or refreshed
	StateFloatingOverdraft State = 2015 // seat taken over the limit
	StateNoFreeSeat        State = 2024 // device limit reached
	StateFloatingReleased  State = 6011 // seat freed
	StateKeyCreated        State = 3010 // key created
)
