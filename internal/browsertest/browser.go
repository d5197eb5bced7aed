package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/lenslog/lenslog/pkg/pdf"
)

// Recorder is a loopback HTTP server that records every request it gets.
// Payloads name its URL, so a request it records is a fetch a hostile
// page made.
type Recorder struct {
	Base string // "http://127.0.0.1:port/"
	mu   sync.Mutex
	seen []string
}

// StartRecorder starts a Recorder, listening on 127.0.0.1 only, until the
// test ends.
func StartRecorder(t testing.TB) *Recorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &Recorder{Base: "http://" + ln.Addr().String() + "/"}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

// ServeHTTP records the request and answers "recorded".
func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Method+" "+req.URL.RequestURI())
	r.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, "recorded")
}

// Take returns and forgets the requests seen so far.
func (r *Recorder) Take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := r.seen
	r.seen = nil
	return seen
}

// Browser is a headless Chromium with one tab, and the requests that tab
// made as its network log reports them.
type Browser struct {
	ctx  context.Context
	mu   sync.Mutex
	reqs []string
}

// Start starts headless Chromium for the test, until the test ends.
// Without Chromium the test is skipped, unless required (the caller passes
// whether it runs in CI, CI=true), when it fails: CI installs Chromium,
// and a browser test that silently skips proves nothing.
func Start(t testing.TB, required bool) *Browser {
	t.Helper()
	path, ok := pdf.FindChromium()
	if !ok {
		msg := "no Chromium found (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome); install Debian's chromium to run the browser test"
		if required {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := append(pdf.ChromiumOptions(path), chromedp.WindowSize(1200, 4000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	b := &Browser{ctx: ctx}
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

// Page is what Visit reads back from an opened page.
type Page struct {
	URL      string   // the file: URL opened
	Title    string   // document.title after the visit
	Href     string   // location.href after the visit
	Broken   []string // <img> elements that do not show (naturalWidth 0), their markup cut short
	Images   int      // <img> elements in the page
	Text     string   // document.body.innerText: what a reader sees
	Tooltips []string // every title attribute: what a reader sees on hovering
	Requests []string // requests the browser made other than for the page itself and data: URLs
	Server   []string // requests the Recorder got
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

// readPage reads back the page's title and location, its images that do
// not show, its text and its tooltips.
const readPage = `({
  title: document.title,
  href: location.href,
  images: document.images.length,
  broken: Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)
    .map(i => i.outerHTML.replace(/base64,[^"]*/g, 'base64,…').slice(0, 200)),
  text: document.body ? document.body.innerText : '',
  tooltips: Array.from(document.querySelectorAll('[title]')).map(e => e.title),
})`

// pageRead is what readPage returns.
type pageRead struct {
	Title, Href, Text string
	Images            int
	Broken, Tooltips  []string
}

// Visit opens page (a file path), lets it settle, interacts with it, and
// reads back its state and every request made meanwhile. When read is not
// empty, it is a JavaScript expression evaluated in the page afterwards,
// whose JSON value is decoded into into.
func (b *Browser) Visit(t testing.TB, page string, rec *Recorder, read string, into any) Page {
	t.Helper()
	rec.Take()
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
	var st pageRead
	if err == nil {
		st, err = chromedp.Run(ctx, chromedp.Evaluate[pageRead](readPage))
	}
	if err == nil && read != "" {
		var raw json.RawMessage
		if raw, err = chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](read)); err == nil {
			err = json.Unmarshal(raw, into)
		}
	}
	if err != nil {
		t.Fatalf("open %s in Chromium: %v", page, err)
	}
	p := Page{URL: u, Title: st.Title, Href: st.Href, Text: st.Text, Images: st.Images, Broken: st.Broken,
		Tooltips: st.Tooltips}
	b.mu.Lock()
	for _, r := range b.reqs {
		if r != u && !strings.HasPrefix(r, u+"#") && !strings.HasPrefix(r, "data:") {
			p.Requests = append(p.Requests, r)
		}
	}
	b.mu.Unlock()
	p.Server = rec.Take()
	return p
}

// ScriptRan reports whether a payload's script ran: it puts Marker in
// the page title.
func (p Page) ScriptRan() bool { return strings.Contains(p.Title, Marker) }

// Check fails t for every sign that hostile content acted: script ran,
// something was fetched (the Recorder or the browser's network log saw a
// request), or the page navigated away.
func (p Page) Check(t testing.TB) {
	t.Helper()
	if p.ScriptRan() {
		t.Errorf("script ran: the page title is %q", p.Title)
	}
	if len(p.Server) > 0 {
		t.Errorf("the recording server got %d requests: %q", len(p.Server), p.Server)
	}
	if len(p.Requests) > 0 {
		t.Errorf("the browser made %d requests: %.300q", len(p.Requests), p.Requests)
	}
	if p.Href != p.URL && !strings.HasPrefix(p.Href, p.URL+"#") {
		t.Errorf("the page navigated to %.200q", p.Href)
	}
}

// readCut opens every <details> (the numbers behind each chart) and
// returns the text of every table header a reader cannot see whole
// without scrolling sideways: one reaching past the page's width, or past
// the edge of a box that clips or scrolls it.
const readCut = `(() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const width = document.documentElement.clientWidth;
  const cut = [];
  for (const th of document.querySelectorAll('th')) {
    const r = th.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    let bad = r.right > width + 0.5 || r.left < -0.5;
    for (let el = th.parentElement; el && !bad && el !== document.body; el = el.parentElement) {
      const s = getComputedStyle(el);
      if (s.overflowX !== 'visible') {
        const b = el.getBoundingClientRect();
        bad = r.right > b.right + 0.5 || el.scrollWidth > el.clientWidth + 1;
      }
    }
    if (bad) cut.push(th.textContent.trim().slice(0, 60));
  }
  if (document.documentElement.scrollWidth > width + 1) cut.push('(the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px)');
  return cut;
})()`

// TablesCut opens page at 1280 x 900 px, as a reader's laptop shows it,
// and returns the table headers that do not fit (see readCut); none means
// every column of every table is in view.
func (b *Browser) TablesCut(t testing.TB, page string) []string {
	t.Helper()
	u := (&url.URL{Scheme: "file", Path: page}).String()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(u), chromedp.Sleep(200*time.Millisecond))
	var cut []string
	if err == nil {
		cut, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](readCut))
	}
	if err != nil {
		t.Fatalf("measure the tables of %s at 1280 px: %v", page, err)
	}
	return cut
}
