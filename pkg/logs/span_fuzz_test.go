package logs

import (
	"testing"
	"time"
)

// FuzzParseSpan checks that any text either fails to parse or gives a
// span whose String parses back to the same window.
func FuzzParseSpan(f *testing.F) {
	for _, s := range []string{"last-30d", "2026-10", "2026-10-01..2026-10-31", "previous-month", "yesterday", "all",
		"2026-10-01T08:00:00Z..", "..2026-10", "last-90m", "last-2w"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 5, 10, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSpan(text)
		if err != nil {
			return
		}
		back, err := ParseSpan(s.String())
		if err != nil {
			t.Fatalf("%q parsed, but its String %q does not: %v", text, s.String(), err)
		}
		if back.Window(now) != s.Window(now) {
			t.Fatalf("%q: window %v, back from %q: %v", text, s.Window(now), s.String(), back.Window(now))
		}
	})
}
