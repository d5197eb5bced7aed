package ipynb_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/lenslog/lenslog/pkg/charts"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/nb"
)

// attack is one class of hostile content. Its payload is a template:
//
//	{JS}      script that fetches {URL}js and puts a marker in the page
//	          title (no quotes or spaces, so it fits any attribute);
//	{URL}     the recording server's URL for this attack, ending in "/";
//	{HOST}    the recording server's host:port;
//	{HTML64}  base64 of an HTML document whose script runs {JS};
//	{SVG64}   base64 of an SVG document whose script runs {JS}.
//
// Each payload tries both to run script and to fetch from the server.
type attack struct {
	name, payload string
}

// attacks are the classes tried, each in every place a report shows
// notebook or log data (see hostileNotebook).
var attacks = []attack{
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

// TestReportsInBrowser opens reports rendered from hostile notebook
// outputs and hostile log data in headless Chromium, with a loopback
// server that records every request it gets. For each attack it passes
// when no script ran (the page title carries no marker), no request was
// made (neither the server nor the browser's network log saw one), the
// page did not navigate away, the whole report is still there, and the
// real charts (PNG and SVG) still show. The index page gets the same
// check, and the page policy alone is checked against payloads the
// sanitiser never saw.
func TestReportsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("opens reports in headless Chromium; skipped with -short")
	}
	b := startBrowser(t)
	srv := startRecorder(t)
	good := realCharts(t)
	dir := t.TempDir()
	for i, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			id := "a" + strconv.Itoa(i)
			payload := expand(a.payload, srv.base+id+"/")
			page := filepath.Join(dir, id+".html")
			writePage(t, page, func(w *bytes.Buffer) error {
				return ipynb.RenderHTML(w, hostileNotebook(t, payload, good),
					ipynb.RenderOptions{Failure: &ipynb.Failure{Cell: 4, Message: payload}})
			})
			b.visit(t, page, srv).check(t, true)
		})
	}
	t.Run("index page", func(t *testing.T) { hostileIndex(t, b, srv, dir) })
	for i, a := range attacks {
		if a.name == "meta refresh" {
			continue // a navigation, which no policy governs: only the sanitiser stops it
		}
		t.Run("policy alone/"+a.name, func(t *testing.T) { policyAlone(t, b, srv, dir, good, "raw"+strconv.Itoa(i), a) })
	}
}

// hostileIndex checks an index page whose notebook names, titles, file
// names and errors are the attacks' payloads.
func hostileIndex(t *testing.T, b *browser, srv *recorder, dir string) {
	var entries []ipynb.IndexEntry
	for i, a := range attacks {
		p := expand(a.payload, srv.base+"index"+strconv.Itoa(i)+"/")
		entries = append(entries, ipynb.IndexEntry{Name: p, Title: p, HTML: p + ".html", Notebook: p,
			Failure: &ipynb.Failure{Cell: 2, Message: p}, Duration: time.Second})
	}
	title := expand(attacks[0].payload, srv.base+"index-title/")
	page := filepath.Join(dir, "index.html")
	writePage(t, page, func(w *bytes.Buffer) error { return ipynb.RenderIndex(w, title, entries) })
	st := b.visit(t, page, srv)
	st.check(t, false)
	if st.Rows != len(entries) {
		t.Errorf("index shows %d rows, want %d", st.Rows, len(entries))
	}
}

// policyAlone checks defence in depth: with a payload spliced raw into a
// rendered report, as if the sanitiser had missed it, the page's policy
// alone must still stop every script and every request.
func policyAlone(t *testing.T, b *browser, srv *recorder, dir string, good chartOutputs, id string, a attack) {
	page := filepath.Join(dir, id+".html")
	writePage(t, page, func(w *bytes.Buffer) error {
		if err := ipynb.RenderHTML(w, hostileNotebook(t, "", good), ipynb.RenderOptions{}); err != nil {
			return err
		}
		const at = "<main class=\"notebook\">\n"
		raw := strings.Replace(w.String(), at, at+expand(a.payload, srv.base+id+"/"), 1)
		w.Reset()
		w.WriteString(raw)
		return nil
	})
	st := b.visit(t, page, srv)
	if strings.Contains(st.Title, marker) {
		t.Errorf("script ran: the page title is %q", st.Title)
	}
	if len(st.Server) > 0 {
		t.Errorf("the recording server got %d requests: %q", len(st.Server), st.Server)
	}
}

// expand fills in an attack's template for the recording server URL u.
func expand(payload, u string) string {
	host := strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/")
	host = host[:strings.IndexByte(host, '/')]
	js := "fetch(" + fromCharCode(u+"js") + ");top.document.title=" + fromCharCode(marker)
	return strings.NewReplacer(
		"{JS}", js,
		"{URL}", u,
		"{HOST}", host,
		"{HTML64}", base64.StdEncoding.EncodeToString([]byte("<script>"+js+"</script>")),
		"{SVG64}", base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg" id="a" onload="`+js+`"><script>`+js+`</script></svg>`)),
	).Replace(payload)
}

// marker is what script from a payload writes into the page title. It
// never appears literally in a payload, so showing a payload as text
// cannot put it there.
const marker = "PWNED"

// fromCharCode writes s as a JavaScript expression without quotes.
func fromCharCode(s string) string {
	codes := make([]string, len(s))
	for i := range len(s) {
		codes[i] = strconv.Itoa(int(s[i]))
	}
	return "String.fromCharCode(" + strings.Join(codes, ",") + ")"
}

// chartOutputs are real charts that every hostile report also shows;
// they must still display.
type chartOutputs struct {
	png   []byte // a bar chart as PNG (nb.Plot, GoNB's DisplayPNG)
	svg   []byte // the same chart as an SVG document (image/svg+xml)
	svgNB string // the HTML nb.SVG sends, as GoNB's DisplaySVG does
}

// bars returns bar chart data with the given labels.
func bars(labels ...string) charts.Bars {
	vals := make([]float64, len(labels))
	for i := range vals {
		vals[i] = float64(10 * (i + 1))
	}
	return charts.Bars{Labels: labels, Values: vals}
}

// realCharts renders the charts every page shows.
func realCharts(t *testing.T) chartOutputs {
	t.Helper()
	p, err := charts.Bar(bars("Success", "Failure", "Blocked"), "Requests by result")
	if err != nil {
		t.Fatal(err)
	}
	png, err := charts.PNG(p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := charts.SVG(p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, f := recordingDisplay()
	d.SVG(p)
	return chartOutputs{png: png, svg: svg, svgNB: f.outputs[0].Data["text/html"].(string)}
}

// hostileNotebook returns an executed notebook holding payload in every
// place a report shows notebook or log data: a markdown cell, a raw cell,
// a code cell's source, stream text, text/html, text/markdown,
// image/svg+xml, text/plain, text/latex and JSON outputs, an error with
// traceback; and log tables (Web API, Events, Object Log) whose friendly
// names, machine codes, keys, IPs, metadata and data are the payload,
// shown by pkg/nb, with nb.HTML("<b>"+name+"</b>"), nb.Markdown, nb.Text,
// nb.Error, a status line and charts labelled with the payload. Real
// charts come before and after the hostile cells, and a last cell ends
// the report.
func hostileNotebook(t *testing.T, payload string, good chartOutputs) *ipynb.Notebook {
	t.Helper()
	one := 1
	data := func(mime string, v any) ipynb.Output {
		return ipynb.Output{Type: ipynb.DisplayData, Data: map[string]any{mime: v}}
	}
	return &ipynb.Notebook{Cells: []*ipynb.Cell{
		{ID: "title", Type: ipynb.Markdown, Source: "# Hostile report"},
		{ID: "chart-png", Type: ipynb.Code, Source: "nb.Plot(p)", ExecutionCount: &one,
			Outputs: []ipynb.Output{data("image/png", base64.StdEncoding.EncodeToString(good.png))}},
		{ID: "md", Type: ipynb.Markdown, Source: payload},
		{ID: "outputs", Type: ipynb.Code, Source: payload, ExecutionCount: &one, Outputs: []ipynb.Output{
			{Type: ipynb.Stream, Name: "stdout", Text: payload},
			{Type: ipynb.Stream, Name: payload, Text: payload},
			data("text/html", payload),
			data("text/markdown", payload),
			data("image/svg+xml", payload),
			data("text/plain", payload),
			data("text/latex", payload),
			data("application/json", map[string]any{"x": payload}),
			{Type: ipynb.ExecuteResult, ExecutionCount: &one, Data: map[string]any{"text/html": payload, "text/plain": payload}},
			{Type: ipynb.Error, EName: payload, EValue: payload, Traceback: []string{payload, payload}},
		}},
		{ID: "logs", Type: ipynb.Code, Source: "nb.Show(api)", ExecutionCount: &one, Outputs: logOutputs(t, payload)},
		{ID: "raw", Type: ipynb.Raw, Source: payload},
		{ID: "chart-svg", Type: ipynb.Code, Source: "nb.SVG(p)", ExecutionCount: &one, Outputs: []ipynb.Output{
			data("text/html", good.svgNB),
			data("image/svg+xml", string(good.svg)),
		}},
		{ID: "end", Type: ipynb.Markdown, Source: "End of report."},
	}}
}

// logOutputs returns what pkg/nb displays for log tables and messages
// made of hostile log data.
func logOutputs(t *testing.T, p string) []ipynb.Output {
	t.Helper()
	api := &logs.WebAPI{}
	api.Append(cryptolens.WebAPILogRow{ID: 1, ProductID: 7, Key: p, IP: p, Time: 1700000000, State: 2010,
		MachineCode: p, FriendlyName: p, IsAnomaly: true, AnomalyProperties: p})
	events := &logs.Events{}
	events.Append(cryptolens.Event{ID: 1, Key: p, MachineCode: p, FeatureName: p, EventName: p, Time: 1700000000,
		Currency: p, Metadata: p})
	objects := &logs.Objects{}
	objects.Append(cryptolens.ObjectLogEntry{ID: 1, Data: p})

	d, f := recordingDisplay()
	d.Show(api)
	d.Show(events)
	d.Show(objects)
	d.HTML("<b>" + p + "</b>") // what a cell writing HTML by hand does
	d.HTML(`<table><tr><td title="` + p + `">` + p + `</td></tr></table>`)
	d.Markdown("**" + p + "**")
	d.Text(p)
	d.Error(errors.New(p))
	d.NewStatus().Set(p)
	if chart, err := charts.Bar(bars(p, "ok"), p); err == nil {
		d.Plot(chart)
		d.SVG(chart)
	} else {
		t.Logf("a chart labelled with the payload: %v", err)
	}
	return f.outputs
}

// recordingDisplay returns an nb.Display on the notebook path whose
// frontend turns every display into a notebook output, as GoNB would.
func recordingDisplay() (*nb.Display, *outputRecorder) {
	f := &outputRecorder{}
	return &nb.Display{Frontend: f, Notebook: func() bool { return true }, Out: &bytes.Buffer{}}, f
}

// outputRecorder is an nb.Frontend that keeps displays as outputs.
type outputRecorder struct {
	outputs []ipynb.Output
	ids     int
}

func (r *outputRecorder) add(mime string, v any) {
	r.outputs = append(r.outputs, ipynb.Output{Type: ipynb.DisplayData, Data: map[string]any{mime: v}})
}
func (r *outputRecorder) DisplayHTML(html string)   { r.add("text/html", html) }
func (r *outputRecorder) DisplayMarkdown(md string) { r.add("text/markdown", md) }
func (r *outputRecorder) DisplayPNG(png []byte) {
	r.add("image/png", base64.StdEncoding.EncodeToString(png))
}
func (r *outputRecorder) UpdateHTML(_, html string) { r.add("text/html", html) }
func (r *outputRecorder) UniqueID() string          { r.ids++; return strconv.Itoa(r.ids) }

// writePage renders a page into path.
func writePage(t *testing.T, path string, render func(*bytes.Buffer) error) {
	t.Helper()
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// recorder is a loopback HTTP server that records every request.
type recorder struct {
	base string // "http://127.0.0.1:port/"
	mu   sync.Mutex
	seen []string
}

// startRecorder starts a recorder, listening on 127.0.0.1 only.
func startRecorder(t *testing.T) *recorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{base: "http://" + ln.Addr().String() + "/"}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Method+" "+req.URL.RequestURI())
	r.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, "recorded")
}

// take returns and forgets the requests seen so far.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := r.seen
	r.seen = nil
	return seen
}

// browser is a headless Chromium with one tab, and the requests that tab
// made as its network log reports them.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	reqs []string
}

// chromiumPath finds Chromium: /usr/bin/chromium, or chromium,
// chromium-browser or google-chrome on PATH.
func chromiumPath() (string, bool) {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", true
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// startBrowser starts headless Chromium for the test. Without Chromium
// the test is skipped, except in CI (CI=true), where it fails: CI
// installs Chromium, and a browser test that silently skips proves
// nothing.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	path, ok := chromiumPath()
	if !ok {
		msg := "no Chromium found (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome); install Debian's chromium to run the browser test"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1200, 4000))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	b := &browser{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.reqs = append(b.reqs, e.Request.URL)
			b.mu.Unlock()
		}
	})
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[bool]("true"))
	}
	if err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return b
}

// pageState is what the test reads back from an opened page.
type pageState struct {
	Title    string    `json:"title"`
	Href     string    `json:"href"`
	End      bool      `json:"end"`
	Charts   []float64 `json:"charts"`
	Rows     int       `json:"rows"`
	Requests []string  `json:"-"`
	Server   []string  `json:"-"`
	page     string
}

// interact is run in the page through the DevTools protocol (which the
// page's policy does not govern): it hovers, focuses and clicks every
// element, as a curious reader would, except links that would leave the
// page for a web or file URL (following those is the reader's choice).
// Links to javascript:, data: or vbscript: URLs, and SVG links whose
// target an animation set, are clicked.
const interact = `(() => {
  const leaves = (el) => {
    let href = el.href;
    if (href && typeof href === 'object') href = href.animVal;
    if (!href) return false;
    let u;
    try { u = new URL(href, document.baseURI); } catch (e) { return false; }
    if (!['http:', 'https:', 'file:', 'mailto:'].includes(u.protocol)) return false;
    return u.href.split('#')[0] !== location.href.split('#')[0];
  };
  const events = ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove', 'pointerdown', 'mousedown',
    'focus', 'focusin', 'pointerup', 'mouseup', 'keydown', 'keyup', 'input', 'change', 'wheel', 'toggle'];
  for (const el of Array.from(document.querySelectorAll('*'))) {
    for (const name of events) {
      try { el.dispatchEvent(new MouseEvent(name, {bubbles: true, cancelable: true, view: window})); } catch (e) {}
    }
    if (el.localName === 'input' && el.type === 'file') continue;
    if (el.closest('a, area') && leaves(el.closest('a, area'))) continue;
    try { el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window})); } catch (e) {}
  }
  return true;
})()`

// readState reads back the page's title and location, whether the last
// cell is there, the natural widths of the real charts and, on an index
// page, the number of rows.
const readState = `({
  title: document.title,
  href: location.href,
  end: !!document.querySelector('section#c-end p'),
  charts: Array.from(document.querySelectorAll('section#c-chart-png img, section#c-chart-svg img')).map(i => i.complete ? i.naturalWidth : 0),
  rows: document.querySelectorAll('table.runs > tbody > tr').length,
})`

// visit opens page, lets it settle, interacts with it, and reads back
// its state and every request made meanwhile.
func (b *browser) visit(t *testing.T, page string, srv *recorder) pageState {
	t.Helper()
	srv.take()
	b.mu.Lock()
	b.reqs = nil
	b.mu.Unlock()
	u := (&url.URL{Scheme: "file", Path: page}).String()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.Sleep(300*time.Millisecond))
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](interact))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Sleep(700*time.Millisecond))
	}
	var st pageState
	if err == nil {
		st, err = chromedp.Run(ctx, chromedp.Evaluate[pageState](readState))
	}
	if err != nil {
		t.Fatalf("open %s in Chromium: %v", page, err)
	}
	st.page = u
	b.mu.Lock()
	for _, r := range b.reqs {
		if r != u && !strings.HasPrefix(r, u+"#") && !strings.HasPrefix(r, "data:") {
			st.Requests = append(st.Requests, r)
		}
	}
	b.mu.Unlock()
	st.Server = srv.take()
	return st
}

// check fails t for every sign that hostile content acted: script ran,
// something was fetched, the page navigated or lost its end, a real
// chart does not show.
func (st pageState) check(t *testing.T, report bool) {
	t.Helper()
	if strings.Contains(st.Title, marker) {
		t.Errorf("script ran: the page title is %q", st.Title)
	}
	if len(st.Server) > 0 {
		t.Errorf("the recording server got %d requests: %q", len(st.Server), st.Server)
	}
	if len(st.Requests) > 0 {
		t.Errorf("the browser made %d requests: %.300q", len(st.Requests), st.Requests)
	}
	if st.Href != st.page && !strings.HasPrefix(st.Href, st.page+"#") {
		t.Errorf("the page navigated to %.200q", st.Href)
	}
	if !report {
		return
	}
	if !st.End {
		t.Errorf("the report's last cell is gone: hostile content swallowed the rest of the page")
	}
	if len(st.Charts) != 3 {
		t.Errorf("found %d real chart images, want 3", len(st.Charts))
	}
	for i, w := range st.Charts {
		if w <= 0 {
			t.Errorf("real chart %d does not show (naturalWidth %v)", i+1, w)
		}
	}
}
