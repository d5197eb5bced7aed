package nb

import (
	"strings"
	"testing"
)

func TestBoxChange(t *testing.T) {
	tests := []struct {
		name   string
		box    Box
		value  string
		change string
		color  string
	}{
		{"share up, good", Box{Value: 0.844, Previous: 0.823, HasPrevious: true, Share: true, Better: 1}, "84.4%", "▲ 2.1 pts", "#1a7f37"},
		{"failures up, bad", Box{Value: 450, Previous: 400, HasPrevious: true, Better: -1}, "450", "▲ 12.5%", "#b42318"},
		{"count down, neutral", Box{Value: 1376, Previous: 2000, HasPrevious: true}, "1,376", "▼ 31.2%", "#656d76"},
		{"no previous figure", Box{Value: 3}, "3", "", ""},
		{"previous zero", Box{Value: 3, HasPrevious: true}, "3", "new", ""},
		{"money", Box{Value: 1234.5, Currency: "USD"}, "1,234.50 USD", "", ""},
		{"an average, one decimal", Box{Value: 264.862, Previous: 255.9, HasPrevious: true}, "264.9", "▲ 3.5%", "#656d76"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.box.ValueText(); got != tt.value {
				t.Errorf("value %q, want %q", got, tt.value)
			}
			if got := tt.box.Change(); got != tt.change {
				t.Errorf("change %q, want %q", got, tt.change)
			}
			if tt.color != "" && changeColor(tt.box) != tt.color {
				t.Errorf("colour %s, want %s", changeColor(tt.box), tt.color)
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
