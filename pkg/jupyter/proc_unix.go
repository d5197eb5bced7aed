//go:build unix && !linux

package jupyter

import "syscall"

// GroupMembers returns the live processes in process group pgid. Without
// /proc it can only tell whether the group exists, and then returns pgid.
func GroupMembers(pgid int) []int {
	if pgid <= 0 || syscall.Kill(-pgid, 0) != nil {
		return nil
	}
	return []int{pgid}
}

// procAttr starts the kernel as the leader of a new process group, so that
// it and everything it starts can be signalled together.
func procAttr() (*syscall.SysProcAttr, error) {
	return &syscall.SysProcAttr{Setpgid: true}, nil
}

// killGroup sends sig to every process in group pgid.
func killGroup(pgid int, sig syscall.Signal) error { return syscall.Kill(-pgid, sig) }

// processStart reports whether process pid exists; without /proc it
// cannot tell a process from a later one with the same id.
func processStart(pid int) (string, bool) {
	return "0", pid > 0 && syscall.Kill(pid, 0) == nil
}
