package ipynb

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestSanitizeHTML(t *testing.T) {
	svgImg := func(svg string) string {
		return `<img src="data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString([]byte(svg)) + `" alt="SVG image"/>`
	}
	const ns = `xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"`
	tests := []struct {
		name, in, want string
	}{
		// What notebooks need passes.
		{"table kept", `<table class="df"><tr><td align="right" style="color: red">1</td></tr></table>`,
			`<table class="df"><tbody><tr><td align="right" style="color: red">1</td></tr></tbody></table>`},
		{"data image kept", `<img src="data:image/png;base64,AAAA" alt="a">`, `<img src="data:image/png;base64,AAAA" alt="a"/>`},
		{"http link kept", `<a href="https://x.org/?a=1&amp;b=2" title="t">x</a>`, `<a href="https://x.org/?a=1&amp;b=2" title="t">x</a>`},
		{"relative and fragment links kept", `<a href="other.html#x">o</a><a href="#top">t</a>`, `<a href="other.html#x">o</a><a href="#top">t</a>`},
		{"text styling kept", `<p><b>b</b> <em>e</em> <code>c</code> <del>d</del><br><sub>2</sub></p>`, `<p><b>b</b> <em>e</em> <code>c</code> <del>d</del><br/><sub>2</sub></p>`},
		{"plain css values kept", `<div style="color:#a40000;background:#fdecea;border-left:4px solid rgb(1, 2, 3);font-family:'Segoe UI', monospace">e</div>`,
			`<div style="color: #a40000; background: #fdecea; border-left: 4px solid rgb(1, 2, 3); font-family: &#39;Segoe UI&#39;, monospace">e</div>`},
		{"svg becomes an image", `<div><svg viewBox="0 0 1 1"><path d="M0 0L1 1"/></svg></div>`,
			`<div>` + svgImg(`<svg viewBox="0 0 1 1" `+ns+`><path d="M0 0L1 1"></path></svg>`) + `</div>`},
		{"text escaped", `1 &lt; 2 & 3`, `1 &lt; 2 &amp; 3`},
		{"unclosed closed", `<div><b>x`, `<div><b>x</b></div>`},
		{"stray end tags dropped", `x</div></section></main>y`, `xy`},

		// What could run, load, submit or take over the page goes.
		{"script removed with content", `a<script>alert(1)</script>b`, `ab`},
		{"event handler dropped", `<b onclick="x()" onmouseover=y>b</b>`, `<b>b</b>`},
		{"svg style img breakout", `<svg><style><img src=x onerror=alert(1)>`, svgImg(`<svg ` + ns + `><style></style></svg>`)},
		{"math style img breakout", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`, `<table></table>`},
		{"svg animate javascript href", `<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="9">t</text></a></svg>`,
			svgImg(`<svg ` + ns + `><a><animate attributeName="href" values="javascript:alert(1)"></animate><text y="9">t</text></a></svg>`)},
		{"noscript title breakout", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, `&#34;&gt;`},
		{"template content", `<template><img src=x onerror=alert(1)></template>t`, `t`},
		{"plaintext stays inside", `<plaintext><b>rest`, `&lt;b&gt;rest`},
		{"javascript href dropped", `<a href="javascript:alert(1)">x</a>`, `x`},
		{"javascript href with entities and controls", `<a href="&#x20;&#x0e;jav&#x09;asc&NewLine;ript&colon;alert(1)">x</a>`, `x`},
		{"vbscript href dropped", `<a href="VBScript:msgbox(1)">x</a>`, `x`},
		{"data href dropped", `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a><a href="data:image/svg+xml;base64,PHN2Zz4=">y</a>`, `xy`},
		{"remote image dropped", `<img src="https://x/y.png" alt="y">`, ``},
		{"protocol-relative image dropped", `<img src="//x/y.png">`, ``},
		{"srcset dropped", `<img src="data:image/png;base64,AAAA" srcset="https://x/y.png 2x">`, `<img src="data:image/png;base64,AAAA"/>`},
		{"data html image dropped", `<img src="data:text/html;base64,PHNjcmlwdD4=">`, ``},
		{"ping dropped", `<a href="#a" ping="https://x/ping">p</a>`, `<a href="#a">p</a>`},
		{"base dropped", `<base href="https://x/">t`, `t`},
		{"meta refresh dropped", `<meta http-equiv="refresh" content="0;url=https://x/">t`, `t`},
		{"link dropped", `<link rel="stylesheet" href="https://x/a.css"><link rel="prefetch" href="https://x/p">t`, `t`},
		{"style element dropped", `<style>@import url(https://x/a.css); td{color:red}</style>t`, `t`},
		{"css url escape dropped", `<div style="background-image:u\72l(//x/y)">a</div><p style="color:\72 ed">b</p>`, `<div>a</div><p>b</p>`},
		{"css image-set dropped", `<div style="background:image-set('https://x/y.png' 1x)">a</div>`, `<div>a</div>`},
		{"css expression dropped", `<div style="width:expression(alert(1))">a</div>`, `<div>a</div>`},
		{"iframe srcdoc removed", `<iframe srcdoc="<script>alert(1)</script>"></iframe>ok`, `ok`},
		{"object and embed removed", `<object data="https://x/o"></object><embed src="https://x/e">ok`, `ok`},
		{"form removed", `<form action="https://x/f"><button formaction="https://x/g">go</button><input name="q"></form>`, `go`},
		{"svg use href becomes image", `<svg><use href="https://x/s.svg#a"/></svg>`, svgImg(`<svg ` + ns + `><use href="https://x/s.svg#a"></use></svg>`)},
		{"comment dropped", `a<!-- secret -->b`, `ab`},
		{"title dropped", `<title>x</title>t`, `t`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SanitizeHTML(tt.in)
			if got != tt.want {
				t.Errorf("SanitizeHTML(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
			if bad := activeContent(got); bad != "" {
				t.Errorf("SanitizeHTML(%q) = %q keeps %s", tt.in, got, bad)
			}
		})
	}
}

// TestActiveContentDetects checks the fuzz tests' oracle: it must see
// each kind of active content it claims to, or the fuzz tests prove
// nothing.
func TestActiveContentDetects(t *testing.T) {
	for _, in := range []string{
		`<script>x</script>`,
		`<b onclick=x>b</b>`,
		`<svg></svg>`,
		`<math></math>`,
		`<a href=" java&#x09;script:x">a</a>`,
		`<a href="vbscript:x">a</a>`,
		`<a href="data:text/html,x">a</a>`,
		`<img src="https://x/y.png">`,
		`<img src="data:text/html,x">`,
		`<img srcset="x 1x">`,
		`<a ping="x" href="#">a</a>`,
		`<div style="color: u\72l(x)">d</div>`,
		`<div style="background: url(x)">d</div>`,
		`<iframe></iframe>`,
		`<form></form>`,
		`<base href="x">`,
		`<meta http-equiv="refresh">`,
		`<link rel="stylesheet">`,
		`<style></style>`,
		`<plaintext>`,
		`<template></template>`,
		`<noscript></noscript>`,
	} {
		if activeContent(in) == "" {
			t.Errorf("activeContent(%q) sees nothing active", in)
		}
	}
	if bad := activeContent(`<p style="color: red; font-family: &#39;A B&#39;, monospace">x <a href="https://x">l</a><img src="data:image/png;base64,AAAA"></p>`); bad != "" {
		t.Errorf("activeContent of inert HTML = %s", bad)
	}
}

func TestSafeStyle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"color: red; text-align: right", "color: red; text-align: right"},
		{"color: rgb(1, 2, 3)", "color: rgb(1, 2, 3)"},
		{"color: \\72 ed; width: 10px", "width: 10px"},
		{"background: url(x)", ""},
		{"background: image-set(x 1x)", ""},
		{"width: calc(1px + var(--x))", ""},
		{"color: red /* x */", ""},
		{"font-family: 'A', monospace", "font-family: 'A', monospace"},
	}
	for _, tt := range tests {
		if got := safeStyle(tt.in); got != tt.want {
			t.Errorf("safeStyle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkSanitizeHTML sanitises a 5,000-row styled table, the largest
// kind of HTML output a notebook usually shows.
func BenchmarkSanitizeHTML(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<div style="overflow-x:auto"><table class="lenslog-frame" style="border-collapse:collapse">`)
	for i := range 5000 {
		fmt.Fprintf(&sb, `<tr><th style="color:#777">%d</th><td style="white-space:nowrap;text-align:left" title="machine &lt;%d&gt;">name %d</td><td style="text-align:right">%d</td></tr>`, i, i, i, i*7)
	}
	sb.WriteString("</table></div>")
	src := sb.String()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		SanitizeHTML(src)
	}
}
