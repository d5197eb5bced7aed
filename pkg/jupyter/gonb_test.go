package jupyter

import (
	"context"
	"errors"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// These tests run fixture notebooks on the real GoNB, built from the
// versions pinned in go.mod. They take a while (a cold build of GoNB is
// over a minute), so -short skips them.

var tools struct {
	once sync.Once
	dir  string
	err  error
}

// toolsDir builds gonb and goimports once per test binary and returns the
// folder holding them.
func toolsDir(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the real GoNB kernel; skipped with -short")
	}
	tools.once.Do(func() {
		tools.dir, tools.err = os.MkdirTemp("", "lenslog-jupyter-test-tools-")
		if tools.err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", tools.dir+string(filepath.Separator),
			"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			tools.err = fmt.Errorf("build gonb: %v\n%s", err, out)
		}
	})
	if tools.err != nil {
		t.Fatal(tools.err)
	}
	return tools.dir
}

func TestMain(m *testing.M) {
	if code, ok := Supervise(os.LookupEnv, os.Environ(), os.Args[1:]); ok { // Start re-runs this binary as the kernel's supervisor
		os.Exit(code)
	}
	code := m.Run()
	if tools.dir != "" {
		os.RemoveAll(tools.dir)
	}
	os.Exit(code)
}

// kernelEnv returns an environment where GoNB finds go and goimports but
// no gopls, with its temporary files under tmp.
func kernelEnv(toolsDir, tmp string) []string {
	goBin := filepath.Join(build.Default.GOROOT, "bin")
	if p, err := exec.LookPath("go"); err == nil {
		goBin = filepath.Dir(p)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "TMPDIR=") {
			env = append(env, kv)
		}
	}
	return append(env, "PATH="+toolsDir+string(os.PathListSeparator)+goBin+string(os.PathListSeparator)+"/usr/bin:/bin",
		"TMPDIR="+tmp)
}

// startGoNB starts GoNB in testdata and makes sure that, at the end of the
// test, it is closed and no process of its group is left.
func startGoNB(t *testing.T, opts Options) *Kernel {
	t.Helper()
	dir := toolsDir(t)
	opts.Argv = []string{filepath.Join(dir, "gonb"), "--kernel", ConnectionFileArg, "--raw_error"}
	opts.Dir = "testdata"
	opts.Env = kernelEnv(dir, t.TempDir())
	k, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	pgid := k.Group()
	t.Cleanup(func() {
		if err := k.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if left := GroupMembers(pgid); len(left) > 0 {
			t.Errorf("processes of the kernel's group left behind: %v", left)
		}
	})
	return k
}

// readFixture reads testdata/name.
func readFixture(t *testing.T, name string) *ipynb.Notebook {
	t.Helper()
	nb, err := ipynb.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// outputText concatenates a cell's stream text and text/* data.
func outputText(c *ipynb.Cell) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		b.WriteString(o.Text)
		for _, mime := range []string{"text/plain", "text/html", "text/markdown"} {
			if s, ok := o.DataText(mime); ok {
				b.WriteString(s)
			}
		}
		b.WriteString(strings.Join(o.Traceback, "\n"))
	}
	return b.String()
}

func TestGoNBDisplay(t *testing.T) {
	k := startGoNB(t, Options{})
	if got := k.Info().LanguageInfo.Name; got != "go" {
		t.Errorf("language = %q, want go", got)
	}
	nb := readFixture(t, "display.ipynb")
	start := time.Now()
	if err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 5 * time.Minute}); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("display.ipynb ran in %v", time.Since(start))

	// GoNB copies stdout and stderr separately: their order may vary.
	streams := map[string]string{}
	for _, o := range nb.Cells[2].Outputs {
		if o.Type != ipynb.Stream {
			t.Errorf("cell 3: unexpected %s output", o.Type)
		}
		streams[o.Name] += o.Text
	}
	want := map[string]string{"stdout": "hello from gonb\n", "stderr": "to stderr\n"}
	if fmt.Sprint(streams) != fmt.Sprint(want) || len(nb.Cells[2].Outputs) != 2 {
		t.Errorf("cell 3 streams = %q, want %q in two outputs", streams, want)
	}

	mimes := map[string]string{}
	for _, o := range nb.Cells[3].Outputs {
		for m := range o.Data {
			s, _ := o.DataText(m)
			mimes[m] = s
		}
	}
	if png := mimes["image/png"]; !strings.HasPrefix(png, "iVBORw0KGgo") {
		t.Errorf("no base64 PNG in cell 4: %q", png)
	}
	if !strings.Contains(mimes["text/html"], `<td align="right">42</td>`) {
		t.Errorf("cell 4 HTML = %q", mimes["text/html"])
	}
	if mimes["text/markdown"] != "**bold** markdown" {
		t.Errorf("cell 4 markdown = %q", mimes["text/markdown"])
	}

	upd := nb.Cells[4].Outputs
	if len(upd) != 1 || !strings.Contains(fmt.Sprint(upd[0].Data), "step 3") {
		t.Errorf("cell 5: want one display showing step 3, got %+v", upd)
	}
	last := 0
	for i, c := range nb.Cells {
		if c.Type != ipynb.Code {
			continue
		}
		if c.ExecutionCount == nil || *c.ExecutionCount <= last {
			t.Errorf("cell %d: execution count %v, want > %d", i+1, c.ExecutionCount, last)
			continue
		}
		last = *c.ExecutionCount
	}
}

func TestGoNBCellErrors(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string
		cell     int
		message  []string // substrings of the reported error
		outputs  []string // substrings of the failing cell's outputs
		notRunAt int      // a later cell that must not have run; 0 for none
	}{
		{"compile error", "compile_error.ipynb", 2, []string{"undefinedVariable"}, []string{"undefinedVariable"}, 3},
		{"runtime panic", "panic.ipynb", 1, []string{"exit status"}, []string{"about to panic", "index out of range"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := startGoNB(t, Options{})
			nb := readFixture(t, tt.fixture)
			err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 5 * time.Minute})
			var ce *CellError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *CellError", err)
			}
			if ce.Cell != tt.cell {
				t.Errorf("failed cell = %d, want %d (%v)", ce.Cell, tt.cell, err)
			}
			for _, s := range tt.message {
				if !strings.Contains(ce.Message(), s) {
					t.Errorf("message %q lacks %q", ce.Message(), s)
				}
			}
			out := outputText(nb.Cells[tt.cell-1])
			for _, s := range tt.outputs {
				if !strings.Contains(out, s) {
					t.Errorf("outputs %q lack %q", out, s)
				}
			}
			if n := tt.notRunAt; n > 0 && (nb.Cells[n-1].ExecutionCount != nil || len(nb.Cells[n-1].Outputs) > 0) {
				t.Errorf("cell %d ran after the failure", n)
			}
		})
	}
}

// warmUp runs a trivial cell without a time limit, so that a cold Go
// cache does not eat into a timeout under test.
func warmUp(t *testing.T, k *Kernel) {
	t.Helper()
	if res, err := k.Execute(context.Background(), "%%\nfmt.Println(1)"); err != nil || res.Status != "ok" {
		t.Fatalf("warm-up cell: %+v %v", res, err)
	}
}

func TestGoNBTimeoutInterrupts(t *testing.T) {
	k := startGoNB(t, Options{InterruptGrace: 10 * time.Second})
	warmUp(t, k)
	nb := readFixture(t, "loop.ipynb")
	start := time.Now()
	err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 10 * time.Second})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if errors.Is(err, ErrKernelDied) {
		t.Errorf("err = %v: the interrupt should have stopped the loop without killing the kernel", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v to time out", d)
	}
	if out := outputText(nb.Cells[0]); !strings.Contains(out, "looping") {
		t.Errorf("outputs before the timeout lost: %q", out)
	}
	// The kernel survived and runs the next cell.
	res, err := k.Execute(context.Background(), "%%\nfmt.Println(\"alive\")")
	if err != nil || res.Status != "ok" || len(res.Outputs) == 0 || res.Outputs[0].Text != "alive\n" {
		t.Errorf("after interrupt: %+v, %v", res, err)
	}
}

func TestGoNBTimeoutKills(t *testing.T) {
	k := startGoNB(t, Options{InterruptGrace: time.Second})
	warmUp(t, k)
	nb := readFixture(t, "stubborn.ipynb")
	err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 10 * time.Second})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrKernelDied) {
		t.Fatalf("err = %v, want a timeout that killed the kernel", err)
	}
	if !strings.Contains(err.Error(), "did not stop") {
		t.Errorf("err = %v, want it to say the cell did not stop", err)
	}
	if left := GroupMembers(k.Group()); len(left) > 0 {
		t.Errorf("kernel killed but processes left: %v", left)
	}
	if _, err := k.Execute(context.Background(), "%%\n"); !errors.Is(err, ErrKernelDied) {
		t.Errorf("execute on a killed kernel: %v, want ErrKernelDied", err)
	}
}

func TestGoNBKilledMidCell(t *testing.T) {
	var once sync.Once
	var k *Kernel
	ready := make(chan struct{})
	k = startGoNB(t, Options{Observe: func(ch string, m *Message) {
		if ch == "iopub" && m.Type() == "stream" && strings.Contains(string(m.Content), "sleeping") {
			once.Do(func() { close(ready) })
		}
	}})
	go func() {
		<-ready
		syscall.Kill(k.Pid(), syscall.SIGKILL) // the kernel only, not its group
	}()
	nb := readFixture(t, "sleep.ipynb")
	start := time.Now()
	err := RunNotebook(context.Background(), k, nb, RunOptions{CellTimeout: 5 * time.Minute})
	if !errors.Is(err, ErrKernelDied) {
		t.Fatalf("err = %v, want ErrKernelDied", err)
	}
	if d := time.Since(start); d > 50*time.Second {
		t.Errorf("took %v to notice the dead kernel", d)
	}
	var ce *CellError
	if !errors.As(err, &ce) || ce.Cell != 1 {
		t.Errorf("err = %v, want a CellError for cell 1", err)
	}
}
