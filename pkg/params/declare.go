// Package params gives Go notebooks papermill's parameters: a code cell
// tagged "parameters" declares them as typed package-level variables with
// their defaults, and a report run sets them by injecting, after that
// cell, a cell tagged "injected-parameters" that declares the same
// variables with the values given. GoNB keeps one declaration per name, so
// the injected one wins; the values are also written to the notebook's
// metadata.papermill.parameters, where papermill-aware tools read them.
//
// A parameters cell reads:
//
//	var (
//		product int          = 0                  // the product to look at (its ProductId); 0 means all
//		period  lenslog.Span = lenslog.Last(30 * lenslog.Day) // the time span to read, e.g. last-30d or 2026-10
//	)
//
// Declared reads those declarations with Go's own parser; Convert turns a
// value given as text (on the command line, or in a JSON or YAML file)
// into a Go expression of the declared type, or says why it cannot;
// Inject writes the injected cell and the metadata.
package params

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// Tags papermill gives the cell holding the defaults and the cell it
// injects.
const (
	TagParameters = "parameters"
	TagInjected   = "injected-parameters"
)

// ErrNoParametersCell is wrapped by the error Declared returns for a
// notebook without a cell tagged "parameters".
var ErrNoParametersCell = errors.New("no cell tagged \"parameters\"")

// Decl is one parameter a notebook declares.
type Decl struct {
	Name    string // the variable's name
	Type    string // its type as written, e.g. "int", "time.Duration", "lenslog.Span"; "" if none is written
	Default string // its initial value as written, e.g. "30 * lenslog.Day"
	Doc     string // its comment: what it means and its unit
	Line    int    // its line in the cell, from 1
}

// Declared finds nb's parameters cell and the parameters it declares. It
// returns the cell's index in nb.Cells.
func Declared(nb *ipynb.Notebook) (int, []Decl, error) {
	at := -1
	for i, c := range nb.Cells {
		if c.Type == ipynb.Code && HasTag(c, TagParameters) {
			at = i
			break
		}
	}
	if at < 0 {
		return -1, nil, ErrNoParametersCell
	}
	decls, err := Parse(nb.Cells[at].Source)
	if err != nil {
		return at, nil, fmt.Errorf("parameters cell (cell %d): %w", at+1, err)
	}
	return at, decls, nil
}

// Parse reads the package-level var declarations of a cell's Go source,
// in order. GoNB's own lines (%magics, !shell commands) are blanked and
// everything after a "%%" line (the cell's main body) is ignored, so line
// numbers stay those of the cell.
func Parse(src string) ([]Decl, error) {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "%%" || strings.HasPrefix(t, "%main") {
			lines = lines[:i]
			break
		}
		if strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!") {
			lines[i] = ""
		}
	}
	fset := token.NewFileSet()
	const header = "package cell;"
	f, err := parser.ParseFile(fset, "cell.go", header+strings.Join(lines, "\n"), parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("not Go declarations: %w", err)
	}
	var decls []Decl
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, spec := range g.Specs {
			ds, err := specDecls(fset, f, g, spec.(*ast.ValueSpec), src)
			if err != nil {
				return nil, err
			}
			decls = append(decls, ds...)
		}
	}
	return decls, nil
}

// specDecls reads one var spec: "a, b int = 1, 2" is two parameters;
// "a, b = f()" cannot be set one by one and is refused.
func specDecls(fset *token.FileSet, f *ast.File, g *ast.GenDecl, s *ast.ValueSpec, src string) ([]Decl, error) {
	line := fset.Position(s.Pos()).Line
	if len(s.Values) != 0 && len(s.Values) != len(s.Names) {
		return nil, fmt.Errorf("line %d: %s share one value; declare each parameter with its own value", line, names(s))
	}
	typ := ""
	if s.Type != nil {
		typ = nodeText(fset, s.Type)
	}
	doc := comment(s.Comment)
	if doc == "" {
		doc = comment(s.Doc)
	}
	if doc == "" && len(g.Specs) == 1 {
		doc = comment(g.Doc)
	}
	var out []Decl
	for i, n := range s.Names {
		if n.Name == "_" {
			continue
		}
		d := Decl{Name: n.Name, Type: typ, Doc: doc, Line: line}
		if len(s.Values) > 0 {
			d.Default = nodeText(fset, s.Values[i])
		}
		out = append(out, d)
	}
	return out, nil
}

func names(s *ast.ValueSpec) string {
	var ns []string
	for _, n := range s.Names {
		ns = append(ns, n.Name)
	}
	return strings.Join(ns, ", ")
}

// nodeText prints a node back as Go source.
func nodeText(fset *token.FileSet, n ast.Node) string {
	var b strings.Builder
	if err := printNode(&b, fset, n); err != nil {
		return fmt.Sprintf("%v", n)
	}
	return b.String()
}

// comment returns a comment group's text on one line.
func comment(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	return strings.Join(strings.Fields(g.Text()), " ")
}

// HasTag reports whether a cell's metadata.tags holds tag.
func HasTag(c *ipynb.Cell, tag string) bool {
	return slices.Contains(tags(c), tag)
}

// tags returns a cell's metadata.tags.
func tags(c *ipynb.Cell) []string {
	raw, _ := c.Metadata["tags"].([]any)
	var out []string
	for _, t := range raw {
		if s, ok := t.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
