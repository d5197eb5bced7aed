package toolchain

import (
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
			if got := JoinPath(tt.in...); got != tt.want {
				t.Errorf("JoinPath(%q) = %q, want %q", tt.in, got, tt.want)
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
			got, err := KernelspecDir(tt.prefix, os.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("KernelspecDir(%q) = %q, want %q", tt.prefix, got, tt.want)
			}
		})
	}
}

func TestWriteKernelSpecIdempotent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kernels", "lenslog")
	tl := &Tools{Root: "/repo", Bin: "/repo/.tools/bin", GoBin: "/usr/local/go/bin"}
	t.Setenv("PATH", "/usr/bin:/usr/local/go/bin")
	for i, want := range []bool{true, false} {
		changed, err := WriteKernelSpec(dir, tl, false, os.Getenv)
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
	if changed, _ := WriteKernelSpec(dir, tl, true, os.Getenv); !changed {
		t.Errorf("adding gopls did not change kernel.json")
	}
}

func TestWriteRedactedKernelSpec(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kernels", RedactedKernelName)
	tl := &Tools{Bin: "/repo/.tools/bin", GoBin: "/usr/local/go/bin"}
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
	if changed, err := WriteRedactedKernelSpec(dir, tl, false, os.Getenv); err != nil || !changed {
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
	if first.Env["GOFLAGS"] != CellGoflags(os.Getenv("GOFLAGS")) || !strings.Contains(first.Env["GOFLAGS"], "-ldflags=") {
		t.Errorf("GOFLAGS = %q, want the cells' link flags", first.Env["GOFLAGS"])
	}
	if first.DisplayName != RedactedKernelDisplayName {
		t.Errorf("display name %q", first.DisplayName)
	}
	if changed, err := WriteRedactedKernelSpec(dir, tl, false, os.Getenv); err != nil || changed {
		t.Errorf("second write: changed %v, err %v; want no change (the key is kept)", changed, err)
	}
	if read().Env["LENSLOG_REDACT_KEY"] != first.Env["LENSLOG_REDACT_KEY"] {
		t.Error("the redaction key changed between installs")
	}
}

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("RepoRoot() = %s, not the repository: %v", root, err)
	}
	t.Chdir(t.TempDir())
	if _, err := RepoRoot(); err == nil || !strings.Contains(err.Error(), "not inside the lenslog repository") {
		t.Errorf("outside the repo: err = %v", err)
	}
}
