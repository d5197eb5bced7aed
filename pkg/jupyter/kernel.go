package jupyter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"
)

// ConnectionFileArg is the placeholder in Options.Argv replaced by the path
// of the connection file, as in a kernel.json.
const ConnectionFileArg = "{connection_file}"

// ErrKernelDied is wrapped by errors reporting that the kernel process
// exited (or was killed) while it was needed.
var ErrKernelDied = errors.New("kernel died")

// Options configures Start. Only Argv is required.
type Options struct {
	// Argv is the kernel command line, e.g.
	// {"/path/gonb", "--kernel", "{connection_file}", "--raw_error"}.
	Argv []string
	// Dir is the kernel's working directory; "" is the current one.
	Dir string
	// Env is the kernel's environment; nil inherits this process's.
	Env []string
	// StartTimeout bounds the time until the kernel answers its first
	// kernel_info_request (default 1 minute).
	StartTimeout time.Duration
	// InterruptGrace is how long a cell may take to stop after an
	// interrupt before the kernel is killed (default 5s).
	InterruptGrace time.Duration
	// ShutdownGrace is how long Close waits for the kernel to exit after
	// shutdown_request before killing it (default 3s).
	ShutdownGrace time.Duration
	// Limits bound each cell's outputs (zero: the defaults).
	Limits OutputLimits
	// Memory bounds the memory of each process of the kernel's tree (the
	// kernel, the go command building a cell, the cell's program), in
	// bytes, as a data limit (RLIMIT_DATA: heap and private writable
	// mappings, not the address space Go reserves) the supervisor sets
	// before it starts the kernel; 0 means none. A process past it fails
	// to allocate (a Go program ends in "fatal error: runtime: cannot
	// allocate memory"), and the failing cell's error names the bound.
	// Only where a supervisor runs (Linux).
	Memory int64
	// Observe, if set, sees every verified message received, with the
	// channel name ("shell", "control" or "iopub"). It runs on the
	// receiving goroutine and must not block.
	Observe func(channel string, m *Message)
}

// withDefaults fills in zero durations.
func (o Options) withDefaults() Options {
	if o.StartTimeout <= 0 {
		o.StartTimeout = time.Minute
	}
	if o.InterruptGrace <= 0 {
		o.InterruptGrace = 5 * time.Second
	}
	if o.ShutdownGrace <= 0 {
		o.ShutdownGrace = 3 * time.Second
	}
	return o
}

// Kernel is a running kernel process and the client's connections to it.
// Its methods are not safe for concurrent use, except Kill and Close.
type Kernel struct {
	opts    Options
	conn    *ConnectionInfo
	key     []byte
	session string
	dir     string        // holds the connection file and the kernel's log
	cmd     *exec.Cmd     // the supervisor, or the kernel where none runs
	pid     int           // the kernel's process id
	group   int           // the process group of the kernel and its cells
	life    *os.File      // the supervisor's lifeline; nil without one
	exited  chan struct{} // closed when cmd has been waited for
	waitErr error

	ctx    context.Context // lifeline of the sockets
	cancel context.CancelFunc
	shell  zmq4.Socket
	ctrl   zmq4.Socket
	iopub  zmq4.Socket
	in     map[string]chan *Message

	info       KernelInfo
	badSigs    atomic.Int64
	closeOnce  sync.Once
	closeErr   error
	killReason atomic.Pointer[string]
	lifeMu     sync.Mutex // guards the lifeline's closing
	lifeClosed bool
}

// KernelInfo is the kernel's kernel_info_reply.
type KernelInfo struct {
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          LanguageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
}

// LanguageInfo describes the kernel's language.
type LanguageInfo struct {
	Name          string `json:"name"`
	Version       string `json:"version"`
	MIMEType      string `json:"mimetype"`
	FileExtension string `json:"file_extension"`
}

// Start launches the kernel in its own process group (on Linux under a
// supervisor, see the package documentation), connects to it and waits
// until it answers kernel_info_request with the iopub subscription live.
// On error nothing is left running. It first removes the temporary
// folders of runs that died without removing them.
func Start(ctx context.Context, opts Options) (*Kernel, error) {
	opts = opts.withDefaults()
	if len(opts.Argv) == 0 {
		return nil, errors.New("jupyter: start: no kernel command")
	}
	sweepTemp()
	k := &Kernel{opts: opts, session: newID(), exited: make(chan struct{})}
	if err := k.start(); err != nil {
		k.Close()
		return nil, fmt.Errorf("jupyter: start %s: %w", filepath.Base(opts.Argv[0]), err)
	}
	if err := k.connect(ctx); err != nil {
		k.Close()
		return nil, fmt.Errorf("jupyter: start %s: %w", filepath.Base(opts.Argv[0]), err)
	}
	return k, nil
}

// start writes the connection file and starts the process.
func (k *Kernel) start() error {
	var err error
	if k.conn, err = NewConnectionInfo(); err != nil {
		return err
	}
	k.key = []byte(k.conn.Key)
	if k.dir, err = MkdirTemp("lenslog-kernel-"); err != nil {
		return err
	}
	connFile := filepath.Join(k.dir, "connection.json")
	if err := k.conn.WriteFile(connFile); err != nil {
		return err
	}
	argv := make([]string, len(k.opts.Argv))
	found := false
	for i, a := range k.opts.Argv {
		argv[i] = strings.ReplaceAll(a, ConnectionFileArg, connFile)
		found = found || argv[i] != a
	}
	if !found {
		return fmt.Errorf("argv has no %s", ConnectionFileArg)
	}
	logf, err := os.Create(filepath.Join(k.dir, "kernel.log"))
	if err != nil {
		return err
	}
	defer logf.Close() // the child has its own copy
	if supervised {
		if k.cmd, k.pid, k.life, err = startSupervised(argv, k.opts.Dir, k.opts.Env, k.dir, k.opts.Memory, logf); err != nil {
			return err
		}
		k.group = k.cmd.Process.Pid
	} else {
		k.cmd = exec.Command(argv[0], argv[1:]...)
		k.cmd.Dir, k.cmd.Env = k.opts.Dir, k.opts.Env
		k.cmd.Stdout, k.cmd.Stderr = logf, logf
		if k.cmd.SysProcAttr, err = procAttr(); err != nil {
			k.cmd = nil
			return err
		}
		if err := k.cmd.Start(); err != nil {
			k.cmd = nil
			return err
		}
		k.pid, k.group = k.cmd.Process.Pid, k.cmd.Process.Pid
	}
	go func() {
		k.waitErr = k.cmd.Wait()
		close(k.exited)
	}()
	return nil
}

// connect dials the sockets and performs the kernel_info handshake.
func (k *Kernel) connect(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, k.opts.StartTimeout)
	defer cancel()
	k.ctx, k.cancel = context.WithCancel(context.Background())
	quiet := zmq4.WithLogger(log.New(io.Discard, "", 0))
	sockOpts := []zmq4.Option{quiet, zmq4.WithDialerRetry(100 * time.Millisecond),
		zmq4.WithDialerMaxRetries(-1), zmq4.WithTimeout(10 * time.Second)}
	k.shell = zmq4.NewDealer(k.ctx, sockOpts...)
	k.ctrl = zmq4.NewDealer(k.ctx, sockOpts...)
	k.iopub = zmq4.NewSub(k.ctx, sockOpts...)
	dialed := make(chan error, 1)
	go func() { dialed <- k.dial() }()
	select {
	case err := <-dialed:
		if err != nil {
			return err
		}
	case <-k.exited:
		return k.diedError("while starting")
	case <-ctx.Done():
		return fmt.Errorf("kernel did not listen within %v: %w", k.opts.StartTimeout, ctx.Err())
	}
	k.in = map[string]chan *Message{
		"shell": make(chan *Message, 64), "control": make(chan *Message, 16), "iopub": make(chan *Message, 1024),
	}
	go k.receive("shell", k.shell)
	go k.receive("control", k.ctrl)
	go k.receive("iopub", k.iopub)
	return k.handshake(ctx)
}

// dial connects the three sockets and subscribes iopub to everything.
func (k *Kernel) dial() error {
	if err := k.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		return fmt.Errorf("subscribe iopub: %w", err)
	}
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{{k.shell, k.conn.ShellPort}, {k.ctrl, k.conn.ControlPort}, {k.iopub, k.conn.IOPubPort}} {
		if err := s.sock.Dial(k.conn.endpoint(s.port)); err != nil {
			return err
		}
	}
	return nil
}

// receive decodes messages from sock and queues them on the channel's
// inbox until the socket closes. Messages that fail to decode are dropped;
// those with bad signatures are counted.
func (k *Kernel) receive(name string, sock zmq4.Socket) {
	for {
		zm, err := sock.Recv()
		if err != nil {
			return
		}
		m, err := Decode(zm.Frames, k.key)
		if err != nil { // forged, altered or garbled: never acted on
			if errors.Is(err, ErrBadSignature) {
				k.badSigs.Add(1)
			}
			continue
		}
		if k.opts.Observe != nil {
			k.opts.Observe(name, m)
		}
		select {
		case k.in[name] <- m:
		case <-k.ctx.Done():
			return
		}
	}
}

// handshake sends kernel_info_request until the reply has arrived and an
// iopub message for one of the requests shows the subscription is live.
func (k *Kernel) handshake(ctx context.Context) error {
	sent := map[string]bool{}
	gotReply, gotIOPub := false, false
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	send := func() error {
		m, err := k.send(k.shell, "kernel_info_request", struct{}{})
		if err == nil {
			sent[m.Header.MsgID] = true
		}
		return err
	}
	if err := send(); err != nil {
		return err
	}
	for !gotReply || !gotIOPub {
		select {
		case m := <-k.in["shell"]:
			if sent[m.ParentID()] && m.Type() == "kernel_info_reply" && !gotReply {
				gotReply = true
				if err := m.DecodeContent(&k.info); err != nil {
					return err
				}
			}
		case m := <-k.in["iopub"]:
			gotIOPub = gotIOPub || sent[m.ParentID()]
		case <-tick.C:
			if !gotIOPub {
				if err := send(); err != nil {
					return err
				}
			}
		case <-k.exited:
			return k.diedError("while starting")
		case <-ctx.Done():
			return fmt.Errorf("no kernel_info_reply within %v: %w", k.opts.StartTimeout, ctx.Err())
		}
	}
	return nil
}

// send builds a message in the kernel's session and sends it on sock.
func (k *Kernel) send(sock zmq4.Socket, msgType string, content any) (*Message, error) {
	m, err := NewMessage(k.session, msgType, content)
	if err != nil {
		return nil, err
	}
	frames, err := m.Encode(k.key)
	if err != nil {
		return nil, err
	}
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		return nil, fmt.Errorf("send %s: %w", msgType, err)
	}
	return m, nil
}

// Info returns the kernel's kernel_info_reply.
func (k *Kernel) Info() KernelInfo { return k.info }

// Pid returns the kernel's process id.
func (k *Kernel) Pid() int { return k.pid }

// Group returns the id of the process group of the kernel and its cells
// (the supervisor's, where one runs).
func (k *Kernel) Group() int { return k.group }

// BadSignatures counts received messages dropped for a bad signature.
func (k *Kernel) BadSignatures() int64 { return k.badSigs.Load() }

// Exited returns a channel closed once the kernel process has exited.
func (k *Kernel) Exited() <-chan struct{} { return k.exited }

// Log returns the last lines the kernel process wrote to stdout and stderr.
func (k *Kernel) Log(lines int) string {
	data, err := os.ReadFile(filepath.Join(k.dir, "kernel.log"))
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// diedError describes the exit of the kernel process, with the end of its
// log.
func (k *Kernel) diedError(when string) error {
	how := "exited"
	if k.waitErr != nil {
		how = k.waitErr.Error()
	}
	if r := k.killReason.Load(); r != nil {
		return fmt.Errorf("%w %s (killed: %s)", ErrKernelDied, when, *r)
	}
	if k.opts.Memory > 0 {
		how += ", out of memory? each of its processes may use " + formatSize(int(k.opts.Memory)) + ", set with -mem"
	}
	if tail := k.Log(5); tail != "" {
		return fmt.Errorf("%w %s (%s); last log lines:\n%s", ErrKernelDied, when, how, tail)
	}
	return fmt.Errorf("%w %s (%s)", ErrKernelDied, when, how)
}

// signalGroup sends sig to the kernel's whole process group.
func (k *Kernel) signalGroup(sig syscall.Signal) {
	if k.group > 0 {
		_ = killGroup(k.group, sig)
	}
}

// Kill kills the kernel and every process it or its cells started,
// recording why: the supervisor kills all below it and exits, or, without
// one, the process group is killed at once.
func (k *Kernel) Kill(reason string) {
	k.killReason.CompareAndSwap(nil, &reason)
	k.killAll()
}

// killAll stops the supervisor, which kills everything below it, or kills
// the process group.
func (k *Kernel) killAll() {
	if k.life == nil {
		k.signalGroup(syscall.SIGKILL)
		return
	}
	k.lifeMu.Lock()
	defer k.lifeMu.Unlock()
	if !k.lifeClosed {
		_, _ = k.life.WriteString(stopSupervisor)
		_ = k.life.Close()
		k.lifeClosed = true
	}
}

// endCell kills the processes a cell left running (those the supervisor
// inherited, the kernel excepted) and returns their names.
func (k *Kernel) endCell() []string {
	if k.life == nil || k.hasExited() {
		return nil
	}
	return killOrphans(k.group, k.pid, 5*time.Second)
}

// Close shuts the kernel down: shutdown_request on the control channel,
// then, after ShutdownGrace, kills the kernel and whatever it started (the
// supervisor kills everything below it; without one, SIGKILL goes to the
// process group), and waits for the process. It removes the kernel's
// folder with the connection file. Safe to call more than once and
// concurrently.
func (k *Kernel) Close() error {
	k.closeOnce.Do(func() { k.closeErr = k.close() })
	return k.closeErr
}

// close does the work of Close.
func (k *Kernel) close() error {
	if k.cmd != nil {
		if k.ctrl != nil && !k.hasExited() {
			_, _ = k.send(k.ctrl, "shutdown_request", map[string]bool{"restart": false})
			select {
			case <-k.exited:
			case <-time.After(k.opts.ShutdownGrace):
			}
		}
		// Processes may outlive the kernel (a cell's program, a build,
		// a daemon): kill them in every case.
		k.killAll()
		<-k.exited
		waitGroupGone(k.group, 5*time.Second)
	}
	if k.cancel != nil {
		k.cancel()
		for _, s := range []zmq4.Socket{k.shell, k.ctrl, k.iopub} {
			_ = s.Close()
		}
	}
	if k.dir != "" {
		return os.RemoveAll(k.dir)
	}
	return nil
}

// hasExited reports whether the process has been waited for.
func (k *Kernel) hasExited() bool {
	select {
	case <-k.exited:
		return true
	default:
		return false
	}
}

// waitGroupGone polls until no live process is left in group pgid, or
// the timeout passes, killing stragglers again on the way.
func waitGroupGone(pgid int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for len(GroupMembers(pgid)) > 0 && time.Now().Before(deadline) {
		_ = killGroup(pgid, syscall.SIGKILL)
		time.Sleep(20 * time.Millisecond)
	}
}

// sigInterrupt is what Jupyter sends a kernel to interrupt a cell.
const sigInterrupt = syscall.SIGINT
