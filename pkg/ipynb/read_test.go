package ipynb

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// doc wraps cells JSON into a minimal notebook.
func doc(cells string) string {
	return `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [` + cells + `]}`
}

func TestParseErrors(t *testing.T) {
	code := func(extra string) string {
		return `{"cell_type": "code", "metadata": {}, "source": "", "outputs": []` + extra + `}`
	}
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", `{"cells": [`, "invalid JSON"},
		{"not an object", `[1, 2]`, "want object"},
		{"no nbformat", `{"cells": []}`, "nbformat: missing"},
		{"nbformat 3", `{"nbformat": 3, "cells": []}`, "nbformat: unsupported nbformat version 3 (want 4)"},
		{"nbformat string", `{"nbformat": "4", "cells": []}`, "nbformat: want integer"},
		{"no cells", `{"nbformat": 4, "metadata": {}}`, "cells: missing"},
		{"cells not a list", `{"nbformat": 4, "cells": {}}`, "cells: want list"},
		{"cell not an object", doc(`1`), "cell 1: want object"},
		{"unknown cell type", doc(`{"cell_type": "heading", "source": ""}`), `cell 1: cell_type: unknown type "heading"`},
		{"missing cell type", doc(`{"source": ""}`), "cell 1: cell_type: missing"},
		{"bad source in third cell", doc(code("") + "," + code("") + `,{"cell_type": "markdown", "source": 7}`),
			"cell 3: source: want string or list of strings"},
		{"source list of numbers", doc(`{"cell_type": "raw", "source": [1]}`), "cell 1: source: want string or list of strings"},
		{"bad id", doc(`{"cell_type": "raw", "id": 3, "source": ""}`), "cell 1: id: want string"},
		{"metadata not object", doc(`{"cell_type": "raw", "metadata": [], "source": ""}`), "cell 1: metadata: want object"},
		{"negative count", doc(code(`, "execution_count": -1`)), "cell 1: execution_count: want non-negative integer or null"},
		{"outputs not list", `{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": 1}]}`, "cell 1: outputs: want list"},
		{"unknown output", doc(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "pyout"}]}`),
			`cell 1: outputs[0]: output_type: unknown type "pyout"`},
		{"stream without name", doc(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "text": ""}]}`),
			"cell 1: outputs[0]: name: missing"},
		{"stream text number", doc(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "name": "stdout", "text": 1}]}`),
			"cell 1: outputs[0]: text: want string or list of strings"},
		{"data text number", doc(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data", "data": {"text/plain": 1}}]}`),
			"cell 1: outputs[0]: data: text/plain: want string or list of strings"},
		{"traceback not strings", doc(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "error", "ename": "E", "evalue": "v", "traceback": [1]}]}`),
			"cell 1: outputs[0]: traceback: want list of strings"},
		{"kernelspec wrong type", `{"nbformat": 4, "cells": [], "metadata": {"kernelspec": {"name": 1}}}`, "metadata: kernelspec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %v is a %T, want *ParseError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseVersionSentinel(t *testing.T) {
	_, err := Parse([]byte(`{"nbformat": 5, "cells": []}`))
	if !errors.Is(err, ErrVersion) {
		t.Errorf("err = %v, want ErrVersion", err)
	}
}

func TestParseMultiline(t *testing.T) {
	tests := []struct {
		name, source, want string
	}{
		{"string", `"a\nb"`, "a\nb"},
		{"list", `["a\n", "b"]`, "a\nb"},
		{"empty list", `[]`, ""},
		{"null", `null`, ""},
		{"list without newlines is concatenated", `["a", "b"]`, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := Parse([]byte(doc(`{"cell_type": "markdown", "source": ` + tt.source + `}`)))
			if err != nil {
				t.Fatal(err)
			}
			if got := nb.Cells[0].Source; got != tt.want {
				t.Errorf("source = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadExecuted(t *testing.T) {
	nb, err := ReadFile(filepath.Join("testdata", "executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 7 {
		t.Fatalf("%d cells, want 7", len(nb.Cells))
	}
	if ks := nb.Metadata.KernelSpec; ks == nil || ks.Name != "lenslog" || ks.DisplayName != "Go (lenslog)" {
		t.Errorf("kernelspec = %+v", ks)
	}
	if nb.Metadata.Other["title"] != "kept" {
		t.Errorf("other metadata = %v, want title kept", nb.Metadata.Other)
	}
	streams := nb.Cells[2].Outputs
	want := []Output{
		{Type: Stream, Name: "stdout", Text: "a < b\nsecond line\n"},
		{Type: Stream, Name: "stderr", Text: "warning: \x1b[31mred\x1b[0m\n"},
	}
	if !reflect.DeepEqual(streams, want) {
		t.Errorf("streams = %#v, want %#v", streams, want)
	}
	disp := nb.Cells[3].Outputs
	if s, _ := disp[1].DataText("text/html"); !strings.HasPrefix(s, "<table>") || !strings.Contains(s, "</table><script>") {
		t.Errorf("html lines not joined: %q", s)
	}
	if _, ok := disp[4].Data["application/json"].(map[string]any); !ok {
		t.Errorf("application/json = %#v, want decoded object", disp[4].Data["application/json"])
	}
	if c := disp[4].ExecutionCount; c == nil || *c != 3 {
		t.Errorf("execute_result count = %v, want 3", c)
	}
	e := nb.Cells[4].Outputs[0]
	if e.Type != Error || e.EName != "ERROR" || len(e.Traceback) != 2 {
		t.Errorf("error output = %+v", e)
	}
	if nb.Cells[5].ExecutionCount != nil {
		t.Errorf("unexecuted cell has count %d", *nb.Cells[5].ExecutionCount)
	}
	if got := nb.Title(); got != "Sales overview" {
		t.Errorf("title = %q, want %q", got, "Sales overview")
	}
}

func TestTitle(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"atx", "intro\n\n## The *plan*", "The plan"},
		{"setext", "Report\n======\n", "Report"},
		{"closing hashes", "# Title ##", "Title"},
		{"code fence skipped", "```\n# not a title\n```\n# Real", "Real"},
		{"none", "just text", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb := &Notebook{Cells: []*Cell{{Type: Code, Source: "# comment"}, {Type: Markdown, Source: tt.md}}}
			if got := nb.Title(); got != tt.want {
				t.Errorf("Title() = %q, want %q", got, tt.want)
			}
		})
	}
}
