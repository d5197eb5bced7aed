//go:build !linux

package jupyter

import (
	"errors"
	"os"
	"os/exec"
	"time"
)

// supervised reports that Start puts a supervisor between the client and
// the kernel: only on Linux, where a process can be a child subreaper.
const supervised = false

// stopSupervisor is unused without a supervisor.
const stopSupervisor = ""

// Supervise returns false: there is no supervisor on this system.
func Supervise(lookup func(string) (string, bool), environ, args []string) (code int, ok bool) {
	return 0, false
}

// startSupervised is never called without a supervisor.
func startSupervised(argv []string, dir string, env []string, tmp string, memory int64, log *os.File) (*exec.Cmd, int, *os.File, error) {
	return nil, 0, nil, errors.New("no kernel supervisor on this system")
}

// killOrphans finds nothing without a subreaper.
func killOrphans(super, keep int, timeout time.Duration) []string { return nil }
