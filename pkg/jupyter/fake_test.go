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
	"runtime"
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
	switch os.Getenv(fakeKernelEnv) {
	case "kernel":
		fakeKernelMain(os.Args[len(os.Args)-1])
		os.Exit(0)
	case "child":
		time.Sleep(time.Hour)
		os.Exit(0)
	case "parent": // starts a kernel, says its pid, then waits to be killed
		k, err := Start(context.Background(), fakeOptions(Options{}))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(k.Pid())
		time.Sleep(time.Hour)
		os.Exit(0)
	}
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
	case "fail":
		k.publish(req, "error", map[string]any{"ename": "Fake", "evalue": arg, "traceback": []string{arg}})
		return "error"
	}
	return "ok"
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
	pgid := k.Pid()
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
	// The child is still alive in the group until Close; the cleanup
	// checks that Close kills it.
	if len(GroupMembers(k.Pid())) == 0 {
		t.Errorf("want the orphaned child alive before Close (else this test proves nothing)")
	}
	if _, err := k.Execute(context.Background(), "print x"); !errors.Is(err, ErrKernelDied) {
		t.Errorf("Execute on a dead kernel: %v", err)
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

// TestKernelDiesWithClient checks that a kernel does not outlive a client
// killed without a chance to close it.
func TestKernelDiesWithClient(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("relies on Linux's parent-death signal")
	}
	parent := exec.Command(os.Args[0])
	parent.Env = append(os.Environ(), fakeKernelEnv+"=parent")
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil {
		parent.Process.Kill()
		t.Fatalf("read kernel pid: %v", err)
	}
	parent.Process.Kill()
	parent.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for len(GroupMembers(pid)) > 0 {
		if time.Now().After(deadline) {
			syscall.Kill(-pid, syscall.SIGKILL)
			t.Fatalf("kernel %d still running after its client was killed", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
