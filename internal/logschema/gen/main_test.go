package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The checked-in generated files are what the generator writes from the
// description now (CI also checks this with go generate and git).
func TestGeneratedFilesAreFresh(t *testing.T) {
	tmp := t.TempDir()
	for _, f := range outputs {
		if err := os.MkdirAll(filepath.Join(tmp, filepath.Dir(f.path)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := generate(tmp); err != nil {
		t.Fatal(err)
	}
	for _, f := range outputs {
		want, err := os.ReadFile(filepath.Join(tmp, f.path))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "..", "..", f.path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale or edited by hand: run go generate ./internal/logschema", f.path)
		}
	}
}
