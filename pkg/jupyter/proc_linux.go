package jupyter

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// GroupMembers returns the ids of the live processes in process group
// pgid, read from /proc. Zombies (exited, waiting to be reaped by their
// parent) do not count: they hold no resources and run nothing.
func GroupMembers(pgid int) []int {
	if pgid <= 0 {
		return nil
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if state, group, ok := procStat(pid); ok && group == pgid && state != "Z" && state != "X" {
			pids = append(pids, pid)
		}
	}
	return pids
}

// procStat reads a process's state letter and process group from
// /proc/PID/stat ("pid (comm) state ppid pgrp ...").
func procStat(pid int) (state string, pgrp int, ok bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0, false
	}
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return "", 0, false
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 3 {
		return "", 0, false
	}
	pgrp, err = strconv.Atoi(f[2])
	return f[0], pgrp, err == nil
}

// procAttr starts the kernel as the leader of a new process group, so that
// it and everything it starts can be signalled together, and has Linux
// kill it should this process die without closing it.
func procAttr() (*syscall.SysProcAttr, error) {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}, nil
}

// killGroup sends sig to every process in group pgid.
func killGroup(pgid int, sig syscall.Signal) error { return syscall.Kill(-pgid, sig) }
