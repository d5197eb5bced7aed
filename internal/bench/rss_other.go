//go:build !unix

package bench

import "os"

// peakRSS returns 0: this system does not report a child's peak memory.
func peakRSS(*os.ProcessState) int64 { return 0 }

// freshMemory returns n bytes from the Go heap: without mmap, the best
// guess at memory the process has not touched.
func freshMemory(n int) ([]byte, func(), error) { return make([]byte, n), func() {}, nil }
