package logstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unlisted lists the files of a log folder that its manifest does not
// account for.
func unlisted(t *testing.T, dir string, m *manifest) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{manifestName: true}
	for _, seg := range m.Segments {
		listed[seg.File] = true
	}
	var out []string
	for _, e := range entries {
		if !listed[e.Name()] {
			out = append(out, e.Name())
		}
	}
	return out
}

// quarantined lists the files under the store's quarantine, as paths
// relative to it.
func quarantined(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	root := filepath.Join(s.Dir(), quarantineName)
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func hasSuffixIn(list []string, suffix string) bool {
	for _, s := range list {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}
