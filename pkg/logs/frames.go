package logs

import (
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// TimeLayout is how times appear in frames and CSV files: UTC, to the second.
const TimeLayout = "2006-01-02 15:04:05"

// formatTimes renders a time column as text gota can show; zero times are "".
func formatTimes(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = timeText(t)
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

// Frame returns the table as a gota DataFrame for people to look at and
// reshape, with readable column names, times as UTC text, and the derived
// columns Outcome and Method group. Compute on the typed columns, not on
// the frame: gota is far slower on large data.
func (t *WebAPI) Frame() dataframe.DataFrame {
	outcome := make([]string, t.Len())
	group := make([]string, t.Len())
	for i, s := range t.State {
		outcome[i] = s.Outcome().String()
		group[i] = s.Group().String()
	}
	return dataframe.New(
		series.New(ints(t.ID), series.Int, "ID"),
		series.New(formatTimes(t.Time), series.String, "Time (UTC)"),
		series.New(t.ProductID, series.Int, "Product"),
		series.New(t.Key, series.String, "Key"),
		series.New(ints(t.State), series.Int, "State"),
		series.New(outcome, series.String, "Outcome"),
		series.New(group, series.String, "Method group"),
		series.New(t.MachineCode, series.String, "Machine code"),
		series.New(t.FriendlyName, series.String, "Friendly name"),
		series.New(t.IP, series.String, "IP"),
		series.New(formatTimes(t.FloatingExpires), series.String, "Floating expires (UTC)"),
		series.New(ints(t.DOIntValue), series.Int, "DO int value"),
		series.New(ints(t.DOID), series.Int, "DO id"),
	)
}

// Frame returns the events as a gota DataFrame, with the money value also
// shown as an amount (value / 100).
func (t *Events) Frame() dataframe.DataFrame {
	amount := make([]float64, t.Len())
	for i, v := range t.Value {
		amount[i] = float64(v) / 100
	}
	return dataframe.New(
		series.New(ints(t.ID), series.Int, "ID"),
		series.New(formatTimes(t.Time), series.String, "Time (UTC)"),
		series.New(t.ProductID, series.Int, "Product"),
		series.New(t.Key, series.String, "Key"),
		series.New(t.MachineCode, series.String, "Machine code"),
		series.New(t.FeatureName, series.String, "Feature"),
		series.New(t.EventName, series.String, "Event"),
		series.New(ints(t.Value), series.Int, "Value (x100)"),
		series.New(amount, series.Float, "Amount"),
		series.New(t.Currency, series.String, "Currency"),
		series.New(t.Metadata, series.String, "Metadata"),
	)
}

// Frame returns the Object Log as a gota DataFrame with resource types and
// actions named.
func (t *Objects) Frame() dataframe.DataFrame {
	return dataframe.New(
		series.New(ints(t.ID), series.Int, "ID"),
		series.New(formatTimes(t.Time), series.String, "Time (UTC)"),
		series.New(stringsOf(t.ResourceType), series.String, "Resource type"),
		series.New(stringsOf(t.ResourceAction), series.String, "Action"),
		series.New(ints(t.AffectedObjectID), series.Int, "Object ID"),
		series.New(ints(t.ObjectOwnerUserID), series.Int, "Owner user ID"),
		series.New(t.PerformedByUserID, series.String, "Performed by"),
		series.New(t.Data, series.String, "Data"),
	)
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
