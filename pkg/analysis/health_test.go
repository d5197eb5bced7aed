package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// steadyRows is a Web API Log with a row every hour for days days from t0.
func steadyRows(days int) []row {
	var rows []row
	for h := range days * 24 {
		rows = append(rows, req("AAAAA", 2011, time.Duration(h)*time.Hour))
	}
	return rows
}

func TestDataHealthChecks(t *testing.T) {
	now := t0.Add(20 * 24 * time.Hour)
	tests := []struct {
		name   string
		in     func() HealthInput
		log    string
		check  string
		status HealthStatus
		figure string // a part of the figure
	}{
		{"steady log is fine", func() HealthInput {
			return HealthInput{WebAPI: table(t, steadyRows(10)...)}
		}, "Web API Log", "days without rows", StatusOK, "none"},
		{"a day without rows", func() HealthInput {
			var rows []row
			for _, r := range steadyRows(10) {
				if d := r.Time - t0.Unix(); d < 4*86400 || d >= 5*86400 {
					rows = append(rows, r)
				}
			}
			return HealthInput{WebAPI: table(t, rows...)}
		}, "Web API Log", "days without rows", StatusLook, "1 day: 2026-10-05 (a Monday usually has 24)"},
		{"duplicate ids", func() HealthInput {
			rows := steadyRows(1)
			rows[3].ID, rows[4].ID, rows[5].ID = 3, 3, 3
			return HealthInput{WebAPI: table(t, rows...)}
		}, "Web API Log", "duplicate ids", StatusBad, "1 id appears more than once, 3 extra rows in all (ids 3)"},
		{"out of time order", func() HealthInput {
			rows := steadyRows(5)
			rows[10].Time -= 3 * 3600
			return HealthInput{WebAPI: table(t, rows...)}
		}, "Web API Log", "rows out of time order", StatusLook, "1 row (0.8%) logged up to 2 h earlier than a row before them (ids 11)"},
		{"many out of order is bad", func() HealthInput {
			rows := steadyRows(1)
			for i := 2; i < 24; i += 2 {
				rows[i].Time -= 2 * 3600
			}
			return HealthInput{WebAPI: table(t, rows...)}
		}, "Web API Log", "rows out of time order", StatusBad, "11 rows"},
		{"unknown states", func() HealthInput {
			rows := steadyRows(1)
			rows[1].State, rows[2].State, rows[3].State = 2031, 9011, 12
			return HealthInput{WebAPI: table(t, rows...)}
		}, "Web API Log", "unknown state codes", StatusLook, "3 rows with 3 codes: 12 (1), 2031 (1), 9011 (1)"},
		{"missing key and time", func() HealthInput {
			rows := steadyRows(1)
			rows[1].Key, rows[2].Time = "", 0
			return HealthInput{WebAPI: table(t, rows...)}
		}, "Web API Log", "empty fields", StatusLook, "time 1 (4.2%), key 1 (4.2%)"},
		{"optional fields empty are fine", func() HealthInput {
			return HealthInput{WebAPI: table(t, steadyRows(1)...)}
		}, "Web API Log", "empty fields", StatusOK, "machine code 24 (100%)"},
		{"metadata not JSON", func() HealthInput {
			ev := eventsTable(cryptolens.Event{ID: 1, Time: at(0), Metadata: `{"OS":"Linux"}`},
				cryptolens.Event{ID: 2, Time: at(time.Hour), Metadata: `OS=Linux`}, cryptolens.Event{ID: 3, Time: at(2 * time.Hour)})
			return HealthInput{Events: ev}
		}, "Events Log", "metadata not JSON", StatusLook, "1 event (33.3%, ids 2)"},
		{"no rows", func() HealthInput { return HealthInput{} }, "Object Log", "rows and span", StatusLook, "no rows loaded"},
		{"read directly, limited retention", func() HealthInput {
			return HealthInput{Events: eventsTable(cryptolens.Event{ID: 1, Time: at(0)}), EventsFrom: Origin{Retention: 30 * 24 * time.Hour}}
		}, "Events Log", "source retention vs what was kept", StatusOK, "read from the source directly"},
		{"store keeps more than the source", func() HealthInput {
			return HealthInput{Events: eventsTable(cryptolens.Event{ID: 1, Time: at(0)}),
				EventsFrom: Origin{Retention: 10 * 24 * time.Hour, Stored: true, First: t0, LastSync: now.Add(-time.Hour)}}
		}, "Events Log", "source retention vs what was kept", StatusOK, "the store keeps 10 d more, back to 2026-10-01"},
		{"store incomplete within the source's horizon", func() HealthInput {
			return HealthInput{Events: eventsTable(cryptolens.Event{ID: 1, Time: at(15 * 24 * time.Hour)}),
				EventsFrom: Origin{Retention: 10 * 24 * time.Hour, Stored: true, First: t0.Add(15 * 24 * time.Hour),
					CompleteFrom: t0.Add(15 * 24 * time.Hour), LastSync: now}}
		}, "Events Log", "source retention vs what was kept", StatusLook, "complete only from 2026-10-16"},
		{"stale sync", func() HealthInput {
			return HealthInput{WebAPIFrom: Origin{Stored: true, StoreRows: 5, LastSync: now.Add(-10 * 24 * time.Hour)}}
		}, "Web API Log", "last sync and completeness", StatusLook, "10 d ago"},
		{"gaps", func() HealthInput {
			return HealthInput{WebAPIFrom: Origin{Stored: true, LastSync: now, Gaps: 1, GapRows: 40}}
		}, "Web API Log", "last sync and completeness", StatusBad, "40 rows in 1 gap lost"},
		{"rows dropped by syncs", func() HealthInput {
			return HealthInput{EventsFrom: Origin{Stored: true, LastSync: now, NullRows: 2, Conflicts: 1, ConflictIDs: []int64{17}}}
		}, "Events Log", "rows the source sent but history kept out", StatusLook, "2 null rows and 1 row that repeated a stored id with other content (ids 17)"},
		{"ids repeated within a page", func() HealthInput {
			return HealthInput{WebAPIFrom: Origin{Stored: true, LastSync: now, Repeated: 3}}
		}, "Web API Log", "rows the source sent but history kept out", StatusLook, "3 rows repeated an id of their page (the first kept)"},
		{"fresh store", func() HealthInput {
			return HealthInput{WebAPIFrom: Origin{Stored: true, StoreRows: 9, LastSync: now.Add(-2 * time.Hour), CompleteFrom: t0}}
		}, "Web API Log", "last sync and completeness", StatusOK, "last synced 2026-10-20 22:00 UTC (2 h ago); 9 rows stored, complete from 2026-10-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in()
			in.Now = now
			h := DataHealth(in)
			c, ok := h.Find(tt.log, tt.check)
			if !ok {
				t.Fatalf("no check %s / %s in %+v", tt.log, tt.check, h.Checks)
			}
			if c.Status != tt.status || !strings.Contains(c.Figure, tt.figure) {
				t.Errorf("%s: %s %q, want %s with %q", tt.check, c.Status, c.Figure, tt.status, tt.figure)
			}
			if c.Status != StatusOK && c.Advice == "" {
				t.Errorf("%s is %s but says nothing to do", tt.check, c.Status)
			}
		})
	}
}

func TestDataHealthTable(t *testing.T) {
	h := DataHealth(HealthInput{Now: t0, WebAPI: table(t, steadyRows(3)...)})
	recs := readCSV(t, h)
	if got := strings.Join(recs[0], ","); got != "Log,Check,Status,Figure,What to do" {
		t.Errorf("header %q", got)
	}
	if len(recs) != h.Len()+1 || h.Frame().Nrow() != h.Len() {
		t.Errorf("%d CSV rows, %d frame rows for %d checks", len(recs)-1, h.Frame().Nrow(), h.Len())
	}
	if s := h.Summary(); !strings.HasPrefix(s, "23 checks: ") {
		t.Errorf("summary %q", s)
	}
	_ = logs.Window{}
}
