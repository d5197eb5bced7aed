package ipynb

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"
)

// markdown is the CommonMark engine for markdown cells and text/markdown
// outputs: GitHub's tables and strike-through on top, heading anchors,
// and raw HTML passed on to SanitizeHTML like any other notebook HTML
// (as Jupyter shows it, minus anything that runs or loads). goldmark
// parses in time linear in its input.
var markdown = goldmark.New(
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
	),
	goldmark.WithParserOptions(
		parser.WithAutoHeadingID(),
		parser.WithASTTransformers(util.Prioritized(remoteImagesAsLinks{}, 100)),
	),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

// MarkdownHTML renders Markdown (CommonMark with GitHub tables and
// strike-through) to HTML that is safe to embed in a report: the result
// passes through SanitizeHTML, so raw HTML keeps only what the allowlist
// allows, links keep only http, https, mailto and relative targets, and
// images show only when embedded as data: URIs (others become links).
func MarkdownHTML(src string) string {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		// Convert fails only when its writer does; a bytes.Buffer does not.
		return "<pre>" + html.EscapeString(src) + "</pre>\n"
	}
	return SanitizeHTML(b.String())
}

// remoteImagesAsLinks turns images whose source is not an embedded data:
// image into links to that source: a report never loads anything, but
// the reader can still follow the link.
type remoteImagesAsLinks struct{}

// Transform implements parser.ASTTransformer.
func (remoteImagesAsLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var images []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && !reDataImage.Match(img.Destination) {
			images = append(images, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination, link.Title = img.Destination, img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		if !link.HasChildren() {
			link.AppendChild(link, ast.NewString(img.Destination))
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

// firstHeading returns the text (markup removed) of the first heading in
// a markdown source.
func firstHeading(src string) (string, bool) {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	var heading ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*ast.Heading); ok && entering && n.HasChildren() {
			heading = n
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if heading == nil {
		return "", false
	}
	var b bytes.Buffer
	if err := markdown.Renderer().Render(&b, source, heading); err != nil {
		return "", false
	}
	t := htmlText(SanitizeHTML(b.String()))
	return t, t != ""
}

// htmlText returns the text of an HTML fragment, white space collapsed.
func htmlText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for tt := z.Next(); tt != xhtml.ErrorToken; tt = z.Next() {
		if tt == xhtml.TextToken {
			b.Write(z.Text())
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
