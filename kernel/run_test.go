package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/internal/toolchain"
	"github.com/lenslog/lenslog/pkg/ipynb"
)

// fixtures holds small notebooks shared with pkg/jupyter's tests.
var fixtures = filepath.Join("..", "pkg", "jupyter", "testdata")

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

func TestKernelEnv(t *testing.T) {
	withGopls := t.TempDir()
	if err := os.WriteFile(filepath.Join(withGopls, "gopls"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", "/usr/bin:"+withGopls+":/bin")
	t.Setenv("LENSLOG_REDACT", "stale")
	t.Setenv("GOFLAGS", "-mod=mod")
	tl := &toolchain.Tools{Bin: "/r/.tools/bin", GoBin: "/go/bin"}
	tests := []struct {
		name string
		key  string
	}{
		{"plain", ""},
		{"redact", "00ff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := kernelEnv(tl, "/tmp/run1", tt.key)
			if err != nil {
				t.Fatal(err)
			}
			m := envMap(env)
			if m["PATH"] != "/r/.tools/bin:/go/bin:/usr/bin:/bin" {
				t.Errorf("PATH = %q: want tools and go first, no folder with gopls", m["PATH"])
			}
			if m["TMPDIR"] != "/tmp/run1" {
				t.Errorf("TMPDIR = %q", m["TMPDIR"])
			}
			if m["GOFLAGS"] != "-mod=mod -ldflags=-s -tags=netgo,osusergo" {
				t.Errorf("GOFLAGS = %q: want the user's and the cells' build flags", m["GOFLAGS"])
			}
			if tt.key == "" {
				if _, ok := m["LENSLOG_REDACT"]; ok {
					t.Errorf("LENSLOG_REDACT leaked from the environment without -redact")
				}
				return
			}
			if m["LENSLOG_REDACT"] != "1" || m["LENSLOG_REDACT_KEY"] != tt.key {
				t.Errorf("redaction env = %q, %q; want 1, %q", m["LENSLOG_REDACT"], m["LENSLOG_REDACT_KEY"], tt.key)
			}
		})
	}
}

// TestKernelEnvTokenFile: the apitokens.json of the folder kernel runs in
// reaches the notebooks as $LENSLOG_TOKEN_FILE (they read no token file by
// themselves), unless a token is set otherwise.
func TestKernelEnvTokenFile(t *testing.T) {
	tl := &toolchain.Tools{Bin: "/r/.tools/bin", GoBin: "/go/bin"}
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("CRYPTOLENS_TOKEN", "")
	t.Setenv("LENSLOG_TOKEN_FILE", "")
	tokenFile := func() string {
		env, err := kernelEnv(tl, "/tmp/run1", "")
		if err != nil {
			t.Fatal(err)
		}
		return envMap(env)["LENSLOG_TOKEN_FILE"]
	}
	if f := tokenFile(); f != "" {
		t.Errorf("no apitokens.json, yet LENSLOG_TOKEN_FILE=%q", f)
	}
	if err := os.WriteFile("apitokens.json", []byte(`{"token":"x"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if f := tokenFile(); f != filepath.Join(dir, "apitokens.json") {
		t.Errorf("LENSLOG_TOKEN_FILE=%q, want the working directory's apitokens.json", f)
	}
	t.Setenv("CRYPTOLENS_TOKEN", "set")
	if f := tokenFile(); f != "" {
		t.Errorf("with $CRYPTOLENS_TOKEN set, LENSLOG_TOKEN_FILE=%q", f)
	}
}

// TestNewRedactKey: one fresh key per run (so every notebook of a report
// shares it), none without -redact.
func runKernel(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the real GoNB kernel (and may build it); skipped with -short")
	}
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := runMain(context.Background(), args, &stdout, &stderr)
	t.Logf("kernel %s: exit %d in %v", strings.Join(args, " "), code, time.Since(start))
	return code, stdout.String(), stderr.String()
}

// gonbProcesses lists the live processes of the repo's gonb that this test
// process started (its descendants): other packages' tests may run gonb at
// the same time, and theirs are not this test's leftovers.
func gonbProcesses(t *testing.T) []string {
	t.Helper()
	root, err := toolchain.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	gonb := filepath.Join(root, ".tools", "bin", "gonb")
	entries, _ := os.ReadDir("/proc")
	var found []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || exe != gonb {
			continue
		}
		if _, state := procParent(e.Name()); state != "Z" && descendsFrom(e.Name(), os.Getpid()) {
			found = append(found, e.Name())
		}
	}
	return found
}

// descendsFrom reports whether process pid runs below ancestor (gonb runs
// under the runner's supervisor, a child of this process).
func descendsFrom(pid string, ancestor int) bool {
	for p, _ := procParent(pid); p > 1; p, _ = procParent(strconv.Itoa(p)) {
		if p == ancestor {
			return true
		}
	}
	return false
}

// procParent reads a process's parent pid and state from /proc/PID/stat.
func procParent(pid string) (int, string) {
	data, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0, ""
	}
	// pid (comm) state ppid ...: comm may hold spaces, so split after ")".
	rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
	fields := strings.Fields(rest)
	if len(fields) < 2 {
		return 0, ""
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid, fields[0]
}

func TestRunCommand(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runKernel(t, "run", "-out", out, "-timeout", "2m",
		filepath.Join(fixtures, "display.ipynb"), filepath.Join(fixtures, "compile_error.ipynb"))
	if code != 1 {
		t.Errorf("exit code %d, want 1 (one notebook fails)", code)
	}
	for _, want := range []string{
		"display.ipynb: cell 3 (code 2/4)",
		"ok   " + filepath.Join(fixtures, "display.ipynb"),
		"FAIL " + filepath.Join(fixtures, "compile_error.ipynb") + ": cell 2 failed",
		"    | fmt.Println(undefinedVariable)",
		"undefined: undefinedVariable",
		"1 of 2 notebooks failed",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, name := range []string{"display.ipynb", "compile_error.ipynb"} {
		path := filepath.Join(out, name)
		if !strings.Contains(stdout, path) {
			t.Errorf("stdout does not list %s: %q", path, stdout)
		}
		nb, err := ipynb.ReadFile(path)
		if err != nil {
			t.Fatalf("executed notebook: %v", err)
		}
		if nb.Metadata.KernelSpec == nil || nb.Metadata.KernelSpec.Name != "lenslog" || nb.Metadata.LanguageInfo == nil {
			t.Errorf("%s metadata = %+v", name, nb.Metadata)
		}
	}
	failed, _ := ipynb.ReadFile(filepath.Join(out, "compile_error.ipynb"))
	if len(failed.Cells[0].Outputs) == 0 || len(failed.Cells[1].Outputs) == 0 || failed.Cells[2].ExecutionCount != nil {
		t.Errorf("failed notebook should keep outputs up to the failing cell and no more: %+v", failed.Cells)
	}
	if left := gonbProcesses(t); len(left) > 0 {
		t.Errorf("gonb processes left running: %v", left)
	}
}

func TestRunRedact(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"default", nil, `redact="" key=0 tmp=true`},
		{"redact", []string{"-redact"}, `redact="1" key=64 tmp=true`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			args := append(append([]string{"run", "-out", out}, tt.args...), filepath.Join(fixtures, "env.ipynb"))
			if code, _, stderr := runKernel(t, args...); code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			nb, err := ipynb.ReadFile(filepath.Join(out, "env.ipynb"))
			if err != nil {
				t.Fatal(err)
			}
			if got := nb.Cells[1].Outputs[0].Text; strings.TrimSpace(got) != tt.want {
				t.Errorf("cell printed %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReportCommand(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runKernel(t, "report", "-out", out, "-timeout", "2m",
		filepath.Join(fixtures, "display.ipynb"), filepath.Join(fixtures, "panic.ipynb"))
	if code != 1 || !strings.Contains(stderr, "1 of 2 notebooks failed") {
		t.Errorf("exit %d, want 1 with the failure counted; stderr:\n%s", code, stderr)
	}
	index := filepath.Join(out, "index.html")
	if got := strings.TrimSpace(stdout); got != index {
		t.Errorf("stdout = %q, want the index path %q", got, index)
	}
	for _, f := range []string{"display.ipynb", "display.html", "panic.ipynb", "panic.html", "index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	read := func(name string) string {
		data, _ := os.ReadFile(filepath.Join(out, name))
		return string(data)
	}
	checks := []struct{ file, want string }{
		{"index.html", `<a href="display.html">Display fixture</a>`},
		{"index.html", "failed at cell 1"},
		{"index.html", "index out of range"},
		{"display.html", `<img src="data:image/png;base64,`},
		{"display.html", `<td align="right">42</td>`},
		{"display.html", "<strong>bold</strong> markdown"},
		{"display.html", "<b>step 3</b>"},
		{"panic.html", "Run stopped at"},
		{"panic.html", "about to panic"},
	}
	for _, c := range checks {
		if !strings.Contains(read(c.file), c.want) {
			t.Errorf("%s lacks %q", c.file, c.want)
		}
	}
	if left := gonbProcesses(t); len(left) > 0 {
		t.Errorf("gonb processes left running: %v", left)
	}
}
