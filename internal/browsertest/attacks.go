package browsertest

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Attack is one class of hostile content. Its payload is a template (see Expand):
//
//	{JS}      script that fetches {URL}js and puts a marker in the page
//	          title (no quotes or spaces, so it fits any attribute);
//	{URL}     the recording server's URL for this attack, ending in "/";
//	{HOST}    the recording server's host:port;
//	{HTML64}  base64 of an HTML document whose script runs {JS};
//	{SVG64}   base64 of an SVG document whose script runs {JS}.
//
// Each payload tries both to run script and to fetch from the server.
type Attack struct {
	Name, Payload string
}

// Attacks are the classes tried: mutation XSS through foreign content,
// event handlers, javascript:, data: and vbscript: URLs in many spellings,
// CSS escapes, srcset, ping, base, meta refresh, noscript, plaintext,
// template, and markup characters meant for plain text.
var Attacks = []Attack{
	{"script element", `<script>{JS}</script><script src="{URL}script.js"></script>`},
	{"event handlers", `<img src=x onerror="{JS}"><body onload="{JS}"><div onmouseover="{JS}" onclick="{JS}">hover</div>` +
		`<details open ontoggle="{JS}"><summary>s</summary></details><input autofocus onfocus="{JS}">` +
		`<video><source onerror="{JS}"></video><marquee onstart="{JS}">m</marquee><img src="{URL}handler.png">`},
	{"svg onload", `<svg onload="{JS}"><image href="{URL}svg-image.png"/><script>{JS}</script></svg>`},
	{"svg style breakout", `<svg><style><img src=x onerror="{JS}"><img src="{URL}svg-style.png">`},
	{"math style breakout", `<math><style><img src=x onerror="{JS}"><img src="{URL}math-style.png">` +
		`<math><mtext><table><mglyph><style><img src=x onerror="{JS}"><img src="{URL}mglyph.png">`},
	{"svg animate javascript href", `<svg width="200" height="60"><a><animate attributeName="href" values="javascript:{JS}" begin="0s" dur="60s"/>` +
		`<rect width="200" height="60"/><text x="10" y="30">click</text></a>` +
		`<a href="#x"><set attributeName="href" to="javascript:{JS}"/><text x="10" y="50">set</text></a><image href="{URL}animate.png"/></svg>`},
	{"noscript breakout", `<noscript><p title="</noscript><img src=x onerror={JS}><img src={URL}noscript.png>">`},
	{"template", `<template><img src=x onerror="{JS}"></template><div><template shadowrootmode="open"><img src=x onerror="{JS}">` +
		`<img src="{URL}shadow-root.png"></template></div><template><style></template><img src=x onerror="{JS}"><img src="{URL}template.png">`},
	{"plaintext", `<img src="{URL}plaintext.png"><plaintext><img src=x onerror="{JS}">`},
	{"javascript urls", `<a href="javascript:{JS}">plain</a><a href="JaVaScRiPt:{JS}">case</a>` +
		`<a href="&#106;avascript:{JS}">decimal</a><a href="&#x6A;avascript&colon;{JS}">hex</a>` +
		`<a href="jav&#x09;ascript:{JS}">tab</a><a href="jav&NewLine;ascript:{JS}">newline</a>` +
		`<a href="&#x20;&#x0e;javascript:{JS}">controls</a><a href="javas&#99;ript&#58;{JS}">entities</a>` +
		"<a href=\"java\nscript:{JS}\">raw newline</a><a href=\"\x01javascript:{JS}\">C0</a>" +
		`<iframe src="javascript:{JS}"></iframe><form action="javascript:{JS}"><button>submit</button></form>`},
	{"data urls", `<a href="data:text/html;base64,{HTML64}">a</a><iframe src="data:text/html;base64,{HTML64}"></iframe>` +
		`<object data="data:image/svg+xml;base64,{SVG64}"></object><embed src="data:image/svg+xml;base64,{SVG64}">` +
		`<iframe src="data:image/svg+xml;base64,{SVG64}"></iframe>`},
	{"vbscript urls", `<a href="vbscript:msgbox(1)">v</a><a href="VBScript&colon;msgbox(1)">V</a><img src="vbscript:msgbox(1)"><img src="{URL}vbscript.png">`},
	{"css escapes", `<div style="background-image:u\72l({URL}css-escape.png);width:50px;height:50px">e</div>` +
		`<div style="background:url({URL}css-url.png);width:50px;height:50px">u</div>` +
		`<div style="background-image:image-set('{URL}image-set.png' 1x);width:50px;height:50px">i</div>` +
		`<style>@\69mport '{URL}import-escape.css';@import url({URL}import.css);` +
		`@font-face{font-family:evil;src:url({URL}font.woff)}p,div{font-family:evil}` +
		`body{background:url({URL}style-url.png)}</style><p>font</p>` +
		`<div style="list-style-image:url({URL}list.png);cursor:url({URL}cursor.png),auto;width:expression({JS})">c</div>`},
	{"srcset", `<img srcset="{URL}srcset.png 1x" src="data:image/png;base64,iVBORw0KGgo=">` +
		`<picture><source srcset="{URL}picture.png"><img alt="p"></picture>`},
	{"ping", `<a href="#ping" ping="{URL}ping">ping</a><area href="#ping" ping="{URL}area-ping">`},
	{"base", `<base href="{URL}base/"><img src="relative.png"><a href="javascript:{JS}">b</a>`},
	{"meta refresh", `<meta http-equiv="refresh" content="0;url={URL}refresh"><meta http-equiv="refresh" content="0;url=javascript:{JS}">`},
	{"iframe srcdoc", `<iframe srcdoc="<script>{JS}</script><img src={URL}srcdoc.png>"></iframe>`},
	{"object and embed", `<object data="{URL}object"></object><embed src="{URL}embed"><object data="javascript:{JS}"></object>`},
	{"form action", `<form action="{URL}form" method="post"><input name="q" value="x"><button>go</button></form>` +
		`<button formaction="{URL}formaction" form="f">fa</button><input type="image" src="{URL}input-image.png">`},
	{"link elements", `<link rel="stylesheet" href="{URL}link.css"><link rel="prefetch" href="{URL}prefetch">` +
		`<link rel="preload" as="image" href="{URL}preload.png"><link rel="icon" href="{URL}icon.png">` +
		`<link rel="import" href="{URL}import.html"><link rel="modulepreload" href="{URL}module.js">`},
	{"svg use href", `<svg><use href="{URL}use.svg#a"/><use xlink:href="data:image/svg+xml;base64,{SVG64}#a"/></svg>`},
	{"remote images and media", `<img src="{URL}remote.png"><img src="//{HOST}/protocol-relative.png"><img src="http:{URL}">` +
		`<video src="{URL}video.mp4" poster="{URL}poster.png" autoplay></video><audio src="{URL}audio.mp3" autoplay></audio>` +
		`<table background="{URL}table-bg.png"><tr><td>t</td></tr></table>`},
	{"markdown constructs", "[link](javascript:{JS}) [ref][r] ![img]({URL}md-image.png) <javascript:{JS}>\n\n" +
		"[r]: javascript:{JS}\n\n<img src=x onerror=\"{JS}\">\n\n```\n</code></pre><img src=x onerror=\"{JS}\">\n```\n"},
	{"text with markup characters", `"'><img src=x onerror={JS}>` + "\x1b]8;;javascript:{JS}\x07link\x1b]8;;\x07 </pre></section></main><img src={URL}break-out.png>"},
}

// Expand fills in an attack's template for the recording server URL u.
func Expand(payload, u string) string {
	host := strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/")
	host = host[:strings.IndexByte(host, '/')]
	js := "fetch(" + FromCharCode(u+"js") + ");top.document.title=" + FromCharCode(Marker)
	return strings.NewReplacer(
		"{JS}", js,
		"{URL}", u,
		"{HOST}", host,
		"{HTML64}", base64.StdEncoding.EncodeToString([]byte("<script>"+js+"</script>")),
		"{SVG64}", base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg" id="a" onload="`+js+`"><script>`+js+`</script></svg>`)),
	).Replace(payload)
}

// Marker is what script from a payload writes into the page title. It
// never appears literally in a payload, so showing a payload as text
// cannot put it there.
const Marker = "PWNED"

// FromCharCode writes s as a JavaScript expression without quotes.
func FromCharCode(s string) string {
	codes := make([]string, len(s))
	for i := range len(s) {
		codes[i] = strconv.Itoa(int(s[i]))
	}
	return "String.fromCharCode(" + strings.Join(codes, ",") + ")"
}
