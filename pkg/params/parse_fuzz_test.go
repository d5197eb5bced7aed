package params

import "testing"

// FuzzParse checks that Parse never panics on a cell's source, and that
// what it accepts declares named parameters whose injected form parses
// back to the same names and types.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"var x int = 1 // x", "var (\n\ta string = \"\"\n\tb, c float64 = 1, 2\n)", "%%\nvar y = 2",
		"import \"fmt\"\nvar t time.Duration = 30 * lenslog.Day", "var a, b = f()", "!ls\nvar s []string"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		decls, err := Parse(src)
		if err != nil {
			return
		}
		var rs []Resolved
		for _, d := range decls {
			if d.Name == "" {
				t.Fatalf("a declaration without a name in %q", src)
			}
			if d.Type != "" {
				rs = append(rs, Resolved{Decl: d, Converted: Converted{Expr: "x"}})
			}
		}
		if len(rs) == 0 {
			return
		}
		inj, err := injectedSource(rs)
		if err != nil {
			return // a type the printer wrote that is not valid on its own, e.g. from a broken cell
		}
		back, err := Parse(inj)
		if err != nil || len(back) != len(rs) {
			t.Fatalf("injected %q reads back as %+v, %v", inj, back, err)
		}
	})
}
