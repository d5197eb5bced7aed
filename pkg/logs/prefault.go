package logs

// Prefaulting: the memory of large new slices (a table's columns) is
// backed in one system call instead of one page fault per page.
//
// A program that loads a million log rows writes a hundred-odd megabytes of
// fresh memory, and on a virtual machine every first touch of a page is a
// trap to the hypervisor: on the machines lenslog is measured on that costs
// about 3.5 s per GiB, most of a fresh process's load time. Asking the
// kernel to populate the whole range at once (madvise MADV_POPULATE_WRITE,
// Linux 5.14 and later) costs about 0.7 s per GiB there. Elsewhere, and on
// kernels without it, Prefault does nothing and memory is faulted in as it is
// first written, as usual.

import "unsafe"

// minBytes is the smallest slice worth a system call: below it, the few
// page faults saved cost less than the call.
const minBytes = 1 << 20

// Prefault backs all of s's capacity with memory now. The contents do not
// change; it only moves the cost of the first write earlier and makes it
// smaller. It pays off for a slice just made from fresh heap memory: when
// the runtime hands out memory it used before, it zeroes it in make, which
// touches it, and Prefault then finds it backed already.
func Prefault[T any](s []T) {
	s = s[:cap(s)]
	if len(s) == 0 {
		return
	}
	size := uintptr(len(s)) * unsafe.Sizeof(s[0])
	if size < minBytes {
		return
	}
	populate(unsafe.Pointer(unsafe.SliceData(s)), size)
}
