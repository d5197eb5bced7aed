//go:build !unix

package jupyter

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// The runner needs process groups (to interrupt a cell and to kill a
// kernel with everything it started) and Unix signals; this system has
// neither, so starting a kernel fails with errNeedsUnix. The rest of the
// package (messages, notebooks, connection files) works everywhere.

// errNeedsUnix is why Start fails here; it wraps errors.ErrUnsupported.
var errNeedsUnix = fmt.Errorf("notebook execution needs Linux or macOS, not %s: %w", runtime.GOOS, errors.ErrUnsupported)

// GroupMembers returns nil: no kernel process group can exist here.
func GroupMembers(int) []int { return nil }

// procAttr refuses: see errNeedsUnix.
func procAttr() (*syscall.SysProcAttr, error) { return nil, errNeedsUnix }

// killGroup refuses: see errNeedsUnix.
func killGroup(int, syscall.Signal) error { return errNeedsUnix }

// processStart reports whether process pid exists (os.FindProcess opens
// it on Windows, and fails if there is none); it cannot tell a process
// from a later one with the same id.
func processStart(pid int) (string, bool) {
	if pid <= 0 {
		return "", false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return "", false
	}
	_ = p.Release()
	return "0", true
}
