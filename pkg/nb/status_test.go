package nb

import (
	"strings"
	"testing"
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
