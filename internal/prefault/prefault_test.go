package prefault

import "testing"

func TestSliceIgnoresSmallAndEmpty(t *testing.T) {
	Slice([]byte(nil))
	Slice(make([]byte, 0, 10))
	Slice(make([]struct{}, 5)) // zero-size elements
	Slice(make([]int64, 1, 1<<18))
}
