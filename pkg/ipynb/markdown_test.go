package ipynb

import (
	"encoding/base64"
	"strconv"
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
		{"emphasis", "*a* _b_ **c** __d__ ***e*** ~~f~~", "<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong> <em><strong>e</strong></em> <del>f</del></p>\n"},
		{"snake case stays", "use snake_case_names here", "<p>use snake_case_names here</p>\n"},
		{"lone star", "2 * 3 = 6", "<p>2 * 3 = 6</p>\n"},
		{"inline code escapes", "`a<b && c`", "<p><code>a&lt;b &amp;&amp; c</code></p>\n"},
		{"double backticks", "`` a`b ``", "<p><code>a`b</code></p>\n"},
		{"unclosed backtick", "a ` b", "<p>a ` b</p>\n"},
		{"raw html sanitised", "<b onclick=x>hi</b> & co <script>alert(1)</script>", "<p><b>hi</b> &amp; co </p>\n"},
		{"raw svg becomes image", "<svg><script>alert(1)</script></svg>", `<p><img src="data:image/svg+xml;base64,` +
			base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><script>alert(1)</script></svg>`)) +
			`" alt="SVG image"/></p>` + "\n"},
		{"backslash escape", `\*not em\*`, "<p>*not em*</p>\n"},
		{"hard break", "a  \nb", "<p>a<br/>\nb</p>\n"},
		{"link", `[docs](https://x.org/a?b=1&c=2 "T")`, `<p><a href="https://x.org/a?b=1&amp;c=2" title="T">docs</a></p>` + "\n"},
		{"relative link", "[next](other.html#top)", `<p><a href="other.html#top">next</a></p>` + "\n"},
		{"javascript link dropped", "[x](javascript:alert(1))", "<p>x</p>\n"},
		{"data link dropped", "[x](data:text/html,hi)", "<p>x</p>\n"},
		{"autolink", "<https://a.b/c>", `<p><a href="https://a.b/c">https://a.b/c</a></p>` + "\n"},
		{"data image inline", "![dot](data:image/png;base64,AAAA)", `<p><img src="data:image/png;base64,AAAA" alt="dot"/></p>` + "\n"},
		{"remote image becomes link", "![chart](https://x/c.png)", `<p><a href="https://x/c.png">chart</a></p>` + "\n"},
		{"fenced code", "```go\nif a < b {\n```", `<pre><code class="language-go">if a &lt; b {` + "\n</code></pre>\n"},
		{"tilde fence unclosed", "~~~\ncode", "<pre><code>code\n</code></pre>\n"},
		{"indented code", "    x := 1\n    y", "<pre><code>x := 1\ny\n</code></pre>\n"},
		{"bullet list", "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"ordered list start", "3. c\n4. d", "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n"},
		{"nested list", "1. a\n   - b\n2. c", "<ol>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ol>\n"},
		{"loose list", "- a\n\n- b", "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>\n"},
		{"list after paragraph", "intro:\n- a", "<p>intro:</p>\n<ul>\n<li>a</li>\n</ul>\n"},
		{"quote", "> a *b*\n> c", "<blockquote>\n<p>a <em>b</em>\nc</p>\n</blockquote>\n"},
		{"rule", "a\n\n***\n\nb", "<p>a</p>\n<hr/>\n<p>b</p>\n"},
		{"table with alignment", "| n | v |\n|:--|--:|\n| a | 1 |\n| b |",
			"<table>\n<thead>\n<tr>\n<th align=\"left\">n</th>\n<th align=\"right\">v</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td align=\"left\">a</td>\n<td align=\"right\">1</td>\n</tr>\n" +
				"<tr>\n<td align=\"left\">b</td>\n<td></td>\n</tr>\n</tbody>\n</table>\n"},
		{"table escaped pipe", "a | b\n--- | ---\nx \\| y | `z`",
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>x | y</td>\n<td><code>z</code></td>\n</tr>\n</tbody>\n</table>\n"},
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

// TestMarkdownNeverEmitsActiveContent feeds hostile markdown and checks
// that nothing active (see activeContent) survives.
func TestMarkdownNeverEmitsActiveContent(t *testing.T) {
	inputs := []string{
		"<script>alert(1)</script>",
		"[a](javascript:alert(1))",
		"[a](JaVaScRiPt:alert(1))",
		"[a](java\nscript:alert(1))",
		"[a](java&#x09;script:alert(1))",
		"[a](&#106;avascript:alert(1))",
		"[a](vbscript:msgbox(1))",
		"[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"[a]: javascript:alert(1)\n\n[x][a]",
		"<javascript:alert(1)>",
		"![x](javascript:alert(1))",
		"![x](https://attacker.example/pixel.png)",
		`[a](x" onmouseover="alert(1))`,
		"<img src=x onerror=alert(1)>",
		"<svg><style><img src=x onerror=alert(1)></style></svg>",
		"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
		"| <script> |\n|---|\n| <iframe> |",
		"- <style>body{background:url(//x)}</style>",
		"```\n</code></pre><script>\n```",
		"<a href=\"javascript:alert(1)\">a</a> <b style=\"color:u\\72l(x)\">b</b>",
		"<plaintext>",
	}
	for _, in := range inputs {
		got := MarkdownHTML(in)
		if bad := activeContent(got); bad != "" {
			t.Errorf("MarkdownHTML(%q) = %q keeps %s", in, got, bad)
		}
	}
}

// TestMarkdownPathological checks the output for input that made the old
// renderer quadratic: emphasis openers without closers stay literal text.
// BenchmarkMarkdownPathological measures the time.
func TestMarkdownPathological(t *testing.T) {
	src := pathological(180 << 10)
	want := "<p>" + strings.TrimSpace(src) + "</p>\n"
	if got := MarkdownHTML(src); got != want {
		t.Errorf("MarkdownHTML(180 KB of \"*a \") = %.80q... (%d bytes), want %.80q... (%d bytes)", got, len(got), want, len(want))
	}
}

// pathological returns n bytes of "*a " repeated: emphasis openers that
// never close, the input that made a backtracking renderer quadratic.
func pathological(n int) string {
	return strings.Repeat("*a ", n/3)
}

// BenchmarkMarkdownPathological renders markdown cells that cost a
// naive emphasis parser quadratic time; the target is well under a
// second for 180 KB.
func BenchmarkMarkdownPathological(b *testing.B) {
	for _, kb := range []int{45, 180, 360} {
		src := pathological(kb << 10)
		b.Run(strconv.Itoa(kb)+"KB", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				MarkdownHTML(src)
			}
		})
	}
}
