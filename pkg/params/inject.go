package params

import (
	"errors"
	"fmt"
	"go/format"
	"strings"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// Target is one notebook a set of parameters is applied to.
type Target struct {
	Name     string // how messages name it, e.g. "02-success-ratio.ipynb"
	Notebook *ipynb.Notebook
}

// Resolved is one declared parameter with the value a set gives it.
type Resolved struct {
	Decl
	Value     Value
	Converted Converted
}

// Applied is what a set does to one notebook: the parameters it declares
// that the set gives, converted, and where its parameters cell is.
type Applied struct {
	Cell   int // index of the parameters cell; -1 when nothing applies
	Values []Resolved
}

// Apply checks a set against every notebook of a run before any of them
// runs: each name must be declared by at least one notebook (a name only
// some declare applies to those, and notes say so), each value must
// convert to the type each notebook declares, and every notebook must
// have a parameters cell. All problems are returned together, each naming
// the notebook, the parameter, its declared type and the value.
func Apply(targets []Target, set Set) ([]Applied, []string, error) {
	out := make([]Applied, len(targets))
	if len(set) == 0 {
		for i := range out {
			out[i].Cell = -1
		}
		return out, nil, nil
	}
	var errs []error
	declaredBy := map[string][]string{}
	for i, t := range targets {
		out[i].Cell = -1
		at, decls, err := Declared(t.Notebook)
		if err != nil {
			if errors.Is(err, ErrNoParametersCell) {
				err = fmt.Errorf("%w: tag the cell that declares its parameters %q (in Jupyter: View, Cell toolbar, Tags)", err, TagParameters)
			}
			errs = append(errs, fmt.Errorf("notebook %s: %w", t.Name, err))
			continue
		}
		out[i].Cell = at
		for _, a := range set {
			d, ok := find(decls, a.Name)
			if !ok {
				continue
			}
			declaredBy[a.Name] = append(declaredBy[a.Name], t.Name)
			c, err := Convert(d, a.Value)
			if err != nil {
				errs = append(errs, fmt.Errorf("notebook %s: %w", t.Name, err))
				continue
			}
			out[i].Values = append(out[i].Values, Resolved{Decl: d, Value: a.Value, Converted: c})
		}
	}
	var notes []string
	for _, a := range set {
		by := declaredBy[a.Name]
		switch {
		case len(by) == 0:
			errs = append(errs, fmt.Errorf("parameter %s: no notebook of this run declares it (%s)", a.Name, known(targets)))
		case len(by) < len(targets):
			notes = append(notes, fmt.Sprintf("%s=%s applies to %s only (the others do not declare %s)",
				a.Name, a.Value, strings.Join(by, ", "), a.Name))
		}
	}
	return out, notes, errors.Join(errs...)
}

// known lists the parameters the notebooks declare, for an unknown name.
func known(targets []Target) string {
	var names []string
	seen := map[string]bool{}
	for _, t := range targets {
		_, decls, _ := Declared(t.Notebook)
		for _, d := range decls {
			if !seen[d.Name] {
				seen[d.Name] = true
				names = append(names, d.Name+" "+d.Type)
			}
		}
	}
	if len(names) == 0 {
		return "they declare none"
	}
	return "they declare: " + strings.Join(names, ", ")
}

func find(decls []Decl, name string) (Decl, bool) {
	for _, d := range decls {
		if d.Name == name {
			return d, true
		}
	}
	return Decl{}, false
}

// Inject writes an applied set into nb: any earlier injected cell is
// removed, a cell tagged "injected-parameters" declaring the values goes
// right after the parameters cell (when any value applies), and
// metadata.papermill.parameters holds them.
func Inject(nb *ipynb.Notebook, a Applied) error {
	kept := nb.Cells[:0]
	for i, c := range nb.Cells {
		if HasTag(c, TagInjected) {
			if i < a.Cell {
				a.Cell--
			}
			continue
		}
		kept = append(kept, c)
	}
	nb.Cells = kept
	values := map[string]any{}
	for _, r := range a.Values {
		values[r.Name] = r.Converted.JSON
	}
	setPapermill(nb, values)
	if len(a.Values) == 0 || a.Cell < 0 {
		return nil
	}
	src, err := injectedSource(a.Values)
	if err != nil {
		return err
	}
	cell := &ipynb.Cell{ID: TagInjected, Type: ipynb.Code, Source: src,
		Metadata: map[string]any{"tags": []any{TagInjected}}}
	nb.Cells = append(nb.Cells[:a.Cell+1], append([]*ipynb.Cell{cell}, nb.Cells[a.Cell+1:]...)...)
	return nil
}

// injectedSource declares the values as GoNB reads them: one var each,
// which replaces the parameters cell's declaration of the same name.
func injectedSource(vs []Resolved) (string, error) {
	var b strings.Builder
	b.WriteString("// Parameters of this run (kernel run/report -p, -f): they replace the defaults above.\nvar (\n")
	for _, r := range vs {
		fmt.Fprintf(&b, "\t%s %s = %s\n", r.Name, r.Type, r.Converted.Expr)
	}
	b.WriteString(")\n")
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		return "", fmt.Errorf("injected parameters: %w", err)
	}
	return strings.TrimRight(string(out), "\n"), nil
}

// setPapermill records the parameters where papermill does, keeping any
// other papermill metadata.
func setPapermill(nb *ipynb.Notebook, values map[string]any) {
	if nb.Metadata.Other == nil {
		nb.Metadata.Other = map[string]any{}
	}
	pm, _ := nb.Metadata.Other["papermill"].(map[string]any)
	if pm == nil {
		pm = map[string]any{}
	}
	pm["parameters"] = values
	nb.Metadata.Other["papermill"] = pm
}

// Parameters returns what metadata.papermill.parameters holds, or nil.
func Parameters(nb *ipynb.Notebook) map[string]any {
	pm, _ := nb.Metadata.Other["papermill"].(map[string]any)
	p, _ := pm["parameters"].(map[string]any)
	return p
}
