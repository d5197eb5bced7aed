package bench

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarOf returns a tar stream of the named files (a name ending in / is a
// folder).
func tarOf(t *testing.T, files map[string]string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, body := range files {
		h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(name, "/") {
			h = &tar.Header{Name: name, Mode: 0o755, Typeflag: tar.TypeDir}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestUntar(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"files and folders", map[string]string{"go.mod": "module x\n", "pkg/": "", "pkg/a/a.go": "package a\n"}, ""},
		{"a name above the tree", map[string]string{"../escape.go": "package x\n"}, "outside the tree"},
		{"an absolute name", map[string]string{"/etc/escape": "x"}, "outside the tree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := t.TempDir()
			err := untar(tarOf(t, tt.files), dst)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("untar: %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("untar: %v", err)
			}
			for name, body := range tt.files {
				if strings.HasSuffix(name, "/") {
					continue
				}
				got, err := os.ReadFile(filepath.Join(dst, name))
				if err != nil || string(got) != body {
					t.Errorf("%s: %q, %v; want %q", name, got, err, body)
				}
			}
		})
	}
}

// TestMeasureCell builds the typical cell program against this repository
// and the baseline revision, once each, and checks what the step reports.
func TestMeasureCell(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the cell program several times (slow)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("not in a git checkout")
	}
	const flags = "-ldflags=-s -tags=netgo,osusergo"
	ways := []cellWay{
		{name: "baseline", rev: cellBaseline},
		{name: "no such revision", rev: "0000000000000000000000000000000000000000"},
		{name: "plain"},
		{name: "new", goflags: flags},
	}
	res, deps, skipped, err := measureCell(context.Background(), root, ways, 1, func(string, ...any) {})
	if err != nil {
		t.Fatalf("measureCell: %v", err)
	}
	if !strings.Contains(skipped, "no such revision left out") {
		t.Errorf("skipped = %q, want the missing revision named", skipped)
	}
	var names []string
	for _, r := range res {
		names = append(names, r.way.name)
		if len(r.times) != 1 || r.size == 0 {
			t.Errorf("%s: times %v, size %d", r.way.name, r.times, r.size)
		}
	}
	if strings.Join(names, ",") != "baseline,plain,new" {
		t.Fatalf("ways built: %v", names)
	}
	if res[2].size >= res[1].size {
		t.Errorf("stripped binary %d bytes, not smaller than the plain one's %d", res[2].size, res[1].size)
	}
	byMod := map[string]cellDep{}
	for _, d := range deps {
		byMod[d.module] = d
	}
	for _, m := range []string{"std", "github.com/lenslog/lenslog", "github.com/parquet-go/parquet-go", "codeberg.org/go-fonts/liberation"} {
		if d := byMod[m]; d.bytes == 0 || d.pkgs == 0 || d.objects == 0 {
			t.Errorf("%s: %+v, want symbols, packages and objects", m, d)
		}
	}
	if d := byMod["codeberg.org/go-fonts/liberation"]; d.pkgs != 12 {
		t.Errorf("liberation: %d packages, want the 12 faces gonum/plot registers", d.pkgs)
	}
	var out strings.Builder
	writeDeps(&out, deps)
	t.Log(out.String())
}
