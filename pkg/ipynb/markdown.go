package ipynb

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// MarkdownHTML renders the common subset of Markdown used in notebooks to
// HTML: ATX and setext headings, paragraphs, emphasis, strong, strike-through,
// inline code, fenced and indented code blocks, bullet and numbered lists
// (nested by indentation), block quotes, rules, links, data: images and
// pipe tables. Everything else, raw HTML included, is escaped, and links
// with schemes other than http, https and mailto are dropped, so the result
// is safe to embed in a page.
func MarkdownHTML(src string) string {
	var b strings.Builder
	renderBlocks(&b, splitMarkdownLines(src), false)
	return b.String()
}

// splitMarkdownLines splits src into lines with tabs expanded to 4 spaces.
func splitMarkdownLines(src string) []string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		lines[i] = expandTabs(l)
	}
	return lines
}

// expandTabs replaces tabs by spaces up to the next multiple of 4.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

var (
	reATX       = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	reFence     = regexp.MustCompile("^( {0,3})(`{3,}|~{3,})[ \t]*([^`]*)$")
	reRule      = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	reQuote     = regexp.MustCompile(`^ {0,3}> ?`)
	reItem      = regexp.MustCompile(`^( {0,3})([-*+]|\d{1,9}[.)])( +|$)`)
	reSetext    = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	reDelimCell = regexp.MustCompile(`^:?-+:?$`)
)

// isBlank reports whether a line has only spaces.
func isBlank(l string) bool { return strings.TrimSpace(l) == "" }

// indentOf counts a line's leading spaces.
func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

// renderBlocks renders lines as a sequence of blocks. In tight mode (items
// of a tight list) paragraphs are not wrapped in <p>.
func renderBlocks(b *strings.Builder, lines []string, tight bool) {
	for i := 0; i < len(lines); {
		l := lines[i]
		switch {
		case isBlank(l):
			i++
		case reFence.MatchString(l):
			i = fencedCode(b, lines, i)
		case reATX.MatchString(l):
			m := reATX.FindStringSubmatch(l)
			heading(b, len(m[1]), m[2])
			i++
		case reRule.MatchString(l):
			b.WriteString("<hr>\n")
			i++
		case reQuote.MatchString(l):
			i = blockquote(b, lines, i)
		case reItem.MatchString(l):
			i = list(b, lines, i)
		case indentOf(l) >= 4:
			i = indentedCode(b, lines, i)
		case isTableStart(lines, i):
			i = table(b, lines, i)
		default:
			i = paragraph(b, lines, i, tight)
		}
	}
}

// heading writes <hN> with an id made from its text.
func heading(b *strings.Builder, level int, text string) {
	text = strings.TrimSpace(text)
	tag := "h" + strconv.Itoa(level)
	b.WriteString("<" + tag)
	if id := slug(plainText(text)); id != "" {
		b.WriteString(` id="` + id + `"`)
	}
	b.WriteString(">" + inline(text) + "</" + tag + ">\n")
}

// slug turns heading text into an anchor: lower case letters, digits and
// dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// fencedCode renders a ``` or ~~~ block starting at lines[i] and returns
// the index after it. An unclosed fence runs to the end.
func fencedCode(b *strings.Builder, lines []string, i int) int {
	m := reFence.FindStringSubmatch(lines[i])
	indent, fence := len(m[1]), m[2]
	lang := strings.Fields(m[3])
	var body []string
	j := i + 1
	for ; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if indentOf(lines[j]) < 4 && strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
			j++
			break
		}
		body = append(body, trimIndent(lines[j], indent))
	}
	b.WriteString("<pre><code")
	if len(lang) > 0 {
		b.WriteString(` class="language-` + html.EscapeString(lang[0]) + `"`)
	}
	b.WriteString(">")
	for _, l := range body {
		b.WriteString(html.EscapeString(l) + "\n")
	}
	b.WriteString("</code></pre>\n")
	return j
}

// trimIndent removes up to n leading spaces.
func trimIndent(l string, n int) string {
	k := min(indentOf(l), n)
	return l[k:]
}

// indentedCode renders a block of lines indented by 4 or more spaces.
func indentedCode(b *strings.Builder, lines []string, i int) int {
	var body []string
	j := i
	for ; j < len(lines) && (isBlank(lines[j]) || indentOf(lines[j]) >= 4); j++ {
		body = append(body, trimIndent(lines[j], 4))
	}
	for len(body) > 0 && isBlank(body[len(body)-1]) {
		body = body[:len(body)-1]
		j--
	}
	b.WriteString("<pre><code>")
	for _, l := range body {
		b.WriteString(html.EscapeString(l) + "\n")
	}
	b.WriteString("</code></pre>\n")
	return j
}

// blockquote renders consecutive "> " lines as a quote of blocks.
func blockquote(b *strings.Builder, lines []string, i int) int {
	var inner []string
	j := i
	for ; j < len(lines) && reQuote.MatchString(lines[j]); j++ {
		inner = append(inner, reQuote.ReplaceAllString(lines[j], ""))
	}
	b.WriteString("<blockquote>\n")
	renderBlocks(b, inner, false)
	b.WriteString("</blockquote>\n")
	return j
}

// startsBlock reports whether l begins a block that interrupts a paragraph.
func startsBlock(l string) bool {
	return reFence.MatchString(l) || reATX.MatchString(l) || reRule.MatchString(l) ||
		reQuote.MatchString(l) || reItem.MatchString(l)
}

// paragraph renders lines up to a blank line or another block; a following
// === or --- line makes it a heading instead.
func paragraph(b *strings.Builder, lines []string, i int, tight bool) int {
	var text []string
	j := i
	for ; j < len(lines) && !isBlank(lines[j]); j++ {
		if j > i && reSetext.MatchString(lines[j]) {
			level := 2
			if strings.Contains(lines[j], "=") {
				level = 1
			}
			heading(b, level, strings.Join(text, " "))
			return j + 1
		}
		if j > i && (startsBlock(lines[j]) || isTableStart(lines, j)) {
			break
		}
		text = append(text, strings.TrimLeft(lines[j], " "))
	}
	body := inline(strings.Join(text, "\n"))
	if tight {
		b.WriteString(body + "\n")
	} else {
		b.WriteString("<p>" + body + "</p>\n")
	}
	return j
}

// listMarker describes one list item's first line.
type listMarker struct {
	ordered bool
	delim   byte // '-', '*', '+', '.' or ')'
	start   int  // number of an ordered item
	content int  // column where the item's content starts
}

// parseMarker reads the list marker of l, if any.
func parseMarker(l string) (listMarker, bool) {
	m := reItem.FindStringSubmatch(l)
	if m == nil {
		return listMarker{}, false
	}
	mk := listMarker{content: len(m[0])}
	if len(m[3]) > 4 || m[3] == "" { // code after the marker, or empty item
		mk.content = len(m[1]) + len(m[2]) + 1
	}
	tok := m[2]
	mk.delim = tok[len(tok)-1]
	if mk.delim == '.' || mk.delim == ')' {
		mk.ordered = true
		mk.start, _ = strconv.Atoi(tok[:len(tok)-1])
	}
	return mk, true
}

// list renders a list starting at lines[i] and returns the index after it.
func list(b *strings.Builder, lines []string, i int) int {
	first, _ := parseMarker(lines[i])
	var items [][]string
	loose := false
	j := i
	for j < len(lines) {
		mk, ok := parseMarker(lines[j])
		if !ok || mk.ordered != first.ordered || mk.delim != first.delim {
			break
		}
		item, next, blankInside := listItem(lines, j, mk)
		items = append(items, item)
		loose = loose || blankInside
		j = next
		// A blank line between two items makes the list loose.
		k := j
		for k < len(lines) && isBlank(lines[k]) {
			k++
		}
		if k > j && k < len(lines) {
			if m2, ok := parseMarker(lines[k]); ok && m2.delim == first.delim {
				loose = true
				j = k
			}
		}
	}
	tag := "ul"
	if first.ordered {
		tag = "ol"
	}
	b.WriteString("<" + tag)
	if first.ordered && first.start != 1 {
		b.WriteString(` start="` + strconv.Itoa(first.start) + `"`)
	}
	b.WriteString(">\n")
	for _, item := range items {
		b.WriteString("<li>")
		renderBlocks(b, item, !loose)
		b.WriteString("</li>\n")
	}
	b.WriteString("</" + tag + ">\n")
	return j
}

// listItem collects the lines of the item at lines[i], with the item's
// indentation removed. It returns them, the index after the item, and
// whether a blank line separates blocks inside it.
func listItem(lines []string, i int, mk listMarker) ([]string, int, bool) {
	rest := lines[i][min(mk.content, len(lines[i])):]
	item := []string{strings.TrimLeft(rest, " ")}
	if indentOf(rest) >= 4 {
		item[0] = rest // indented code right after the marker
	}
	blankInside := false
	j := i + 1
	for ; j < len(lines); j++ {
		l := lines[j]
		switch {
		case isBlank(l):
			k := j
			for k < len(lines) && isBlank(lines[k]) {
				k++
			}
			if k == len(lines) || indentOf(lines[k]) < mk.content {
				return item, j, blankInside
			}
			blankInside = true
			item = append(item, "")
		case indentOf(l) >= mk.content:
			item = append(item, l[mk.content:])
		case !isBlank(item[len(item)-1]) && !startsBlock(l) && !isTableStart(lines, j):
			item = append(item, l) // lazy continuation of a paragraph
		default:
			return item, j, blankInside
		}
	}
	return item, j, blankInside
}

// isTableStart reports whether lines[i] is a pipe table's header row,
// followed by a delimiter row with as many cells.
func isTableStart(lines []string, i int) bool {
	if i+1 >= len(lines) || !strings.Contains(lines[i], "|") || indentOf(lines[i]) >= 4 {
		return false
	}
	head, delim := tableCells(lines[i]), tableCells(lines[i+1])
	if len(head) != len(delim) {
		return false
	}
	for _, d := range delim {
		if !reDelimCell.MatchString(d) {
			return false
		}
	}
	return true
}

// tableCells splits a table row at unescaped pipes and trims the cells.
func tableCells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var cells []string
	var cur strings.Builder
	for k := 0; k < len(row); k++ {
		switch {
		case row[k] == '\\' && k+1 < len(row) && row[k+1] == '|':
			cur.WriteByte('|')
			k++
		case row[k] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(row[k])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// table renders a pipe table and returns the index after it.
func table(b *strings.Builder, lines []string, i int) int {
	head := tableCells(lines[i])
	aligns := make([]string, len(head))
	for k, d := range tableCells(lines[i+1]) {
		switch {
		case strings.HasPrefix(d, ":") && strings.HasSuffix(d, ":"):
			aligns[k] = "center"
		case strings.HasSuffix(d, ":"):
			aligns[k] = "right"
		case strings.HasPrefix(d, ":"):
			aligns[k] = "left"
		}
	}
	b.WriteString("<table>\n<thead>\n")
	tableRow(b, "th", head, aligns)
	b.WriteString("</thead>\n<tbody>\n")
	j := i + 2
	for ; j < len(lines) && !isBlank(lines[j]) && strings.Contains(lines[j], "|") && !startsBlock(lines[j]); j++ {
		tableRow(b, "td", tableCells(lines[j]), aligns)
	}
	b.WriteString("</tbody>\n</table>\n")
	return j
}

// tableRow writes one <tr>, padding or cutting cells to the header's count.
func tableRow(b *strings.Builder, tag string, cells, aligns []string) {
	b.WriteString("<tr>")
	for k, a := range aligns {
		b.WriteString("<" + tag)
		if a != "" {
			b.WriteString(` style="text-align: ` + a + `"`)
		}
		b.WriteString(">")
		if k < len(cells) {
			b.WriteString(inline(cells[k]))
		}
		b.WriteString("</" + tag + ">")
	}
	b.WriteString("</tr>\n")
}

// firstHeading returns the text of the first heading in a markdown source,
// skipping fenced code.
func firstHeading(src string) (string, bool) {
	lines := splitMarkdownLines(src)
	inFence := false
	for i, l := range lines {
		if reFence.MatchString(l) {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		if m := reATX.FindStringSubmatch(l); m != nil && strings.TrimSpace(m[2]) != "" {
			return strings.TrimSpace(m[2]), true
		}
		if i+1 < len(lines) && !isBlank(l) && !startsBlock(l) && reSetext.MatchString(lines[i+1]) &&
			(i == 0 || isBlank(lines[i-1])) {
			return strings.TrimSpace(l), true
		}
	}
	return "", false
}

// plainText renders inline markdown and strips the markup, for titles.
func plainText(s string) string {
	h := inline(s)
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}
