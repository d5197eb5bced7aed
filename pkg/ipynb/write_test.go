package ipynb

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}

// write encodes nb or fails the test.
func write(t *testing.T, nb *Notebook) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, nb); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteGolden(t *testing.T) {
	for _, name := range []string{"executed", "v44"} {
		t.Run(name, func(t *testing.T) {
			nb, err := ReadFile(filepath.Join("testdata", name+".ipynb"))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".golden.ipynb", write(t, nb))
		})
	}
}

func TestWriteRoundTrip(t *testing.T) {
	nb, err := ReadFile(filepath.Join("testdata", "executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	first := write(t, nb)
	again, err := Parse(first)
	if err != nil {
		t.Fatalf("re-read written notebook: %v", err)
	}
	if !reflect.DeepEqual(again, nb) {
		t.Errorf("round trip changed the notebook:\n got %#v\nwant %#v", again, nb)
	}
	if second := write(t, again); !bytes.Equal(first, second) {
		t.Errorf("writing twice gives different bytes")
	}
}

func TestWriteShape(t *testing.T) {
	one := 1
	nb := &Notebook{Cells: []*Cell{
		{Type: Markdown, Source: "# T\n\ntext"},
		{Type: Code, Source: "x", ExecutionCount: &one, Outputs: []Output{
			{Type: Stream, Name: "stdout", Text: "a\nb\n"},
			{Type: DisplayData, Data: map[string]any{"image/png": "AAAA", "text/html": "<b>\n</b>"}, DisplayID: "d1"},
			{Type: ExecuteResult, Data: map[string]any{"text/plain": "1"}, ExecutionCount: &one},
			{Type: Error, EName: "E", EValue: "v"},
		}},
		{Type: Code, Source: ""},
	}}
	var got map[string]any
	if err := json.Unmarshal(write(t, nb), &got); err != nil {
		t.Fatal(err)
	}
	cells := got["cells"].([]any)
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("nbformat", got["nbformat"], 4.0)
	check("nbformat_minor", got["nbformat_minor"], 5.0)
	check("markdown source", cells[0].(map[string]any)["source"], []any{"# T\n", "\n", "text"})
	_, hasOutputs := cells[0].(map[string]any)["outputs"]
	check("markdown has outputs", hasOutputs, false)
	code := cells[1].(map[string]any)
	outs := code["outputs"].([]any)
	check("stream text", outs[0].(map[string]any)["text"], []any{"a\n", "b\n"})
	data := outs[1].(map[string]any)["data"].(map[string]any)
	check("png kept whole", data["image/png"], "AAAA")
	check("html split", data["text/html"], []any{"<b>\n", "</b>"})
	check("display metadata", outs[1].(map[string]any)["metadata"], map[string]any{})
	_, leaked := outs[1].(map[string]any)["transient"]
	check("display id written", leaked, false)
	check("execute_result count", outs[2].(map[string]any)["execution_count"], 1.0)
	check("traceback", outs[3].(map[string]any)["traceback"], []any{})
	empty := cells[2].(map[string]any)
	check("empty source", empty["source"], []any{})
	check("unrun count", empty["execution_count"], nil)
	check("unrun outputs", empty["outputs"], []any{})
}

func TestCellIDs(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"kept", []string{"a", "b-1", "C_2"}, []string{"a", "b-1", "C_2"}},
		{"missing", []string{"", "x", ""}, []string{"cell-1", "x", "cell-3"}},
		{"duplicate", []string{"x", "x"}, []string{"x", "cell-2"}},
		{"invalid", []string{"has space", strings.Repeat("a", 65)}, []string{"cell-1", "cell-2"}},
		{"generated clashes with existing", []string{"", "cell-1"}, []string{"cell-1-2", "cell-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cells []*Cell
			for _, id := range tt.in {
				cells = append(cells, &Cell{ID: id, Type: Raw})
			}
			if got := cellIDs(cells); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ids = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"a", []string{"a"}},
		{"a\n", []string{"a\n"}},
		{"a\n\nb", []string{"a\n", "\n", "b"}},
	}
	for _, tt := range tests {
		if got := splitLines(tt.in); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("splitLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriteValidSchema checks written notebooks against the official
// nbformat 4.5 schema with Python's nbformat package, where installed
// (Debian: python3-nbformat).
func TestWriteValidSchema(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import nbformat").Run(); err != nil {
		t.Skip("python3-nbformat not installed")
	}
	for _, name := range []string{"executed", "v44"} {
		t.Run(name, func(t *testing.T) {
			nb, err := ReadFile(filepath.Join("testdata", name+".ipynb"))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "out.ipynb")
			if err := WriteFile(path, nb); err != nil {
				t.Fatal(err)
			}
			script := "import nbformat,sys; nb=nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb, version=4, version_minor=5); print(nb.nbformat_minor)"
			out, err := exec.Command(py, "-c", script, path).CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != "5" {
				t.Errorf("nbformat rejects the written notebook: %v\n%s", err, out)
			}
		})
	}
}
