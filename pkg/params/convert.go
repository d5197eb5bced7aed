package params

import (
	"fmt"
	"go/printer"
	"go/token"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
)

func printNode(w io.Writer, fset *token.FileSet, n any) error {
	return (&printer.Config{Mode: printer.UseSpaces, Tabwidth: 4}).Fprint(w, fset, n)
}

// Value is a parameter value as given: text from the command line
// (-p name=value) or a scalar of a parameter file, or a list from a file.
type Value struct {
	Text   string
	List   []string
	IsList bool
}

// Text returns a Value holding s.
func Text(s string) Value { return Value{Text: s} }

// String returns the value as given; a list as "a,b,c".
func (v Value) String() string {
	if v.IsList {
		return strings.Join(v.List, ",")
	}
	return v.Text
}

// Types lists the declared types Convert can set, for messages.
const Types = "string, bool, int, int8-64, uint, uint8-64, float32, float64, time.Duration, time.Time, lenslog.Span, []string"

// ConvertError says that a value does not convert to a parameter's
// declared type, and why.
type ConvertError struct {
	Name  string // the parameter
	Type  string // its declared type
	Value string // the value as given
	Err   error  // why it does not convert
}

// Error returns e.g. `parameter product (int): "abc": not a whole number`.
func (e *ConvertError) Error() string {
	typ := e.Type
	if typ == "" {
		typ = "no declared type"
	}
	return fmt.Sprintf("parameter %s (%s): %q: %v", e.Name, typ, e.Value, e.Err)
}

// Unwrap returns the reason.
func (e *ConvertError) Unwrap() error { return e.Err }

// Converted is a value converted to its parameter's type.
type Converted struct {
	Expr string // a Go expression of the declared type, for the injected cell
	JSON any    // the value for metadata.papermill.parameters: a number, bool, string or list
}

// Convert turns v into a Go expression of d's declared type. A value that
// does not fit the type, or a type Convert cannot set, is a *ConvertError.
func Convert(d Decl, v Value) (Converted, error) {
	c, err := convert(d.Type, v)
	if err != nil {
		return c, &ConvertError{Name: d.Name, Type: d.Type, Value: v.String(), Err: err}
	}
	return c, nil
}

// intBits gives the size of each integer type.
var intBits = map[string]int{"int": 64, "int8": 8, "int16": 16, "int32": 32, "int64": 64,
	"uint": 64, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64, "byte": 8, "rune": 32}

func convert(typ string, v Value) (Converted, error) {
	if v.IsList && typ != "[]string" {
		return Converted{}, fmt.Errorf("a list, where one value is wanted")
	}
	s := strings.TrimSpace(v.Text)
	switch typ {
	case "":
		return Converted{}, fmt.Errorf("the parameters cell declares no type for it: write it as `var name TYPE = default` (types: %s)", Types)
	case "string":
		return Converted{Expr: strconv.Quote(v.Text), JSON: v.Text}, nil
	case "bool":
		b, err := strconv.ParseBool(s)
		if err != nil {
			return Converted{}, fmt.Errorf("want true or false")
		}
		return Converted{Expr: strconv.FormatBool(b), JSON: b}, nil
	case "float32", "float64":
		return convertFloat(typ, s)
	case "time.Duration":
		d, err := parseDuration(s)
		if err != nil {
			return Converted{}, err
		}
		return Converted{Expr: durationExpr(d), JSON: s}, nil
	case "time.Time":
		t, err := parseTime(s)
		if err != nil {
			return Converted{}, err
		}
		return Converted{Expr: timeExpr(t), JSON: t.Format(time.RFC3339Nano)}, nil
	case "lenslog.Span":
		sp, err := logs.ParseSpan(s)
		if err != nil {
			return Converted{}, err
		}
		return Converted{Expr: fmt.Sprintf("lenslog.MustParseSpan(%q)", sp.String()), JSON: sp.String()}, nil
	case "[]string":
		list := v.List
		if !v.IsList {
			list = splitList(v.Text)
		}
		quoted := make([]string, len(list))
		js := make([]any, len(list))
		for i, x := range list {
			quoted[i], js[i] = strconv.Quote(x), x
		}
		return Converted{Expr: "[]string{" + strings.Join(quoted, ", ") + "}", JSON: js}, nil
	}
	if bits, ok := intBits[typ]; ok {
		return convertInt(typ, bits, s)
	}
	return Converted{}, fmt.Errorf("lenslog cannot set a parameter of this type (it sets %s)", Types)
}

// splitList reads "a,b,c" as a list; "" is the empty list.
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return []string{}
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

func convertInt(typ string, bits int, s string) (Converted, error) {
	if strings.HasPrefix(typ, "u") || typ == "byte" {
		n, err := strconv.ParseUint(s, 10, bits)
		if err != nil {
			return Converted{}, numError(err, fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64)>>(64-bits)))
		}
		return Converted{Expr: strconv.FormatUint(n, 10), JSON: n}, nil
	}
	n, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		return Converted{}, numError(err, fmt.Sprintf("a whole number from %d to %d", int64(-1)<<(bits-1), int64(1)<<(bits-1)-1))
	}
	return Converted{Expr: strconv.FormatInt(n, 10), JSON: n}, nil
}

// numError says "out of range" or "not a number" with what is wanted.
func numError(err error, want string) error {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return fmt.Errorf("out of range: want %s", want)
	}
	if strings.HasPrefix(want, "a whole number from 0 ") {
		return fmt.Errorf("want a whole number from 0 up, such as 3941")
	}
	return fmt.Errorf("want a whole number, such as 3941")
}

// convertFloat reads a number, or a percentage such as "2.5%" (0.025).
func convertFloat(typ, s string) (Converted, error) {
	bits := 64
	if typ == "float32" {
		bits = 32
	}
	num, pct := strings.CutSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), bits)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return Converted{}, fmt.Errorf("want a number such as 0.05 or 5%%")
	}
	if pct {
		f /= 100
	}
	expr := strconv.FormatFloat(f, 'g', -1, bits)
	return Converted{Expr: expr, JSON: f}, nil
}

// parseDuration reads a Go duration (90m, 36h) or whole days or weeks
// (30d, 2w).
func parseDuration(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": logs.Day, "w": 7 * logs.Day} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			k, err := strconv.Atoi(n)
			if err != nil || k < 0 || k > 100*366 {
				break
			}
			return time.Duration(k) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 30d, 2w, 24h or 90m")
	}
	return d, nil
}

// durationExpr writes d as readable Go: "30 * 24 * time.Hour", "90 * time.Minute".
func durationExpr(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d%logs.Day == 0:
		return fmt.Sprintf("%d * 24 * time.Hour", d/logs.Day)
	case d%time.Hour == 0:
		return fmt.Sprintf("%d * time.Hour", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d * time.Minute", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%d * time.Second", d/time.Second)
	}
	return fmt.Sprintf("time.Duration(%d)", int64(d))
}

// parseTime reads a day (2026-10-04, midnight UTC) or an RFC 3339 time.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("want a day such as 2026-10-04 or a time such as 2026-10-04T08:00:00Z")
}

// timeExpr writes t as a time.Date call in UTC.
func timeExpr(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("time.Date(%d, %d, %d, %d, %d, %d, %d, time.UTC)",
		t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond())
}
