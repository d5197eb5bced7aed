package ipynb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Format and FormatMinor are the nbformat version Write produces.
const (
	Format      = 4
	FormatMinor = 5
)

// WriteFile writes nb to path atomically: a reader never sees half a file.
func WriteFile(path string, nb *Notebook) error {
	var buf bytes.Buffer
	if err := Write(&buf, nb); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return writeFileAtomic(path, buf.Bytes())
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename this fails harmlessly
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Write encodes nb as nbformat 4.5 JSON the way Jupyter does: keys sorted,
// one space of indentation, multi-line text as a list of lines, and a
// unique valid id on every cell (generated where missing). nb itself is not
// changed.
func Write(w io.Writer, nb *Notebook) error {
	doc := map[string]any{
		"cells":          encodeCells(nb.Cells),
		"metadata":       encodeMetadata(nb.Metadata),
		"nbformat":       Format,
		"nbformat_minor": FormatMinor,
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

// encodeMetadata merges the known metadata keys into the other ones.
func encodeMetadata(md Metadata) map[string]any {
	m := map[string]any{}
	for k, v := range md.Other {
		m[k] = v
	}
	if md.KernelSpec != nil {
		m["kernelspec"] = md.KernelSpec
	}
	if md.LanguageInfo != nil {
		m["language_info"] = md.LanguageInfo
	}
	return m
}

// encodeCells returns the JSON form of cells.
func encodeCells(cells []*Cell) []any {
	ids := cellIDs(cells)
	out := make([]any, 0, len(cells))
	for i, c := range cells {
		out = append(out, encodeCell(c, ids[i]))
	}
	return out
}

// encodeCell returns the JSON form of one cell with the given id.
func encodeCell(c *Cell, id string) map[string]any {
	m := map[string]any{
		"cell_type": c.Type,
		"id":        id,
		"metadata":  orEmpty(c.Metadata),
		"source":    splitLines(c.Source),
	}
	if c.Type != Code {
		if len(c.Attachments) > 0 {
			m["attachments"] = c.Attachments
		}
		return m
	}
	m["execution_count"] = c.ExecutionCount
	outs := make([]any, 0, len(c.Outputs))
	for _, o := range c.Outputs {
		outs = append(outs, encodeOutput(o))
	}
	m["outputs"] = outs
	return m
}

// encodeOutput returns the JSON form of one output.
func encodeOutput(o Output) map[string]any {
	m := map[string]any{"output_type": o.Type}
	switch o.Type {
	case Stream:
		m["name"] = o.Name
		m["text"] = splitLines(o.Text)
	case DisplayData, ExecuteResult:
		m["data"] = encodeBundle(o.Data)
		m["metadata"] = orEmpty(o.Metadata)
		if o.Type == ExecuteResult {
			m["execution_count"] = o.ExecutionCount
		}
	case Error:
		m["ename"] = o.EName
		m["evalue"] = o.EValue
		tb := o.Traceback
		if tb == nil {
			tb = []string{}
		}
		m["traceback"] = tb
	}
	return m
}

// encodeBundle splits textual MIME data into lines, as Jupyter does, and
// keeps base64 images and JSON data as they are.
func encodeBundle(data map[string]any) map[string]any {
	m := make(map[string]any, len(data))
	for mime, v := range data {
		if s, ok := v.(string); ok && isLineSplit(mime) {
			m[mime] = splitLines(s)
			continue
		}
		m[mime] = v
	}
	return m
}

// isLineSplit reports whether Jupyter stores a MIME type's text as lines.
func isLineSplit(mime string) bool {
	if isJSONMIME(mime) {
		return false
	}
	return strings.HasPrefix(mime, "text/") || mime == "image/svg+xml" || mime == "application/javascript"
}

// orEmpty returns m, or an empty map for nil so that JSON shows {}.
func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// splitLines splits s after each newline, so that joining the parts gives
// s back; "" gives an empty list.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// validID matches the cell ids nbformat 4.5 allows.
var validID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// cellIDs returns each cell's id, replacing missing, invalid and repeated
// ones with "cell-N" (N the cell number, made unique if needed).
func cellIDs(cells []*Cell) []string {
	taken := map[string]bool{}
	for _, c := range cells {
		if validID.MatchString(c.ID) {
			taken[c.ID] = true
		}
	}
	ids := make([]string, len(cells))
	used := map[string]bool{}
	for i, c := range cells {
		id := c.ID
		if !validID.MatchString(id) || used[id] {
			id = freshID(i+1, taken)
			taken[id] = true
		}
		used[id] = true
		ids[i] = id
	}
	return ids
}

// freshID returns "cell-n", or "cell-n-k" for the first free k.
func freshID(n int, taken map[string]bool) string {
	id := fmt.Sprintf("cell-%d", n)
	for k := 2; taken[id]; k++ {
		id = fmt.Sprintf("cell-%d-%d", n, k)
	}
	return id
}
