// Package pdf prints lenslog's report pages to PDF with headless Chromium
// (Debian's chromium package, the browser CI already installs), as an
// auditor files them: A4, every table whole (the page's print style
// sheet), the numbers behind each chart open, page numbers and a footer
// naming the report, its parameters and its provenance fingerprint.
//
// A PDF keeps the page's safety. The page runs with JavaScript disabled
// and every request other than the page file itself blocked, and links
// that would leave the document lose their target before printing, so
// the PDF holds no link that fetches anything; links within the report
// stay.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoChromium is returned by Start when no Chromium is found.
var ErrNoChromium = errors.New("pdf: no Chromium found (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome); install Debian's chromium package")

// Options configure a Printer. The zero value finds Chromium itself.
type Options struct {
	// Chromium is the browser to run; "" means /usr/bin/chromium, else
	// chromium, chromium-browser or google-chrome on PATH.
	Chromium string
	// Timeout bounds printing one page; 0 means one minute.
	Timeout time.Duration
}

// Printer is one headless Chromium that prints pages one after another.
// Close it when done.
type Printer struct {
	ctx     context.Context
	cancel  func()
	timeout time.Duration
}

// Start starts headless Chromium.
func Start(opts Options) (*Printer, error) {
	path := opts.Chromium
	if path == "" {
		var ok bool
		if path, ok = FindChromium(); !ok {
			return nil, ErrNoChromium
		}
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), ChromiumOptions(path)...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	p := &Printer{ctx: ctx, cancel: func() { cancelCtx(); cancelAlloc() }, timeout: opts.Timeout}
	if p.timeout == 0 {
		p.timeout = time.Minute
	}
	if err := chromedp.Do(ctx); err != nil { // starts the browser under the printer's own context
		p.cancel()
		return nil, fmt.Errorf("pdf: start Chromium (%s): %w", path, err)
	}
	return p, nil
}

// FindChromium returns the path of a Chromium to print with.
func FindChromium() (string, bool) {
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

// ChromiumOptions are how lenslog starts the headless Chromium at path,
// for printing here and for the browser tests: no GPU, no background
// requests of its own, and, as root, no sandbox (Chromium refuses to run
// as root with it).
func ChromiumOptions(path string) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	return opts
}

// Close stops the browser.
func (p *Printer) Close() { p.cancel() }

// Print writes the HTML page at htmlPath as a PDF to pdfPath, with footer
// (e.g. "Seat audit · key=ABC, period=2026-10 · provenance 3f9c2a1b7d04")
// and "page N of M" at the foot of every page.
func (p *Printer) Print(htmlPath, pdfPath, footer string) error {
	abs, err := filepath.Abs(htmlPath)
	if err != nil {
		return fmt.Errorf("pdf: %s: %w", htmlPath, err)
	}
	tab, closeTab := chromedp.NewContext(p.ctx) // a fresh tab per page
	defer closeTab()
	ctx, cancel := context.WithTimeout(tab, p.timeout)
	defer cancel()
	data, err := printPage(ctx, (&url.URL{Scheme: "file", Path: abs}).String(), footer)
	if err != nil {
		return fmt.Errorf("pdf: print %s: %w", htmlPath, err)
	}
	if err := os.WriteFile(pdfPath, data, 0o644); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// printPage opens u with scripts off and the network shut, strips links
// that leave it, and prints it.
func printPage(ctx context.Context, u, footer string) ([]byte, error) {
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		return nil, err
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		return nil, fmt.Errorf("disable JavaScript: %w", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return nil, err
	}
	var blocked []*network.BlockPattern // images are data: URIs, which fetch nothing
	for _, scheme := range []string{"http", "https", "ws", "wss", "ftp"} {
		blocked = append(blocked, &network.BlockPattern{URLPattern: scheme + "://*/*", Block: true})
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: blocked}); err != nil {
		return nil, fmt.Errorf("block the network: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		return nil, err
	}
	if err := unlinkExternal(ctx); err != nil {
		return nil, err
	}
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{
		DisplayHeaderFooter: ptr(true),
		PrintBackground:     ptr(true),
		PaperWidth:          8.27, // A4
		PaperHeight:         11.69,
		MarginTop:           ptr(0.5),
		MarginBottom:        ptr(0.7),
		MarginLeft:          ptr(0.45),
		MarginRight:         ptr(0.45),
		HeaderTemplate:      "<span></span>",
		FooterTemplate:      FooterHTML(footer),
		GenerateTaggedPDF:   ptr(true),
	})
	if err != nil {
		return nil, err
	}
	return res.Data, nil
}

// unlinkExternal removes the target of every link that would leave the
// page, so the PDF keeps the text but no link that fetches.
func unlinkExternal(ctx context.Context) error {
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(`a[href]:not([href^="#"]), area[href]`), chromedp.AtLeast(0)))
	if err != nil {
		return fmt.Errorf("find links: %w", err)
	}
	for _, n := range nodes {
		if _, err := chromedp.Call(ctx, dom.RemoveAttribute, dom.RemoveAttributeParams{NodeID: n.NodeID, Name: "href"}); err != nil {
			return fmt.Errorf("unlink %s: %w", n.NodeName, err)
		}
	}
	return nil
}

// FooterHTML is the footer template Chromium prints on every page: the
// footer text (escaped) on the left, "page N of M" on the right.
func FooterHTML(footer string) string {
	return `<div style="font: 7.5px system-ui, sans-serif; color: #555; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between; gap: 12px;">` +
		`<span>` + html.EscapeString(footer) + `</span>` +
		`<span style="white-space: nowrap">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
}

func ptr[T any](v T) *T { return &v }
