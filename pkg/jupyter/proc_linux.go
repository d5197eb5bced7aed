package jupyter

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// procInfo is what /proc/PID/stat says about a process.
type procInfo struct {
	pid   int
	comm  string // the command name, as ps shows it
	state string // R, S, D, Z, ...
	ppid  int
	pgrp  int
	start string // clock ticks since boot when it started
}

// live reports whether the process runs (is neither a zombie nor dead).
func (p procInfo) live() bool { return p.state != "Z" && p.state != "X" }

// readProc reads /proc/PID/stat ("pid (comm) state ppid pgrp ... starttime").
func readProc(pid int) (procInfo, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	s := string(data)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return procInfo{}, false
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 20 {
		return procInfo{}, false
	}
	p := procInfo{pid: pid, comm: s[open+1 : end], state: f[0], start: f[19]}
	var err1, err2 error
	p.ppid, err1 = strconv.Atoi(f[1])
	p.pgrp, err2 = strconv.Atoi(f[2])
	return p, err1 == nil && err2 == nil
}

// processes lists every process /proc shows.
func processes() []procInfo {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var ps []procInfo
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			if p, ok := readProc(pid); ok {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// GroupMembers returns the ids of the live processes in process group
// pgid, read from /proc. Zombies (exited, waiting to be reaped by their
// parent) do not count: they hold no resources and run nothing.
func GroupMembers(pgid int) []int {
	if pgid <= 0 {
		return nil
	}
	var pids []int
	for _, p := range processes() {
		if p.pgrp == pgid && p.live() {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

// descendants returns the live processes below root, children first
// found first.
func descendants(root int) []procInfo {
	kids := map[int][]procInfo{}
	for _, p := range processes() {
		kids[p.ppid] = append(kids[p.ppid], p)
	}
	var out []procInfo
	queue := []int{root}
	for len(queue) > 0 {
		for _, p := range kids[queue[0]] {
			if p.live() {
				out = append(out, p)
			}
			queue = append(queue, p.pid)
		}
		queue = queue[1:]
	}
	return out
}

// killOrphans kills the processes whose parent is the subreaper super,
// except keep, together with whatever they started (which the subreaper
// inherits as they die), until none is left or timeout passes. It
// returns the names of the processes it killed, as "comm (pid)".
func killOrphans(super, keep int, timeout time.Duration) []string {
	var killed []string
	seen := map[int]bool{}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var orphans []procInfo
		for _, p := range processes() {
			if p.ppid == super && p.pid != keep && p.live() {
				orphans = append(orphans, p)
			}
		}
		if len(orphans) == 0 {
			break
		}
		for _, p := range orphans {
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
			if !seen[p.pid] {
				seen[p.pid] = true
				killed = append(killed, p.comm+" ("+strconv.Itoa(p.pid)+")")
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return killed
}

// processStart returns when process pid started, as an opaque string that
// differs between two processes that had the same id, and false if there
// is no such process.
func processStart(pid int) (string, bool) {
	p, ok := readProc(pid)
	if !ok || !p.live() {
		return "", false
	}
	return p.start, true
}

// procAttr starts the kernel as the leader of a new process group, so that
// it and everything it starts can be signalled together, and has Linux
// kill it should this process die without closing it. It is used where
// no supervisor runs between the client and the kernel.
func procAttr() (*syscall.SysProcAttr, error) {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}, nil
}

// killGroup sends sig to every process in group pgid.
func killGroup(pgid int, sig syscall.Signal) error { return syscall.Kill(-pgid, sig) }
