package ipynb

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// FuzzRead checks that Parse never panics, and that whatever it accepts is
// written as a notebook that parses back to the same content.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.ipynb"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(doc(`{"cell_type": "code", "source": ["a", "b"], "outputs": [{"output_type": "stream", "name": "x", "text": ["y"]}]}`)))
	f.Add([]byte(`{"nbformat": 4, "cells": [], "metadata": {"language_info": {"name": "go", "codemirror_mode": {"name": "go"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := Parse(data)
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := Write(&first, nb); err != nil {
			t.Fatalf("write accepted notebook: %v", err)
		}
		again, err := Parse(first.Bytes())
		if err != nil {
			t.Fatalf("written notebook does not parse: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := Write(&second, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("write is not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// FuzzMarkdown checks that the markdown renderer never panics and never
// lets active content from its input through.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"# T\n\n- a\n  - b\n\n| a | b |\n|---|--:|\n| 1 | 2 |",
		"**a _b_** `c` [d](e) ![f](data:image/png;base64,AA)",
		"> q\n```\n<x>\n```",
		"[a](javascript:alert(1)) <img src=x onerror=alert(1)> <svg><style><img src=x onerror=alert(1)>",
		"[a](jav&#x09;ascript:x) ![b](https://x/y.png) <a href=\"vbscript:x\">v</a>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		out := MarkdownHTML(md)
		if bad := activeContent(out); bad != "" {
			t.Fatalf("MarkdownHTML(%q) = %q keeps %s", md, out, bad)
		}
	})
}

// FuzzSanitizeHTML checks that sanitised HTML, read as a browser reads
// it, holds nothing active (see activeContent), whatever the input, and
// that sanitising it again changes nothing.
func FuzzSanitizeHTML(f *testing.F) {
	for _, s := range []string{
		`<b onclick="x">a</b><script>y</script>`,
		`<svg><a href="javascript:x">l</a></svg>`,
		`<style>@import "x";</style>`,
		`<svg><style><img src=x onerror=alert(1)></style></svg>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="9">t</text></a></svg>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		`<div style="background:u\72l(//x/y)">a</div><p style="color:red;width:expression(x)">b</p>`,
		`<a href=" &#14; javascript:x">a</a><a href="JaVa&Tab;ScRiPt:x">b</a><a href="data:text/html,x">c</a>`,
		`<img srcset="//x/a 1x" src="data:image/png;base64,AAAA"><a ping="//x" href="#a">p</a>`,
		`<plaintext><b>rest`,
		`<table><tr><td style="text-align:right;color:rgb(1, 2, 3)">1</td></tr></table>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SanitizeHTML(in)
		if bad := activeContent(out); bad != "" {
			t.Fatalf("SanitizeHTML(%q) = %q keeps %s", in, out, bad)
		}
		if again := SanitizeHTML(out); again != out {
			t.Fatalf("SanitizeHTML is not stable:\nin    %q\nonce  %q\ntwice %q", in, out, again)
		}
	})
}

// inertElements are the only elements sanitised HTML may contain: every
// one of them shows text or layout and nothing else.
var inertElements = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`p div span br hr wbr center b i u s strong em del ins mark small big sub
		sup tt code pre kbd samp var blockquote q abbr dfn cite ul ol li dl dt dd details summary figure
		figcaption h1 h2 h3 h4 h5 h6 table thead tbody tfoot tr th td caption col colgroup font img a
		html head body main`) {
		inertElements[e] = true
	}
}

// activeContent parses HTML the way a browser does (as the body of a
// document) and describes the first thing in it that could run script,
// load or submit anything, or break out of its place: an element outside
// inertElements or in SVG/MathML, an event handler, a URL attribute with
// a scheme other than http(s), mailto or (for <img src>) data:image, or a
// style with url(), escapes, comments, at-rules or functions other than
// colours. It returns "" for inert HTML.
func activeContent(s string) string {
	doc, err := xhtml.Parse(strings.NewReader(s))
	if err != nil {
		return "unparsable HTML: " + err.Error()
	}
	var walk func(n *xhtml.Node) string
	walk = func(n *xhtml.Node) string {
		if n.Type == xhtml.ElementNode {
			if bad := activeElement(n); bad != "" {
				return bad
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if bad := walk(c); bad != "" {
				return bad
			}
		}
		return ""
	}
	return walk(doc)
}

// activeElement describes what is active about one element, or "".
func activeElement(n *xhtml.Node) string {
	if n.Namespace != "" || !inertElements[n.Data] {
		return "element <" + n.Namespace + " " + n.Data + ">"
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case a.Namespace != "" || strings.HasPrefix(key, "on"):
			return "attribute " + a.Namespace + " " + a.Key
		case key == "style":
			if !reInertStyle.MatchString(a.Val) {
				return "style " + a.Val
			}
		case key == "href" || key == "src":
			if u := browserURL(a.Val); !inertURL(n.Data, key, u) {
				return key + "=" + u
			}
		case !inertAttrs[key]:
			return "attribute " + a.Key
		}
	}
	return ""
}

// inertAttrs are the attributes, other than href, src and style, that
// sanitised HTML may carry.
var inertAttrs = map[string]bool{
	"title": true, "class": true, "id": true, "align": true, "valign": true, "colspan": true,
	"rowspan": true, "span": true, "width": true, "height": true, "border": true,
	"cellpadding": true, "cellspacing": true, "start": true, "value": true, "type": true,
	"open": true, "color": true, "alt": true,
}

// reInertStyle matches declarations of plain values: no url(), image-set()
// or other function but colours, no escapes, comments or at-rules.
var reInertStyle = regexp.MustCompile(`^(?:[a-z-]+: (?:[A-Za-z0-9#%.,!"' +-]|(?:rgba?|hsla?)\([0-9.,%/ +-]*\))*(?:; |$))*$`)

// browserURL returns a URL attribute the way a browser reads it before
// looking at the scheme: leading and trailing C0 controls and spaces
// removed, tabs and newlines removed everywhere, lower case.
func browserURL(v string) string {
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
	v = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
	return strings.ToLower(v)
}

// inertURL reports whether a URL (as browserURL returns it) in element
// el's attribute key loads or runs nothing by itself: a link to an http,
// https or mailto URL or a relative one, or an image from data:.
func inertURL(el, key, u string) bool {
	if el == "img" && key == "src" {
		return reDataImage.MatchString(u)
	}
	scheme, _, found := strings.Cut(u, ":")
	if !found || strings.ContainsAny(scheme, "/?#") {
		return el == "a" && key == "href"
	}
	return el == "a" && key == "href" && (scheme == "http" || scheme == "https" || scheme == "mailto")
}
