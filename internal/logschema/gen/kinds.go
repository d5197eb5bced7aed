package main

import (
	"bytes"
	"log"
	"path"
	"slices"
	"strings"

	"github.com/lenslog/lenslog/internal/logschema"
)

// kinds writes pkg/lenslog's table kinds: for each table with a Load,
// the value that tells the generic loader (loadLog for the logs,
// loadUsage for the Usage Analytics tables, loadSnapshot for the
// inventory's) what differs for it, and the Account method that loads it.
// Tables without a Load are skipped.
func kinds(g *gen) {
	body := &gen{}
	kindsBody(body)
	var imports []string // those the body uses, the standard library first
	for _, im := range []string{"context", "iter", "time",
		"github.com/lenslog/lenslog/pkg/cryptolens", "github.com/lenslog/lenslog/pkg/logs",
		"github.com/lenslog/lenslog/pkg/logstore", "github.com/lenslog/lenslog/pkg/sample"} {
		if bytes.Contains(body.buf.Bytes(), []byte(path.Base(im)+".")) {
			imports = append(imports, im)
		}
	}
	g.header("lenslog", imports...)
	g.buf.Write(body.buf.Bytes())
}

// kindsBody writes the kinds, the Account methods and the logs redaction
// learns.
func kindsBody(g *gen) {
	var learned []logschema.Log
	for _, l := range logschema.Logs {
		switch {
		case l.Load == nil:
			continue
		case l.Inventory:
			snapshotKindOf(g, l)
			continue
		case l.Usage:
			usageKindOf(g, l)
		default:
			logKindOf(g, l)
			learned = append(learned, l)
		}
		g.p("")
		g.p("// %s %s", l.Load.Method, l.Load.Doc)
		g.p("func (a *Account) %s(span Span, filters ...Filter) (*logs.%s, error) {", l.Load.Method, l.Table)
		if l.Usage {
			g.p("\treturn loadUsage(a, %sKind, span, filters)", l.Kind)
		} else {
			g.p("\treturn loadLog(a, %sKind, span, filters)", l.Kind)
		}
		g.p("}")
	}
	g.p("")
	g.p("// learnedLogs are the logs whose identifiers redaction learns before it")
	g.p("// redacts free text (see learnOthers), by the names learnedWindows keeps.")
	g.p("var learnedLogs = []struct {")
	g.p("\tlog   string")
	g.p("\tlearn func(*Account, logs.Window) error")
	g.p("}{")
	for _, l := range learned {
		g.p("\t{%q, func(a *Account, w logs.Window) error { return learnLog(a, %sKind, w) }},", learnedName(l), l.Kind)
	}
	g.p("}")
}

// learnedName is how redaction names a log in messages: "web api".
func learnedName(l logschema.Log) string {
	return strings.TrimSuffix(strings.ToLower(l.Title), " log")
}

// columnOf returns the log's column with wire name wire, if any.
func columnOf(l logschema.Log, wire string) (column, bool) {
	for _, c := range l.Columns {
		if c.Wire == wire {
			return c, true
		}
	}
	return column{}, false
}

// hasPersonal reports whether a table has a column redaction changes.
func hasPersonal(l logschema.Log, kinds ...logschema.Personal) bool {
	for _, c := range l.Columns {
		if c.Personal != logschema.NotPersonal && (len(kinds) == 0 || slices.Contains(kinds, c.Personal)) {
			return true
		}
	}
	return false
}

// query is the pager's query type: the pager's name without its direction.
func query(pager string) string {
	return "cryptolens." + strings.TrimSuffix(strings.TrimSuffix(pager, "Backward"), "Forward") + "Query"
}

func logKindOf(g *gen, l logschema.Log) {
	R, T, ld := "cryptolens."+l.Row, "logs."+l.Table, l.Load
	g.p("")
	g.p("// %sKind is how the %s loads (see logKind).", l.Kind, l.Title)
	g.p("var %sKind = logKind[%s, %s]{", l.Kind, R, T)
	g.p("\tname: %q, title: %q, learned: %q, freeText: %v,", l.Name, l.Title, learnedName(l), hasPersonal(l, logschema.Text))
	g.p("\tcolumns: (*%s).ColumnNames(nil),", T)
	if c, ok := columnOf(l, "productId"); ok {
		g.p("\tproducts: func(t *%s) []int { return t.%s },", T, tableField(c))
	}
	g.p("\tids: func(t *%s) []int64 { return t.%s },", T, tableField(l.Columns[0]))
	g.p("\tsample: func(a *sample.Account) []%s { return a.%s },", R, ld.Rows)
	g.p("\tstored: logstore.%s, load: (*logstore.Store).%s,", ld.Store, ld.Store)
	g.p("\tpages: func(ctx context.Context, c *cryptolens.Client, w logs.Window) iter.Seq2[[]%s, error] {", R)
	if strings.HasSuffix(ld.Pager, "Backward") {
		g.p("\t\treturn c.%s(ctx, %s{}, w.From)", ld.Pager, query(ld.Pager))
	} else {
		g.p("\t\treturn c.%s(ctx, %s{})", ld.Pager, query(ld.Pager))
	}
	g.p("\t},")
	g.p("\tredact: (*logs.Redactor).%s,", l.Table)
	g.p("\tlearn: (*logs.Redactor).Learn%s,", l.Table)
	g.p("\tperiod: func(t *%s, w logs.Window) { t.Period = w },", T)
	g.p("}")
}

func usageKindOf(g *gen, l logschema.Log) {
	R, T, ld := "cryptolens."+l.Row, "logs."+l.Table, l.Load
	g.p("")
	g.p("// %sKind is how the %s load (see usageKind).", l.Kind, l.Title)
	g.p("var %sKind = usageKind[%s, %s]{", l.Kind, R, T)
	g.p("\ttable: logstore.%s, method: %q,", ld.Store, ld.API)
	g.p("\tsample: func(u *sample.Usage) []%s { return u.%s },", R, ld.Rows)
	g.p("\tpick: func(u *logstore.Usage) []%s { return u.%s },", R, ld.Rows)
	if ld.From != "" {
		from, ok := columnOf(l, ld.From)
		if !ok {
			log.Fatalf("table %s: Load.From %q names no column", l.Name, ld.From)
		}
		g.p("\tin: func(r *%s, w logs.Window) bool { return w.Overlaps(time.Unix(r.%s, 0).UTC(), r.RowTime()) },", R, from.Field)
	} else {
		g.p("\tin: func(r *%s, w logs.Window) bool { return w.Contains(r.RowTime()) },", R)
	}
	g.p("\tid: func(r *%s) int64 { return r.%s },", R, l.Columns[0].Field)
	if c, ok := columnOf(l, "productId"); ok {
		g.p("\tproduct: func(r *%s) int { return r.%s },", R, c.Field)
	}
	g.p("\tpages: func(ctx context.Context, c *cryptolens.Client, r cryptolens.UsageRange) iter.Seq2[[]%s, error] {", R)
	g.p("\t\treturn c.%s(ctx, %s{UsageRange: r})", ld.Pager, query(ld.Pager))
	g.p("\t},")
	g.p("\tbuild: tableOf[%s, %s],", T, R)
	if hasPersonal(l) {
		g.p("\tredact: (*logs.Redactor).%s,", l.Table)
	}
	g.p("\tsetPeriod: func(t *%s, w logs.Window) { t.Period = w },", T)
	g.p("}")
}

// snapshotKindOf writes an inventory table's kind and its Account method,
// which loads the table as of the account's now (no span), narrowed by
// Product when the table has a product column.
func snapshotKindOf(g *gen, l logschema.Log) {
	R, T, ld := "cryptolens."+l.Row, "logs."+l.Table, l.Load
	product, hasProduct := l.ProductColumn()
	g.p("")
	g.p("// %sKind is how the %s load (see snapshotKind).", l.Kind, l.Title)
	g.p("var %sKind = snapshotKind[%s, %s]{", l.Kind, R, T)
	g.p("\ttable: logstore.%s, method: %q, permission: %q,", ld.Store, ld.API, ld.Permission)
	g.p("\tpick: func(s *logstore.Snapshot) []%s { return s.%s },", R, ld.Rows)
	switch {
	case hasProduct && product.Kind == logschema.Int64:
		g.p("\tproduct: func(r *%s) int { return int(r.%s) },", R, product.Field)
	case hasProduct:
		g.p("\tproduct: func(r *%s) int { return r.%s },", R, product.Field)
	}
	g.p("\tbuild: tableOf[%s, %s],", T, R)
	if hasPersonal(l) {
		g.p("\tredact: (*logs.Redactor).%s,", l.Table)
	}
	g.p("\tsetPeriod: func(t *%s, w logs.Window) { t.Period = w },", T)
	g.p("}")
	g.p("")
	g.p("// %s %s", ld.Method, ld.Doc)
	if hasProduct {
		g.p("func (a *Account) %s(filters ...Filter) (*%s, error) {", ld.Method, T)
		g.p("\treturn loadSnapshot(a, %sKind, filters)", l.Kind)
	} else {
		g.p("func (a *Account) %s() (*%s, error) {", ld.Method, T)
		g.p("\treturn loadSnapshot(a, %sKind, nil)", l.Kind)
	}
	g.p("}")
}
