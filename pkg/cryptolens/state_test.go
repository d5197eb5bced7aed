package cryptolens

import (
	"slices"
	"testing"
)

func TestState(t *testing.T) {
	tests := []struct {
		state     State
		valid     bool
		group     Group
		outcome   Outcome
		detail    int
		confirmed bool
		desc      string
	}{
		{2014, true, GroupActivation, OutcomeSuccess, 4, true, "floating activation succeeded (seat taken or refreshed)"},
		{2024, true, GroupActivation, OutcomeFailure, 4, true, "floating activation failed: no free seat (device limit reached)"},
		{6011, true, GroupDeactivation, OutcomeSuccess, 1, true, "floating seat released (floating deactivation)"},
		{1010, true, GroupValidation, OutcomeSuccess, 0, false, "validation succeeded"},
		{8020, true, GroupDataObject, OutcomeFailure, 0, false, "data object failed"},
		{7023, true, GroupLicenseChange, OutcomeFailure, 3, false, "license change failed (code 7023: detail not documented)"},
		{4031, true, GroupOptionalField, OutcomeUnknown, 1, false, "optional field, outcome unknown (code 4031: detail not documented)"},
		{9910, true, Group(99), OutcomeSuccess, 0, false, "group 99 succeeded"},
		{999, false, Group(9), OutcomeUnknown, 9, false, "not a state code (999)"},
		{0, false, Group(0), OutcomeUnknown, 0, false, "not a state code (0)"},
	}
	for _, tt := range tests {
		t.Run(tt.state.String(), func(t *testing.T) {
			s := tt.state
			if s.Valid() != tt.valid || s.Group() != tt.group || s.Outcome() != tt.outcome ||
				s.Detail() != tt.detail || s.Confirmed() != tt.confirmed {
				t.Errorf("got valid %v group %v outcome %v detail %d confirmed %v",
					s.Valid(), s.Group(), s.Outcome(), s.Detail(), s.Confirmed())
			}
			if got := s.Description(); got != tt.desc {
				t.Errorf("Description() = %q, want %q", got, tt.desc)
			}
		})
	}
}

func TestGroupsAndOutcomes(t *testing.T) {
	groups := Groups()
	if len(groups) != 8 || !slices.IsSorted(groups) {
		t.Errorf("Groups() = %v", groups)
	}
	for _, g := range groups {
		if !g.Known() || g.String() == "" || g.String()[:5] == "group" {
			t.Errorf("group %d: Known %v, String %q", int(g), g.Known(), g.String())
		}
	}
	if Group(90).Known() || Group(90).String() != "group 90" {
		t.Error("undocumented group 90")
	}
	for o, want := range map[Outcome]string{OutcomeSuccess: "Success", OutcomeFailure: "Failure", OutcomeUnknown: "Unknown"} {
		if o.String() != want {
			t.Errorf("%d.String() = %q", o, o.String())
		}
	}
	for _, s := range ConfirmedStates() {
		if !s.Confirmed() || !s.Valid() {
			t.Errorf("confirmed state %v", s)
		}
	}
}
