package nb

import (
	"fmt"
	"html"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
)

// PlotDirEnv names the environment variable that, outside a notebook,
// makes Plot and SVG write each chart to a file in that folder instead of
// only describing it. nb does not read it: lenslog's Config does, and
// opening an account passes it to SetPlotDir.
const PlotDirEnv = "LENSLOG_PLOT_DIR"

// Default table cut: rows shown from the head and from the tail.
const (
	DefaultHead = 10
	DefaultTail = 10
)

// Display sends results to a notebook, or prints them as text outside
// one. The zero value is ready to use: it detects GoNB with
// gonbui.IsNotebook, sends through gonbui and prints to os.Stdout.
type Display struct {
	// Out receives plain-text output; nil means os.Stdout.
	Out io.Writer
	// Frontend receives notebook output; nil means gonbui.
	Frontend Frontend
	// Notebook reports whether to use the notebook path; nil means
	// gonbui.IsNotebook.
	Notebook func() bool
	// Head and Tail are how many first and last rows a table shows when
	// it cuts a frame; 0 means DefaultHead and DefaultTail.
	Head, Tail int
	// PlotDir is where plain-text Plot and SVG write image files; empty
	// means the folder given to SetPlotDir, and if none was, images are
	// only described.
	PlotDir string
}

// std is the Display behind the package-level functions: a zero value,
// fresh on each call, so no setting can be changed under a caller (the
// one piece of package state is the cell's notes held for its report's
// opening: see Note). To display otherwise (another writer, other table
// cuts), build a Display value and call its methods.
func std() *Display { return &Display{} }

// RowFramer is implemented by long tables (the logs' typed tables) that
// can make a frame of some of their rows: Show asks for the head and tail
// only, so displaying a million rows costs no more than displaying twenty.
type RowFramer interface {
	Len() int
	FrameRows(rows []int) dataframe.DataFrame
}

// Framer is implemented by analysis results that can present themselves
// as a data frame; Show displays their Frame().
type Framer interface {
	Frame() dataframe.DataFrame
}

func (d *Display) out() io.Writer {
	if d.Out == nil {
		return os.Stdout
	}
	return d.Out
}

// front is the frontend to show something on, after the notes held for
// the report's opening (see Note), which show first.
func (d *Display) front() Frontend {
	f := d.frontend()
	showHeld(f)
	return f
}

func (d *Display) frontend() Frontend {
	if d.Frontend == nil {
		return gonbFrontend{}
	}
	return d.Frontend
}

func (d *Display) notebook() bool {
	if d.Notebook == nil {
		return gonbui.IsNotebook
	}
	return d.Notebook()
}

func (d *Display) cut() (head, tail int) {
	head, tail = d.Head, d.Tail
	if head <= 0 {
		head = DefaultHead
	}
	if tail <= 0 {
		tail = DefaultTail
	}
	return head, tail
}

// firstError returns the first non-nil error of errs.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Show displays v: a data frame (or anything with a Frame method) as a
// table, a *plot.Plot as a PNG chart, an error as an error, a string as
// text, anything else in its %v form. If any of errs is non-nil it is
// shown instead of v, so Show(f()) works for an f returning (T, error).
func (d *Display) Show(v any, errs ...error) {
	if err := firstError(errs); err != nil {
		d.Error(err)
		return
	}
	switch v := v.(type) {
	case nil:
		d.Text("<nil>")
	case error:
		d.Error(v)
	case dataframe.DataFrame:
		d.frame(v)
	case *dataframe.DataFrame:
		if v == nil {
			d.Text("<nil frame>")
			return
		}
		d.frame(*v)
	case Framer:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			d.Text(fmt.Sprintf("<nil %T>", v))
			return
		}
		if rf, ok := v.(RowFramer); ok {
			d.rowFrame(rf)
			return
		}
		d.frame(v.Frame())
	case *plot.Plot:
		d.Plot(v)
	case string:
		d.Text(v)
	default:
		d.Text(fmt.Sprintf("%+v", v))
	}
}

// frame displays a data frame as a (cut) table.
func (d *Display) frame(df dataframe.DataFrame) {
	if df.Err != nil {
		d.Error(fmt.Errorf("data frame: %w", df.Err))
		return
	}
	head, tail := d.cut()
	d.table(cutTable(df, head, tail))
}

// rowFrame displays a long table by framing only the rows it shows.
func (d *Display) rowFrame(v RowFramer) {
	head, tail := d.cut()
	n := v.Len()
	rows := make([]int, 0, min(n, head+tail))
	for i := range n {
		if i < head || i >= n-tail {
			rows = append(rows, i)
		}
	}
	df := v.FrameRows(rows)
	if df.Err != nil {
		d.Error(fmt.Errorf("data frame: %w", df.Err))
		return
	}
	d.table(pickedTable(df, rows, n, min(n, head)))
}

// table displays a cut table: HTML in a notebook, text elsewhere.
func (d *Display) table(t table) {
	if d.notebook() {
		d.front().DisplayHTML(t.html())
		return
	}
	fmt.Fprint(d.out(), t.text())
}

// Markdown displays Markdown text; outside a notebook it prints it as is.
func (d *Display) Markdown(md string) {
	if d.notebook() {
		d.front().DisplayMarkdown(md)
		return
	}
	fmt.Fprintln(d.out(), md)
}

// HTML displays an HTML fragment; outside a notebook it prints the
// fragment's text with tags removed and entities decoded.
func (d *Display) HTML(fragment string) {
	if d.notebook() {
		d.front().DisplayHTML(fragment)
		return
	}
	fmt.Fprintln(d.out(), htmlText(fragment))
}

// Text displays preformatted text (monospace in a notebook). Anything that
// looks like a token=... parameter is masked.
func (d *Display) Text(s string) {
	s = Redact(s)
	if d.notebook() {
		d.front().DisplayHTML(`<pre style="margin:0">` + html.EscapeString(s) + `</pre>`)
		return
	}
	fmt.Fprintln(d.out(), s)
}

// Error displays err readably: a red box in a notebook, an "error: " line
// outside one. Anything in the message that looks like a token=...
// parameter (e.g. in a *url.Error) is masked, so a token never reaches
// the output. A nil error displays nothing.
func (d *Display) Error(err error) {
	if err == nil {
		return
	}
	msg := Redact(err.Error())
	if d.notebook() {
		d.front().DisplayHTML(`<div style="color:#a40000;background:#fdecea;border-left:4px solid #d62728;` +
			`padding:6px 10px;font-family:monospace;white-space:pre-wrap"><b>Error:</b> ` +
			html.EscapeString(msg) + `</div>`)
		return
	}
	fmt.Fprintln(d.out(), "error: "+msg)
}

// tokenRE matches secrets in query strings, form bodies and JSON.
var tokenRE = regexp.MustCompile(`(?i)((?:access_?)?token"?\s*[=:]\s*"?)[^&\s"',;)]+`)

// Redact masks values that look like access tokens (token=..., "token":
// "...", AccessToken=...) in s.
func Redact(s string) string {
	return tokenRE.ReplaceAllString(s, "${1}REDACTED")
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// htmlText is the visible text of an HTML fragment.
func htmlText(fragment string) string {
	return strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(fragment, "")))
}

// Show displays v with a zero Display; see Display.Show.
func Show(v any, errs ...error) { std().Show(v, errs...) }

// Markdown displays Markdown with a zero Display.
func Markdown(md string) { std().Markdown(md) }

// HTML displays an HTML fragment with a zero Display.
func HTML(fragment string) { std().HTML(fragment) }

// Text displays preformatted text with a zero Display.
func Text(s string) { std().Text(s) }

// Error displays an error with a zero Display.
func Error(err error) { std().Error(err) }
