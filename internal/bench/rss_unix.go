//go:build unix

package bench

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS returns the peak resident memory, in bytes, of a child process
// that has exited, from its resource usage; 0 if the system does not say.
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes there
	}
	return int64(ru.Maxrss) * 1024 // kilobytes on Linux and the BSDs
}

// freshMemory maps n bytes the process has never touched, outside the Go
// heap (whose allocations may reuse, and zero, memory touched before), and
// returns them with what unmaps them.
func freshMemory(n int) ([]byte, func(), error) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { syscall.Munmap(b) }, nil
}
