package nb_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/lenslog/lenslog/pkg/charts"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/nb"
)

// Outside a notebook a frame prints as an aligned text table with its
// column types; in GoNB the same call shows an HTML table.
func ExampleShow() {
	df := dataframe.New(
		series.New([]string{"Success", "Failure"}, series.String, "outcome"),
		series.New([]int{870, 130}, series.Int, "requests"),
		series.New([]float64{0.87, 0.13}, series.Float, "share"),
	)
	nb.Show(df)
	// Output:
	//    outcome  requests  share
	//    string        int  float
	// 0  Success       870  87.0%
	// 1  Failure       130  13.0%
	// 2 rows × 3 columns
}

// A (value, error) pair can be passed straight in: the error is shown.
func ExampleShow_error() {
	load := func() (dataframe.DataFrame, error) {
		return dataframe.DataFrame{}, errors.New("GetWebAPILog: Access denied")
	}
	nb.Show(load())
	// Output: error: GetWebAPILog: Access denied
}

// In a notebook Plot shows the PNG. Outside one it renders the chart and
// prints what it would show, or writes the file into LENSLOG_PLOT_DIR and
// says where.
func ExamplePlot() {
	ratio := charts.Bars{Labels: []string{"Success", "Failure"}, Values: []float64{0.87, 0.13}, Share: true}
	nb.Plot(charts.Bar(ratio, "Successful vs. unsuccessful API requests"))
	// Output: [chart: Successful vs. unsuccessful API requests, PNG 800x500]
}

// A chart constructor's error is shown in place of the chart; a chart of
// no rows (a quiet span) as a sentence.
func ExamplePlot_error() {
	nb.Plot(charts.Bar(charts.Bars{Labels: []string{"a"}, Values: []float64{-1}}, "Requests per key"))
	nb.Plot(charts.Bar(charts.Bars{}, "Requests per day"))
	// Output:
	// error: charts: bar chart "Requests per key": row 0 ("a"): value -1 is negative; this chart draws counts and shares
	// No chart of "Requests per day": it has no rows to draw.
}

// A status line updates in place in a notebook and prints one line per
// change elsewhere.
func ExampleNewStatus() {
	st := nb.NewStatus()
	for page := 1; page <= 2; page++ {
		st.Set(fmt.Sprintf("Web API Log: page %d", page))
	}
	st.Done("Web API Log: 2,000 rows synced")
	// Output:
	// Web API Log: page 1
	// Web API Log: page 2
	// Web API Log: 2,000 rows synced
}

// ProgressLine is the text of a sync's progress, from the numbers the
// store computed; the notebook's status line and the kernel's terminal
// line both show it.
func ExampleProgressLine() {
	p := logs.Progress{Log: "events", Backward: true, Rows: 4500, Pages: 45, Requests: 46,
		Elapsed: 3 * time.Second, RowsPerSecond: 1500, Fraction: 0.75, Remaining: time.Second}
	nb.Text(nb.ProgressLine(p))
	// Output: events, going back: 4,500 rows, 45 pages, 46 requests, 1,500 rows/s, 75% done, about 1 s left
}

func ExampleMarkdown() {
	nb.Markdown("## Heaviest keys\nKeys with more than 1% of all requests.")
	// Output:
	// ## Heaviest keys
	// Keys with more than 1% of all requests.
}
