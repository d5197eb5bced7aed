// Package toolchain builds the tools a lenslog kernel needs (GoNB,
// goimports and, for completion, gopls) from the versions go.mod pins, and
// writes the Jupyter kernelspec that starts GoNB with them: what `kernel
// install` registers and what `kernel run` and `report` start.
package toolchain

import (
	"bytes"
	"context"
	"crypto/rand"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
)

const (
	// modulePath identifies this repository's go.mod.
	modulePath = "github.com/lenslog/lenslog"
	// KernelName and KernelDisplayName are what Jupyter shows.
	KernelName        = "lenslog"
	KernelDisplayName = "Go (lenslog)"
	// The kernel -redact registers beside the plain one: notebooks opened
	// with it load every log redacted (LENSLOG_REDACT=1).
	RedactedKernelName        = "lenslog-redacted"
	RedactedKernelDisplayName = "Go (lenslog, redacted)"
	// GoplsVersion is the newest gopls that builds with Go 1.26.
	GoplsVersion = "v0.23.0"
)

// toolPackages are built from the versions pinned in go.mod, by binary name.
var toolPackages = []struct{ name, pkg string }{
	{"gonb", "github.com/janpfeifer/gonb"},
	{"goimports", "golang.org/x/tools/cmd/goimports"},
}

// tools is the result of Ensure: where things are.
type Tools struct {
	Root  string // repository root (holds go.mod)
	Bin   string // folder with gonb and goimports
	GoBin string // folder with the go command
	Built bool   // whether this call (re)built anything
}

// Gonb returns the path of the GoNB binary.
func (t *Tools) Gonb() string { return filepath.Join(t.Bin, "gonb") }

// KernelArgv is how a GoNB kernel is started, by Jupyter (the installed
// kernel.json) or by the runner: with plain-text errors, and with a
// go.work that uses this repository, so that a notebook's cells import
// lenslog's packages at the versions its go.mod pins, and need no setup
// cell of their own.
func (t *Tools) KernelArgv(connectionFile string) []string {
	return []string{t.Gonb(), "--kernel", connectionFile, "--raw_error", "--go_work=" + t.Root}
}

// GoplsDir is where -gopls puts gopls: apart from gonb and goimports, so
// that headless runs, whose PATH has only t.Bin, never start it (GoNB
// starts gopls in a process group of its own, which a runner cannot reap).
func (t *Tools) GoplsDir() string { return filepath.Join(filepath.Dir(t.Bin), "gopls") }

// Ensure builds gonb and goimports into dir (default <repo>/.tools/bin)
// unless the binaries there were already built by the current Go from the
// module versions pinned in go.mod. Build output goes to log.
func Ensure(ctx context.Context, dir string, log io.Writer) (*Tools, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("the go command is not on PATH: install Go 1.26 or later and add its bin folder to PATH")
	}
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	t := &Tools{Root: root, Bin: dir, GoBin: filepath.Dir(goCmd)}
	if t.Bin == "" {
		t.Bin = filepath.Join(root, ".tools", "bin")
	}
	if t.Bin, err = filepath.Abs(t.Bin); err != nil {
		return nil, err
	}
	goVersion, err := goEnv(ctx, root, "GOVERSION")
	if err != nil {
		return nil, err
	}
	reqs, err := requiredVersions(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	var pkgs []string
	stale := false
	for _, p := range toolPackages {
		pkgs = append(pkgs, p.pkg)
		stale = stale || !UpToDate(filepath.Join(t.Bin, p.name), p.pkg, goVersion, reqs)
	}
	if !stale {
		return t, nil
	}
	fmt.Fprintf(log, "building gonb and goimports into %s (the first time takes a minute or two)...\n", t.Bin)
	args := append([]string{"build", "-o", t.Bin + string(filepath.Separator)}, pkgs...)
	if err := goRun(ctx, root, nil, log, args...); err != nil {
		return nil, fmt.Errorf("build tools: %w", err)
	}
	t.Built = true
	return t, nil
}

// EnsureGopls installs gopls into t.GoplsDir() unless it is there already,
// built by the current Go at GoplsVersion.
func EnsureGopls(ctx context.Context, t *Tools, log io.Writer) (bool, error) {
	goVersion, err := goEnv(ctx, t.Root, "GOVERSION")
	if err != nil {
		return false, err
	}
	bin := filepath.Join(t.GoplsDir(), "gopls")
	if bi, err := buildinfo.ReadFile(bin); err == nil && bi.GoVersion == goVersion && bi.Main.Version == GoplsVersion {
		return false, nil
	}
	fmt.Fprintf(log, "building gopls %s into %s (takes a few minutes)...\n", GoplsVersion, t.GoplsDir())
	env := []string{"GOBIN=" + t.GoplsDir(), "GOFLAGS=-mod=mod"}
	if err := goRun(ctx, t.Root, env, log, "install", "golang.org/x/tools/gopls@"+GoplsVersion); err != nil {
		return false, fmt.Errorf("build gopls %s (only needed for completion; install without -gopls to skip it): %w", GoplsVersion, err)
	}
	return true, nil
}

// RepoRoot finds the folder of this repository's go.mod, from the current
// folder upwards.
func RepoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modfile.ModulePath(data) == modulePath {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("not inside the lenslog repository: no go.mod for %s in %s or above; run this from the repository", modulePath, wd)
		}
	}
}

// requiredVersions reads the module versions go.mod requires.
func requiredVersions(gomod string) (map[string]string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return nil, err
	}
	f, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return nil, err
	}
	reqs := map[string]string{}
	for _, r := range f.Require {
		reqs[r.Mod.Path] = r.Mod.Version
	}
	return reqs, nil
}

// UpToDate reports whether bin exists and was built from pkg by goVersion
// with every dependency at the version go.mod requires.
func UpToDate(bin, pkg, goVersion string, reqs map[string]string) bool {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil || bi.GoVersion != goVersion || bi.Path != pkg {
		return false
	}
	for _, d := range bi.Deps {
		if d.Replace != nil {
			return false
		}
		if want, ok := reqs[d.Path]; ok && want != d.Version {
			return false
		}
	}
	return true
}

// goEnv returns one variable of `go env`.
func goEnv(ctx context.Context, dir, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// goRun runs the go command in dir with extra environment, its output to log.
func goRun(ctx context.Context, dir string, env []string, log io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), env...) // this process's environment, passed on, with env
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// KernelspecDir returns where the kernelspec goes: under prefix if given,
// else in the user's Jupyter data folder (JUPYTER_DATA_DIR, else the
// platform's default, as Jupyter itself computes it), with the variables
// getenv gives (the command passes os.Getenv).
func KernelspecDir(prefix string, getenv func(string) string) (string, error) {
	if prefix != "" {
		abs, err := filepath.Abs(prefix)
		return filepath.Join(abs, "share", "jupyter", "kernels", KernelName), err
	}
	data, err := jupyterDataDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(data, "kernels", KernelName), nil
}

// jupyterDataDir returns the user's Jupyter data folder.
func jupyterDataDir(getenv func(string) string) (string, error) {
	if d := getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Jupyter data folder: %w (set JUPYTER_DATA_DIR)", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		return filepath.Join(getenv("APPDATA"), "jupyter"), nil
	}
	if x := getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// kernelSpec is the kernel.json Jupyter reads.
type kernelSpec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Env           map[string]string `json:"env"`
	InterruptMode string            `json:"interrupt_mode"`
	Language      string            `json:"language"`
}

// WriteKernelSpec writes dir/kernel.json for GoNB from t, and reports
// whether its content changed. The kernel's PATH and GOFLAGS extend
// those getenv gives (the command passes os.Getenv).
func WriteKernelSpec(dir string, t *Tools, withGopls bool, getenv func(string) string) (bool, error) {
	return saveKernelSpec(dir, newKernelSpec(t, withGopls, KernelDisplayName, getenv))
}

// WriteRedactedKernelSpec registers the redacting kernel in dir. Its
// pseudonym key is made once and kept, so pseudonyms stay the same across
// sessions and a second install changes nothing.
func WriteRedactedKernelSpec(dir string, t *Tools, withGopls bool, getenv func(string) string) (bool, error) {
	spec := newKernelSpec(t, withGopls, RedactedKernelDisplayName, getenv)
	key := ""
	if old, err := os.ReadFile(filepath.Join(dir, "kernel.json")); err == nil {
		var prev kernelSpec
		if json.Unmarshal(old, &prev) == nil {
			key = prev.Env["LENSLOG_REDACT_KEY"]
		}
	}
	if key == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return false, fmt.Errorf("make a redaction key: %w", err)
		}
		key = hex.EncodeToString(b)
	}
	spec.Env["LENSLOG_REDACT"] = "1"
	spec.Env["LENSLOG_REDACT_KEY"] = key
	changed, err := saveKernelSpec(dir, spec)
	if err != nil {
		return changed, err
	}
	// The key reverses every pseudonym by trial: only its owner reads it.
	return changed, os.Chmod(filepath.Join(dir, "kernel.json"), 0o600)
}

// newKernelSpec describes a GoNB kernel with the PATH it needs.
func newKernelSpec(t *Tools, withGopls bool, display string, getenv func(string) string) kernelSpec {
	path := []string{t.Bin}
	if withGopls {
		path = append(path, t.GoplsDir())
	}
	path = append(path, t.GoBin, getenv("PATH"))
	return kernelSpec{
		Argv:          append(t.KernelArgv("{connection_file}"), "--logtostderr"),
		DisplayName:   display,
		Env:           map[string]string{"PATH": JoinPath(path...), "GOFLAGS": CellGoflags(getenv("GOFLAGS"))},
		InterruptMode: "message",
		Language:      "go",
	}
}

// saveKernelSpec writes spec as dir/kernel.json unless it is there already,
// and reports whether it wrote.
func saveKernelSpec(dir string, spec kernelSpec) (bool, error) {
	data, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		return false, err
	}
	data = append(data, '\n')
	file := filepath.Join(dir, "kernel.json")
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("register kernel: %w", err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return false, fmt.Errorf("register kernel: %w", err)
	}
	return true, nil
}

// JoinPath joins PATH lists, dropping empty and repeated entries.
func JoinPath(lists ...string) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, d := range filepath.SplitList(l) {
			if d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, string(os.PathListSeparator))
}
