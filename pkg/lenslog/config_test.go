package lenslog

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/sample"
)

// envOf is a lookup over a fixed environment.
func envOf(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
}

// TestTokenSources checks where ConfigFromEnv takes the token from, and
// that an apitokens.json beside a notebook never switches it to live data.
func TestTokenSources(t *testing.T) {
	dir := t.TempDir() // the working directory, holding apitokens.json
	if err := os.WriteFile(filepath.Join(dir, "apitokens.json"), []byte(`{"token":"from-dir"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	named := filepath.Join(t.TempDir(), "tok")
	if err := os.WriteFile(named, []byte("from-named-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		env         map[string]string
		notebook    bool
		want        string // the token, "" for the sample account
		wantFrom    string
		wantIgnored bool
	}{
		{"environment first", map[string]string{EnvToken: "from-env", EnvTokenFile: named}, true, "from-env", "$CRYPTOLENS_TOKEN", false},
		{"named file next", map[string]string{EnvTokenFile: named}, true, "from-named-file", EnvTokenFile, false},
		{"working directory outside a notebook", nil, false, "from-dir", `apitokens.json key "token"`, false},
		{"not beside a notebook", nil, true, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := configFrom(envOf(tt.env), dir, tt.notebook)
			if err != nil {
				t.Fatal(err)
			}
			if string(cfg.Token) != tt.want || !strings.Contains(cfg.TokenFrom, tt.wantFrom) {
				t.Errorf("token %q from %q, want %q from %q", string(cfg.Token), cfg.TokenFrom, tt.want, tt.wantFrom)
			}
			if (cfg.IgnoredTokenFile != "") != tt.wantIgnored {
				t.Errorf("IgnoredTokenFile = %q, want one: %v", cfg.IgnoredTokenFile, tt.wantIgnored)
			}
		})
	}
	t.Run("named file missing", func(t *testing.T) {
		_, err := configFrom(envOf(map[string]string{EnvTokenFile: filepath.Join(dir, "nope")}), dir, true)
		if err == nil || !strings.Contains(err.Error(), EnvTokenFile) {
			t.Errorf("err = %v, want one naming %s", err, EnvTokenFile)
		}
	})
}

// TestIgnoredTokenFileIsSaid opens the sample account in a notebook's
// folder that holds an apitokens.json: the note must say it was not read.
func TestIgnoredTokenFileIsSaid(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "apitokens.json"), []byte(`{"token":"stray"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := configFrom(envOf(map[string]string{EnvSampleEnd: "2026-11-01", EnvSampleRows: "20000"}), dir, true)
	if err != nil {
		t.Fatal(err)
	}
	var note bytes.Buffer
	cfg.Note = &note
	a, err := OpenConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Info().Sample || !strings.Contains(note.String(), "apitokens.json is not read in a notebook") {
		t.Errorf("sample=%v, note %q", a.Info().Sample, note.String())
	}
}

// TestConfigFromEnv reads every setting from one environment.
func TestConfigFromEnv(t *testing.T) {
	cfg, err := configFrom(envOf(map[string]string{
		EnvAPIURL: "http://x/api/", EnvStore: "off", EnvSampleEnd: "2026-11-01", EnvSampleRows: "500",
		EnvRedact: "1", EnvRedactKey: "00112233445566778899aabbccddeeff", EnvNow: "2026-11-05T10:00:00Z",
		EnvMaxIDs: "webapi=3", EnvProvenance: "/p", "GONB_TMP_DIR": "/s", "LENSLOG_PLOT_DIR": "/plots",
	}), t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "http://x/api/" || !cfg.NoStore || cfg.StoreDir != "" || !cfg.Sample.End.Equal(sampleEnd) ||
		cfg.Sample.WebAPIRows != 500 || !cfg.Redact || len(cfg.RedactKey) != 16 || cfg.Provenance != "/p" ||
		cfg.SessionDir != "/s" || cfg.PlotDir != "/plots" || cfg.Pins.MaxIDs["webapi"] != 3 || !cfg.Pins.Now.Equal(time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("config %+v", cfg)
	}
}

// TestLibrariesReadNoEnvironment checks that no library package, every
// package under pkg/ and internal/ but commands (package main), reads the
// environment or ends the process: settings are resolved once, by the one
// config function (ConfigFromEnv) or a command, and passed down; errors
// go up to the caller. Forwarding the inherited environment to a child
// process (exec.Cmd.Environ) is not a read. There are no exceptions.
func TestLibrariesReadNoEnvironment(t *testing.T) {
	const edge = "ConfigFromEnv" // the one config function, in this package
	checked := 0
	for _, root := range []string{"..", filepath.Join("..", "..", "internal")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() && d.Name() == "testdata" {
				return cmp.Or(err, filepath.SkipDir)
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			for _, call := range osCalls(t, path, edge, "Getenv", "LookupEnv", "Environ", "Exit") {
				t.Errorf("%s: %s: resolve settings in lenslog's %s or a command and pass them down; return errors", path, call, edge)
			}
			checked++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 100 {
		t.Fatalf("checked %d files: the walk missed the tree", checked)
	}
}

// osCalls lists the uses of the os package's functions names in a Go
// file of a library (none in a command's package main), with their lines,
// leaving out those inside the function edge.
func osCalls(t *testing.T, path, edge string, names ...string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name.Name == "main" {
		return nil
	}
	var found []string
	for _, decl := range f.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == edge {
			continue
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" && slices.Contains(names, sel.Sel.Name) {
				found = append(found, fmt.Sprintf("os.%s at line %d", sel.Sel.Name, fset.Position(sel.Pos()).Line))
			}
			return true
		})
	}
	return found
}

// TestNoMarkerFiles: saying which source was opened leaves nothing in the
// temporary folder, says it every time outside a notebook session, and
// once per session inside one (marked in the session's own folder).
func TestNoMarkerFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	stderr, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = stderr
	defer func() { os.Stderr = saved }()
	session := t.TempDir()
	cfg := Config{Sample: sample.Options{End: sampleEnd, WebAPIRows: 2000}, UseSample: true}
	for _, dir := range []string{"", "", session, session} {
		cfg.SessionDir = dir
		if _, err := OpenConfig(cfg); err != nil {
			t.Fatal(err)
		}
	}
	os.Stderr = saved
	said, _ := os.ReadFile(stderr.Name())
	if n := strings.Count(string(said), "lenslog: reading"); n != 3 {
		t.Errorf("said the source %d times, want 3 (twice without a session, once in it):\n%s", n, said)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left %d files in the temporary folder, e.g. %s", len(left), left[0].Name())
	}
}
