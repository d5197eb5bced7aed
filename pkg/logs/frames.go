package logs

import (
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// Frame and WriteCSV of each table are generated from internal/logschema
// into frames_gen.go; these are the helpers they use.

// TimeLayout is how times appear in frames and CSV files: UTC, to the second.
const TimeLayout = "2006-01-02 15:04:05"

// formatTimes renders a time column as text gota can show; zero times are "".
func formatTimes(ts Times) []string {
	out := make([]string, len(ts))
	for i := range ts {
		out[i] = timeText(ts.At(i))
	}
	return out
}

// ints converts any integer column to the []int gota stores.
func ints[T ~int | ~int64](xs []T) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x)
	}
	return out
}

// stringsOf renders a column of values with a String method.
func stringsOf[T interface{ String() string }](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

// outcomes is the Outcome frame column: each state's outcome by name.
func outcomes(states []cryptolens.State) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = s.Outcome().String()
	}
	return out
}

// methodGroups is the Method group frame column: each state's method group
// by name.
func methodGroups(states []cryptolens.State) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = s.Group().String()
	}
	return out
}

// amounts is the Amount frame column: money values (hundredths) as
// amounts.
func amounts(values []int64) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = float64(v) / 100
	}
	return out
}

// timeText formats one time as TimeLayout, or "" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout)
}

// StateCodes returns the state-code table as a frame: every code official
// sources confirm, with its method group, outcome, detail digit and
// meaning. It is generated from cryptolens.State, so it always says what the
// code does.
func StateCodes() dataframe.DataFrame {
	codes := cryptolens.ConfirmedStates()
	code, detail := make([]int, len(codes)), make([]int, len(codes))
	group, outcome, meaning := make([]string, len(codes)), make([]string, len(codes)), make([]string, len(codes))
	for i, s := range codes {
		code[i], detail[i] = int(s), s.Detail()
		group[i], outcome[i], meaning[i] = s.Group().String(), s.Outcome().String(), s.Description()
	}
	return dataframe.New(
		series.New(code, series.Int, "State"),
		series.New(group, series.String, "Method group"),
		series.New(outcome, series.String, "Outcome"),
		series.New(detail, series.Int, "Detail"),
		series.New(meaning, series.String, "Meaning"),
	)
}

// FrameRows is Frame of rows idx only: displays use it to cut a long table
// before it becomes a frame, since building a frame costs about a second
// per million rows.
func (t *WebAPI) FrameRows(idx []int) dataframe.DataFrame { return t.Take(idx).Frame() }

// FrameRows is Frame of rows idx only, as WebAPI.FrameRows.
func (t *Events) FrameRows(idx []int) dataframe.DataFrame { return t.Take(idx).Frame() }

// FrameRows is Frame of rows idx only, as WebAPI.FrameRows.
func (t *Objects) FrameRows(idx []int) dataframe.DataFrame { return t.Take(idx).Frame() }
