//go:build linux

package logs

import (
	"syscall"
	"testing"
	"unsafe"
)

// BenchmarkFreshMemory compares the two ways fresh memory gets backed: a
// page fault at the first write of every page, or one populate call first.
// Each iteration maps 64 MiB the process has never touched.
func BenchmarkFreshMemory(b *testing.B) {
	const size = 64 << 20
	run := func(b *testing.B, before func([]byte)) {
		b.SetBytes(size)
		for b.Loop() {
			m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
			if err != nil {
				b.Fatal(err)
			}
			before(m)
			for i := 0; i < len(m); i += 4096 {
				m[i] = 1
			}
			if err := syscall.Munmap(m); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("fault", func(b *testing.B) { run(b, func([]byte) {}) })
	b.Run("populate", func(b *testing.B) {
		run(b, func(m []byte) { populate(unsafe.Pointer(unsafe.SliceData(m)), uintptr(len(m))) })
		if unsupported.Load() {
			b.Skip("this kernel has no MADV_POPULATE_WRITE")
		}
	})
}
