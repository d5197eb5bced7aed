package ipynb

import (
	"html"
	"regexp"
	"strings"
)

// inline renders inline markdown (emphasis, code, links) to safe HTML.
func inline(s string) string {
	var b strings.Builder
	renderInline(&b, s, true)
	return b.String()
}

var (
	reAutolink  = regexp.MustCompile(`^<((?:https?://|mailto:)[^\s<>]+)>`)
	reDataImage = regexp.MustCompile(`^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$`)
)

// renderInline writes s as HTML. links is false inside a link's text, where
// nested links are not allowed.
func renderInline(b *strings.Builder, s string, links bool) {
	for i := 0; i < len(s); {
		if n := inlineSpan(b, s, i, links); n > 0 {
			i += n
			continue
		}
		b.WriteString(escapeByte(s[i]))
		i++
	}
}

// inlineSpan renders the construct starting at s[i], if there is one, and
// returns how many bytes it used; 0 means s[i] is plain text.
func inlineSpan(b *strings.Builder, s string, i int, links bool) int {
	switch s[i] {
	case '\\':
		return backslash(b, s, i)
	case '`':
		return codeSpan(b, s, i)
	case '!':
		if i+1 < len(s) && s[i+1] == '[' {
			return image(b, s, i)
		}
	case '[':
		if links {
			return link(b, s, i)
		}
	case '<':
		if m := reAutolink.FindStringSubmatch(s[i:]); m != nil && links {
			writeLink(b, m[1], "", html.EscapeString(m[1]))
			return len(m[0])
		}
	case '*', '_', '~':
		return emphasis(b, s, i, links)
	case ' ':
		return lineEnd(b, s, i)
	}
	return 0
}

// backslash handles an escaped punctuation character or a hard line break.
func backslash(b *strings.Builder, s string, i int) int {
	if i+1 >= len(s) {
		return 0
	}
	c := s[i+1]
	switch {
	case c == '\n':
		b.WriteString("<br>\n")
		return 2
	case strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0:
		b.WriteString(escapeByte(c))
		return 2
	}
	return 0
}

// lineEnd turns two or more spaces before a newline into a hard break and
// drops a single one.
func lineEnd(b *strings.Builder, s string, i int) int {
	j := i
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if j >= len(s) || s[j] != '\n' {
		return 0
	}
	if j-i >= 2 {
		b.WriteString("<br>")
	}
	return j - i
}

// codeSpan renders `code` delimited by equal runs of backticks; an
// unmatched run is literal text.
func codeSpan(b *strings.Builder, s string, i int) int {
	n := runLen(s, i)
	tick := s[i : i+n]
	for j := i + n; j < len(s); {
		k := strings.Index(s[j:], tick)
		if k < 0 {
			break
		}
		k += j
		if runLen(s, k) != n {
			j = k + runLen(s, k)
			continue
		}
		code := strings.ReplaceAll(s[i+n:k], "\n", " ")
		if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.TrimSpace(code) != "" {
			code = code[1 : len(code)-1]
		}
		b.WriteString("<code>" + html.EscapeString(code) + "</code>")
		return k + n - i
	}
	b.WriteString(tick)
	return n
}

// runLen counts repeats of s[i] starting at i.
func runLen(s string, i int) int {
	j := i
	for j < len(s) && s[j] == s[i] {
		j++
	}
	return j - i
}

// emphasis renders *em*, _em_, **strong**, __strong__, ***both*** and
// ~~strike~~. Underscores inside words stay literal (snake_case).
func emphasis(b *strings.Builder, s string, i int, links bool) int {
	d := s[i]
	n := runLen(s, i)
	if d == '~' && n != 2 || n > 3 {
		b.WriteString(s[i : i+n])
		return n
	}
	if i+n >= len(s) || isSpace(s[i+n]) || (d == '_' && i > 0 && isAlnum(s[i-1])) {
		b.WriteString(s[i : i+n])
		return n
	}
	delim := s[i : i+n]
	end := closingDelim(s, i+n, delim)
	if end < 0 {
		b.WriteString(delim)
		return n
	}
	open, close := emphasisTags(d, n)
	b.WriteString(open)
	renderInline(b, s[i+n:end], links)
	b.WriteString(close)
	return end + n - i
}

// closingDelim finds delim closing an emphasis opened before from: not
// after a space, and for underscores not followed by a letter or digit.
func closingDelim(s string, from int, delim string) int {
	for j := from + 1; j+len(delim) <= len(s); j++ {
		if s[j:j+len(delim)] != delim || isSpace(s[j-1]) {
			continue
		}
		after := j + len(delim)
		if after < len(s) && s[after] == delim[0] {
			continue // part of a longer run
		}
		if delim[0] == '_' && after < len(s) && isAlnum(s[after]) {
			continue
		}
		return j
	}
	return -1
}

// emphasisTags returns the HTML tags for a delimiter run.
func emphasisTags(d byte, n int) (string, string) {
	switch {
	case d == '~':
		return "<del>", "</del>"
	case n == 1:
		return "<em>", "</em>"
	case n == 2:
		return "<strong>", "</strong>"
	}
	return "<strong><em>", "</em></strong>"
}

// link renders [text](url "title"); a link with an unsafe URL becomes its
// text.
func link(b *strings.Builder, s string, i int) int {
	text, dest, title, n := parseLink(s, i)
	if n == 0 {
		return 0
	}
	var inner strings.Builder
	renderInline(&inner, text, false)
	writeLink(b, dest, title, inner.String())
	return n
}

// image renders ![alt](src): data: images inline, any other safe URL as a
// link (a report never loads anything from the network).
func image(b *strings.Builder, s string, i int) int {
	alt, dest, title, n := parseLink(s, i+1)
	if n == 0 {
		return 0
	}
	alt = plainText(alt)
	if reDataImage.MatchString(dest) {
		b.WriteString(`<img src="` + html.EscapeString(dest) + `" alt="` + html.EscapeString(alt) + `">`)
		return n + 1
	}
	label := alt
	if label == "" {
		label = dest
	}
	writeLink(b, dest, title, html.EscapeString(label))
	return n + 1
}

// writeLink writes an <a> around inner HTML, or just inner if the URL is
// not safe.
func writeLink(b *strings.Builder, dest, title, inner string) {
	if !safeURL(dest) {
		b.WriteString(inner)
		return
	}
	b.WriteString(`<a href="` + html.EscapeString(dest) + `"`)
	if title != "" {
		b.WriteString(` title="` + html.EscapeString(title) + `"`)
	}
	b.WriteString(">" + inner + "</a>")
}

// parseLink parses "[text](dest "title")" at s[i] and returns its parts and
// length, or n == 0 if s[i:] is not a link.
func parseLink(s string, i int) (text, dest, title string, n int) {
	close := matching(s, i, '[', ']')
	if close < 0 || close+1 >= len(s) || s[close+1] != '(' {
		return "", "", "", 0
	}
	end := matching(s, close+1, '(', ')')
	if end < 0 {
		return "", "", "", 0
	}
	text = s[i+1 : close]
	dest, title = splitDest(strings.TrimSpace(s[close+2 : end]))
	return text, dest, title, end + 1 - i
}

// matching returns the index of the bracket closing the one at s[i],
// honouring nesting and backslash escapes, or -1.
func matching(s string, i int, open, close byte) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// splitDest splits a link's parenthesised part into URL and optional
// quoted title.
func splitDest(p string) (string, string) {
	if strings.HasPrefix(p, "<") {
		if k := strings.IndexByte(p, '>'); k > 0 {
			return p[1:k], unquote(strings.TrimSpace(p[k+1:]))
		}
	}
	k := strings.IndexAny(p, " \t\n")
	if k < 0 {
		return p, ""
	}
	return p[:k], unquote(strings.TrimSpace(p[k+1:]))
}

// unquote strips matching "…", '…' or (…) around a title.
func unquote(t string) string {
	if len(t) >= 2 {
		f, l := t[0], t[len(t)-1]
		if (f == '"' && l == '"') || (f == '\'' && l == '\'') || (f == '(' && l == ')') {
			return t[1 : len(t)-1]
		}
	}
	return t
}

// safeURL accepts relative URLs, fragments and the http, https and mailto
// schemes; anything else (javascript:, data:, file:, ...) is refused.
func safeURL(u string) bool {
	u = strings.TrimSpace(u)
	if u == "" {
		return false
	}
	colon := strings.IndexByte(u, ':')
	if colon < 0 || strings.ContainsAny(u[:colon], "/?#") {
		return true
	}
	switch strings.ToLower(u[:colon]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// escapeByte returns the HTML text for one byte of UTF-8 text.
func escapeByte(c byte) string {
	switch c {
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '&':
		return "&amp;"
	case '"':
		return "&#34;"
	case '\'':
		return "&#39;"
	}
	return string([]byte{c})
}

// isSpace reports whether c is ASCII white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
