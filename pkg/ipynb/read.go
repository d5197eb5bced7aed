package ipynb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ErrVersion is wrapped by the error Read returns for a document that is
// not nbformat 4.
var ErrVersion = errors.New("unsupported nbformat version")

// ParseError reports what is wrong in a notebook document and where, e.g.
// "cell 3: source: want string or list of strings".
type ParseError struct {
	// Where is the path to the offending value, e.g. "cell 3: outputs[2]:
	// text"; empty for the document as a whole.
	Where string
	// Err says what is wrong.
	Err error
}

// Error returns "Where: Err".
func (e *ParseError) Error() string {
	if e.Where == "" {
		return e.Err.Error()
	}
	return e.Where + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// ReadFile reads and parses the notebook at path.
func ReadFile(path string) (*Notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nb, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return nb, nil
}

// Read parses a notebook from r.
func Read(r io.Reader) (*Notebook, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse parses a notebook document. Any error is a *ParseError.
func Parse(data []byte) (*Notebook, error) {
	top, err := object(data, "")
	if err != nil {
		return nil, err
	}
	if err := checkVersion(top); err != nil {
		return nil, err
	}
	nb := &Notebook{}
	if nb.Metadata, err = parseMetadata(top["metadata"]); err != nil {
		return nil, err
	}
	raws, err := array(top["cells"], "cells")
	if err != nil {
		return nil, err
	}
	for i, raw := range raws {
		c, err := parseCell(raw, fmt.Sprintf("cell %d", i+1))
		if err != nil {
			return nil, err
		}
		nb.Cells = append(nb.Cells, c)
	}
	return nb, nil
}

// checkVersion accepts nbformat 4 of any minor version.
func checkVersion(top map[string]json.RawMessage) error {
	raw, ok := top["nbformat"]
	if !ok {
		return &ParseError{"nbformat", errors.New("missing (not a Jupyter notebook?)")}
	}
	var v int
	if err := json.Unmarshal(raw, &v); err != nil {
		return &ParseError{"nbformat", errors.New("want integer")}
	}
	if v != 4 {
		return &ParseError{"nbformat", fmt.Errorf("%w %d (want 4)", ErrVersion, v)}
	}
	return nil
}

// parseMetadata splits the notebook metadata into known and other keys.
func parseMetadata(raw json.RawMessage) (Metadata, error) {
	var md Metadata
	obj, err := optObject(raw, "metadata")
	if err != nil || obj == nil {
		return md, err
	}
	if r, ok := obj["kernelspec"]; ok {
		md.KernelSpec = &KernelSpec{}
		if err := strict(r, md.KernelSpec, "metadata: kernelspec"); err != nil {
			return md, err
		}
		delete(obj, "kernelspec")
	}
	if r, ok := obj["language_info"]; ok {
		md.LanguageInfo = &LanguageInfo{}
		if err := strict(r, md.LanguageInfo, "metadata: language_info"); err != nil {
			return md, err
		}
		delete(obj, "language_info")
	}
	md.Other, err = decodeAll(obj, "metadata")
	return md, err
}

// parseCell parses one cell; where names it in errors.
func parseCell(raw json.RawMessage, where string) (*Cell, error) {
	obj, err := object(raw, where)
	if err != nil {
		return nil, err
	}
	c := &Cell{}
	t, err := str(obj["cell_type"], where+": cell_type")
	if err != nil {
		return nil, err
	}
	c.Type = CellType(t)
	switch c.Type {
	case Code, Markdown, Raw:
	default:
		return nil, &ParseError{where + ": cell_type", fmt.Errorf("unknown type %q (want code, markdown or raw)", t)}
	}
	if _, ok := obj["id"]; ok {
		if c.ID, err = str(obj["id"], where+": id"); err != nil {
			return nil, err
		}
	}
	if c.Source, err = multiline(obj["source"], where+": source"); err != nil {
		return nil, err
	}
	if c.Metadata, err = optMap(obj["metadata"], where+": metadata"); err != nil {
		return nil, err
	}
	if c.Type != Code {
		c.Attachments, err = optMap(obj["attachments"], where+": attachments")
		return c, err
	}
	if c.ExecutionCount, err = count(obj["execution_count"], where+": execution_count"); err != nil {
		return nil, err
	}
	c.Outputs, err = parseOutputs(obj["outputs"], where+": outputs")
	return c, err
}

// parseOutputs parses a code cell's output list; a missing list is empty.
func parseOutputs(raw json.RawMessage, where string) ([]Output, error) {
	if isNull(raw) {
		return nil, nil
	}
	raws, err := array(raw, where)
	if err != nil {
		return nil, err
	}
	var outs []Output
	for i, r := range raws {
		o, err := parseOutput(r, fmt.Sprintf("%s[%d]", where, i))
		if err != nil {
			return nil, err
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// parseOutput parses one output according to its output_type.
func parseOutput(raw json.RawMessage, where string) (Output, error) {
	var o Output
	obj, err := object(raw, where)
	if err != nil {
		return o, err
	}
	t, err := str(obj["output_type"], where+": output_type")
	if err != nil {
		return o, err
	}
	o.Type = OutputType(t)
	switch o.Type {
	case Stream:
		if o.Name, err = str(obj["name"], where+": name"); err != nil {
			return o, err
		}
		o.Text, err = multiline(obj["text"], where+": text")
	case DisplayData, ExecuteResult:
		err = parseBundle(&o, obj, where)
	case Error:
		err = parseError(&o, obj, where)
	default:
		err = &ParseError{where + ": output_type", fmt.Errorf("unknown type %q", t)}
	}
	return o, err
}

// parseBundle fills the MIME data, metadata and count of a display output.
func parseBundle(o *Output, obj map[string]json.RawMessage, where string) error {
	data, err := optObject(obj["data"], where+": data")
	if err != nil {
		return err
	}
	o.Data = map[string]any{}
	for mime, raw := range data {
		if isJSONMIME(mime) {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				return &ParseError{where + ": data: " + mime, err}
			}
			o.Data[mime] = v
			continue
		}
		if o.Data[mime], err = multiline(raw, where+": data: "+mime); err != nil {
			return err
		}
	}
	if o.Metadata, err = optMap(obj["metadata"], where+": metadata"); err != nil {
		return err
	}
	if o.Type == ExecuteResult {
		o.ExecutionCount, err = count(obj["execution_count"], where+": execution_count")
	}
	return err
}

// parseError fills the fields of an error output.
func parseError(o *Output, obj map[string]json.RawMessage, where string) (err error) {
	if o.EName, err = str(obj["ename"], where+": ename"); err != nil {
		return err
	}
	if o.EValue, err = str(obj["evalue"], where+": evalue"); err != nil {
		return err
	}
	if isNull(obj["traceback"]) {
		return nil
	}
	if err := json.Unmarshal(obj["traceback"], &o.Traceback); err != nil {
		return &ParseError{where + ": traceback", errors.New("want list of strings")}
	}
	return nil
}

// isJSONMIME reports whether a MIME type holds JSON rather than text.
func isJSONMIME(mime string) bool {
	return mime == "application/json" || strings.HasSuffix(mime, "+json")
}

// isNull reports whether raw is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// object decodes a JSON object into its raw members.
func object(raw json.RawMessage, where string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, &ParseError{where, jsonProblem(err, "want object")}
	}
	return obj, nil
}

// optObject is object, but absent or null gives nil without error.
func optObject(raw json.RawMessage, where string) (map[string]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	return object(raw, where)
}

// optMap decodes an optional JSON object into plain Go values.
func optMap(raw json.RawMessage, where string) (map[string]any, error) {
	obj, err := optObject(raw, where)
	if err != nil || obj == nil {
		return nil, err
	}
	return decodeAll(obj, where)
}

// decodeAll decodes each member of obj; nil if obj is empty.
func decodeAll(obj map[string]json.RawMessage, where string) (map[string]any, error) {
	if len(obj) == 0 {
		return nil, nil
	}
	m := make(map[string]any, len(obj))
	for k, raw := range obj {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, &ParseError{where + ": " + k, err}
		}
		m[k] = v
	}
	return m, nil
}

// array decodes a JSON array into its raw elements.
func array(raw json.RawMessage, where string) ([]json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, &ParseError{where, errors.New("missing")}
	}
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil || a == nil {
		return nil, &ParseError{where, jsonProblem(err, "want list")}
	}
	return a, nil
}

// str decodes a required JSON string.
func str(raw json.RawMessage, where string) (string, error) {
	if len(raw) == 0 {
		return "", &ParseError{where, errors.New("missing")}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", &ParseError{where, errors.New("want string")}
	}
	return s, nil
}

// multiline decodes nbformat's multi-line text: a string or a list of
// strings that are concatenated. Absent or null is "".
func multiline(raw json.RawMessage, where string) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []string
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", &ParseError{where, errors.New("want string or list of strings")}
	}
	return strings.Join(parts, ""), nil
}

// count decodes an execution count: a non-negative integer or null.
func count(raw json.RawMessage, where string) (*int, error) {
	if isNull(raw) {
		return nil, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil || n < 0 {
		return nil, &ParseError{where, errors.New("want non-negative integer or null")}
	}
	return &n, nil
}

// strict decodes raw into v, reporting type mismatches at where.
func strict(raw json.RawMessage, v any, where string) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return &ParseError{where, jsonProblem(err, "want object")}
	}
	return nil
}

// jsonProblem turns a JSON decoding error into a short message: syntax
// errors keep their offset, type errors become want.
func jsonProblem(err error, want string) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("invalid JSON at byte %d: %v", syn.Offset, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return fmt.Errorf("%s: want %s", typ.Field, typ.Type)
	}
	return errors.New(want)
}
