package ipynb

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"maps"
	"slices"
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
	// Account, Period and Parameters say what the notebook covered, from
	// its provenance (see Describe): "sample account (seed 1, to
	// 2026-11-05)" or a live account's fingerprint, "2026-10-06 to
	// 2026-11-04", and the parameters it took, as name=value.
	Account, Period string
	Parameters      []string
	// Ignored names the run's parameters this notebook does not take: it
	// is listed as such rather than as ok (see MarkIgnored).
	Ignored []string
}

// Describe fills Account, Period and Parameters from nb's provenance; a
// notebook without one leaves them empty.
func (e *IndexEntry) Describe(nb *Notebook) {
	p, err := nb.Provenance()
	if err != nil || p == nil {
		return
	}
	e.Account = accountWords(p.Account)
	e.Period = period(p.Reads)
	e.Parameters = e.Parameters[:0]
	for _, k := range slices.Sorted(maps.Keys(p.Parameters)) {
		e.Parameters = append(e.Parameters, fmt.Sprintf("%s=%v", k, p.Parameters[k]))
	}
}

// MarkIgnored sets each entry's Ignored to the names among given (the
// run's parameters) that the notebook did not take.
func MarkIgnored(entries []IndexEntry, given []string) {
	for i := range entries {
		e := &entries[i]
		e.Ignored = nil
		for _, name := range given {
			if !slices.ContainsFunc(e.Parameters, func(p string) bool { return strings.HasPrefix(p, name+"=") }) {
				e.Ignored = append(e.Ignored, name)
			}
		}
	}
}

// accountWords names the account a report read: the sample account with
// its seed and last day, or a live account by its fingerprint, never its
// URL's secrets.
func accountWords(a ProvenanceAccount) string {
	switch {
	case a.Sample && !a.End.IsZero():
		return fmt.Sprintf("sample account (seed %d, to %s)", a.Seed, a.End.UTC().Format(time.DateOnly))
	case a.Sample:
		return "sample account"
	case a.Fingerprint != "":
		return "account " + a.Fingerprint
	}
	return a.Description
}

// period says which days the reads covered, first to last, both whole:
// "2026-10-06 to 2026-11-04"; an open end says "the start of the history"
// or "now".
func period(reads []ProvenanceRead) string {
	var from, to time.Time
	open := [2]bool{}
	for i, r := range reads {
		if r.From.IsZero() {
			open[0] = true
		} else if i == 0 || from.IsZero() || r.From.Before(from) {
			from = r.From
		}
		if r.To.IsZero() {
			open[1] = true
		} else if r.To.After(to) {
			to = r.To
		}
	}
	if len(reads) == 0 {
		return ""
	}
	first, last := "the start of the history", "now"
	if !open[0] && !from.IsZero() {
		first = from.UTC().Format(time.DateOnly)
	}
	if !open[1] && !to.IsZero() {
		last = to.UTC().Add(-time.Nanosecond).Format(time.DateOnly) // To is the first instant after the span
	}
	if first == last {
		return first
	}
	return first + " to " + last
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
	failed, noData, ignores := 0, 0, 0
	for _, e := range entries {
		switch {
		case e.Failure != nil:
			failed++
		case e.NoData != "":
			noData++
		case len(e.Ignored) > 0:
			ignores++
		}
	}
	s := summaryCounts(len(entries), failed, noData)
	if ignores == 0 {
		return s
	}
	if failed == 0 && noData == 0 {
		s = strings.TrimSuffix(s, ", all ok.") + " ran."
	}
	verb := "do"
	if ignores == 1 {
		verb = "does"
	}
	return fmt.Sprintf("%s %d %s not take every parameter of the run.", s, ignores, verb)
}

// summaryCounts is the summary's count of failed and empty notebooks.
func summaryCounts(n, failed, noData int) string {
	s := fmt.Sprintf("%d notebook", n)
	if n != 1 {
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
	if covers := coverage(e); covers != "" {
		label += "<br><span class=\"covers\">" + html.EscapeString(covers) + "</span>"
	}
	status, class := "<span class=\"ok\">ok</span>", "ok"
	if len(e.Ignored) > 0 {
		status, class = "<span class=\"ignores\">does not take "+html.EscapeString(strings.Join(e.Ignored, ", "))+
			"</span><pre>ran with its own defaults for "+plural(len(e.Ignored), "it", "them")+"</pre>", "ignores"
	}
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

// coverage says what the notebook covered: account, period, parameters.
func coverage(e IndexEntry) string {
	var parts []string
	for _, s := range []string{e.Account, e.Period} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(e.Parameters) > 0 {
		parts = append(parts, strings.Join(e.Parameters, ", "))
	}
	return strings.Join(parts, " · ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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
