package format

import "testing"

func TestBoxText(t *testing.T) {
	tests := []struct {
		name   string
		box    Box
		value  string
		change string
	}{
		{"share up", Compare("Succeeded", 0.844, 0.823).AsShare(), "84.4%", "▲ 2.1 pts"},
		{"count up", Compare("Failed", 450, 400), "450", "▲ 12.5%"},
		{"count down", Compare("Requests", 1376, 2000), "1,376", "▼ 31.2%"},
		{"no change", Compare("Requests", 7, 7), "7", "no change"},
		{"no previous figure", Value("Checks", 3), "3", ""},
		{"previous zero", Compare("Failed", 3, 0), "3", "new"},
		{"money", Box{Value: 1234.5, Currency: "USD"}, "1,234.50 USD", ""},
		{"an average, one decimal", Compare("Devices a day", 264.862, 255.9), "264.9", "▲ 3.5%"},
		{"nine times as many, a percentage", Compare("Failed", 27, 3), "27", "▲ 800%"},
		{"tenfold, a multiple", Compare("Failed", 30, 3), "30", "▲ 10×"},
		{"3 to 414, a multiple", Compare("Failed", 414, 3), "414", "▲ 138×"},
		{"a fall stays a percentage", Compare("Failed", 3, 414), "3", "▼ 99.3%"},
		{"a share never a multiple", Compare("Failed share", 0.5, 0.01).AsShare(), "50.0%", "▲ 49 pts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.box.ValueText(); got != tt.value {
				t.Errorf("value %q, want %q", got, tt.value)
			}
			if got := tt.box.Change(); got != tt.change {
				t.Errorf("change %q, want %q", got, tt.change)
			}
		})
	}
}
