package prefault

import "testing"

// TestSliceKeepsContents runs on every system: Slice must not panic on
// nil, small or zero-size slices, and must leave contents as they were
// (on Linux the last slice is large enough to be populated).
func TestSliceKeepsContents(t *testing.T) {
	Slice([]byte(nil))
	Slice(make([]struct{}, 5))
	small := []byte("kept")
	Slice(small[:1])
	if string(small) != "kept" {
		t.Errorf("small slice became %q", small)
	}
	big := make([]int64, 3, 1<<18) // 2 MiB: above minBytes
	big[0], big[1], big[2] = 7, 8, 9
	Slice(big)
	if big[0] != 7 || big[1] != 8 || big[2] != 9 || big[:cap(big)][cap(big)-1] != 0 {
		t.Errorf("contents changed: %v ... %d", big, big[:cap(big)][cap(big)-1])
	}
}
