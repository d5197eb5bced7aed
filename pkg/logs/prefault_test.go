package logs

import "testing"

// TestPrefaultKeepsContents runs on every system: Prefault must not panic on
// nil, small or zero-size slices, and must leave contents as they were
// (on Linux the last slice is large enough to be populated).
func TestPrefaultKeepsContents(t *testing.T) {
	Prefault([]byte(nil))
	Prefault(make([]struct{}, 5))
	small := []byte("kept")
	Prefault(small[:1])
	if string(small) != "kept" {
		t.Errorf("small slice became %q", small)
	}
	big := make([]int64, 3, 1<<18) // 2 MiB: above minBytes
	big[0], big[1], big[2] = 7, 8, 9
	Prefault(big)
	if big[0] != 7 || big[1] != 8 || big[2] != 9 || big[:cap(big)][cap(big)-1] != 0 {
		t.Errorf("contents changed: %v ... %d", big, big[:cap(big)][cap(big)-1])
	}
}
