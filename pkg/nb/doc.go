// Package nb shows lenslog results in a GoNB notebook: data frames as
// HTML tables, charts as PNG or SVG, Markdown, errors, and status lines
// that update in place while a sync runs.
//
// Outside a notebook (a script, a test, `go run`) the same calls print
// plain text to standard output instead: an aligned text table, a
// "[chart: <title>, PNG 800x500]" line (or the image written to
// the folder named by LENSLOG_PLOT_DIR), and status lines one per update.
// So code written in a notebook runs unchanged elsewhere.
//
// Every call goes through a Display value. The package-level functions use
// a zero Display, which talks to gonbui and os.Stdout; there is no package
// state to change. Tests (and callers wanting other table cuts) build a
// Display with their own Out writer, Frontend, Notebook switch, Head and
// Tail.
//
// Tables and charts speak to readers in the house style of pkg/format:
// headers in words, shares as percent, counts with separators, Go-printed
// times and durations as dates and "3 d 16 h". A chart is sent at twice
// its pixels with its title and summary as alt text, and the numbers
// behind it follow in a folded table (NumbersHTML).
//
// A report opens with its answer: Subject names what was asked (scope and
// period in dates), Boxes shows the headline figures with their change
// against the previous period (format.Box, which the analyses build:
// analysis.SuccessBoxes and the others; Compare and Value by hand), and
// Answer says it in one sentence. A Note made before the cell showed
// anything (lenslog's line on the account it reads) waits until after
// that opening. Export writes a table as CSV into the report's export
// folder, beside its page, and links it under the table (lenslog.Show
// shows a table and exports it in one call).
//
// Tables never render a whole large frame: they show its first and last
// rows (10 + 10 by default) with a "… N more rows …" line and the total
// row count, so a million-row frame displays as fast as a small one.
//
// A cell typically reads:
//
//	nb.Show(analysis.SuccessRatio(api))   // a result with a Frame() method: table
//	nb.Plot(charts.Bar(ratio, "Successful vs. unsuccessful API requests"))
//
// Both accept a trailing error, so a (value, error) call can be passed
// straight in; a non-nil error is shown instead of the value.
package nb
