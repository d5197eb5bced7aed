package ipynb

import (
	"strings"
)

// CellType says what a cell holds: code to run, markdown to show, or raw
// text passed through untouched.
type CellType string

// The three kinds of cell nbformat 4 knows.
const (
	Code     CellType = "code"
	Markdown CellType = "markdown"
	Raw      CellType = "raw"
)

// OutputType says what kind of output a code cell produced.
type OutputType string

// The four kinds of output nbformat 4 knows.
const (
	Stream        OutputType = "stream"
	DisplayData   OutputType = "display_data"
	ExecuteResult OutputType = "execute_result"
	Error         OutputType = "error"
)

// Notebook is a whole .ipynb document.
type Notebook struct {
	// Metadata describes the kernel and language; other keys found when
	// reading are kept and written back.
	Metadata Metadata
	// Cells are the notebook's cells in order.
	Cells []*Cell
}

// Metadata is the notebook-level metadata.
type Metadata struct {
	// KernelSpec names the Jupyter kernel that runs the notebook.
	KernelSpec *KernelSpec
	// LanguageInfo describes the language of the code cells, as the kernel
	// reported it.
	LanguageInfo *LanguageInfo
	// Other holds every other metadata key, decoded from JSON.
	Other map[string]any
}

// KernelSpec names the kernel a notebook runs on, as registered with Jupyter.
// Fields are in JSON key order, sorted as Jupyter writes them.
type KernelSpec struct {
	DisplayName string `json:"display_name"`
	Language    string `json:"language,omitempty"`
	Name        string `json:"name"`
}

// LanguageInfo describes the language of a notebook's code, as sent by the
// kernel in its kernel_info_reply.
// Fields are in JSON key order, sorted as Jupyter writes them.
type LanguageInfo struct {
	CodeMirrorMode    any    `json:"codemirror_mode,omitempty"`
	FileExtension     string `json:"file_extension,omitempty"`
	MIMEType          string `json:"mimetype,omitempty"`
	Name              string `json:"name"`
	NBConvertExporter string `json:"nbconvert_exporter,omitempty"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	Version           string `json:"version,omitempty"`
}

// Cell is one cell of a notebook.
type Cell struct {
	// ID identifies the cell; Write replaces a missing, invalid or
	// duplicate id with a generated one.
	ID string
	// Type is code, markdown or raw.
	Type CellType
	// Source is the cell's text.
	Source string
	// Metadata is the cell's metadata object, decoded from JSON.
	Metadata map[string]any
	// ExecutionCount is the kernel's counter for the run that produced
	// Outputs; nil if the cell has not run. Code cells only.
	ExecutionCount *int
	// Outputs is what the last run of the cell produced. Code cells only.
	Outputs []Output
	// Attachments holds files embedded in markdown and raw cells, decoded
	// from JSON.
	Attachments map[string]any
}

// Output is one output of a code cell. Which fields are used depends on Type.
type Output struct {
	// Type is stream, display_data, execute_result or error.
	Type OutputType
	// Name is "stdout" or "stderr" (stream).
	Name string
	// Text is the streamed text (stream).
	Text string
	// Data maps MIME types to content (display_data, execute_result).
	// Textual types (text/*, image/svg+xml, application/javascript) and
	// base64 images are strings; JSON types hold decoded JSON.
	Data map[string]any
	// Metadata holds per-MIME-type metadata such as image sizes
	// (display_data, execute_result).
	Metadata map[string]any
	// ExecutionCount is the counter of the run that produced the result
	// (execute_result).
	ExecutionCount *int
	// EName, EValue and Traceback describe an error (error).
	EName, EValue string
	Traceback     []string
	// DisplayID is the transient display id a kernel gave display_data, so
	// that later update_display_data messages can replace it. It is never
	// written to a file.
	DisplayID string
}

// DataText returns the MIME bundle entry for mime as a string, and whether
// there is one.
func (o Output) DataText(mime string) (string, bool) {
	s, ok := o.Data[mime].(string)
	return s, ok
}

// Title returns the text of the notebook's first markdown heading without
// markup, or "" if no markdown cell has a heading.
func (nb *Notebook) Title() string {
	for _, c := range nb.Cells {
		if c.Type != Markdown {
			continue
		}
		if h, ok := firstHeading(c.Source); ok {
			return h
		}
	}
	return ""
}

// ClearOutputs removes every code cell's outputs, execution count and
// recorded timing ("execution" metadata), as before a fresh run.
func (nb *Notebook) ClearOutputs() {
	for _, c := range nb.Cells {
		if c.Type == Code {
			c.Outputs = nil
			c.ExecutionCount = nil
			delete(c.Metadata, "execution")
		}
	}
}

// CodeCells returns the number of code cells.
func (nb *Notebook) CodeCells() int {
	n := 0
	for _, c := range nb.Cells {
		if c.Type == Code {
			n++
		}
	}
	return n
}

// FirstLines returns up to n lines of s, marking a cut with "...".
func FirstLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + "\n..."
}
