package nb

import (
	"fmt"
	"html"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/lenslog/lenslog/pkg/format"
)

// Cell width limits: text tables cut cells to keep columns aligned, HTML
// tables cut very long cells (e.g. JSON metadata) and keep the full text
// in a tooltip.
const (
	maxTextCell = 40
	maxHTMLCell = 40
)

// table is the part of a frame a display shows: a head and a tail of
// formatted rows, with what was left out.
type table struct {
	names   []string
	types   []series.Type
	rows    [][]string // formatted cells of the shown rows
	index   []int      // frame row number of each shown row
	skipped int        // rows left out between head and tail
	total   int        // rows in the frame
	cutAt   int        // index into rows where the "more rows" line goes
}

// cutTable formats the first head and last tail rows of df. It touches
// only those rows, so its cost does not grow with the frame.
func cutTable(df dataframe.DataFrame, head, tail int) table {
	n := df.Nrow()
	t := table{names: df.Names(), types: df.Types(), total: n}
	if n <= head+tail {
		head, tail = n, 0
	}
	t.cutAt = head
	t.skipped = n - head - tail
	for r := range head {
		t.add(df, r)
	}
	for r := n - tail; r < n; r++ {
		t.add(df, r)
	}
	t.alignTimes()
	return t
}

// pickedTable formats every row of df, a frame of rows idx (ascending) of
// a table of total rows; the "more rows" line goes before shown row cutAt.
func pickedTable(df dataframe.DataFrame, idx []int, total, cutAt int) table {
	t := table{names: df.Names(), types: df.Types(), total: total, cutAt: cutAt, skipped: total - len(idx)}
	for r := range df.Nrow() {
		t.add(df, r)
	}
	t.index = append(t.index[:0], idx...)
	t.alignTimes()
	return t
}

var (
	dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? UTC$`)
)

// alignTimes writes a column of instants one way: where some shown cells
// have a time of day, a midnight shown as its date alone gets " 00:00 UTC"
// too, so "2026-10-10" does not stand among "2026-11-04 20:30 UTC" as if
// it were another kind of value.
func (t *table) alignTimes() {
	for c, ty := range t.types {
		if ty != series.String {
			continue
		}
		timed := slices.ContainsFunc(t.rows, func(row []string) bool { return dateTime.MatchString(row[c]) })
		if !timed {
			continue
		}
		for _, row := range t.rows {
			if dateOnly.MatchString(row[c]) {
				row[c] += " 00:00 UTC"
			}
		}
	}
}

func (t *table) add(df dataframe.DataFrame, r int) {
	cells := make([]string, len(t.names))
	for c := range cells {
		cells[c] = formatCell(df.Elem(r, c), t.names[c])
	}
	t.rows = append(t.rows, cells)
	t.index = append(t.index, r)
}

// formatCell writes one value of column name in the house style of
// pkg/format: "n/a" for missing (NaN too, as format.Share writes it); shares (a float column whose name says
// share, ratio or rate) as percent; other numbers with thousands
// separators, except identifiers and codes; times and durations Go
// printed as text as dates and "3 d 16 h".
func formatCell(e series.Element, name string) string {
	if e.IsNA() {
		return "n/a"
	}
	switch e.Type() {
	case series.Float:
		v := e.Float()
		if format.ShareColumn(name) && v >= 0 && v <= 1 {
			return format.Share(v)
		}
		if identifier(name) {
			return formatFloat(v)
		}
		return format.Number(v)
	case series.Int:
		if identifier(name) {
			return e.String()
		}
		v, err := e.Int()
		if err != nil {
			return e.String()
		}
		return format.Count(v)
	case series.String:
		return format.Text(e.String())
	}
	return e.String()
}

// identifierWords mark a numeric column of names rather than amounts
// (a ProductId, a state code, a year), written without separators.
var identifierWords = []string{"id", "product", "state", "code", "year", "version"}

// identifier reports whether a numeric column holds identifiers or codes.
func identifier(name string) bool {
	for _, w := range strings.Fields(strings.ToLower(format.Header(name))) {
		for _, id := range identifierWords {
			if w == id || w == id+"s" {
				return true
			}
		}
	}
	return false
}

// formatFloat writes whole numbers without decimals and others with at
// most four significant decimals (scientific for very small or large).
func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) < 1e-3 || math.Abs(v) >= 1e15:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

func numeric(t series.Type) bool { return t == series.Int || t == series.Float }

// footer is the size line, e.g. "1,000,000 rows × 3 columns".
func (t table) footer() string {
	return format.Counted(t.total, "row", "rows") + " × " + format.Counted(len(t.names), "column", "columns")
}

// moreLine is the line standing for the rows left out.
func (t table) moreLine() string {
	return "… " + format.Counted(t.skipped, "more row", "more rows") + " …"
}

// cutRunes shortens s to n runes with a trailing ellipsis.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// html renders the table for a reader: headers in words, numbers
// right-aligned and on one line, text wrapping, every cell escaped.
func (t table) html() string {
	var b strings.Builder
	b.WriteString(`<div><table class="lenslog-frame" style="border-collapse:collapse;font-size:90%">` + "\n<thead><tr><th></th>")
	for c, name := range t.names {
		fmt.Fprintf(&b, `<th style="text-align:%s">%s</th>`, align(t.types[c]), html.EscapeString(format.Header(name)))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for i, row := range t.rows {
		if i == t.cutAt && t.skipped > 0 {
			t.htmlMore(&b)
		}
		fmt.Fprintf(&b, `<tr><th style="color:#777;font-weight:normal">%d</th>`, t.index[i])
		for c, cell := range row {
			t.htmlCell(&b, c, cell)
		}
		b.WriteString("</tr>\n")
	}
	fmt.Fprintf(&b, "</tbody>\n</table></div>\n<div style=\"color:#777;font-size:85%%\">%s</div>\n", t.footer())
	return b.String()
}

func (t table) htmlMore(b *strings.Builder) {
	fmt.Fprintf(b, `<tr><td colspan="%d" style="text-align:center;color:#777">%s</td></tr>`+"\n", len(t.names)+1, t.moreLine())
}

func (t table) htmlCell(b *strings.Builder, c int, cell string) {
	// Numbers stay on one line; text wraps, so a wide table fits the page.
	style := "text-align:" + align(t.types[c])
	if numeric(t.types[c]) {
		style = "white-space:nowrap;" + style
	}
	if cell == "NA" {
		style += ";color:#999"
	}
	if short := cutRunes(cell, maxHTMLCell); short != cell {
		fmt.Fprintf(b, `<td style="%s" title="%s">%s</td>`, style, html.EscapeString(cell), html.EscapeString(short))
		return
	}
	fmt.Fprintf(b, `<td style="%s">%s</td>`, style, html.EscapeString(cell))
}

func align(t series.Type) string {
	if numeric(t) {
		return "right"
	}
	return "left"
}

// text renders the table with aligned columns: names, then types, then
// rows, numbers right-aligned.
func (t table) text() string {
	cols := len(t.names) + 1
	lines := [][]string{append([]string{""}, t.names...), make([]string, cols)}
	for c, ty := range t.types {
		lines[1][c+1] = string(ty)
	}
	for i, row := range t.rows {
		line := append([]string{strconv.Itoa(t.index[i])}, row...)
		for c := range line {
			line[c] = cutRunes(line[c], maxTextCell)
		}
		lines = append(lines, line)
	}
	width := make([]int, cols)
	for _, line := range lines {
		for c, cell := range line {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for i, line := range lines {
		if i-2 == t.cutAt && t.skipped > 0 {
			b.WriteString(t.moreLine() + "\n")
		}
		t.textLine(&b, line, width)
	}
	b.WriteString(t.footer() + "\n")
	return b.String()
}

func (t table) textLine(b *strings.Builder, line []string, width []int) {
	var l strings.Builder
	for c, cell := range line {
		pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(cell))
		if c > 0 {
			l.WriteString("  ")
		}
		if c == 0 || numeric(t.types[c-1]) {
			l.WriteString(pad + cell)
		} else {
			l.WriteString(cell + pad)
		}
	}
	b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
}
