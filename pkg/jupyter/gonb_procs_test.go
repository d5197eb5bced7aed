package jupyter

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// These tests attack the runner the way a notebook could, on the real
// GoNB: processes a cell leaves running, a flood of output, and a runner
// killed mid-cell. They are slow and skip with -short.

// pidsIn returns the numbers that follow each label ("setsid 123") in s.
func pidsIn(t *testing.T, s string, labels ...string) []int {
	t.Helper()
	var pids []int
	for _, l := range labels {
		m := regexp.MustCompile(l + ` (\d+)`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no %q pid in %q", l, s)
		}
		pid, _ := strconv.Atoi(m[1])
		pids = append(pids, pid)
	}
	return pids
}

func TestGoNBCellsLeaveNoProcesses(t *testing.T) {
	if !supervised {
		t.Skip("needs the Linux supervisor")
	}
	k := startGoNB(t, Options{})
	nb := readFixture(t, "daemons.ipynb")
	if err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 5 * time.Minute}); err != nil {
		t.Fatalf("run: %v", err)
	}
	tests := []struct {
		name   string
		cell   int
		labels []string
	}{
		{"setsid and double fork in a shell cell", 0, []string{"setsid", "daemon"}},
		{"setsid program started by a Go cell", 1, []string{"go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := outputText(nb.Cells[tt.cell])
			pids := pidsIn(t, out, tt.labels...)
			if strings.Count(out, "alive") != len(pids) {
				t.Fatalf("the cell's processes did not all run (else this test proves nothing): %q", out)
			}
			if left := alive(pids...); len(left) > 0 {
				t.Errorf("processes %v outlived their cell", left)
			}
			for _, pid := range pids {
				if !strings.Contains(out, fmt.Sprintf("(%d)", pid)) || !strings.Contains(out, "stopped processes the cell left running") {
					t.Errorf("the cell's note does not name %d: %q", pid, out)
				}
			}
			waitGone(t, 0, pids...) // kills them should the test fail
		})
	}
	if out := outputText(nb.Cells[2]); out != "still here\n" {
		t.Errorf("the kernel did not carry on: %q", out)
	}
}

// heapWatch samples the heap in use every few milliseconds until stopped.
type heapWatch struct {
	peak atomic.Uint64
	stop chan struct{}
	done sync.WaitGroup
}

// watchHeap starts sampling.
func watchHeap() *heapWatch {
	w := &heapWatch{stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > w.peak.Load() {
				w.peak.Store(ms.HeapInuse)
			}
			select {
			case <-w.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return w
}

// Stop ends the sampling and returns the peak.
func (w *heapWatch) Stop() uint64 {
	close(w.stop)
	w.done.Wait()
	return w.peak.Load()
}

// vmHWM returns this process's peak resident set, in bytes, or 0.
func vmHWM() uint64 {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestGoNBFloodOfOutput runs a cell printing 200 MiB and checks that the
// runner keeps the text limit and a note, stays within a bounded heap,
// and that the kernel runs the next cell.
func TestGoNBFloodOfOutput(t *testing.T) {
	k := startGoNB(t, Options{})
	warmUp(t, k)
	nb := readFixture(t, "big_output.ipynb")
	runtime.GC()
	w := watchHeap()
	start := time.Now()
	err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 5 * time.Minute})
	peak := w.Stop()
	t.Logf("200 MiB cell: %v, peak heap in use %d MiB, peak RSS of the test process %d MiB",
		time.Since(start).Round(time.Second), peak>>20, vmHWM()>>20)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	out := outputText(nb.Cells[0])
	if len(out) > DefaultTextLimit+1000 || len(out) < DefaultTextLimit-1024 {
		t.Errorf("kept %d bytes, want the %d limit and a note", len(out), DefaultTextLimit)
	}
	if !strings.Contains(out, "output limit reached: dropped") {
		t.Errorf("no note of the cut in %q", out[max(0, len(out)-300):])
	}
	if peak > 400<<20 {
		t.Errorf("peak heap in use %d MiB for a cell printing 200 MiB; want it bounded", peak>>20)
	}
	if got := outputText(nb.Cells[1]); got != "after\n" {
		t.Errorf("next cell printed %q", got)
	}
}

// Environment of the runner process TestGoNBRunnerKilled kills.
const envGoNBParent = "LENSLOG_TEST_GONB_PARENT" // the tools folder

func init() {
	// The runner's supervisor is this binary too, with the variable
	// inherited: it must reach TestMain, which makes it the supervisor.
	if _, supervisor := os.LookupEnv("LENSLOG_JUPYTER_SUPERVISE"); supervisor {
		return
	}
	if dir := os.Getenv(envGoNBParent); dir != "" {
		gonbParentMain(dir)
		os.Exit(0)
	}
}

// gonbParentMain runs daemon_sleep.ipynb on GoNB as the command does, with
// GoNB's TMPDIR in a folder of its own, and once the cell sleeps prints
// "super kernel cell daemon kerneldir tmpdir" for the test that kills it.
func gonbParentMain(tools string) {
	tmp, err := MkdirTemp("lenslog-run-")
	if err != nil {
		log.Fatal(err)
	}
	var k *Kernel
	k, err = Start(context.Background(), Options{
		Argv: []string{filepath.Join(tools, "gonb"), "--kernel", ConnectionFileArg, "--raw_error"},
		Dir:  "testdata",
		Env:  kernelEnv(tools, tmp),
		Observe: func(ch string, m *Message) {
			var s struct{ Text string }
			if ch == "iopub" && m.Type() == "stream" && m.DecodeContent(&s) == nil && strings.HasPrefix(s.Text, "sleeping ") {
				var cell, daemon int
				fmt.Sscanf(s.Text, "sleeping %d %d", &cell, &daemon)
				fmt.Println(k.Group(), k.Pid(), cell, daemon, k.dir, tmp)
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	nb, err := ipynb.ReadFile("testdata/daemon_sleep.ipynb")
	if err != nil {
		log.Fatal(err)
	}
	RunNotebook(context.Background(), k, nb, RunOptions{})
}

// TestGoNBRunnerKilled kills a runner with SIGKILL while a GoNB cell
// sleeps after starting a program in a new session, and checks that the
// supervisor, GoNB, the cell's program and that program are gone, the
// folder with the connection key too, and that the next Start removes
// GoNB's temporary folder.
func TestGoNBRunnerKilled(t *testing.T) {
	if !supervised {
		t.Skip("needs the Linux supervisor")
	}
	tools := toolsDir(t)
	parent := exec.Command(os.Args[0], "-test.run=^$")
	parent.Env = append(os.Environ(), envGoNBParent+"="+tools)
	parent.Stderr = os.Stderr
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { parent.Process.Kill(); parent.Wait() }()
	pids := make([]int, 4)
	var kernelDir, tmp string
	line, err := bufio.NewReader(out).ReadString('\n')
	if err == nil {
		_, err = fmt.Sscan(line, &pids[0], &pids[1], &pids[2], &pids[3], &kernelDir, &tmp)
	}
	if err != nil {
		t.Fatalf("the runner said %q: %v", line, err)
	}
	if left := alive(pids...); len(left) != len(pids) {
		t.Fatalf("processes %v should all run before the kill, only %v do", pids, left)
	}
	parent.Process.Signal(syscall.SIGKILL)
	parent.Wait()
	waitGone(t, 10*time.Second, pids...)
	if _, err := os.Stat(kernelDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the folder with the connection key %s is still there: %v", kernelDir, err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("GoNB's folder should be there until the next run: %v", err)
	}
	startFake(t, Options{}).Close()
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the next run left GoNB's folder %s: %v", tmp, err)
	}
}

// TestGoNBDaemonHoldingOutput runs a shell cell whose setsid child keeps
// the cell's stdout open, so that GoNB waits for the end of the output
// forever: the timeout kills the kernel, and with it the child.
func TestGoNBDaemonHoldingOutput(t *testing.T) {
	if !supervised {
		t.Skip("needs the Linux supervisor")
	}
	k := startGoNB(t, Options{InterruptGrace: 2 * time.Second})
	nb := readFixture(t, "daemon_holds_output.ipynb")
	err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 5 * time.Second})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrKernelDied) {
		t.Fatalf("err = %v, want a timeout that killed the kernel", err)
	}
	pid := pidsIn(t, outputText(nb.Cells[0]), "holder")[0]
	if left := alive(pid); len(left) > 0 {
		t.Errorf("the cell's daemon %d outlived the killed kernel", pid)
	}
	waitGone(t, 0, pid)
}
