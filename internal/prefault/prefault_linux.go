package prefault

import (
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14), which the syscall
// package does not name.
const madvPopulateWrite = 23

// unsupported is set once the kernel has refused the advice, so that later
// calls cost nothing.
var unsupported atomic.Bool

// populate asks the kernel to back the whole pages in [p, p+size) for
// writing. Partial pages at the ends are left to fault as usual.
func populate(p unsafe.Pointer, size uintptr) {
	if unsupported.Load() {
		return
	}
	page := uintptr(os.Getpagesize())
	start := (uintptr(p) + page - 1) &^ (page - 1)
	end := (uintptr(p) + size) &^ (page - 1)
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
	if err := syscall.Madvise(b, madvPopulateWrite); err != nil {
		unsupported.Store(true) // EINVAL before Linux 5.14; anything else is not worth retrying either
	}
}
