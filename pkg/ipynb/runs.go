package ipynb

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"time"
)

// Run is one run of a report with a set of parameters, as listed on the
// reports' index page.
type Run struct {
	// Folder is the run's folder, relative to the index page; its
	// index.html lists the run's notebooks.
	Folder string `json:"folder"`
	// Parameters are the run's parameters as given, e.g. "product=3941
	// period=2026-10".
	Parameters string `json:"parameters"`
	// Started is when the run started; Duration how long it took.
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	// Notebooks ran, Failed of them failed.
	Notebooks int `json:"notebooks"`
	Failed    int `json:"failed"`
	// NoData of them ran but found no data for the parameters.
	NoData int `json:"no_data,omitempty"`
}

// RenderRunsIndex writes the reports' index page: the notebooks of the
// run with default parameters (if there is one), then every run with
// parameters, newest first, with its parameters, time and status.
func RenderRunsIndex(w io.Writer, title string, defaults []IndexEntry, runs []Run) error {
	bw := bufio.NewWriter(w)
	writeHead(bw, title)
	bw.WriteString("<main class=\"index\">\n<h1>" + html.EscapeString(title) + "</h1>\n")
	if len(defaults) > 0 {
		bw.WriteString("<h2>With each notebook's defaults</h2>\n<p class=\"summary\">" + summary(defaults) + "</p>\n")
		bw.WriteString("<table class=\"runs\">\n<thead>\n<tr><th>Notebook</th><th>Status</th>" +
			"<th style=\"text-align: right\">Time</th><th>Files</th></tr>\n</thead>\n<tbody>\n")
		for _, e := range defaults {
			bw.WriteString(indexRow(e))
		}
		bw.WriteString("</tbody>\n</table>\n")
	}
	if len(runs) > 0 {
		bw.WriteString("<h2>With parameters</h2>\n<table class=\"runs\">\n<thead>\n<tr><th>Parameters</th><th>Started</th>" +
			"<th>Status</th><th style=\"text-align: right\">Time</th></tr>\n</thead>\n<tbody>\n")
		for _, r := range runs {
			bw.WriteString(runRow(r))
		}
		bw.WriteString("</tbody>\n</table>\n")
	}
	bw.WriteString("</main>\n</body>\n</html>\n")
	return bw.Flush()
}

// runRow returns the table row for one run.
func runRow(r Run) string {
	noun := "notebooks"
	if r.Notebooks == 1 {
		noun = "notebook"
	}
	status, class := fmt.Sprintf("<span class=\"ok\">%d %s ok</span>", r.Notebooks, noun), "ok"
	switch {
	case r.Failed > 0:
		status, class = fmt.Sprintf("<span class=\"failed\">%d of %d %s failed</span>", r.Failed, r.Notebooks, noun), "failed"
	case r.NoData > 0:
		status, class = fmt.Sprintf("<span class=\"nodata\">%d of %d %s found no data for these parameters</span>",
			r.NoData, r.Notebooks, noun), "nodata"
	}
	return "<tr class=\"" + class + "\"><td>" + linkTo(r.Folder+"/index.html", html.EscapeString(r.Parameters)) +
		"</td><td>" + r.Started.UTC().Format("2006-01-02 15:04 UTC") + "</td><td>" + status +
		"</td><td style=\"text-align: right\">" + r.Duration.Round(time.Second).String() + "</td></tr>\n"
}
