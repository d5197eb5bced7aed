package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/internal/toolchain"
)

// TestUpToDate reads the kernel test binary, which links golang.org/x/mod
// through the toolchain package.
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
			if got := toolchain.UpToDate(tt.bin, tt.pkg, tt.goVersion, tt.reqs); got != tt.want {
				t.Errorf("UpToDate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInstallPrerequisites(t *testing.T) {
	t.Run("go missing", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := toolchain.Ensure(context.Background(), "", &bytes.Buffer{})
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
