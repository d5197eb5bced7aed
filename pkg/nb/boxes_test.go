package nb

import (
	"strings"
	"testing"
)

// TestBoxColor checks the colour of a box's change: green when it is
// for the better, red for the worse, grey when neither (the text of
// values and changes is format's, tested there).
func TestBoxColor(t *testing.T) {
	tests := []struct {
		name  string
		box   Box
		color string
	}{
		{"share up, good", Box{Value: 0.844, Previous: 0.823, HasPrevious: true, Share: true, Better: 1}, "#1a7f37"},
		{"failures up, bad", Box{Value: 450, Previous: 400, HasPrevious: true, Better: -1}, "#b42318"},
		{"failures down, good", Box{Value: 350, Previous: 400, HasPrevious: true, Better: -1}, "#1a7f37"},
		{"count down, neutral", Box{Value: 1376, Previous: 2000, HasPrevious: true}, "#656d76"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changeColor(tt.box); got != tt.color {
				t.Errorf("colour %s, want %s", got, tt.color)
			}
		})
	}
}

func TestBoxesShow(t *testing.T) {
	boxes := []Box{{Label: "Failed <activations>", Value: 404, Previous: 380, HasPrevious: true, Better: -1, Note: "2026-10-06 to 2026-11-04"}}
	d, f, _ := notebookDisplay(t)
	d.Boxes(boxes...)
	html := only(t, f, "html").body
	for _, want := range []string{"Failed &lt;activations&gt;", ">404<", "▲ 6.3%", "2026-10-06 to 2026-11-04", `class="value-box"`} {
		if !strings.Contains(html, want) {
			t.Errorf("boxes lack %q:\n%s", want, html)
		}
	}
	td, _, out := textDisplay(t)
	td.Boxes(boxes...)
	if got := out.String(); got != "Failed <activations>: 404 (▲ 6.3% against the previous period)\n" {
		t.Errorf("text %q", got)
	}
}
