package ipynb

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
	"time"
)

// IndexEntry is one notebook listed on an index page.
type IndexEntry struct {
	// Name is the notebook's file name without extension, e.g. "usage".
	Name string
	// Title is the notebook's first heading; "" shows Name instead.
	Title string
	// HTML and Notebook are links (relative to the index page) to the
	// rendered page and to the executed .ipynb; "" omits a link.
	HTML, Notebook string
	// Failure is nil for a notebook that ran to the end.
	Failure *Failure
	// NoData is, for a notebook that ran to the end, what its parameters
	// named that had no rows (a product, a key); "" when all did.
	NoData string
	// Duration is how long the run took; 0 omits it.
	Duration time.Duration
}

// RenderIndex writes a standalone page listing notebooks with their titles,
// status (ok, or failed at cell N with the error) and links.
func RenderIndex(w io.Writer, title string, entries []IndexEntry) error {
	bw := bufio.NewWriter(w)
	writeHead(bw, title)
	bw.WriteString("<main class=\"index\">\n<h1>" + html.EscapeString(title) + "</h1>\n")
	bw.WriteString("<p class=\"summary\">" + summary(entries) + "</p>\n")
	bw.WriteString("<table class=\"runs\">\n<thead>\n<tr><th>Notebook</th><th>Status</th>" +
		"<th style=\"text-align: right\">Time</th><th>Files</th></tr>\n</thead>\n<tbody>\n")
	for _, e := range entries {
		bw.WriteString(indexRow(e))
	}
	bw.WriteString("</tbody>\n</table>\n</main>\n</body>\n</html>\n")
	return bw.Flush()
}

// summary returns "N notebooks, all ok", "N notebooks, K failed", and
// how many found no data for their parameters.
func summary(entries []IndexEntry) string {
	failed, noData := 0, 0
	for _, e := range entries {
		switch {
		case e.Failure != nil:
			failed++
		case e.NoData != "":
			noData++
		}
	}
	s := fmt.Sprintf("%d notebook", len(entries))
	if len(entries) != 1 {
		s += "s"
	}
	switch {
	case failed == 0 && noData == 0:
		return s + ", all ok."
	case failed == 0:
		return fmt.Sprintf("%s, %d with no data for these parameters.", s, noData)
	case noData == 0:
		return fmt.Sprintf("%s, %d failed.", s, failed)
	}
	return fmt.Sprintf("%s, %d failed, %d with no data for these parameters.", s, failed, noData)
}

// indexRow returns the table row for one notebook.
func indexRow(e IndexEntry) string {
	name := e.Title
	if name == "" {
		name = e.Name
	}
	label := html.EscapeString(name)
	if e.HTML != "" {
		label = linkTo(e.HTML, label)
	}
	if e.Title != "" && e.Name != "" {
		label += " <span class=\"name\">" + html.EscapeString(e.Name) + "</span>"
	}
	status, class := "<span class=\"ok\">ok</span>", "ok"
	if e.NoData != "" {
		status, class = "<span class=\"nodata\">no data</span><pre>"+html.EscapeString(FirstLines(StripANSI(e.NoData), 3))+"</pre>", "nodata"
	}
	if f := e.Failure; f != nil {
		class = "failed"
		where := "failed"
		if f.Cell > 0 {
			where = fmt.Sprintf("failed at cell %d", f.Cell)
		}
		status = "<span class=\"failed\">" + where + "</span><pre>" +
			html.EscapeString(FirstLines(StripANSI(f.Message), 3)) + "</pre>"
	}
	dur := ""
	if e.Duration > 0 {
		dur = e.Duration.Round(100 * time.Millisecond).String()
	}
	var files []string
	if e.HTML != "" {
		files = append(files, linkTo(e.HTML, "html"))
	}
	if e.Notebook != "" {
		files = append(files, linkTo(e.Notebook, "ipynb"))
	}
	return "<tr class=\"" + class + "\"><td>" + label + "</td><td>" + status +
		"</td><td style=\"text-align: right\">" + dur + "</td><td>" + strings.Join(files, " · ") + "</td></tr>\n"
}

// linkTo returns <a href=url>label</a>; label is HTML. url is a path
// relative to the index page: one that would read as a URL scheme (a file
// named "javascript:x.html") is made explicitly relative with "./".
func linkTo(url, label string) string {
	if i := strings.IndexAny(url, ":/?#"); i >= 0 && url[i] == ':' {
		url = "./" + url
	}
	return "<a href=\"" + html.EscapeString(url) + "\">" + label + "</a>"
}
