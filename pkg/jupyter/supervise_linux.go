package jupyter

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// superviseEnv, set in a process's environment, makes a program that
// calls Supervise first in its main run as a kernel's supervisor: Start
// re-executes its own binary this way. The value is the kernel's
// temporary folder, removed should the client die.
const superviseEnv = "LENSLOG_JUPYTER_SUPERVISE"

// memoryEnv carries Options.Memory, in bytes, to the supervisor.
const memoryEnv = "LENSLOG_JUPYTER_MEMORY"

// supervised reports that Start puts a supervisor between the client and
// the kernel.
const supervised = true

// stopSupervisor is what the client writes on the lifeline to have the
// supervisor end the kernel and its processes; the lifeline's end without
// it means the client died.
const stopSupervisor = "stop\n"

// Supervise runs this process as a kernel's supervisor when Start
// started it as one (the environment lookup finds superviseEnv), and
// returns its exit code and true; otherwise it returns false at once. A
// program that starts kernels calls it first in main (tests: in TestMain),
// with its environment, and exits with the code:
//
//	if code, ok := jupyter.Supervise(os.LookupEnv, os.Environ(), os.Args[1:]); ok {
//		os.Exit(code)
//	}
//
// environ is what the kernel inherits, minus the supervisor's own
// variables.
func Supervise(lookup func(string) (string, bool), environ, args []string) (code int, ok bool) {
	dir, ok := lookup(superviseEnv)
	if !ok {
		return 0, false
	}
	memory, _ := lookup(memoryEnv)
	return supervise(dir, memory, environ, args), true
}

// startSupervised starts the supervisor, which starts the kernel argv
// with env in dir, and returns the supervisor's command, the kernel's
// process id and the client's end of the lifeline. The supervisor leads
// a new process group that the kernel and its cells share.
func startSupervised(argv []string, dir string, env []string, tmp string, memory int64, log *os.File) (*exec.Cmd, int, *os.File, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, 0, nil, fmt.Errorf("find own binary to supervise the kernel: %w", err)
	}
	lifeR, lifeW, err := os.Pipe()
	if err != nil {
		return nil, 0, nil, err
	}
	defer lifeR.Close()
	pidR, pidW, err := os.Pipe()
	if err != nil {
		lifeW.Close()
		return nil, 0, nil, err
	}
	defer pidR.Close()
	cmd := exec.Command(self, argv...)
	cmd.Dir = dir
	if env == nil {
		env = cmd.Environ() // what the kernel would inherit
	}
	cmd.Env = append(env[:len(env):len(env)], superviseEnv+"="+tmp, memoryEnv+"="+strconv.FormatInt(memory, 10))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = lifeR, pidW, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	pidW.Close()
	if err != nil {
		lifeW.Close()
		return nil, 0, nil, err
	}
	line, _ := bufio.NewReader(pidR).ReadString('\n')
	pid, _ := strconv.Atoi(strings.TrimSpace(line)) // 0: the kernel did not start; the log says why
	return cmd, pid, lifeW, nil
}

// supervise is the supervisor's main. It makes itself a child subreaper,
// so that every process the kernel's cells leave (setsid and double forks
// included) becomes its child, starts the kernel, says its pid on stdout,
// and reaps whatever exits. It kills every process below it and exits
// when the kernel exits (with the kernel's status), when the client asks
// on the lifeline (stdin), or when the lifeline breaks because the client
// died; in that last case it also removes the kernel's folder tmp, which
// holds the connection key.
func supervise(tmp, memory string, environ, argv []string) int {
	logf := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "supervisor: "+format+"\n", a...) }
	if len(argv) == 0 {
		logf("no kernel command")
		return 2
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		logf("become a child subreaper: %v", err)
		return 1
	}
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP, syscall.SIGPIPE) // interrupts are for the kernel
	exited := make(chan os.Signal, 1)
	signal.Notify(exited, syscall.SIGCHLD)
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)

	if err := limitMemory(memory); err != nil {
		logf("%v", err)
		return 1
	}
	kernel, err := startKernel(argv, environ)
	if err != nil {
		logf("start %s: %v", argv[0], err)
		return 127
	}
	fmt.Fprintln(os.Stdout, kernel)
	os.Stdout.Close()

	lifeline := make(chan bool, 1) // true: the client died
	go func() {
		n, _ := io.ReadFull(os.Stdin, make([]byte, len(stopSupervisor)))
		lifeline <- n < len(stopSupervisor)
	}()
	var status syscall.WaitStatus
	for done := false; !done; {
		select {
		case <-exited:
			done = reap(kernel, &status)
		case died := <-lifeline:
			killBelow(os.Getpid(), kernel, &status)
			if died {
				os.RemoveAll(tmp)
			}
			done = true
		case <-term:
			killBelow(os.Getpid(), kernel, &status)
			done = true
		}
	}
	killBelow(os.Getpid(), kernel, &status)
	return exitAs(status)
}

// startKernel starts argv with environ minus superviseEnv and memoryEnv,
// stdout and stderr to the log, and a parent-death signal should the
// supervisor itself be killed.
func startKernel(argv, environ []string) (int, error) {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return 0, err
	}
	var env []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, superviseEnv+"=") && !strings.HasPrefix(kv, memoryEnv+"=") {
			env = append(env, kv)
		}
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		return 0, err
	}
	defer null.Close()
	p, err := os.StartProcess(path, argv, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{null, os.Stderr, os.Stderr},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		return 0, err
	}
	return p.Pid, nil
}

// limitMemory sets this process's data limit (RLIMIT_DATA: its heap and
// private writable mappings, not the address space Go reserves) to bytes (a
// decimal number; "" or "0" sets none), which every process it starts
// inherits.
func limitMemory(bytes string) error {
	n, err := strconv.ParseUint(bytes, 10, 64)
	if err != nil || n == 0 {
		return nil
	}
	if err := unix.Setrlimit(unix.RLIMIT_DATA, &unix.Rlimit{Cur: n, Max: n}); err != nil {
		return fmt.Errorf("limit the kernel's memory to %d bytes: %w", n, err)
	}
	return nil
}

// reap collects every child that has exited and reports whether the
// kernel was one of them, storing its status.
func reap(kernel int, status *syscall.WaitStatus) (kernelDone bool) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if pid <= 0 {
			return kernelDone
		}
		if pid == kernel {
			*status, kernelDone = ws, true
		}
	}
}

// killBelow kills every process below root (a subreaper: those that lose
// their parent come back to it) until none is left, reaping them, and
// records the kernel's status should it be among them. It gives up after
// 10 seconds of a process tree that keeps forking.
func killBelow(root, kernel int, status *syscall.WaitStatus) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ps := descendants(root)
		if len(ps) == 0 {
			break
		}
		for _, p := range ps {
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
		}
		time.Sleep(2 * time.Millisecond)
		reap(kernel, status)
	}
	// The kernel's status, if it exited on its own earlier, is kept;
	// reap again for those killed last.
	reap(kernel, status)
}

// exitAs returns the exit code matching the kernel's, after first trying
// to die of the same signal so that the client sees "signal: killed".
func exitAs(ws syscall.WaitStatus) int {
	if ws.Signaled() {
		signal.Reset(ws.Signal())
		_ = syscall.Kill(os.Getpid(), ws.Signal())
		time.Sleep(100 * time.Millisecond)
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}
