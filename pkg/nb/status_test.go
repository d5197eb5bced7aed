package nb

import (
	"strings"
	"testing"
	"time"
)

func TestStatusNotebook(t *testing.T) {
	d, f, out := notebookDisplay(t)
	s := d.NewStatus()
	s.Set("page 1")
	s.Set("page <2>")
	s.Done("synced")
	s.Set("ignored after Done")
	other := d.NewStatus()
	other.Set("second line")
	if out.Len() != 0 {
		t.Errorf("notebook path printed %q", out)
	}
	if len(f.calls) != 4 {
		t.Fatalf("got %d calls %+v, want 4 updates", len(f.calls), f.calls)
	}
	first := f.calls[0].id
	for i, c := range f.calls[:3] {
		if c.kind != "update" || c.id != first {
			t.Errorf("call %d = %+v, want an update of %s", i, c, first)
		}
	}
	if f.calls[3].id == first {
		t.Error("a second status reused the first one's id")
	}
	if !strings.Contains(f.calls[1].body, "page &lt;2&gt;") {
		t.Errorf("status text not escaped: %s", f.calls[1].body)
	}
	if !strings.Contains(f.calls[2].body, "✓ synced") {
		t.Errorf("Done not marked: %s", f.calls[2].body)
	}
}

func TestStatusText(t *testing.T) {
	d, f, out := textDisplay(t)
	s := d.NewStatus()
	s.Set("page 1")
	s.Set("page 1")
	s.Set("page 2")
	s.Done("synced 2 pages")
	s.Set("late")
	if len(f.calls) != 0 {
		t.Errorf("plain-text path used the frontend: %+v", f.calls)
	}
	if want := "page 1\npage 2\nsynced 2 pages\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out, want)
	}
}

func TestSyncLine(t *testing.T) {
	tests := []struct {
		name     string
		log      string
		rows     int
		pages    int
		elapsed  time.Duration
		fraction float64
		want     string
	}{
		{"unknown total", "Web API Log", 12345, 13, 5 * time.Second, -1,
			"Web API Log: 12,345 rows, 13 pages, 2,469 rows/s"},
		{"with estimate", "Web API Log", 12345, 13, 5 * time.Second, 0.4,
			"Web API Log: 12,345 rows, 13 pages, 2,469 rows/s, 40% done, about 8s left"},
		{"minutes left", "Events Log", 500, 5, 30 * time.Second, 0.2,
			"Events Log: 500 rows, 5 pages, 17 rows/s, 20% done, about 2m00s left"},
		{"hours left", "", 1, 1, time.Hour, 0.25,
			"1 row, 1 page, 0 rows/s, 25% done, about 3h00m left"},
		{"finished", "Object Log", 100, 1, time.Second, 1,
			"Object Log: 100 rows, 1 page, 100 rows/s, 100% done"},
		{"not started", "Object Log", 0, 0, 0, 0,
			"Object Log: 0 rows, 0 pages, 0% done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SyncLine(tt.log, tt.rows, tt.pages, tt.elapsed, tt.fraction); got != tt.want {
				t.Errorf("SyncLine = %q\n           want %q", got, tt.want)
			}
		})
	}
}
