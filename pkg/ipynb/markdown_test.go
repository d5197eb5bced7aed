package ipynb

import (
	"strings"
	"testing"
)

func TestMarkdownHTML(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"paragraph", "Hello\nworld", "<p>Hello\nworld</p>\n"},
		{"heading with id", "## Usage *now*", `<h2 id="usage-now">Usage <em>now</em></h2>` + "\n"},
		{"setext", "Title\n===", `<h1 id="title">Title</h1>` + "\n"},
		{"emphasis", "*a* _b_ **c** __d__ ***e*** ~~f~~", "<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong> <strong><em>e</em></strong> <del>f</del></p>\n"},
		{"snake case stays", "use snake_case_names here", "<p>use snake_case_names here</p>\n"},
		{"lone star", "2 * 3 = 6", "<p>2 * 3 = 6</p>\n"},
		{"inline code escapes", "`a<b && c`", "<p><code>a&lt;b &amp;&amp; c</code></p>\n"},
		{"double backticks", "`` a`b ``", "<p><code>a`b</code></p>\n"},
		{"unclosed backtick", "a ` b", "<p>a ` b</p>\n"},
		{"html escaped", "<b onclick=x>hi</b> & co", "<p>&lt;b onclick=x&gt;hi&lt;/b&gt; &amp; co</p>\n"},
		{"backslash escape", `\*not em\*`, "<p>*not em*</p>\n"},
		{"hard break", "a  \nb", "<p>a<br>\nb</p>\n"},
		{"link", `[docs](https://x.org/a?b=1&c=2 "T")`, `<p><a href="https://x.org/a?b=1&amp;c=2" title="T">docs</a></p>` + "\n"},
		{"relative link", "[next](other.html#top)", `<p><a href="other.html#top">next</a></p>` + "\n"},
		{"javascript link dropped", "[x](javascript:alert(1))", "<p>x</p>\n"},
		{"data link dropped", "[x](data:text/html,hi)", "<p>x</p>\n"},
		{"autolink", "<https://a.b/c>", `<p><a href="https://a.b/c">https://a.b/c</a></p>` + "\n"},
		{"data image inline", "![dot](data:image/png;base64,AAAA)", `<p><img src="data:image/png;base64,AAAA" alt="dot"></p>` + "\n"},
		{"remote image becomes link", "![chart](https://x/c.png)", `<p><a href="https://x/c.png">chart</a></p>` + "\n"},
		{"fenced code", "```go\nif a < b {\n```", `<pre><code class="language-go">if a &lt; b {` + "\n</code></pre>\n"},
		{"tilde fence unclosed", "~~~\ncode", "<pre><code>code\n</code></pre>\n"},
		{"indented code", "    x := 1\n    y", "<pre><code>x := 1\ny\n</code></pre>\n"},
		{"bullet list", "- a\n- b", "<ul>\n<li>a\n</li>\n<li>b\n</li>\n</ul>\n"},
		{"ordered list start", "3. c\n4. d", "<ol start=\"3\">\n<li>c\n</li>\n<li>d\n</li>\n</ol>\n"},
		{"nested list", "1. a\n   - b\n2. c", "<ol>\n<li>a\n<ul>\n<li>b\n</li>\n</ul>\n</li>\n<li>c\n</li>\n</ol>\n"},
		{"loose list", "- a\n\n- b", "<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>\n"},
		{"list after paragraph", "intro:\n- a", "<p>intro:</p>\n<ul>\n<li>a\n</li>\n</ul>\n"},
		{"quote", "> a *b*\n> c", "<blockquote>\n<p>a <em>b</em>\nc</p>\n</blockquote>\n"},
		{"rule", "a\n\n***\n\nb", "<p>a</p>\n<hr>\n<p>b</p>\n"},
		{"table with alignment", "| n | v |\n|:--|--:|\n| a | 1 |\n| b |",
			"<table>\n<thead>\n<tr><th style=\"text-align: left\">n</th><th style=\"text-align: right\">v</th></tr>\n</thead>\n<tbody>\n" +
				"<tr><td style=\"text-align: left\">a</td><td style=\"text-align: right\">1</td></tr>\n" +
				"<tr><td style=\"text-align: left\">b</td><td style=\"text-align: right\"></td></tr>\n</tbody>\n</table>\n"},
		{"table escaped pipe", "a | b\n--- | ---\nx \\| y | `z`",
			"<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n<tr><td>x | y</td><td><code>z</code></td></tr>\n</tbody>\n</table>\n"},
		{"not a table", "a | b\nplain", "<p>a | b\nplain</p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MarkdownHTML(tt.md); got != tt.want {
				t.Errorf("MarkdownHTML(%q) =\n%q\nwant\n%q", tt.md, got, tt.want)
			}
		})
	}
}

// TestMarkdownNeverEmitsRawTags feeds hostile input and checks that no tag
// from it survives.
func TestMarkdownNeverEmitsRawTags(t *testing.T) {
	inputs := []string{
		"<script>alert(1)</script>",
		"[a](javascript:alert(1))",
		"[a](JaVaScRiPt:alert(1))",
		"[a](java\nscript:alert(1))",
		"![x](javascript:alert(1))",
		`[a](x" onmouseover="alert(1))`,
		"<img src=x onerror=alert(1)>",
		"| <script> |\n|---|\n| <iframe> |",
		"- <style>body{}</style>",
		"```\n</code></pre><script>\n```",
	}
	for _, in := range inputs {
		got := MarkdownHTML(in)
		for _, bad := range []string{"<script", "<iframe", "<style", "<img src=x", "javascript:", `" onmouseover`} {
			if strings.Contains(strings.ToLower(got), strings.ToLower(bad)) {
				t.Errorf("MarkdownHTML(%q) = %q contains %q", in, got, bad)
			}
		}
	}
}
