package charts

import (
	"fmt"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"gonum.org/v1/plot"
)

// MaxNumberRows is the most rows the numbers behind a chart keep; a
// longer series keeps its first MaxNumberRows and says how many it had.
const MaxNumberRows = 2000

// Numbers are the figures a chart draws, as a small table a reader can
// check the picture against, and a one-line summary of them: what a
// screen reader says for the image and what a report shows, collapsed,
// under it. Every chart of this package carries its Numbers; NumbersOf
// reads them back.
type Numbers struct {
	// Title is the chart's title.
	Title string
	// Summary says in one line what the chart shows, e.g. "7 bars, from
	// 120 (licensing) to 40,210 (activation)".
	Summary string
	// Columns name the table's columns; Rows hold its cells, written in
	// the house style (pkg/format).
	Columns []string
	Rows    [][]string
	// Total is how many rows the data had; more than len(Rows) when it
	// was cut at MaxNumberRows.
	Total int
}

// AltText is the chart's text alternative: its title and summary.
func (n Numbers) AltText() string {
	if n.Summary == "" {
		return n.Title
	}
	return n.Title + ": " + n.Summary
}

// numberedTicks carries a chart's Numbers inside its plot, on the x
// axis's tick marker, which it otherwise leaves as it was: gonum/plot
// offers no other place in a *plot.Plot for data that draws nothing.
type numberedTicks struct {
	plot.Ticker
	n Numbers
}

// NumbersOf returns the figures behind p, and false for a plot this
// package did not make (or whose x tick marker was replaced since).
func NumbersOf(p *plot.Plot) (Numbers, bool) {
	if p == nil {
		return Numbers{}, false
	}
	nt, ok := p.X.Tick.Marker.(numberedTicks)
	if !ok {
		return Numbers{}, false
	}
	nt.n.Title = p.Title.Text
	return nt.n, true
}

// attach puts n on p; call it last, once the x axis's ticks are set.
func attach(p *plot.Plot, n Numbers) {
	if n.Total == 0 {
		n.Total = len(n.Rows)
	}
	if len(n.Rows) > MaxNumberRows {
		n.Rows = n.Rows[:MaxNumberRows]
	}
	p.X.Tick.Marker = numberedTicks{Ticker: p.X.Tick.Marker, n: n}
}

// cell writes a value in the house style: a share as percent, else a number.
func cell(v float64, percent bool) string {
	if percent {
		return format.Share(v)
	}
	return format.Number(v)
}

// labeledNumbers are the figures of one value per category.
func labeledNumbers(data Labeled, category, value string, percent bool) Numbers {
	n := Numbers{Columns: []string{orDefault(category, "Category"), orDefault(value, valueAxisLabel(percent))}}
	lo, hi := 0, 0
	for i := range data.Len() {
		n.Rows = append(n.Rows, []string{data.Label(i), cell(data.Value(i), percent)})
		if data.Value(i) < data.Value(lo) {
			lo = i
		}
		if data.Value(i) > data.Value(hi) {
			hi = i
		}
	}
	n.Summary = fmt.Sprintf("%s, from %s (%s) to %s (%s)", format.Counted(data.Len(), "bar", "bars"),
		cell(data.Value(lo), percent), data.Label(lo), cell(data.Value(hi), percent), data.Label(hi))
	if data.Len() == 1 {
		n.Summary = fmt.Sprintf("1 bar, %s: %s", data.Label(0), cell(data.Value(0), percent))
	}
	return n
}

// stackedNumbers are the figures of several series per category.
func stackedNumbers(data Stacked, category string, percent bool) Numbers {
	series := data.Series()
	n := Numbers{Columns: append([]string{orDefault(category, "Category")}, series...)}
	sums := make([]float64, len(series))
	for i := range data.Len() {
		row := []string{data.Label(i)}
		for s := range series {
			row = append(row, cell(data.Value(i, s), percent))
			sums[s] += data.Value(i, s)
		}
		n.Rows = append(n.Rows, row)
	}
	var parts []string
	if !percent {
		for s, name := range series {
			parts = append(parts, name+" "+format.Number(sums[s]))
		}
	}
	n.Summary = fmt.Sprintf("%s of %s (%s)", format.Counted(data.Len(), "category", "categories"), strings.Join(series, ", "), firstAndLast(data))
	if len(parts) > 0 {
		n.Summary += "; in all " + strings.Join(parts, ", ")
	}
	return n
}

// firstAndLast names the first and last categories.
func firstAndLast(data Stacked) string {
	if data.Len() == 1 {
		return data.Label(0)
	}
	return data.Label(0) + " to " + data.Label(data.Len()-1)
}

// timedNumbers are the figures of one value per instant.
func timedNumbers(data Timed, value string, percent bool, loc *time.Location) Numbers {
	n := Numbers{Columns: []string{"Time" + zoneSuffix(loc), orDefault(value, valueAxisLabel(percent))}}
	lo, hi := 0, 0
	for i := range data.Len() {
		n.Rows = append(n.Rows, []string{timeCell(data.Time(i), loc), cell(data.Value(i), percent)})
		if data.Value(i) < data.Value(lo) {
			lo = i
		}
		if data.Value(i) > data.Value(hi) {
			hi = i
		}
	}
	last := data.Len() - 1
	n.Summary = fmt.Sprintf("%s from %s to %s; lowest %s (%s), highest %s (%s)", format.Counted(data.Len(), "point", "points"),
		timeCell(data.Time(0), loc), timeCell(data.Time(last), loc),
		cell(data.Value(lo), percent), timeCell(data.Time(lo), loc), cell(data.Value(hi), percent), timeCell(data.Time(hi), loc))
	return n
}

// seriesNumbers are the figures of several series over the same instants.
func seriesNumbers(data TimedSeries, percent bool, loc *time.Location) Numbers {
	series := data.Series()
	n := Numbers{Columns: append([]string{"Time" + zoneSuffix(loc)}, series...)}
	for i := range data.Len() {
		row := []string{timeCell(data.Time(i), loc)}
		for s := range series {
			row = append(row, cell(data.Value(i, s), percent))
		}
		n.Rows = append(n.Rows, row)
	}
	n.Summary = fmt.Sprintf("%s (%s), %s from %s to %s", format.Counted(len(series), "line", "lines"), strings.Join(series, ", "),
		format.Counted(data.Len(), "point", "points"), timeCell(data.Time(0), loc), timeCell(data.Time(data.Len()-1), loc))
	return n
}

// timeCell writes an instant in loc: a date at midnight, else to the minute.
func timeCell(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if loc == time.UTC {
		return format.Time(t)
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04")
}
