package lenslog

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// arrowLayers are the packages under pkg/ from the bottom of the flow up
// (README's "Data flows one way"): a package imports lenslog packages of
// lower layers only, never one beside or above it. A new package is put in
// its layer here.
var arrowLayers = [][]string{
	{"cryptolens", "format", "ipynb"},              // the wire, the house style, the notebook format
	{"logs", "sample", "charts", "jupyter", "pdf"}, // tables, the sample account, charts, the kernel client, printing
	{"logstore", "analysis", "params", "nb"},       // the store, the analyses, notebook parameters and display
	{"lenslog"},                                    // the front door
	{"alert", "preflight", "report"},               // what the kernel command wires together
}

// TestImportArrowsPointDown reads the imports of every package under pkg/
// (test files aside) and fails on an arrow that points sideways or up.
func TestImportArrowsPointDown(t *testing.T) {
	const module = "github.com/lenslog/lenslog/pkg/"
	layer := map[string]int{}
	for i, l := range arrowLayers {
		for _, p := range l {
			layer[p] = i
		}
	}
	dirs, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		from, ok := layer[d.Name()]
		if !ok {
			t.Errorf("pkg/%s is in no layer of arrowLayers: add it where it sits in the flow", d.Name())
			continue
		}
		for imp := range importsOf(t, filepath.Join("..", d.Name())) {
			name, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if to := layer[name]; to >= from {
				t.Errorf("pkg/%s imports pkg/%s, beside or above it: the arrow must point down", d.Name(), name)
			}
		}
	}
}

// importsOf returns the import paths of the non-test Go files in dir.
func importsOf(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[p] = true
		}
	}
	return out
}
