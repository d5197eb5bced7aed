package lenslog

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Opening an account whose store an older lenslog wrote upgrades the
// store, which takes seconds per million rows: the cell says so on one
// line, before (what is rewritten) and after (how long it took), as
// `kernel sync` does, and says nothing on the next open. (The line goes
// to Config.Note here; in a notebook it is the status line a sync's
// progress shows on.)
func TestOpenSaysItUpgradesTheStore(t *testing.T) {
	dir := format4Store(t) // before clearEnv leaves the package's folder
	clearEnv(t)
	for _, c := range []struct {
		name string
		want *regexp.Regexp
	}{
		{"format 4", regexp.MustCompile(`^upgrading the local store once, from format 4 to 5: 7 segments \(3,829 rows, 0 MB\)… done in \d+ (ms|s)\nlenslog: reading `)},
		{"upgraded", regexp.MustCompile(`^lenslog: reading `)},
	} {
		t.Run(c.name, func(t *testing.T) {
			var note bytes.Buffer
			_, err := openWith(t, func(cfg *Config) {
				cfg.Token, cfg.BaseURL, cfg.StoreDir = servedToken, "http://127.0.0.1:1/api/", dir // opening sends no request
				cfg.Note = &note
			})
			if err != nil {
				t.Fatal(err)
			}
			if !c.want.MatchString(note.String()) {
				t.Errorf("the open said %q, want %v", &note, c.want)
			}
		})
	}
}

// format4Store copies pkg/logstore's format 4 fixture store into a
// temporary folder, without the account it records (so any account's
// open takes it, as a store no sync has bound yet).
func format4Store(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	if err := os.CopyFS(dir, os.DirFS("../logstore/testdata/format4-store")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "_lenslog.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sf map[string]any
	if err := json.Unmarshal(data, &sf); err != nil {
		t.Fatal(err)
	}
	delete(sf, "account")
	if data, err = json.Marshal(sf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}
