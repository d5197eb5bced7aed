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
	// ShowCode shows code cells' source, for analysts (what `report -code`
	// sets). The zero value is the reader's view: no code, only what it
	// printed; a cell tagged hide-input offers its code collapsed either
	// way. See the cell tags below.
	ShowCode bool
}

// Cell tags, Jupyter Book's, that say how a cell shows on a page; the
// executed notebook keeps every cell whole whatever its tags.
const (
	// TagHideInput collapses the cell's code into a <details> the reader
	// may open.
	TagHideInput = "hide-input"
	// TagRemoveInput leaves the cell's code out of the page.
	TagRemoveInput = "remove-input"
	// TagRemoveOutput leaves the cell's outputs out of the page.
	TagRemoveOutput = "remove-output"
	// TagRemoveCell leaves the whole cell out of the page.
	TagRemoveCell = "remove-cell"
	// TagSetup marks a cell that prepares the kernel (go.work, imports):
	// never shown, like the `%noautoget` cell every notebook opens with.
	TagSetup = "setup"
)

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
	bw.WriteString(provenanceLine(nb))
	for i, c := range nb.Cells {
		failed := opts.Failure != nil && opts.Failure.Cell == i+1
		v := viewOf(c, opts.ShowCode, failed)
		if v.hidden() {
			continue
		}
		writeCell(bw, c, ids[i], v)
	}
	bw.WriteString(provenanceHTML(nb))
	bw.WriteString("</main>\n</body>\n</html>\n")
	return bw.Flush()
}

// Sections returns how many of nb's cells a page rendered with opts shows
// (each as one <section>): not the setup cell, a removed cell, or a
// reader's view of a cell that printed nothing.
func Sections(nb *Notebook, opts RenderOptions) int {
	n := 0
	for i, c := range nb.Cells {
		failed := opts.Failure != nil && opts.Failure.Cell == i+1
		if !viewOf(c, opts.ShowCode, failed).hidden() {
			n++
		}
	}
	return n
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

// view is how one cell shows on a page.
type view struct {
	code    codeView
	outputs bool // show the outputs
	failed  bool // the run stopped at this cell
	cell    bool // show the cell at all
}

// codeView is how a code cell's source shows.
type codeView int

const (
	codeHidden codeView = iota
	codeCollapsed
	codeShown
)

// hidden reports whether nothing of the cell would show.
func (v view) hidden() bool { return !v.cell }

// viewOf decides how c shows: a markdown or raw cell whole unless tagged
// remove-cell; a setup cell never; a code cell's outputs unless tagged
// remove-output, its code per showCode and its tags. The cell a run
// stopped at always shows, with its code collapsed at least, so a reader
// can see what failed.
func viewOf(c *Cell, showCode, failed bool) view {
	tags := c.Tags()
	if c.Type != Code {
		return view{cell: !tags[TagRemoveCell]}
	}
	v := view{cell: true, outputs: !tags[TagRemoveOutput], failed: failed}
	switch {
	case tags[TagRemoveInput]:
		v.code = codeHidden
	case tags[TagHideInput]:
		v.code = codeCollapsed
	case showCode:
		v.code = codeShown
	}
	if failed {
		v.code = max(v.code, codeCollapsed)
		return v
	}
	if tags[TagRemoveCell] || tags[TagSetup] || IsSetup(c) {
		return view{}
	}
	if v.code == codeHidden && (!v.outputs || len(c.Outputs) == 0) && c.NotRun() == "" {
		return view{} // nothing left to show
	}
	return v
}

// Tags returns the cell's metadata tags as a set.
func (c *Cell) Tags() map[string]bool {
	list, _ := c.Metadata["tags"].([]any)
	tags := make(map[string]bool, len(list))
	for _, t := range list {
		if s, ok := t.(string); ok {
			tags[s] = true
		}
	}
	return tags
}

// IsSetup reports whether c prepares the kernel rather than analyses: it
// is tagged setup, or it is the GoNB setup cell every lenslog notebook
// opens with (`%noautoget`, or one that makes a go.work).
func IsSetup(c *Cell) bool {
	if c.Type != Code {
		return false
	}
	if c.Tags()[TagSetup] {
		return true
	}
	src := strings.TrimSpace(c.Source)
	return strings.HasPrefix(src, "%noautoget") || strings.Contains(src, "go work init")
}

// writeCell writes one cell as a <section>.
func writeCell(w *bufio.Writer, c *Cell, id string, v view) {
	class := "cell " + string(c.Type)
	if v.failed {
		class += " failed"
	}
	w.WriteString("<section class=\"" + class + "\" id=\"" + html.EscapeString(anchor(id)) + "\">\n")
	switch c.Type {
	case Markdown:
		w.WriteString(MarkdownHTML(c.Source))
	case Raw:
		w.WriteString("<pre class=\"raw\">" + html.EscapeString(c.Source) + "</pre>\n")
	case Code:
		writeCode(w, c, v)
	}
	w.WriteString("</section>\n")
}

// anchor returns the HTML id of the section showing the cell with the
// given id; the prefix keeps cell ids apart from heading anchors.
func anchor(cellID string) string { return "c-" + cellID }

// writeCode writes a code cell's prompt and source, as v says, and its
// outputs.
func writeCode(w *bufio.Writer, c *Cell, v view) {
	prompt := "[ ]"
	if c.ExecutionCount != nil {
		prompt = "[" + strconv.Itoa(*c.ExecutionCount) + "]"
	}
	input := "<div class=\"input\"><span class=\"prompt\">" + prompt + "</span>" +
		"<pre class=\"source\"><code>" + html.EscapeString(strings.TrimRight(c.Source, "\n")) + "</code></pre></div>\n"
	switch v.code {
	case codeShown:
		w.WriteString(input)
	case codeCollapsed:
		w.WriteString("<details class=\"code\"><summary>Code</summary>\n" + input + "</details>\n")
	}
	if why := c.NotRun(); why != "" {
		w.WriteString("<div class=\"not-run\">Not run: " + html.EscapeString(why) + ".</div>\n")
	}
	if len(c.Outputs) == 0 || !v.outputs {
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
		return bundleHTML(o)
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

// bundleHTML renders the preferred entry of an output's MIME bundle.
func bundleHTML(o Output) string {
	data := o.Data
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
			alt, _ := o.DataText("text/plain")
			w, h := imageSize(o.Metadata[mime])
			return imageHTML(mime, s, alt, w, h)
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

// imageHTML embeds base64 image data as a data: URI, with alt as its
// text alternative ("output image" when the output has none) and, when
// the output's metadata gives one, its display size (a chart drawn at
// twice its pixels shows at its size, sharp on a 2x screen).
func imageHTML(mime, b64, alt string, width, height int) string {
	if !reBase64.MatchString(b64) {
		return "<pre class=\"output text\">[" + html.EscapeString(mime) + ": invalid base64 data]</pre>\n"
	}
	if alt = strings.TrimSpace(StripANSI(alt)); alt == "" {
		alt = "output image"
	}
	size := ""
	if width > 0 && height > 0 {
		size = fmt.Sprintf(" width=\"%d\" height=\"%d\"", width, height)
	}
	data := strings.Join(strings.Fields(b64), "")
	return "<div class=\"output image\"><img src=\"data:" + mime + ";base64," + data + "\"" + size +
		" alt=\"" + html.EscapeString(alt) + "\"></div>\n"
}

// imageSize reads an image's display size from its output metadata,
// {"width": 800, "height": 500}; 0, 0 when there is none or it is absurd.
func imageSize(meta any) (int, int) {
	m, _ := meta.(map[string]any)
	w, _ := m["width"].(float64)
	h, _ := m["height"].(float64)
	if w < 1 || h < 1 || w > 10000 || h > 10000 {
		return 0, 0
	}
	return int(w), int(h)
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
