package params

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Assignment is one parameter set to a value.
type Assignment struct {
	Name  string
	Value Value
}

// Set is one set of parameters, in the order given: one run of a report.
type Set []Assignment

// Get returns the value of name, and whether the set has it.
func (s Set) Get(name string) (Value, bool) {
	for _, a := range s {
		if a.Name == name {
			return a.Value, true
		}
	}
	return Value{}, false
}

// With returns s with name set to v: replaced in place if s has it, else
// added at the end.
func (s Set) With(name string, v Value) Set {
	out := append(Set(nil), s...)
	for i, a := range out {
		if a.Name == name {
			out[i].Value = v
			return out
		}
	}
	return append(out, Assignment{Name: name, Value: v})
}

// String writes the set as "product=3941 period=2026-10".
func (s Set) String() string {
	parts := make([]string, len(s))
	for i, a := range s {
		parts[i] = a.Name + "=" + a.Value.String()
	}
	return strings.Join(parts, " ")
}

// ParseAssignment reads a -p argument, "name=value".
func ParseAssignment(arg string) (Assignment, error) {
	name, value, ok := strings.Cut(arg, "=")
	name = strings.TrimSpace(name)
	if !ok || !isIdent(name) {
		return Assignment{}, fmt.Errorf("-p %q: want name=value, e.g. -p product=3941 or -p period=2026-10", arg)
	}
	return Assignment{Name: name, Value: Text(printable(value))}, nil
}

// escape matches a terminal escape sequence: CSI (colours, cursor moves),
// OSC, DCS and the like up to their terminator, and two-byte escapes.
var escape = regexp.MustCompile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b[\\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\\\)?|\x1b[@-Z\\\\-_]?")

// printable drops from a value given on the command line or in a file
// what would act on a terminal when a message repeats it: escape
// sequences, control characters (line breaks too) and format characters
// (bidi overrides, zero-width characters).
func printable(s string) string {
	s = escape.ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
}

// isIdent reports whether s is a Go identifier, as a parameter's name is.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || unicode.IsLetter(r)
		if !letter && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// ReadFile reads a parameter file, JSON or YAML: one set as a mapping
// ({"product": 3941, "period": "2026-10"}), or several as a list of
// mappings, each one run. Values are scalars or, for []string parameters,
// lists of scalars.
func ReadFile(path string) ([]Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sets, err := ParseFile(data)
	if err != nil {
		return nil, fmt.Errorf("parameter file %s: %w", path, err)
	}
	return sets, nil
}

// ParseFile reads the contents of a parameter file; see ReadFile.
func ParseFile(data []byte) ([]Set, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not JSON or YAML: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("empty: want a mapping of parameters, or a list of them")
	}
	root := doc.Content[0]
	switch root.Kind {
	case yaml.MappingNode:
		s, err := setOf(root)
		if err != nil {
			return nil, err
		}
		return []Set{s}, nil
	case yaml.SequenceNode:
		var sets []Set
		for i, n := range root.Content {
			if n.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("set %d (line %d): want a mapping of name: value", i+1, n.Line)
			}
			s, err := setOf(n)
			if err != nil {
				return nil, fmt.Errorf("set %d: %w", i+1, err)
			}
			sets = append(sets, s)
		}
		if len(sets) == 0 {
			return nil, fmt.Errorf("an empty list: want at least one set of parameters")
		}
		return sets, nil
	}
	return nil, fmt.Errorf("line %d: want a mapping of parameters, or a list of them", root.Line)
}

// setOf reads one mapping node as a set, keeping the file's order.
func setOf(m *yaml.Node) (Set, error) {
	var s Set
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || !isIdent(k.Value) {
			return nil, fmt.Errorf("line %d: %q is not a parameter name", k.Line, k.Value)
		}
		if _, dup := s.Get(k.Value); dup {
			return nil, fmt.Errorf("line %d: %s is given twice", k.Line, k.Value)
		}
		val, err := valueOf(v)
		if err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", v.Line, k.Value, err)
		}
		s = append(s, Assignment{Name: k.Value, Value: val})
	}
	return s, nil
}

// valueOf reads a scalar, or a list of scalars, as the text written.
func valueOf(n *yaml.Node) (Value, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		return Text(printable(n.Value)), nil
	case yaml.SequenceNode:
		v := Value{IsList: true, List: []string{}}
		for _, x := range n.Content {
			if x.Kind != yaml.ScalarNode {
				return v, fmt.Errorf("a list may hold only plain values")
			}
			v.List = append(v.List, printable(x.Value))
		}
		return v, nil
	case yaml.AliasNode:
		return valueOf(n.Alias)
	}
	return Value{}, fmt.Errorf("want a value or a list of values, not a mapping")
}

// Folder names the report folder of a set, from its names and values in
// order: "product-3941_period-2026-10". Two sets never share a folder:
// when the name cannot be read back as the set (a character that does not
// belong in a file name became "-", a value was empty, or a long name was
// cut), it ends in "~" and a hash of the set's exact names and values,
// and "~" appears in no other name.
func (s Set) Folder() string {
	if len(s) == 0 {
		return "defaults"
	}
	parts := make([]string, len(s))
	lossy := false
	for i, a := range s {
		v, exact := fileSafe(a.Value.String())
		lossy = lossy || !exact
		parts[i] = a.Name + "-" + v
	}
	name := strings.Join(parts, "_")
	if len(name) > 80 {
		name, lossy = name[:60], true
	}
	if !lossy {
		return name
	}
	h := sha256.New()
	for _, a := range s { // length-prefixed, so no two sets hash the same text
		fmt.Fprintf(h, "%d:%s%d:%s", len(a.Name), a.Name, len(a.Value.String()), a.Value.String())
	}
	return name + "~" + hex.EncodeToString(h.Sum(nil)[:6])
}

// fileSafe keeps letters, digits, '.', '-' and '+'; anything else is '-'.
// exact reports whether nothing was changed, so the name reads back as s.
func fileSafe(s string) (safe string, exact bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '+':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), ".")
	if out == "" {
		return "empty", false
	}
	return out, out == s
}
