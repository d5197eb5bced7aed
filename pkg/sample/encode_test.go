package sample

import (
	"encoding/json"
	"flag"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestAppendString(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain", "anna.berg@nordviklabs.se", `"anna.berg@nordviklabs.se"`},
		{"quote and backslash", `Anna's "PC" \ 2`, `"Anna's \"PC\" \\ 2"`},
		{"control", "a\nb\tc\x01", `"a\nb\tc\u0001"`},
		{"unicode", "Åsa’s MacBook", `"Åsa’s MacBook"`},
		{"invalid UTF-8", "a\xffb", `"a\ufffdb"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(appendString(nil, c.in)); got != c.want {
				t.Errorf("appendString(%q) = %s, want %s", c.in, got, c.want)
			}
		})
	}
}

// FuzzAppendString checks that every string encodes to JSON that decodes
// back to it (invalid UTF-8 becoming U+FFFD, as encoding/json does).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "abc", "\"\\\n", "Åsa", "\xff\xfe", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("appendString(%q) = %s: %v", s, b, err)
		}
		want := s
		if !utf8.ValidString(s) {
			want = string([]rune(s)) // invalid bytes become U+FFFD
		}
		if back != want {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
	})
}
