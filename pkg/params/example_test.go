package params_test

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/params"
)

func ExampleParse() {
	decls, err := params.Parse(`var (
	period  lenslog.Span = lenslog.Last(30 * lenslog.Day) // the time span to read
	product int          = 0                              // the product; 0 means all
)`)
	if err != nil {
		panic(err)
	}
	for _, d := range decls {
		fmt.Printf("%s %s = %s // %s\n", d.Name, d.Type, d.Default, d.Doc)
	}
	// Output:
	// period lenslog.Span = lenslog.Last(30 * lenslog.Day) // the time span to read
	// product int = 0 // the product; 0 means all
}

func ExampleConvert() {
	for _, v := range []struct{ typ, value string }{
		{"lenslog.Span", "2026-10"},
		{"time.Duration", "2w"},
		{"float64", "2.5%"},
		{"int", "many"},
	} {
		c, err := params.Convert(params.Decl{Name: "p", Type: v.typ}, params.Text(v.value))
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(c.Expr)
	}
	// Output:
	// lenslog.MustParseSpan("2026-10")
	// 14 * 24 * time.Hour
	// 0.025
	// parameter p (int): "many": want a whole number, such as 3941
}
