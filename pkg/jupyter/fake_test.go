package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/lenslog/lenslog/pkg/ipynb"
)

// The tests in this file run the client against a small fake kernel: the
// test binary itself, started with fakeKernelEnv set. They need no GoNB
// and run with -short.

const fakeKernelEnv = "LENSLOG_FAKE_KERNEL"

func init() {
	if _, ok := os.LookupEnv("LENSLOG_JUPYTER_SUPERVISE"); ok { // superviseEnv, on Linux
		return // the supervisor of a fake kernel: TestMain runs it
	}
	switch os.Getenv(fakeKernelEnv) {
	case "kernel":
		fakeKernelMain(os.Args[len(os.Args)-1])
		os.Exit(0)
	case "child":
		time.Sleep(time.Hour)
		os.Exit(0)
	case "forker": // starts a child in a new session, says its pid, exits
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), fakeKernelEnv+"=child")
		child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := child.Start(); err != nil {
			log.Fatal(err)
		}
		fmt.Println(child.Process.Pid)
		os.Exit(0)
	case "parent": // a client that runs "spawn" and "sleep" cells, then is killed
		fakeParentMain()
	case "alloc": // a cell's program: touches $LENSLOG_FAKE_ALLOC MiB
		n, _ := strconv.Atoi(os.Getenv("LENSLOG_FAKE_ALLOC"))
		var keep [][]byte
		for range n {
			b := make([]byte, 1<<20)
			b[0], b[len(b)-1] = 1, 1
			keep = append(keep, b)
		}
		fmt.Println("allocated", len(keep), "MiB")
		os.Exit(0)
	}
}

// fakeParentMain starts a kernel and runs a cell that leaves a daemon and
// sleeps; while it sleeps, it prints the processes and folder the test
// checks after killing this process: "super kernel kept daemon dir".
func fakeParentMain() {
	var k *Kernel
	var err error
	k, err = Start(context.Background(), fakeOptions(Options{Observe: func(ch string, m *Message) {
		var s struct{ Text string }
		if ch == "iopub" && m.Type() == "stream" && m.DecodeContent(&s) == nil && strings.HasPrefix(s.Text, "kept ") {
			var kept, daemon int
			fmt.Sscanf(s.Text, "kept %d daemon %d", &kept, &daemon)
			fmt.Println(k.Group(), k.Pid(), kept, daemon, k.dir)
		}
	}}))
	if err != nil {
		log.Fatal(err)
	}
	k.Execute(context.Background(), "spawn-sleep")
	os.Exit(0)
}

// fakeOptions sets opts up to start the fake kernel.
func fakeOptions(opts Options) Options {
	opts.Argv = []string{os.Args[0], ConnectionFileArg}
	opts.Env = append(os.Environ(), fakeKernelEnv+"=kernel")
	opts.StartTimeout = 20 * time.Second
	return opts
}

// fakeKernel is a minimal Jupyter kernel whose cells are commands.
type fakeKernel struct {
	key       []byte
	iopub     zmq4.Socket
	mu        sync.Mutex // guards iopub sends
	interrupt chan struct{}
	count     int
}

// fakeKernelMain serves the connection file's ports until shutdown.
func fakeKernelMain(connFile string) {
	data, err := os.ReadFile(connFile)
	if err != nil {
		log.Fatal(err)
	}
	var c ConnectionInfo
	if err := json.Unmarshal(data, &c); err != nil {
		log.Fatal(err)
	}
	signal.Ignore(syscall.SIGINT) // like GoNB: SIGINT interrupts, it does not kill
	ctx := context.Background()
	quiet := zmq4.WithLogger(log.New(io.Discard, "", 0))
	k := &fakeKernel{key: []byte(c.Key), iopub: zmq4.NewPub(ctx, quiet), interrupt: make(chan struct{}, 1)}
	shell, ctrl := zmq4.NewRouter(ctx, quiet), zmq4.NewRouter(ctx, quiet)
	for _, l := range []struct {
		s    zmq4.Socket
		port int
	}{{shell, c.ShellPort}, {ctrl, c.ControlPort}, {k.iopub, c.IOPubPort}} {
		if err := l.s.Listen(c.endpoint(l.port)); err != nil {
			log.Fatal(err)
		}
	}
	go k.serve(ctrl)
	k.serve(shell)
}

// serve answers the requests arriving on sock.
func (k *fakeKernel) serve(sock zmq4.Socket) {
	for {
		zm, err := sock.Recv()
		if err != nil {
			os.Exit(1)
		}
		req, err := Decode(zm.Frames, k.key)
		if err != nil {
			continue
		}
		switch req.Type() {
		case "kernel_info_request":
			k.publish(req, "status", map[string]string{"execution_state": "busy"})
			k.reply(sock, req, "kernel_info_reply", map[string]any{"language_info": map[string]string{"name": "fake"}})
			k.publish(req, "status", map[string]string{"execution_state": "idle"})
		case "execute_request":
			k.publish(req, "status", map[string]string{"execution_state": "busy"})
			k.count++
			k.publish(req, "execute_input", map[string]any{"execution_count": k.count})
			status := k.run(req)
			k.reply(sock, req, "execute_reply", map[string]any{"status": status, "execution_count": k.count,
				"ename": "Fake", "evalue": status})
			k.publish(req, "status", map[string]string{"execution_state": "idle"})
		case "interrupt_request":
			k.interrupt <- struct{}{}
			k.reply(sock, req, "interrupt_reply", map[string]string{"status": "ok"})
		case "shutdown_request":
			k.reply(sock, req, "shutdown_reply", map[string]string{"status": "ok"})
			time.Sleep(50 * time.Millisecond)
			os.Exit(0)
		}
	}
}

// run executes one fake cell and returns the reply status.
func (k *fakeKernel) run(req *Message) string {
	var c struct{ Code string }
	_ = json.Unmarshal(req.Content, &c)
	cmd, arg, _ := strings.Cut(c.Code, " ")
	stream := func(s string) { k.publish(req, "stream", map[string]string{"name": "stdout", "text": s}) }
	switch cmd {
	case "print":
		stream(arg)
	case "forge": // a message signed with the wrong key, then a genuine one
		k.publishWith([]byte("not the key"), req, "stream", map[string]string{"name": "stdout", "text": "forged"})
		stream("genuine")
	case "sleep": // until interrupted
		stream("sleeping")
		<-k.interrupt
		stream("interrupted")
		return "error"
	case "hang": // ignores interrupts
		stream("hanging")
		select {}
	case "spawn": // a child it keeps, in a new session, and a double-forked daemon
		stream(spawn())
	case "spawn-sleep": // the same, then sleeps until interrupted
		stream(spawn())
		<-k.interrupt
		return "error"
	case "spawn-and-die": // leaves a child behind in the process group
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), fakeKernelEnv+"=child")
		if err := child.Start(); err != nil {
			stream("spawn: " + err.Error())
			return "error"
		}
		stream(fmt.Sprintf("child %d", child.Process.Pid))
		time.Sleep(100 * time.Millisecond)
		os.Exit(3)
	case "stop": // as a cell that shows a stop's message, then ends its program with exit status 2
		k.publish(req, "display_data", map[string]any{"data": map[string]string{"text/markdown": arg},
			"metadata": map[string]any{ipynb.StopKey: true}})
		k.publish(req, "stream", map[string]string{"name": "stderr", "text": "panic: stopped\n"})
		k.publish(req, "error", map[string]any{"ename": "ERROR", "evalue": "exit status 2", "traceback": []string{"exit status 2"}})
		return "error"
	case "fail":
		k.publish(req, "error", map[string]any{"ename": "Fake", "evalue": arg, "traceback": []string{arg}})
		return "error"
	case "die": // as a kernel the OOM killer took
		stream("dying")
		time.Sleep(50 * time.Millisecond)
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	case "alloc": // runs a program that allocates arg MiB, as GoNB runs a cell's program
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), fakeKernelEnv+"=alloc", "LENSLOG_FAKE_ALLOC="+arg)
		out, err := child.CombinedOutput()
		if err != nil {
			k.publish(req, "stream", map[string]string{"name": "stderr", "text": lastLines(string(out), 3)})
			k.publish(req, "error", map[string]any{"ename": "ERROR", "evalue": err.Error(), "traceback": []string{err.Error()}})
			return "error"
		}
		stream(string(out))
	}
	return "ok"
}

// lastLines returns the first line and the last n of s: a Go crash's
// "fatal error: ..." and where.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) <= n+1 {
		return s
	}
	return lines[0] + "\n" + strings.Join(lines[len(lines)-n:], "\n")
}

// spawn starts a child the kernel keeps, in a new session, and a
// double-forked daemon, and says "kept PID daemon PID".
func spawn() string {
	kept := exec.Command(os.Args[0])
	kept.Env = append(os.Environ(), fakeKernelEnv+"=child")
	kept.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	forker := exec.Command(os.Args[0])
	forker.Env = append(os.Environ(), fakeKernelEnv+"=forker")
	if err := kept.Start(); err != nil {
		return "spawn: " + err.Error()
	}
	out, err := forker.Output()
	if err != nil {
		return "spawn: " + err.Error()
	}
	return fmt.Sprintf("kept %d daemon %s", kept.Process.Pid, strings.TrimSpace(string(out)))
}

// publish sends a signed iopub message answering req.
func (k *fakeKernel) publish(req *Message, typ string, content any) {
	k.publishWith(k.key, req, typ, content)
}

// publishWith sends an iopub message signed with key.
func (k *fakeKernel) publishWith(key []byte, req *Message, typ string, content any) {
	m, _ := NewMessage(req.Header.Session, typ, content)
	m.ParentHeader = req.Header
	m.Identities = [][]byte{[]byte(typ)}
	frames, _ := m.Encode(key)
	k.mu.Lock()
	defer k.mu.Unlock()
	_ = k.iopub.SendMulti(zmq4.NewMsgFrom(frames...))
}

// reply answers req on its socket, routed back by its identities.
func (k *fakeKernel) reply(sock zmq4.Socket, req *Message, typ string, content any) {
	m, _ := NewMessage(req.Header.Session, typ, content)
	m.ParentHeader = req.Header
	m.Identities = req.Identities
	frames, _ := m.Encode(k.key)
	_ = sock.SendMulti(zmq4.NewMsgFrom(frames...))
}

// startFake starts the fake kernel and checks at the end of the test that
// nothing of its process group is left.
func startFake(t *testing.T, opts Options) *Kernel {
	t.Helper()
	k, err := Start(context.Background(), fakeOptions(opts))
	if err != nil {
		t.Fatal(err)
	}
	pgid := k.Group()
	t.Cleanup(func() {
		k.Close()
		if left := GroupMembers(pgid); len(left) > 0 {
			t.Errorf("processes left in the kernel's group: %v", left)
		}
	})
	return k
}

// texts returns the stream text of outputs.
func texts(outs []ipynb.Output) string {
	var b strings.Builder
	for _, o := range outs {
		b.WriteString(o.Text)
	}
	return b.String()
}

func TestFakeKernelExecute(t *testing.T) {
	k := startFake(t, Options{})
	if k.Info().LanguageInfo.Name != "fake" {
		t.Errorf("kernel info = %+v", k.Info())
	}
	for i, code := range []string{"print one", "print two"} {
		res, err := k.Execute(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.TrimPrefix(code, "print ")
		if res.Status != "ok" || texts(res.Outputs) != want || res.ExecutionCount == nil || *res.ExecutionCount != i+1 {
			t.Errorf("Execute(%q) = %+v", code, res)
		}
	}
}

func TestFakeKernelRejectsForgedMessages(t *testing.T) {
	k := startFake(t, Options{})
	res, err := k.Execute(context.Background(), "forge")
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(res.Outputs); got != "genuine" {
		t.Errorf("outputs = %q, want only the genuine message", got)
	}
	if k.BadSignatures() != 1 {
		t.Errorf("BadSignatures = %d, want 1", k.BadSignatures())
	}
}

func TestFakeKernelRunNotebook(t *testing.T) {
	k := startFake(t, Options{})
	nb := &ipynb.Notebook{Cells: []*ipynb.Cell{
		{Type: ipynb.Markdown, Source: "# T"},
		{Type: ipynb.Code, Source: "print a", Outputs: []ipynb.Output{{Type: ipynb.Stream, Text: "stale"}}},
		{Type: ipynb.Code, Source: "fail oops"},
		{Type: ipynb.Code, Source: "print c"},
	}}
	var progress []string
	err := RunNotebook(context.Background(), k, nb, RunOptions{Progress: func(cell, rank, total int) {
		progress = append(progress, fmt.Sprintf("%d:%d/%d", cell, rank, total))
	}})
	var ce *CellError
	if !errors.As(err, &ce) || ce.Cell != 3 || !strings.Contains(ce.Message(), "oops") {
		t.Fatalf("err = %v, want cell 3 failing with oops", err)
	}
	if texts(nb.Cells[1].Outputs) != "a" || nb.Cells[3].ExecutionCount != nil {
		t.Errorf("cells after run: %+v %+v", nb.Cells[1], nb.Cells[3])
	}
	if got := strings.Join(progress, " "); got != "2:1/3 3:2/3" {
		t.Errorf("progress = %q", got)
	}
	if nb.Metadata.LanguageInfo == nil || nb.Metadata.LanguageInfo.Name != "fake" {
		t.Errorf("language_info = %+v", nb.Metadata.LanguageInfo)
	}

	// With KeepGoing the last cell runs too.
	err = RunNotebook(context.Background(), k, nb, RunOptions{KeepGoing: true})
	if !errors.As(err, &ce) || texts(nb.Cells[3].Outputs) != "c" {
		t.Errorf("keep going: err = %v, last cell %+v", err, nb.Cells[3])
	}
}

// A cell that ends on a stop (its message marked with ipynb.StopKey, then
// exit status 2) is shown as the message, without the kernel's error or
// stderr, does not fail the notebook, and the next cells run.
func TestFakeKernelStopIsNotAFailure(t *testing.T) {
	k := startFake(t, Options{})
	nb := &ipynb.Notebook{Cells: []*ipynb.Cell{
		{Type: ipynb.Code, Source: "print a"},
		{Type: ipynb.Code, Source: "stop **No data**"},
		{Type: ipynb.Code, Source: "stop *Skipped*"},
		{Type: ipynb.Code, Source: "print d"},
	}}
	if err := RunNotebook(context.Background(), k, nb, RunOptions{}); err != nil {
		t.Fatalf("RunNotebook = %v, want nil: a stop is not a failure", err)
	}
	for i, want := range []string{"**No data**", "*Skipped*"} {
		outs := nb.Cells[i+1].Outputs
		if md, _ := outs[0].DataText("text/markdown"); len(outs) != 1 || md != want {
			t.Errorf("cell %d outputs = %+v, want only the message %q", i+2, outs, want)
		}
	}
	if texts(nb.Cells[3].Outputs) != "d" {
		t.Errorf("the cell after the stops: %+v", nb.Cells[3].Outputs)
	}
}

func TestFakeKernelTimeouts(t *testing.T) {
	tests := []struct {
		name     string
		code     string
		died     bool
		contains string
	}{
		{"interrupt stops the cell", "sleep", false, "interrupted"},
		{"kernel killed when the cell ignores the interrupt", "hang", true, "kernel killed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := startFake(t, Options{InterruptGrace: 500 * time.Millisecond})
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			res, err := k.Execute(ctx, tt.code)
			if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrKernelDied) != tt.died {
				t.Fatalf("err = %v; want a timeout, kernel died = %v", err, tt.died)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %q, want %q in it", err, tt.contains)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if !strings.HasPrefix(texts(res.Outputs), tt.code+"ing") && !strings.HasPrefix(texts(res.Outputs), "sleeping") {
				t.Errorf("outputs before the timeout lost: %q", texts(res.Outputs))
			}
			if !tt.died {
				if res, err := k.Execute(context.Background(), "print alive"); err != nil || texts(res.Outputs) != "alive" {
					t.Errorf("kernel unusable after the interrupt: %+v %v", res, err)
				}
			}
		})
	}
}

func TestFakeKernelDiesMidCell(t *testing.T) {
	k := startFake(t, Options{})
	done := make(chan error, 1)
	var res *Result
	go func() {
		var err error
		res, err = k.Execute(context.Background(), "spawn-and-die")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrKernelDied) || !strings.Contains(err.Error(), "exit status 3") {
			t.Errorf("err = %v, want ErrKernelDied with the exit status", err)
		}
		if !strings.HasPrefix(texts(res.Outputs), "child ") {
			t.Errorf("outputs = %q, want the child's pid", texts(res.Outputs))
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Execute did not notice the dead kernel")
	}
	// The child the kernel left dies with it where a supervisor runs, and
	// at Close (which the cleanup checks) otherwise.
	var child int
	fmt.Sscanf(texts(res.Outputs), "child %d", &child)
	if supervised {
		waitGone(t, 5*time.Second, child)
	}
	if _, err := k.Execute(context.Background(), "print x"); !errors.Is(err, ErrKernelDied) {
		t.Errorf("Execute on a dead kernel: %v", err)
	}
}

// TestFakeKernelDiesInACell: a kernel that dies is reported as such, the
// cell it died in says so, and every later cell says it was not run.
func TestFakeKernelDiesInACell(t *testing.T) {
	k := startFake(t, Options{})
	nb := &ipynb.Notebook{Cells: []*ipynb.Cell{
		{Type: ipynb.Code, Source: "print a"},
		{Type: ipynb.Code, Source: "die"},
		{Type: ipynb.Markdown, Source: "# more"},
		{Type: ipynb.Code, Source: "print c"},
		{Type: ipynb.Code, Source: "print d"},
	}}
	err := RunNotebook(context.Background(), k, nb, RunOptions{KeepGoing: true})
	var ce *CellError
	if !errors.As(err, &ce) || ce.Cell != 2 || !errors.Is(err, ErrKernelDied) {
		t.Fatalf("err = %v, want the kernel dead in cell 2", err)
	}
	for _, s := range []string{"the kernel died in cell 2", "signal: killed", "cells 4–5 were not run"} {
		if !strings.Contains(ce.Message(), s) {
			t.Errorf("message %q does not say %q", ce.Message(), s)
		}
	}
	if _, ok := lastError(nb.Cells[1].Outputs); !ok {
		t.Errorf("the cell the kernel died in has no error output: %+v", nb.Cells[1].Outputs)
	}
	for _, i := range []int{3, 4} {
		if got := nb.Cells[i].NotRun(); got != "the kernel died in cell 2" {
			t.Errorf("cell %d: NotRun() = %q", i+1, got)
		}
	}
	if nb.Cells[0].NotRun() != "" || nb.Cells[2].NotRun() != "" {
		t.Errorf("a cell that ran, or a markdown cell, is marked not run")
	}
}

// TestFakeKernelMemoryBound: with Options.Memory a cell's program that
// needs more fails, and the error names the bound; a smaller one runs.
func TestFakeKernelMemoryBound(t *testing.T) {
	if !supervised {
		t.Skip("the memory bound is set by the supervisor (Linux)")
	}
	k := startFake(t, Options{Memory: 1 << 30})
	nb := &ipynb.Notebook{Cells: []*ipynb.Cell{
		{Type: ipynb.Code, Source: "alloc 64"},
		{Type: ipynb.Code, Source: "alloc 3000"},
		{Type: ipynb.Code, Source: "print c"},
	}}
	err := RunNotebook(context.Background(), k, nb, RunOptions{})
	if !strings.Contains(texts(nb.Cells[0].Outputs), "allocated 64 MiB") {
		t.Errorf("a cell within the bound: %q", texts(nb.Cells[0].Outputs))
	}
	var ce *CellError
	if !errors.As(err, &ce) || ce.Cell != 2 {
		t.Fatalf("err = %v, want cell 2 failing", err)
	}
	for _, s := range []string{"out of memory", "the cell ran out of memory: each of its processes may use 1GiB (set with -mem)", "cell 3 was not run"} {
		if !strings.Contains(ce.Message(), s) {
			t.Errorf("message %q does not say %q", ce.Message(), s)
		}
	}
	if got := nb.Cells[2].NotRun(); got != "cell 2 failed" {
		t.Errorf("cell 3: NotRun() = %q", got)
	}
}

func TestStartFailures(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"no placeholder", []string{"true"}, "argv has no {connection_file}"},
		{"missing program", []string{"/nonexistent/kernel", ConnectionFileArg}, "no such file"},
		{"exits at once", []string{"sh", "-c", "echo bad flag >&2; exit 2", ConnectionFileArg}, "bad flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Start(context.Background(), Options{Argv: tt.argv, StartTimeout: 10 * time.Second})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error = %v, want %q in it", err, tt.want)
			}
		})
	}
}

// comm returns the command name the kernel records for the test binary
// (at most 15 bytes).
func comm(int) string {
	name := filepath.Base(os.Args[0])
	return name[:min(len(name), 15)]
}

// alive reports which of pids are live processes.
func alive(pids ...int) []int {
	var live []int
	for _, pid := range pids {
		if _, ok := processStart(pid); ok {
			live = append(live, pid)
		}
	}
	return live
}

// waitGone waits until none of pids is a live process, and fails the
// test, killing them, if some still are after timeout.
func waitGone(t *testing.T, timeout time.Duration, pids ...int) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for len(alive(pids...)) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := alive(pids...); len(left) > 0 {
		for _, pid := range left {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		t.Errorf("processes still running: %v", left)
	}
}

func TestFakeKernelCellLeavesNoOrphans(t *testing.T) {
	if !supervised {
		t.Skip("needs the Linux supervisor")
	}
	k := startFake(t, Options{})
	res, err := k.Execute(context.Background(), "spawn")
	if err != nil {
		t.Fatal(err)
	}
	var kept, daemon int
	if _, err := fmt.Sscanf(texts(res.Outputs), "kept %d daemon %d", &kept, &daemon); err != nil {
		t.Fatalf("outputs %q: %v", texts(res.Outputs), err)
	}
	waitGone(t, time.Second, daemon)
	if !strings.Contains(texts(res.Outputs), fmt.Sprintf("stopped processes the cell left running: %s (%d)", comm(daemon), daemon)) {
		t.Errorf("outputs %q do not name the stopped daemon", texts(res.Outputs))
	}
	if len(alive(kept)) != 1 {
		t.Errorf("the kernel's own child %d was killed at the end of the cell", kept)
	}
	k.Close()
	waitGone(t, time.Second, kept)
}

// startParent starts the test binary as a client (fakeParentMain) and
// returns it with the numbers it printed once its second cell runs.
func startParent(t *testing.T) (*exec.Cmd, []int, string) {
	t.Helper()
	parent := exec.Command(os.Args[0])
	parent.Env = append(os.Environ(), fakeKernelEnv+"=parent")
	parent.Stderr = os.Stderr
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	pids := make([]int, 4)
	var dir string
	if _, err := fmt.Fscan(out, &pids[0], &pids[1], &pids[2], &pids[3], &dir); err != nil {
		parent.Process.Kill()
		t.Fatalf("read the client's processes: %v", err)
	}
	if left := alive(pids...); len(left) != len(pids) {
		parent.Process.Kill()
		parent.Wait()
		t.Fatalf("processes %v should all run before the kill, only %v do", pids, left)
	}
	return parent, pids, dir
}

// TestKernelDiesWithClient kills a client with SIGKILL while a cell runs
// and checks that nothing it started is left: the kernel, the child the
// kernel kept (in its own session) and a double-forked daemon, and that
// the folder with the connection key is gone.
func TestKernelDiesWithClient(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("relies on Linux's child subreaper")
	}
	parent, pids, dir := startParent(t)
	parent.Process.Kill()
	parent.Wait()
	waitGone(t, 10*time.Second, pids...)
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the kernel's folder %s is still there: %v", dir, err)
	}
}

// TestSweepAfterKilledClient kills the client and its supervisor at once,
// the worst case, and checks that the kernel died with them and that the
// next Start removes the folder with the connection key.
func TestSweepAfterKilledClient(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("relies on Linux's parent-death signal")
	}
	parent, pids, dir := startParent(t)
	super, kernel, kept, daemon := pids[0], pids[1], pids[2], pids[3]
	syscall.Kill(super, syscall.SIGKILL)
	parent.Process.Kill()
	parent.Wait()
	waitGone(t, 5*time.Second, super, kernel)
	t.Cleanup(func() { // only a cgroup could have stopped these
		syscall.Kill(kept, syscall.SIGKILL)
		syscall.Kill(daemon, syscall.SIGKILL)
	})
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the kernel's folder should be left behind here: %v", err)
	}
	live, err := MkdirTemp("lenslog-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(live)
	startFake(t, Options{}).Close()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the next Start left %s: %v", dir, err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the next Start removed the folder %s of a live run: %v", live, err)
	}
}
