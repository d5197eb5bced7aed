package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestJoinPath(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"plain", []string{"/a", "/b:/c"}, "/a:/b:/c"},
		{"duplicates and empties dropped", []string{"/a", "", "/b::/a", "/b"}, "/a:/b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := joinPath(tt.in...); got != tt.want {
				t.Errorf("joinPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestKernelspecDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	tests := []struct {
		name, prefix, dataDir, xdg, want string
	}{
		{"prefix", "/opt/x", "/ignored", "", "/opt/x/share/jupyter/kernels/lenslog"},
		{"JUPYTER_DATA_DIR", "", "/data/j", "/ignored", "/data/j/kernels/lenslog"},
		{"XDG_DATA_HOME", "", "", "/xdg", "/xdg/jupyter/kernels/lenslog"},
		{"default", "", "", "", filepath.Join(home, ".local/share/jupyter/kernels/lenslog")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("JUPYTER_DATA_DIR", tt.dataDir)
			t.Setenv("XDG_DATA_HOME", tt.xdg)
			got, err := kernelspecDir(tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("kernelspecDir(%q) = %q, want %q", tt.prefix, got, tt.want)
			}
		})
	}
}

func TestWriteKernelSpecIdempotent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kernels", "lenslog")
	tl := &tools{root: "/repo", bin: "/repo/.tools/bin", goBin: "/usr/local/go/bin"}
	t.Setenv("PATH", "/usr/bin:/usr/local/go/bin")
	for i, want := range []bool{true, false} {
		changed, err := writeKernelSpec(dir, tl, false)
		if err != nil {
			t.Fatal(err)
		}
		if changed != want {
			t.Errorf("write %d: changed = %v, want %v", i+1, changed, want)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	argv := spec["argv"].([]any)
	if argv[0] != "/repo/.tools/bin/gonb" || argv[1] != "--kernel" || argv[2] != "{connection_file}" || argv[3] != "--raw_error" {
		t.Errorf("argv = %v", argv)
	}
	if !slices.Contains(argv, any("--go_work=/repo")) {
		t.Errorf("argv = %v, want --go_work=/repo: notebooks have no setup cell of their own", argv)
	}
	if spec["display_name"] != "Go (lenslog)" || spec["language"] != "go" {
		t.Errorf("spec = %v", spec)
	}
	if p := spec["env"].(map[string]any)["PATH"]; p != "/repo/.tools/bin:/usr/local/go/bin:/usr/bin" {
		t.Errorf("PATH = %v, want tools, go, then the rest without repeats", p)
	}
	if changed, _ := writeKernelSpec(dir, tl, true); !changed {
		t.Errorf("adding gopls did not change kernel.json")
	}
}

func TestWriteRedactedKernelSpec(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kernels", redactedKernelName)
	tl := &tools{bin: "/repo/.tools/bin", goBin: "/usr/local/go/bin"}
	read := func() kernelSpec {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
		if err != nil {
			t.Fatal(err)
		}
		var spec kernelSpec
		if err := json.Unmarshal(data, &spec); err != nil {
			t.Fatal(err)
		}
		return spec
	}
	if changed, err := writeRedactedKernelSpec(dir, tl, false); err != nil || !changed {
		t.Fatalf("first write: changed %v, err %v", changed, err)
	}
	first := read()
	if fi, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("kernel.json holds the redaction key: want mode 0600, got %v", fi.Mode().Perm())
	}
	if first.Env["LENSLOG_REDACT"] != "1" || len(first.Env["LENSLOG_REDACT_KEY"]) != 32 {
		t.Errorf("env = %v, want LENSLOG_REDACT=1 and a 16-byte hex key", first.Env)
	}
	if first.Env["GOFLAGS"] != cellGoflags(os.Getenv("GOFLAGS")) || !strings.Contains(first.Env["GOFLAGS"], "-ldflags=") {
		t.Errorf("GOFLAGS = %q, want the cells' link flags", first.Env["GOFLAGS"])
	}
	if first.DisplayName != redactedKernelDisplayName {
		t.Errorf("display name %q", first.DisplayName)
	}
	if changed, err := writeRedactedKernelSpec(dir, tl, false); err != nil || changed {
		t.Errorf("second write: changed %v, err %v; want no change (the key is kept)", changed, err)
	}
	if read().Env["LENSLOG_REDACT_KEY"] != first.Env["LENSLOG_REDACT_KEY"] {
		t.Error("the redaction key changed between installs")
	}
}

func TestUpToDate(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bi, err := buildinfo.ReadFile(self)
	if err != nil {
		t.Skipf("no build info in the test binary: %v", err)
	}
	reqs := map[string]string{}
	for _, d := range bi.Deps {
		reqs[d.Path] = d.Version
	}
	stale := map[string]string{}
	for k, v := range reqs {
		stale[k] = v
	}
	dep := "golang.org/x/mod"
	stale[dep] = "v0.0.1"
	if reqs[dep] == "" {
		t.Fatalf("test binary does not depend on %s", dep)
	}
	tests := []struct {
		name, bin, pkg, goVersion string
		reqs                      map[string]string
		want                      bool
	}{
		{"same versions", self, bi.Path, bi.GoVersion, reqs, true},
		{"missing binary", filepath.Join(t.TempDir(), "gonb"), bi.Path, bi.GoVersion, reqs, false},
		{"other Go", self, bi.Path, "go1.0", reqs, false},
		{"other package", self, "github.com/janpfeifer/gonb", bi.GoVersion, reqs, false},
		{"dependency moved in go.mod", self, bi.Path, bi.GoVersion, stale, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := upToDate(tt.bin, tt.pkg, tt.goVersion, tt.reqs); got != tt.want {
				t.Errorf("upToDate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRepoRoot(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "kernel", "main.go")); err != nil {
		t.Errorf("repoRoot() = %s, not the repository: %v", root, err)
	}
	t.Chdir(t.TempDir())
	if _, err := repoRoot(); err == nil || !strings.Contains(err.Error(), "not inside the lenslog repository") {
		t.Errorf("outside the repo: err = %v", err)
	}
}

func TestInstallPrerequisites(t *testing.T) {
	t.Run("go missing", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := ensureTools(context.Background(), "", &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "go command is not on PATH") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("outside the repo", func(t *testing.T) {
		t.Chdir(t.TempDir())
		var stderr bytes.Buffer
		code := runMain(context.Background(), []string{"install"}, &bytes.Buffer{}, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "not inside the lenslog repository") {
			t.Errorf("exit %d, stderr %q", code, stderr.String())
		}
	})
}

func TestCommandUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"install extra args", []string{"install", "x"}, "unexpected arguments"},
		{"install user and prefix", []string{"install", "-user", "-prefix", "/x"}, "exclude each other"},
		{"install bad flag", []string{"install", "-nope"}, "flag provided but not defined"},
		{"run no notebook", []string{"run"}, "no notebook given"},
		{"run bad timeout", []string{"run", "-timeout", "0s", "x.ipynb"}, "-timeout must be positive"},
		{"report bad timeout", []string{"report", "-timeout", "-1s"}, "-timeout must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := runMain(context.Background(), tt.args, &bytes.Buffer{}, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr.String(), tt.want)
			}
		})
	}
}
