package logs

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
	for off := start; off < end; off += chunk {
		n := min(chunk, end-off)
		if !populateChunk(unsafe.Slice((*byte)(unsafe.Add(p, off-uintptr(p))), n)) {
			return
		}
	}
}

// chunk is how much one call backs. Calls are kept short because a signal
// (the Go runtime preempts threads with SIGURG) stops a call part way with
// EINTR: what is backed stays backed, and asking again redoes at most a
// chunk's worth of checking.
const chunk = 4 << 20

// populateChunk backs b, asking again when a signal interrupts, and
// reports whether to go on with the next chunk.
func populateChunk(b []byte) bool {
	for range maxTries {
		switch err := syscall.Madvise(b, madvPopulateWrite); err {
		case nil:
			return true
		case syscall.EINTR, syscall.EAGAIN:
			// What is backed stays backed; asking again does the rest.
		case syscall.EINVAL:
			unsupported.Store(true) // a kernel before 5.14
			return false
		default:
			return false // ENOMEM and the like: leave the pages to fault in as usual
		}
	}
	return true
}

// maxTries bounds the calls for one chunk when signals keep interrupting.
const maxTries = 4
