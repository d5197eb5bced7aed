package report

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"

	"github.com/lenslog/lenslog/pkg/ipynb"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A figure is one thing a code cell shows that a replay must show again:
// its printed text, each table (as cells, so a changed value is named by
// row and column) and each chart or image (by its bytes, which the same
// data renders to again). Progress on stderr is not a figure.
type figure struct {
	kind  string     // "text", "table" or "chart"
	name  string     // "table 2", "chart 1 (PNG)"
	text  string     // text: what was printed
	cells [][]string // table: header row first
	sum   [32]byte   // chart: the image's digest
}

// figures lists what a cell shows, in order; with pseudonyms (a redacted
// run, whose replay draws a fresh pseudonym key) each pseudonym reads as
// one placeholder, and charts, whose labels hold them, are left out.
func figures(c *ipynb.Cell, pseudonyms bool) []figure {
	var text strings.Builder
	var out []figure
	tables, charts := 0, 0
	for _, o := range c.Outputs {
		if o.Type == ipynb.Stream {
			if o.Name == "stdout" {
				text.WriteString(o.Text)
			}
			continue
		}
		if s, ok := o.DataText("text/html"); ok && strings.Contains(s, "<table") {
			for _, t := range htmlTables(s) {
				tables++
				out = append(out, figure{kind: "table", name: fmt.Sprintf("table %d", tables), cells: t})
			}
			continue
		}
		for _, mime := range []string{"image/png", "image/svg+xml", "image/jpeg"} {
			if s, ok := o.DataText(mime); ok && !pseudonyms {
				charts++
				out = append(out, figure{kind: "chart", name: fmt.Sprintf("chart %d (%s)", charts, mime), sum: sha256.Sum256([]byte(strings.Join(strings.Fields(s), "")))})
			}
		}
		if s, ok := o.DataText("text/html"); ok && strings.Contains(s, "<svg") && !pseudonyms {
			charts++
			out = append(out, figure{kind: "chart", name: fmt.Sprintf("chart %d (SVG)", charts), sum: sha256.Sum256([]byte(s))})
		} else if s, ok := o.DataText("text/markdown"); ok {
			text.WriteString(s + "\n")
		} else if s, ok := o.DataText("text/plain"); ok && len(o.Data) == 1 {
			text.WriteString(s + "\n")
		}
	}
	out = append([]figure{{kind: "text", name: "printed text", text: text.String()}}, out...)
	if pseudonyms {
		for i := range out {
			out[i].text = maskPseudonyms(out[i].text)
			for _, row := range out[i].cells {
				for k := range row {
					row[k] = maskPseudonyms(row[k])
				}
			}
		}
	}
	return out
}

// pseudonymRE matches the pseudonyms redaction writes (logs.Redactor):
// a kind, a dash and 13 characters of Crockford base32.
var pseudonymRE = regexp.MustCompile(`\b(key|machine|ip|email|user|name|id)-[0-9a-hjkmnp-tv-z]{13}\b`)

func maskPseudonyms(s string) string { return pseudonymRE.ReplaceAllString(s, "$1-…") }

// htmlTables parses the tables of an HTML fragment into rows of cell
// texts, header rows included.
func htmlTables(s string) [][][]string {
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return nil
	}
	var tables [][][]string
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.DataAtom == atom.Table {
			tables = append(tables, tableRows(n))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return tables
}

// tableRows returns the rows of a table node, each a list of cell texts.
func tableRows(t *xhtml.Node) [][]string {
	var rows [][]string
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.DataAtom == atom.Tr {
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == xhtml.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
					row = append(row, cellText(c))
				}
			}
			rows = append(rows, row)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(t)
	return rows
}

// cellText is a table cell's whole text: its title when a long value
// was cut for display (pkg/nb keeps the whole in the tooltip), else its
// text, spaces collapsed.
func cellText(c *xhtml.Node) string {
	for _, a := range c.Attr {
		if a.Key == "title" {
			return a.Val
		}
	}
	return strings.Join(strings.Fields(nodeText(c)), " ")
}

// nodeText is the text of a node and its children, leaving out <small>
// (pkg/nb's column types under a header).
func nodeText(n *xhtml.Node) string {
	if n.Type == xhtml.TextNode {
		return n.Data
	}
	if n.DataAtom == atom.Small {
		return ""
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}

// compareCell says how what cell n shows again differs from what it
// showed: every figure named, and for a table the row and column of the
// first cell that differs.
func compareCell(n int, was, is []figure) []string {
	var diffs []string
	if len(was) != len(is) {
		diffs = append(diffs, fmt.Sprintf("cell %d shows %d figures, the recorded run %d", n, len(is)-1, len(was)-1))
	}
	for i := range min(len(was), len(is)) {
		a, b := was[i], is[i]
		switch {
		case a.kind != b.kind || a.name != b.name:
			diffs = append(diffs, fmt.Sprintf("cell %d: %s is now %s", n, a.name, b.name))
		case a.kind == "text" && a.text != b.text:
			diffs = append(diffs, fmt.Sprintf("cell %d prints differently: %s", n, firstDifference(a.text, b.text)))
		case a.kind == "table":
			if d := tableDifference(a.cells, b.cells); d != "" {
				diffs = append(diffs, fmt.Sprintf("cell %d, %s: %s", n, a.name, d))
			}
		case a.kind == "chart" && a.sum != b.sum:
			diffs = append(diffs, fmt.Sprintf("cell %d, %s: the chart differs (its data or its look)", n, a.name))
		}
	}
	return diffs
}

// tableDifference names the first cell that differs between two tables
// by its row (the row's first cell, which is its key) and column (the
// header's name), or says how their shapes differ; "" when they are the
// same.
func tableDifference(was, is [][]string) string {
	if len(was) != len(is) {
		return fmt.Sprintf("%d rows, the recorded run %d", len(is)-1, len(was)-1)
	}
	for r := range was {
		if len(was[r]) != len(is[r]) {
			return fmt.Sprintf("row %d has %d cells, the recorded run %d", r, len(is[r]), len(was[r]))
		}
		for c := range was[r] {
			if was[r][c] == is[r][c] {
				continue
			}
			col := fmt.Sprintf("column %d", c+1)
			if len(was[0]) > c && was[0][c] != "" {
				col = fmt.Sprintf("column %q", was[0][c])
			}
			if r == 0 {
				return fmt.Sprintf("header of %s was %q, is %q", col, was[r][c], is[r][c])
			}
			key := 0 // the row's name: its first cell, or the first after an unnamed index column
			if len(was[0]) > 1 && was[0][0] == "" {
				key = 1
			}
			return fmt.Sprintf("row %d (%s), %s: was %q, is %q", r, was[r][key], col, was[r][c], is[r][c])
		}
	}
	return ""
}
