package logs

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// rssAnon reads this process's resident anonymous memory in bytes.
func rssAnon(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "RssAnon:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Skip("no RssAnon in /proc/self/status")
	return 0
}

func TestSliceBacksMemoryAndKeepsContents(t *testing.T) {
	const n = 64 << 20 / 8
	s := make([]int64, 10, n) // large and fresh: the runtime leaves it untouched
	for i := range s {
		s[i] = int64(i + 1)
	}
	before := rssAnon(t)
	Prefault(s)
	if unsupported.Load() {
		t.Skip("this kernel has no MADV_POPULATE_WRITE")
	}
	grew := rssAnon(t) - before
	if grew < n*8*3/4 {
		t.Errorf("resident memory grew by %d MiB, want most of the slice's %d MiB", grew>>20, n*8>>20)
	}
	for i, v := range s {
		if v != int64(i+1) {
			t.Fatalf("s[%d] = %d after Slice, want %d", i, v, i+1)
		}
	}
	if full := s[:n]; full[n-1] != 0 || full[n/2] != 0 {
		t.Fatal("Slice changed memory beyond the slice's length")
	}
	runtime.KeepAlive(s)
}
