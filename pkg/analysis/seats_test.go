package analysis

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

const h = time.Hour

// seatLine is one expected audit row in short form.
type seatLine struct {
	at      time.Duration
	action  SeatAction
	free    int
	machine string
}

func (l seatLine) String() string {
	return fmt.Sprintf("+%v %s free=%d %q", l.at, l.action, l.free, l.machine)
}

func TestSeatAudit(t *testing.T) {
	const key = "K"
	tests := []struct {
		name   string
		rows   []row
		max    int
		window logs.Window
		want   []seatLine
		start  int // InUseAtStart
		end    int // InUseAtEnd
		over   int // Overdrafts
		limit  int // DeviceLimit
		notes  int
	}{
		{
			name: "activate, verify, deactivate",
			rows: []row{
				seatRow(key, 2014, "m1", 0, 2*h),
				seatRow(key, 2014, "m1", h, 3*h),
				seatRow(key, 6011, "m1", 2*h, 0),
			},
			max: 2,
			want: []seatLine{{0, SeatActivation, 1, "m1"}, {h, SeatVerification, 1, "m1"},
				{2 * h, SeatDeactivation, 2, "m1"}},
		},
		{
			name: "overdraft and device limit",
			rows: []row{
				seatRow(key, 2014, "m1", 0, 10*h),
				seatRow(key, 2015, "m2", h, 10*h),
				seatRow(key, 2024, "m3", 2*h, 0),
				seatRow(key, 2015, "m2", 3*h, 11*h),
			},
			max:    1,
			window: logs.Window{To: t0.Add(4 * h)},
			want: []seatLine{{0, SeatActivation, 0, "m1"}, {h, SeatActivation, -1, "m2"},
				{2 * h, SeatDeviceLimit, -1, "m3"}, {3 * h, SeatVerification, -1, "m2"}},
			end: 2, over: 2, limit: 1,
		},
		{
			name: "a passed expiry frees the seat before the next event",
			rows: []row{
				seatRow(key, 2014, "m1", 0, h),
				seatRow(key, 2014, "m2", 30*time.Minute, 5*h),
				seatRow(key, 2014, "m1", 2*h, 3*h),
			},
			max:    2,
			window: logs.Window{To: t0.Add(150 * time.Minute)},
			want: []seatLine{{0, SeatActivation, 1, "m1"}, {30 * time.Minute, SeatActivation, 0, "m2"},
				{h, SeatExpired, 1, "m1"}, {2 * h, SeatActivation, 0, "m1"}},
			end: 2,
		},
		{
			name: "a seat expiring exactly at the next event is free at that instant",
			rows: []row{
				seatRow(key, 2014, "m1", 0, h),
				seatRow(key, 2014, "m1", h, 2*h),
			},
			max: 1,
			want: []seatLine{{0, SeatActivation, 0, "m1"}, {h, SeatExpired, 1, "m1"}, {h, SeatActivation, 0, "m1"},
				{2 * h, SeatExpired, 1, "m1"}}, // expiries after the last row, inside the window, are listed

		},
		{
			name: "several expiries come out in expiry order",
			rows: []row{
				seatRow(key, 2014, "b", 0, 3*h),
				seatRow(key, 2014, "a", 0, 2*h),
				seatRow(key, 2014, "c", 0, 2*h),
				seatRow(key, 2024, "d", 4*h, 0),
			},
			max: 3,
			want: []seatLine{{0, SeatActivation, 2, "b"}, {0, SeatActivation, 1, "a"}, {0, SeatActivation, 0, "c"},
				{2 * h, SeatExpired, 1, "a"}, {2 * h, SeatExpired, 2, "c"}, {3 * h, SeatExpired, 3, "b"},
				{4 * h, SeatDeviceLimit, 3, "d"}},
			limit: 1,
		},
		{
			name: "deactivating a machine without a seat changes nothing",
			rows: []row{seatRow(key, 6011, "ghost", 0, 0)},
			max:  1,
			want: []seatLine{{0, SeatReleaseUnheld, 1, "ghost"}},
		},
		{
			name: "empty machine codes are one machine, and noted",
			rows: []row{
				seatRow(key, 2014, "", 0, 5*h),
				seatRow(key, 2014, "", h, 5*h),
			},
			max:    2,
			window: logs.Window{To: t0.Add(2 * h)},
			want:   []seatLine{{0, SeatActivation, 1, ""}, {h, SeatVerification, 1, ""}},
			end:    1,
			notes:  1,
		},
		{
			name: "no floatingExpires holds the seat until deactivated, noted",
			rows: []row{seatRow(key, 2014, "m1", 0, 0)},
			max:  1, want: []seatLine{{0, SeatActivation, 0, "m1"}},
			end: 1, notes: 1,
		},
		{
			name: "rows before the window set up the seats; expiries after the last row are listed",
			rows: []row{
				seatRow(key, 2014, "old", 0, 10*h),
				seatRow(key, 2014, "gone", 0, 2*h),
				seatRow(key, 2014, "new", 5*h, 7*h),
				seatRow(key, 2014, "late", 20*h, 30*h), // after the window: ignored
			},
			max:    3,
			window: logs.Window{From: t0.Add(4 * h), To: t0.Add(12 * h)},
			want: []seatLine{{5 * h, SeatActivation, 1, "new"}, {7 * h, SeatExpired, 2, "new"},
				{10 * h, SeatExpired, 3, "old"}},
			start: 1,
		},
		{
			name: "seat expiring exactly at the window start is not in use at the start",
			rows: []row{
				seatRow(key, 2014, "m1", 0, 4*h),
				seatRow(key, 2014, "m2", 0, 6*h),
			},
			max:    2,
			window: logs.Window{From: t0.Add(4 * h), To: t0.Add(6 * h)},
			start:  1, end: 1, // m2 expires at the window's end instant: still held just before it
		},
		{
			name: "other keys and other states are ignored",
			rows: []row{
				seatRow("OTHER", 2014, "x", 0, 5*h),
				seatRow(key, 2010, "y", 0, 5*h),
				seatRow(key, 1010, "y", 0, 5*h),
			},
			max: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.window
			if w.To.IsZero() {
				w.To = t0.Add(100 * h)
			}
			rep, err := SeatAudit(during(table(t, tt.rows...), w), key, tt.max)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range rep.Events {
				got = append(got, seatLine{e.Time.Sub(t0), e.Action, e.FreeSeats, e.MachineCode}.String())
			}
			var want []string
			for _, l := range tt.want {
				want = append(want, l.String())
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if rep.InUseAtStart != tt.start || rep.InUseAtEnd != tt.end || rep.Overdrafts != tt.over ||
				rep.DeviceLimit != tt.limit || len(rep.Notes) != tt.notes {
				t.Errorf("start %d end %d overdrafts %d device limit %d notes %q; want %d %d %d %d %d notes",
					rep.InUseAtStart, rep.InUseAtEnd, rep.Overdrafts, rep.DeviceLimit, rep.Notes,
					tt.start, tt.end, tt.over, tt.limit, tt.notes)
			}
			if n := len(rep.Events); n > 0 && rep.Events[n-1].InUse != rep.InUseAtEnd {
				t.Errorf("last event has %d in use, InUseAtEnd %d", rep.Events[n-1].InUse, rep.InUseAtEnd)
			}
			if rep.FreeSeatsNow() != tt.max-tt.end {
				t.Errorf("FreeSeatsNow = %d", rep.FreeSeatsNow())
			}
		})
	}
}

func TestSeatAuditRejects(t *testing.T) {
	tests := []struct {
		name, key string
		max       int
		w         logs.Window
		want      string
		noData    bool // the parameters name nothing: the error wraps ErrNoData
	}{
		{"no key", "", 1, logs.Window{}, "no license key", true},
		{"zero seats", "K", 0, logs.Window{}, "maxMachines is 0", false},
		{"empty window", "K", 1, logs.Window{From: t0, To: t0}, "is empty", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SeatAudit(during(nil, tt.w), tt.key, tt.max)
			if err == nil || !strings.Contains(err.Error(), tt.want) || errors.Is(err, ErrNoData) != tt.noData {
				t.Fatalf("error = %v, want it to say %q (no data: %v)", err, tt.want, tt.noData)
			}
		})
	}
}

func TestSeatAuditOutOfOrderIDs(t *testing.T) {
	// The replay goes by id, whatever order the table holds the rows in.
	a := seatRow("K", 6011, "m1", h, 0)
	a.ID = 2
	b := seatRow("K", 2014, "m1", 0, 5*h)
	b.ID = 1
	rep, err := SeatAudit(during(table(t, a, b), logs.Window{To: t0.Add(10 * h)}), "K", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Events) != 2 || rep.Events[0].Action != SeatActivation || rep.Events[1].Action != SeatDeactivation {
		t.Fatalf("events = %+v", rep.Events)
	}
}

func TestSeatReportCSV(t *testing.T) {
	rep, err := SeatAudit(during(table(t, seatRow("K", 2015, "m1", 0, h)), logs.Window{To: t0.Add(2 * h)}), "K", 1)
	if err != nil {
		t.Fatal(err)
	}
	got := readCSV(t, rep)
	want := [][]string{
		{"Time", "Action", "Free seats", "In use", "Machine code", "Friendly name", "State", "Overdraft", "Seat expires"},
		{"2026-10-01 00:00:00", "activation", "0", "1", "m1", "user-m1", "2015", "true", "2026-10-01 01:00:00"},
		{"2026-10-01 01:00:00", "expired", "1", "0", "m1", "user-m1", "", "false", ""},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("csv =\n%v\nwant\n%v", got, want)
	}
	if rep.Len() != 2 || rep.Value(0) != 0 || !rep.Time(1).Equal(t0.Add(h)) {
		t.Error("Timed view disagrees with the events")
	}
	if f := rep.Frame(); f.Err != nil || f.Nrow() != 2 || f.Ncol() != 9 {
		t.Errorf("frame: %v %dx%d", f.Err, f.Nrow(), f.Ncol())
	}
	if !strings.Contains(rep.Summary(), "0 of 1 seats in use") {
		t.Errorf("Summary = %q", rep.Summary())
	}
}
