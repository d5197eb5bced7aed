package ipynb

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// RenderOptions configures RenderHTML. The zero value renders a notebook
// titled by its first heading.
type RenderOptions struct {
	// Title is the page title; "" means the notebook's Title, else
	// "Notebook".
	Title string
	// Failure, if set, says why the run stopped; it is shown at the top and
	// the failing cell is marked.
	Failure *Failure
}

// Failure describes why a notebook run did not finish.
type Failure struct {
	// Cell is the number of the failing cell (from 1, counting all
	// cells), or 0 if the failure is not tied to a cell.
	Cell int
	// Message says what went wrong, e.g. "panic: index out of range".
	Message string
}

// String returns "cell N: message", or the message alone without a cell.
func (f *Failure) String() string {
	if f.Cell == 0 {
		return f.Message
	}
	return fmt.Sprintf("cell %d: %s", f.Cell, f.Message)
}

// RenderHTML writes nb as one standalone HTML page: markdown cells
// rendered, code cells with their source and outputs (images embedded as
// data: URIs, SVG shown as an image, HTML after SanitizeHTML, streams and
// errors as text). The page runs no script and loads nothing from
// anywhere, whatever the notebook holds: see ContentSecurityPolicy.
func RenderHTML(w io.Writer, nb *Notebook, opts RenderOptions) error {
	title := opts.Title
	if title == "" {
		title = nb.Title()
	}
	if title == "" {
		title = "Notebook"
	}
	bw := bufio.NewWriter(w)
	writeHead(bw, title)
	bw.WriteString("<main class=\"notebook\">\n")
	ids := cellIDs(nb.Cells)
	if f := opts.Failure; f != nil {
		bw.WriteString(failureBanner(f, ids))
	}
	bw.WriteString(provenanceHTML(nb))
	for i, c := range nb.Cells {
		failed := opts.Failure != nil && opts.Failure.Cell == i+1
		writeCell(bw, c, ids[i], failed)
	}
	bw.WriteString("</main>\n</body>\n</html>\n")
	return bw.Flush()
}

// ContentSecurityPolicy is the policy every page lenslog writes declares,
// first thing in its <head>, so that the browser itself refuses what the
// sanitiser should already have removed: no script (inline, javascript:
// URLs and event handlers included), no frames, plug-ins or workers, no
// form submission, no <base>, and no fetch of any kind (images only from
// data: URIs, no fonts, no style sheets other than inline styles). A
// <meta> policy cannot carry frame-ancestors, sandbox or report-uri
// (browsers ignore them there), so it has none.
const ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

// writeHead writes the document up to <body>: the security policy before
// anything else, then the embedded style sheet. Links a reader may follow
// are neither prefetched nor told where the reader came from.
func writeHead(w *bufio.Writer, title string) {
	w.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	w.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"" + ContentSecurityPolicy + "\">\n")
	w.WriteString("<meta http-equiv=\"x-dns-prefetch-control\" content=\"off\">\n")
	w.WriteString("<meta name=\"referrer\" content=\"no-referrer\">\n")
	w.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	w.WriteString("<title>" + html.EscapeString(title) + "</title>\n")
	w.WriteString("<style>\n" + pageCSS + "</style>\n</head>\n<body>\n")
}

// failureBanner returns the notice shown above a notebook whose run failed.
func failureBanner(f *Failure, ids []string) string {
	where := "Run failed"
	if f.Cell > 0 && f.Cell <= len(ids) {
		where = fmt.Sprintf(`Run stopped at <a href="#%s">cell %d</a>`, anchor(ids[f.Cell-1]), f.Cell)
	}
	return "<div class=\"banner failed\"><strong>" + where + "</strong><pre>" +
		html.EscapeString(StripANSI(f.Message)) + "</pre></div>\n"
}

// writeCell writes one cell as a <section>.
func writeCell(w *bufio.Writer, c *Cell, id string, failed bool) {
	class := "cell " + string(c.Type)
	if failed {
		class += " failed"
	}
	w.WriteString("<section class=\"" + class + "\" id=\"" + html.EscapeString(anchor(id)) + "\">\n")
	switch c.Type {
	case Markdown:
		w.WriteString(MarkdownHTML(c.Source))
	case Raw:
		w.WriteString("<pre class=\"raw\">" + html.EscapeString(c.Source) + "</pre>\n")
	case Code:
		writeCode(w, c)
	}
	w.WriteString("</section>\n")
}

// anchor returns the HTML id of the section showing the cell with the
// given id; the prefix keeps cell ids apart from heading anchors.
func anchor(cellID string) string { return "c-" + cellID }

// writeCode writes a code cell's prompt, source and outputs.
func writeCode(w *bufio.Writer, c *Cell) {
	prompt := "[ ]"
	if c.ExecutionCount != nil {
		prompt = "[" + strconv.Itoa(*c.ExecutionCount) + "]"
	}
	w.WriteString("<div class=\"input\"><span class=\"prompt\">" + prompt + "</span>")
	w.WriteString("<pre class=\"source\"><code>" + html.EscapeString(strings.TrimRight(c.Source, "\n")) + "</code></pre></div>\n")
	if why := c.NotRun(); why != "" {
		w.WriteString("<div class=\"not-run\">Not run: " + html.EscapeString(why) + ".</div>\n")
	}
	if len(c.Outputs) == 0 {
		return
	}
	w.WriteString("<div class=\"outputs\">\n")
	for _, o := range c.Outputs {
		w.WriteString(OutputHTML(o))
	}
	w.WriteString("</div>\n")
}

// OutputHTML renders one cell output as an HTML fragment.
func OutputHTML(o Output) string {
	switch o.Type {
	case Stream:
		return "<pre class=\"output stream " + html.EscapeString(o.Name) + "\">" +
			html.EscapeString(StripANSI(o.Text)) + "</pre>\n"
	case Error:
		return errorHTML(o)
	case DisplayData, ExecuteResult:
		return bundleHTML(o.Data)
	}
	return ""
}

// errorHTML renders an error output: name and value, then the traceback
// unless it only repeats them.
func errorHTML(o Output) string {
	head := o.EName
	if o.EValue != "" {
		head += ": " + o.EValue
	}
	tb := StripANSI(strings.Join(o.Traceback, "\n"))
	var b strings.Builder
	b.WriteString("<div class=\"output error\"><pre>")
	b.WriteString("<strong>" + html.EscapeString(StripANSI(head)) + "</strong>")
	if t := strings.TrimSpace(tb); t != "" && t != strings.TrimSpace(StripANSI(head)) {
		b.WriteString("\n" + html.EscapeString(tb))
	}
	b.WriteString("</pre></div>\n")
	return b.String()
}

// mimeOrder is the preference among the MIME types of one output.
var mimeOrder = []string{
	"text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "image/gif",
	"text/latex", "application/json", "text/plain",
}

// bundleHTML renders the preferred entry of a MIME bundle.
func bundleHTML(data map[string]any) string {
	for _, mime := range mimeOrder {
		v, ok := data[mime]
		if !ok {
			continue
		}
		s, _ := v.(string)
		switch mime {
		case "text/html":
			return "<div class=\"output html\">" + SanitizeHTML(s) + "</div>\n"
		case "text/markdown":
			return "<div class=\"output markdown\">" + MarkdownHTML(s) + "</div>\n"
		case "image/svg+xml":
			return "<div class=\"output svg\"><img src=\"" + svgDataURI(strings.TrimSpace(s)) + "\" alt=\"SVG image\"></div>\n"
		case "image/png", "image/jpeg", "image/gif":
			return imageHTML(mime, s)
		case "application/json":
			j, _ := json.MarshalIndent(v, "", "  ")
			return "<pre class=\"output json\">" + html.EscapeString(string(j)) + "</pre>\n"
		default:
			return "<pre class=\"output text\">" + html.EscapeString(StripANSI(s)) + "</pre>\n"
		}
	}
	return ""
}

// reBase64 matches base64 text, possibly wrapped over lines.
var reBase64 = regexp.MustCompile(`^[A-Za-z0-9+/=\s]*$`)

// imageHTML embeds base64 image data as a data: URI.
func imageHTML(mime, b64 string) string {
	if !reBase64.MatchString(b64) {
		return "<pre class=\"output text\">[" + html.EscapeString(mime) + ": invalid base64 data]</pre>\n"
	}
	data := strings.Join(strings.Fields(b64), "")
	return "<div class=\"output image\"><img src=\"data:" + mime + ";base64," + data + "\" alt=\"output image\"></div>\n"
}

// reANSI matches terminal escape sequences: CSI (colours, cursor moves),
// OSC (titles, links) and two-byte escapes.
var reANSI = regexp.MustCompile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)|\x1b[@-Z\\\\-_]")

// StripANSI removes terminal escape sequences (colours and the like) from
// s, as found in tracebacks and stream output.
func StripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return reANSI.ReplaceAllString(s, "")
}
