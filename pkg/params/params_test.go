package params

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Decl
	}{
		{"one typed var with a comment",
			"var window time.Duration = 30 * lenslog.Day // how far back to look, in days",
			[]Decl{{Name: "window", Type: "time.Duration", Default: "30 * lenslog.Day", Doc: "how far back to look, in days", Line: 1}}},
		{"grouped, with imports and a doc comment above one",
			"import (\n\t\"github.com/lenslog/lenslog/pkg/lenslog\"\n)\n\nvar (\n\tproduct int = 0 // the product; 0 means all\n\t// the span to read\n\tperiod lenslog.Span = lenslog.Last(30 * lenslog.Day)\n\tkey = \"\"\n)",
			[]Decl{
				{Name: "product", Type: "int", Default: "0", Doc: "the product; 0 means all", Line: 6},
				{Name: "period", Type: "lenslog.Span", Default: "lenslog.Last(30 * lenslog.Day)", Doc: "the span to read", Line: 8},
				{Name: "key", Type: "", Default: `""`, Line: 9},
			}},
		{"GoNB magics, shell lines and a main body are not declarations",
			"%noautoget\n!echo hi\nvar minShare float64 = 0.01 // share, 0..1\n%%\nvar notAParameter = 1",
			[]Decl{{Name: "minShare", Type: "float64", Default: "0.01", Doc: "share, 0..1", Line: 3}}},
		{"two names, two values, one type",
			"var lo, hi int = 1, 2 // bounds",
			[]Decl{{Name: "lo", Type: "int", Default: "1", Doc: "bounds", Line: 1}, {Name: "hi", Type: "int", Default: "2", Doc: "bounds", Line: 1}}},
		{"a list and a declaration without value",
			"var fields []string = []string{\"A\", \"B\"} // fields\nvar topN int",
			[]Decl{{Name: "fields", Type: "[]string", Default: `[]string{"A", "B"}`, Doc: "fields", Line: 1}, {Name: "topN", Type: "int", Line: 2}}},
		{"functions and constants are not parameters",
			"const x = 1\nfunc f() {}\nvar y bool = true",
			[]Decl{{Name: "y", Type: "bool", Default: "true", Line: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"tuple from one call", "var a, b = f()", "a, b share one value"},
		{"not Go", "var x int = ", "not Go declarations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		typ, value string
		expr       string
		json       any
	}{
		{"string", `it's "x"`, `"it's \"x\""`, `it's "x"`},
		{"string", "", `""`, ""},
		{"bool", "true", "true", true},
		{"bool", "0", "false", false},
		{"int", "3941", "3941", int64(3941)},
		{"int", "-5", "-5", int64(-5)},
		{"int8", "127", "127", int64(127)},
		{"uint16", "65535", "65535", uint64(65535)},
		{"float64", "0.05", "0.05", 0.05},
		{"float64", "2.5%", "0.025", 0.025},
		{"float32", "1e3", "1000", float64(float32(1000))},
		{"time.Duration", "30d", "30 * 24 * time.Hour", "30d"},
		{"time.Duration", "2w", "14 * 24 * time.Hour", "2w"},
		{"time.Duration", "36h", "36 * time.Hour", "36h"},
		{"time.Duration", "90m", "90 * time.Minute", "90m"},
		{"time.Duration", "1.5s", "time.Duration(1500000000)", "1.5s"},
		{"time.Time", "2026-10-04", "time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC)", "2026-10-04T00:00:00Z"},
		{"time.Time", "2026-10-04T10:30:00+02:00", "time.Date(2026, 10, 4, 8, 30, 0, 0, time.UTC)", "2026-10-04T08:30:00Z"},
		{"lenslog.Span", "last-30d", `lenslog.MustParseSpan("last-30d")`, "last-30d"},
		{"lenslog.Span", "2026-10", `lenslog.MustParseSpan("2026-10")`, "2026-10"},
		{"lenslog.Span", "2026-10-01..2026-10-31", `lenslog.MustParseSpan("2026-10-01..2026-10-31")`, "2026-10-01..2026-10-31"},
		{"lenslog.Span", "previous-month", `lenslog.MustParseSpan("previous-month")`, "previous-month"},
		{"[]string", "Block, MaxNoOfMachines", `[]string{"Block", "MaxNoOfMachines"}`, []any{"Block", "MaxNoOfMachines"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.value, func(t *testing.T) {
			c, err := Convert(Decl{Name: "p", Type: tt.typ}, Text(tt.value))
			if err != nil {
				t.Fatal(err)
			}
			if c.Expr != tt.expr || !reflect.DeepEqual(c.JSON, tt.json) {
				t.Errorf("got %s (%#v), want %s (%#v)", c.Expr, c.JSON, tt.expr, tt.json)
			}
		})
	}
}

func TestConvertErrors(t *testing.T) {
	tests := []struct {
		typ, value string
		want       string
	}{
		{"int", "abc", "want a whole number"},
		{"int", "1.5", "want a whole number"},
		{"int8", "300", "out of range: want a whole number from -128 to 127"},
		{"uint", "-1", "want a whole number from 0"},
		{"bool", "yes please", "want true or false"},
		{"float64", "NaN", "want a number"},
		{"time.Duration", "30 days", "want a duration"},
		{"time.Time", "04/10/2026", "want a day such as 2026-10-04"},
		{"lenslog.Span", "october", `span "october"`},
		{"lenslog.Span", "2026-10-31..2026-10-01", "ends before it starts"},
		{"lenslog.Span", "last-0d", "want a positive length"},
		{"", "5", "declares no type"},
		{"map[string]int", "x", "cannot set a parameter of this type"},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.value, func(t *testing.T) {
			_, err := Convert(Decl{Name: "product", Type: tt.typ}, Text(tt.value))
			var ce *ConvertError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConvertError", err)
			}
			msg := err.Error()
			for _, part := range []string{"parameter product", tt.value, tt.want} {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q does not say %q", msg, part)
				}
			}
		})
	}
	if _, err := Convert(Decl{Name: "n", Type: "int"}, Value{IsList: true, List: []string{"1"}}); err == nil {
		t.Error("a list converted to an int")
	}
}

// notebook returns a notebook with a setup cell, the given parameters
// cell (tagged unless src is ""), and a body cell.
func notebook(t *testing.T, src string) *ipynb.Notebook {
	t.Helper()
	nb := &ipynb.Notebook{Cells: []*ipynb.Cell{
		{Type: ipynb.Markdown, Source: "# Title"},
		{Type: ipynb.Code, Source: "%noautoget"},
	}}
	if src != "" {
		nb.Cells = append(nb.Cells, &ipynb.Cell{Type: ipynb.Code, Source: src,
			Metadata: map[string]any{"tags": []any{TagParameters}}})
	}
	nb.Cells = append(nb.Cells, &ipynb.Cell{Type: ipynb.Code, Source: "%%\nfmt.Println(product)"})
	return nb
}

func TestInject(t *testing.T) {
	nb := notebook(t, "var (\n\tproduct int = 0 // 0 means all\n\tperiod lenslog.Span = lenslog.Last(30 * lenslog.Day) // span\n)")
	set := Set{{Name: "period", Value: Text("2026-10")}, {Name: "product", Value: Text("3941")}}
	for run := 1; run <= 2; run++ { // the second run replaces the first's cell
		applied, notes, err := Apply([]Target{{Name: "a.ipynb", Notebook: nb}}, set)
		if err != nil || len(notes) != 0 {
			t.Fatalf("run %d: %v, notes %v", run, err, notes)
		}
		if err := Inject(nb, applied[0]); err != nil {
			t.Fatal(err)
		}
		set = set.With("product", Text("42"))
	}
	if len(nb.Cells) != 5 {
		t.Fatalf("%d cells, want 5 (one injected cell)", len(nb.Cells))
	}
	inj := nb.Cells[3]
	if !HasTag(inj, TagInjected) || HasTag(nb.Cells[2], TagInjected) {
		t.Fatal("the injected cell is not right after the parameters cell")
	}
	want := "var (\n\tperiod  lenslog.Span = lenslog.MustParseSpan(\"2026-10\")\n\tproduct int          = 42\n)"
	if !strings.HasSuffix(inj.Source, want) {
		t.Errorf("injected cell:\n%s\nwant it to end in:\n%s", inj.Source, want)
	}
	got := Parameters(nb)
	if !reflect.DeepEqual(got, map[string]any{"period": "2026-10", "product": int64(42)}) {
		t.Errorf("metadata.papermill.parameters = %#v", got)
	}
	// The injected cell parses as declarations of the same parameters.
	decls, err := Parse(inj.Source)
	if err != nil || len(decls) != 2 || decls[1].Type != "int" {
		t.Errorf("injected cell reads back as %+v, %v", decls, err)
	}
}

func TestApplyErrors(t *testing.T) {
	a := notebook(t, "var product int = 0 // all")
	b := notebook(t, "var product uint8 = 0 // all\nvar key string = \"\" // a key")
	none := notebook(t, "")
	tests := []struct {
		name    string
		targets []Target
		set     Set
		want    []string
	}{
		{"unknown name", []Target{{"a.ipynb", a}}, Set{{Name: "prodcut", Value: Text("1")}},
			[]string{"parameter prodcut: no notebook of this run declares it", "product int"}},
		{"does not convert, named per notebook", []Target{{"a.ipynb", a}, {"b.ipynb", b}}, Set{{Name: "product", Value: Text("3941")}},
			[]string{"notebook b.ipynb: parameter product (uint8): \"3941\": out of range"}},
		{"no parameters cell", []Target{{"a.ipynb", a}, {"none.ipynb", none}}, Set{{Name: "product", Value: Text("1")}},
			[]string{"notebook none.ipynb: no cell tagged \"parameters\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Apply(tt.targets, tt.set)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	// A name only some notebooks declare applies to those, with a note.
	applied, notes, err := Apply([]Target{{"a.ipynb", a}, {"b.ipynb", b}}, Set{{Name: "key", Value: Text("ABC")}})
	if err != nil || len(applied[0].Values) != 0 || len(applied[1].Values) != 1 {
		t.Fatalf("applied %+v, %v", applied, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "key=ABC applies to b.ipynb only") {
		t.Errorf("notes = %q", notes)
	}
}

func TestParseFile(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Set
	}{
		{"JSON object", `{"product": 3941, "period": "2026-10"}`,
			[]Set{{{Name: "product", Value: Text("3941")}, {Name: "period", Value: Text("2026-10")}}}},
		{"YAML list of sets", "- product: 3941\n  period: 2026-10\n- product: 3942\n  fields: [Block, Notes]\n",
			[]Set{
				{{Name: "product", Value: Text("3941")}, {Name: "period", Value: Text("2026-10")}},
				{{Name: "product", Value: Text("3942")}, {Name: "fields", Value: Value{IsList: true, List: []string{"Block", "Notes"}}}},
			}},
		{"JSON list, a date stays as written", `[{"from": "2026-10-01"}]`,
			[]Set{{{Name: "from", Value: Text("2026-10-01")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFile([]byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	for _, bad := range []struct{ name, data, want string }{
		{"scalar", "3941", "want a mapping"},
		{"nested mapping", "product: {a: 1}", "not a mapping"},
		{"twice", "product: 1\nproduct: 2", "given twice"},
		{"not a name", `{"pro duct": 1}`, "not a parameter name"},
		{"broken", "{", "not JSON or YAML"},
		{"list of scalars", "[1, 2]", "set 1 (line 1): want a mapping"},
	} {
		t.Run("error/"+bad.name, func(t *testing.T) {
			_, err := ParseFile([]byte(bad.data))
			if err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("err = %v, want it to say %q", err, bad.want)
			}
		})
	}
}

func TestFolder(t *testing.T) {
	tests := []struct {
		set  Set
		want string
	}{
		{Set{{Name: "product", Value: Text("3941")}, {Name: "period", Value: Text("2026-10")}}, "product-3941_period-2026-10"},
		{Set{{Name: "period", Value: Text("2026-10-01..2026-10-31")}}, "period-2026-10-01..2026-10-31"},
		{Set{{Name: "key", Value: Text("ABC/../x y")}}, "key-ABC-..-x-y~"},
		{Set{{Name: "s", Value: Text("a/b")}}, "s-a-b~"},
		{nil, "defaults"},
	}
	for _, tt := range tests {
		if got := tt.set.Folder(); !strings.HasPrefix(got, tt.want) || strings.HasSuffix(tt.want, "~") != (len(got) == len(tt.want)+12) {
			t.Errorf("%v: Folder() = %q, want %q (and a hash after a ~)", tt.set, got, tt.want)
		}
	}
	long := Set{{Name: "key", Value: Text(strings.Repeat("A", 200))}}
	if f := long.Folder(); len(f) > 80 || f == (Set{{Name: "key", Value: Text(strings.Repeat("A", 201))}}).Folder() {
		t.Errorf("long folder name %q is not cut to a unique name", f)
	}
}

// TestFolderInjective holds Folder to one folder per set: sets whose
// names would read alike (a character mapped to "-", an empty value, a
// long value cut) get folders of their own.
func TestFolderInjective(t *testing.T) {
	one := func(kv ...string) Set {
		var s Set
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, Assignment{Name: kv[i], Value: Text(kv[i+1])})
		}
		return s
	}
	long := strings.Repeat("A", 90)
	sets := []Set{
		one("s", "a/b"), one("s", "a-b"), one("s", "a b"), one("s", "a_b"),
		one("s", ""), one("s", "empty"), one("s", "."), one("s", ".x"), one("s", "x"),
		one("s", "a", "t", "b"), one("s", "a_t-b"), one("s_t", "b"),
		one("s", long+"1"), one("s", long+"2"), nil,
	}
	seen := map[string]string{}
	for _, s := range sets {
		f := s.Folder()
		if prev, dup := seen[f]; dup {
			t.Errorf("sets %q and %q share the folder %q", prev, s.String(), f)
		}
		seen[f] = s.String()
	}
}

func TestParseAssignment(t *testing.T) {
	a, err := ParseAssignment("period=2026-10-01..2026-10-31")
	if err != nil || a.Name != "period" || a.Value.Text != "2026-10-01..2026-10-31" {
		t.Errorf("got %+v, %v", a, err)
	}
	for _, bad := range []string{"period", "=1", "9x=1", "a b=1"} {
		if _, err := ParseAssignment(bad); err == nil || !strings.Contains(err.Error(), "want name=value") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

// TestValuesArePrintable holds -p and -f values to what can reach a
// terminal unharmed: escape sequences, control and format characters are
// dropped as the value is read.
func TestValuesArePrintable(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "2026-10", "2026-10"},
		{"colour", "a\x1b[31mred\x1b[0m", "ared"},
		{"title (OSC)", "a\x1b]0;pwned\x07b", "ab"},
		{"line break", "a\nforged line\r", "aforged line"},
		{"bidi override", "a\u202eb", "ab"},
		{"C1 CSI", "a\u009b2Jb", "a2Jb"},
		{"lone escape", "a\x1b", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAssignment("s=" + tt.in)
			if err != nil || a.Value.Text != tt.want {
				t.Errorf("-p s=%q: %q, %v; want %q", tt.in, a.Value.Text, err, tt.want)
			}
			sets, err := ParseFile([]byte(fmt.Sprintf("s: %q\nl: [%q]\n", tt.in, tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := sets[0].Get("s"); v.Text != tt.want {
				t.Errorf("file s: %q: %q, want %q", tt.in, v.Text, tt.want)
			}
			if v, _ := sets[0].Get("l"); len(v.List) != 1 || v.List[0] != tt.want {
				t.Errorf("file l: [%q]: %q, want [%q]", tt.in, v.List, tt.want)
			}
		})
	}
	if _, err := ParseAssignment("a\u009bb=1"); err == nil {
		t.Errorf("a name with a C1 control was taken")
	}
}
