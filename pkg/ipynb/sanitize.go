package ipynb

import (
	"html"
	"io"
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"
)

// dropWithContent lists elements removed together with everything inside:
// they run code or pull in other documents.
var dropWithContent = map[string]bool{
	"script": true, "iframe": true, "object": true, "embed": true, "applet": true,
	"frame": true, "frameset": true, "noscript": true, "template": true, "title": true,
}

// dropTag lists elements whose tags are removed but whose content is kept:
// they load resources or change the page as a whole.
var dropTag = map[string]bool{
	"link": true, "meta": true, "base": true, "html": true, "head": true, "body": true,
	"form": true, "input": true, "button": true, "textarea": true, "select": true,
}

// voidTags are elements without an end tag.
var voidTags = map[string]bool{
	"area": true, "br": true, "col": true, "hr": true, "img": true, "source": true,
	"track": true, "wbr": true,
}

// urlAttrs are attributes holding URLs.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "xlink:href": true, "action": true, "formaction": true,
	"poster": true, "background": true, "srcset": true, "cite": true, "data": true,
}

// reUnsafeCSS finds CSS that loads something or runs script.
var reUnsafeCSS = regexp.MustCompile(`(?i)@import|expression\s*\(|url\s*\(\s*['"]?\s*(?:[a-z]+:)?//|url\s*\(\s*['"]?\s*(?:javascript|http|https|file|ftp):`)

// SanitizeHTML makes HTML produced by notebook code safe to embed in a
// standalone report: scripts, frames and plug-ins are removed with their
// content, event handler attributes and javascript: URLs are dropped,
// nothing is loaded from the network (external src URLs and CSS url()
// imports are removed; data: images stay), comments go, and unclosed
// elements are closed so the page around stays intact. Tables, inline
// styles, classes, <style> blocks and SVG pass through.
func SanitizeHTML(src string) string {
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(src))
	var open []string
	skip := "" // element whose content is being dropped
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			if z.Err() != io.EOF {
				b.WriteString(html.EscapeString(string(z.Raw())))
			}
			break
		}
		tok := z.Token()
		if skip != "" {
			if tt == xhtml.EndTagToken && tok.Data == skip {
				skip = ""
			}
			continue
		}
		switch tt {
		case xhtml.TextToken:
			writeText(&b, tok.Data, open)
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			if dropWithContent[tok.Data] {
				if tt == xhtml.StartTagToken {
					skip = tok.Data
				}
				continue
			}
			if dropTag[tok.Data] {
				continue
			}
			tok.Attr = safeAttrs(tok.Data, tok.Attr)
			b.WriteString(tok.String())
			if tt == xhtml.StartTagToken && !voidTags[tok.Data] {
				open = append(open, tok.Data)
			}
		case xhtml.EndTagToken:
			if k := lastIndex(open, tok.Data); k >= 0 {
				for j := len(open) - 1; j >= k; j-- {
					b.WriteString("</" + open[j] + ">")
				}
				open = open[:k]
			}
		}
	}
	for j := len(open) - 1; j >= 0; j-- {
		b.WriteString("</" + open[j] + ">")
	}
	return b.String()
}

// writeText writes a text token: raw inside <style> (unless it loads
// something), escaped elsewhere.
func writeText(b *strings.Builder, text string, open []string) {
	if len(open) > 0 && open[len(open)-1] == "style" {
		if !reUnsafeCSS.MatchString(text) {
			b.WriteString(strings.ReplaceAll(text, "</", "<\\/"))
		}
		return
	}
	b.WriteString(html.EscapeString(text))
}

// lastIndex returns the last position of name in open, or -1.
func lastIndex(open []string, name string) int {
	for k := len(open) - 1; k >= 0; k-- {
		if open[k] == name {
			return k
		}
	}
	return -1
}

// safeAttrs drops event handlers, unsafe URLs and unsafe inline CSS from
// the attributes of a tag.
func safeAttrs(tag string, attrs []xhtml.Attribute) []xhtml.Attribute {
	var out []xhtml.Attribute
	for _, a := range attrs {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" {
			key = strings.ToLower(a.Namespace) + ":" + key
		}
		switch {
		case strings.HasPrefix(key, "on"), key == "srcdoc":
			continue
		case key == "style" && reUnsafeCSS.MatchString(a.Val):
			continue
		case urlAttrs[key] && !safeAttrURL(tag, key, a.Val):
			continue
		}
		out = append(out, a)
	}
	return out
}

// safeAttrURL allows data: images and fragments anywhere and, in links
// (<a href>), relative, http(s) and mailto URLs too; resources that a
// browser would fetch (src, SVG <image href>, ...) must be embedded.
func safeAttrURL(tag, key, val string) bool {
	v := strings.TrimSpace(val)
	if reDataImage.MatchString(v) {
		return true
	}
	if (tag == "a" || tag == "area") && (key == "href" || key == "xlink:href") {
		if strings.HasPrefix(v, "#") {
			return true
		}
		return safeURL(v) && !strings.HasPrefix(v, "//")
	}
	return strings.HasPrefix(v, "#")
}
