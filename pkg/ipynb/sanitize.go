package ipynb

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/microcosm-cc/bluemonday/css"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// SanitizeHTML makes HTML that a notebook produced (an output, or the HTML
// of a markdown cell) safe to embed in a report that is mailed to anyone.
// It works in three steps:
//
//  1. every <svg> element becomes an <img> showing the same picture from a
//     data:image/svg+xml URI, where nothing inside it can run or load;
//  2. the bluemonday allowlist [policy] keeps only what notebooks need
//     (text styling, headings, lists, tables, code, links, data: images)
//     and drops everything else: script, frames, forms, event handlers,
//     foreign content, <style>, unsafe URLs;
//  3. the result is parsed as a browser would and written out again, so
//     every element is closed inside the fragment, and style attributes
//     that are not plain values ([safeStyle]) are dropped.
//
// The page's Content-Security-Policy ([ContentSecurityPolicy]) stands
// behind all of this: a mistake here still runs and fetches nothing.
func SanitizeHTML(src string) string {
	return normalize(policy.Sanitize(inlineSVGAsImages(src)))
}

// policy is the allowlist for notebook HTML.
var policy = newPolicy()

var (
	// reDataImage matches the only image URLs a report may show: images
	// embedded as base64 data of a raster or SVG type.
	reDataImage = regexp.MustCompile(`^data:image/(?:png|jpeg|gif|svg\+xml);base64,[A-Za-z0-9+/]*={0,2}$`)
	// reLinkURL matches link targets a reader may follow: http, https and
	// mailto URLs, fragments and relative URLs (no scheme before the first
	// '/', '?' or '#').
	reLinkURL = regexp.MustCompile(`^(?:(?i:https?|mailto):|[^:]*$|[^:/?#]*[/?#])`)
	reClass   = regexp.MustCompile(`^[\w -]{1,200}$`)
	reID      = regexp.MustCompile(`^[\p{L}\p{N}_-]{1,200}$`)
	reNumber  = regexp.MustCompile(`^[0-9]{1,5}$`)
	reLength  = regexp.MustCompile(`^[0-9]{1,5}(?:\.[0-9]+)?(?:%|px)?$`)
	reAlign   = regexp.MustCompile(`(?i)^(?:left|right|center|justify)$`)
	reVAlign  = regexp.MustCompile(`(?i)^(?:top|middle|bottom|baseline)$`)
	reColor   = regexp.MustCompile(`^#?[A-Za-z0-9]{1,20}$`)
)

// styleProperties are the CSS properties a style attribute may set; each
// value must also pass bluemonday's check for that property and
// [safeStyle]. None of them takes a URL.
var styleProperties = []string{
	"color", "background-color", "opacity",
	"font-family", "font-size", "font-style", "font-weight", "font-variant",
	"text-align", "text-decoration", "text-indent", "text-transform",
	"vertical-align", "white-space", "word-break", "word-wrap", "overflow-wrap",
	"line-height", "letter-spacing",
	"margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
	"padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
	"border", "border-top", "border-right", "border-bottom", "border-left",
	"border-color", "border-style", "border-width", "border-radius",
	"border-collapse", "border-spacing",
	"width", "height", "min-width", "max-width", "min-height", "max-height",
	"overflow", "overflow-x", "overflow-y", "display",
	"list-style-type",
}

// newPolicy builds the allowlist: elements and attributes that notebooks
// (pkg/nb's tables, GoNB outputs, markdown) use, nothing that runs, loads,
// submits or embeds.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	headings := []string{"h1", "h2", "h3", "h4", "h5", "h6"}
	cells := []string{"th", "td"}
	tableParts := []string{"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "col", "colgroup"}

	p.AllowElements("p", "div", "span", "br", "hr", "wbr", "center",
		"b", "i", "u", "s", "strong", "em", "del", "ins", "mark", "small", "big", "sub", "sup", "tt",
		"code", "pre", "kbd", "samp", "var", "blockquote", "q", "abbr", "dfn", "cite",
		"ul", "ol", "li", "dl", "dt", "dd", "details", "summary", "figure", "figcaption")
	p.AllowElements(headings...)
	p.AllowElements(tableParts...)

	p.AllowAttrs("title").Globally()
	p.AllowAttrs("class").Matching(reClass).Globally()
	p.AllowAttrs("id").Matching(reID).OnElements(headings...)
	p.AllowAttrs("align").Matching(reAlign).OnElements(append([]string{"p", "div"}, append(headings, tableParts...)...)...)
	p.AllowAttrs("valign").Matching(reVAlign).OnElements(tableParts...)
	p.AllowAttrs("colspan", "rowspan").Matching(reNumber).OnElements(cells...)
	p.AllowAttrs("span").Matching(reNumber).OnElements("col", "colgroup")
	p.AllowAttrs("width", "height").Matching(reLength).OnElements("img", "table", "th", "td", "col")
	p.AllowAttrs("border", "cellpadding", "cellspacing").Matching(reNumber).OnElements("table")
	p.AllowAttrs("start").Matching(reNumber).OnElements("ol")
	p.AllowAttrs("value").Matching(reNumber).OnElements("li")
	p.AllowAttrs("type").Matching(bluemonday.ListType).OnElements("ol", "ul")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`^$`)).OnElements("details")
	p.AllowAttrs("color").Matching(reColor).OnElements("font")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("src").Matching(reDataImage).OnElements("img")
	p.AllowAttrs("href").Matching(reLinkURL).OnElements("a")

	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowURLSchemeWithCustomPolicy("data", func(u *url.URL) bool {
		return reDataImage.MatchString("data:" + u.Opaque)
	})

	p.AllowStyles(styleProperties...).Globally()
	// The background shorthand can take an image: only a colour passes.
	p.AllowStyles("background").MatchingHandler(css.ColorHandler).Globally()
	return p
}

// reSafeStyleValue matches a declaration value made of words, numbers,
// colours, quoted font names and rgb()/hsl() colours only: no url(), no
// image-set(), no escapes, no comments, nothing that makes CSS fetch.
var reSafeStyleValue = regexp.MustCompile(`^(?:[A-Za-z0-9#%.,!"' +-]|(?i:rgba?|hsla?)\([0-9.,%/ +-]*\))*$`)

// safeStyle keeps the declarations of a style attribute (as bluemonday
// writes them, "name: value; name: value") whose values are plain.
func safeStyle(style string) string {
	var keep []string
	for _, decl := range strings.Split(style, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(decl), ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if ok && reCSSName.MatchString(name) && reSafeStyleValue.MatchString(value) {
			keep = append(keep, name+": "+value)
		}
	}
	return strings.Join(keep, "; ")
}

var reCSSName = regexp.MustCompile(`^[a-z-]{1,40}$`)

// normalize parses sanitised HTML as the content of a <div>, the way a
// browser would, and writes it back: end tags that close nothing go,
// elements left open are closed, and style attributes keep only plain
// declarations. Images without a source are dropped.
func normalize(s string) string {
	ctx := &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return xhtml.EscapeString(s)
	}
	var b strings.Builder
	for _, n := range nodes {
		cleanTree(n)
		if n.Type == xhtml.ElementNode && n.DataAtom == atom.Img && !hasAttr(n, "src") {
			continue
		}
		if err := xhtml.Render(&b, n); err != nil {
			return xhtml.EscapeString(s)
		}
	}
	return b.String()
}

// cleanTree applies safeStyle to every style attribute below n and
// removes images without a source.
func cleanTree(n *xhtml.Node) {
	for i := 0; i < len(n.Attr); i++ {
		if n.Attr[i].Key != "style" {
			continue
		}
		if v := safeStyle(n.Attr[i].Val); v != "" {
			n.Attr[i].Val = v
			continue
		}
		n.Attr = append(n.Attr[:i], n.Attr[i+1:]...)
		i--
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == xhtml.ElementNode && c.DataAtom == atom.Img && !hasAttr(c, "src") {
			n.RemoveChild(c)
		} else {
			cleanTree(c)
		}
		c = next
	}
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *xhtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// Namespaces an SVG shown as an image must declare: a browser reads an
// image as XML, where an undeclared prefix is an error.
const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
)

// inlineSVGAsImages replaces each <svg> element in an HTML fragment by an
// <img> with the same SVG as a data: URI. Inside an image, an SVG's
// scripts, event handlers, links, animations and external references do
// nothing, so charts (GoNB's DisplaySVG sends them as <div><svg>...) keep
// showing while nothing in them can act. Input without "<svg" is returned
// as it is.
func inlineSVGAsImages(src string) string {
	if !containsFold(src, "<svg") {
		return src
	}
	ctx := &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := xhtml.ParseFragment(strings.NewReader(src), ctx)
	if err != nil {
		return src // the sanitiser still sees it, and drops <svg>
	}
	var b strings.Builder
	for _, n := range nodes {
		n = replaceSVG(n)
		if err := xhtml.Render(&b, n); err != nil {
			return src
		}
	}
	return b.String()
}

// replaceSVG returns n with every svg element at or below it replaced by
// an image.
func replaceSVG(n *xhtml.Node) *xhtml.Node {
	if n.Type == xhtml.ElementNode && n.Namespace == "svg" && n.Data == "svg" {
		var doc strings.Builder
		declareNamespaces(n)
		if err := xhtml.Render(&doc, n); err != nil {
			return &xhtml.Node{Type: xhtml.TextNode}
		}
		return svgImageNode(doc.String())
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if r := replaceSVG(c); r != c {
			n.InsertBefore(r, c)
			n.RemoveChild(c)
		}
		c = next
	}
	return n
}

// declareNamespaces adds the xmlns and xmlns:xlink declarations an SVG
// root needs to be read as XML, unless it has them.
func declareNamespaces(svg *xhtml.Node) {
	var hasNS, hasXlink bool
	for _, a := range svg.Attr {
		hasNS = hasNS || a.Namespace == "" && a.Key == "xmlns"
		hasXlink = hasXlink || a.Namespace == "xmlns" && a.Key == "xlink"
	}
	if !hasNS {
		svg.Attr = append(svg.Attr, xhtml.Attribute{Key: "xmlns", Val: svgNS})
	}
	if !hasXlink {
		svg.Attr = append(svg.Attr, xhtml.Attribute{Namespace: "xmlns", Key: "xlink", Val: xlinkNS})
	}
}

// svgImageNode returns an <img> element showing the SVG document svg.
func svgImageNode(svg string) *xhtml.Node {
	return &xhtml.Node{Type: xhtml.ElementNode, Data: "img", DataAtom: atom.Img, Attr: []xhtml.Attribute{
		{Key: "src", Val: svgDataURI(svg)},
		{Key: "alt", Val: "SVG image"},
	}}
}

// svgDataURI returns svg as a base64 data: URI.
func svgDataURI(svg string) string {
	return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg))
}

// containsFold reports whether s contains sub, ignoring ASCII case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}
