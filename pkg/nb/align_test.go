package nb

import (
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// TestShowAlignsTimes: a column of instants reads one way; a midnight
// among times of day keeps its time instead of looking like a date.
func TestShowAlignsTimes(t *testing.T) {
	df := dataframe.New(series.New([]string{"2026-10-10 00:00:00 +0000 UTC", "2026-11-04 20:30:00 +0000 UTC"}, series.String, "last_gap_at"))
	d, f, _ := notebookDisplay(t)
	d.Show(df)
	html := only(t, f, "html").body
	for _, want := range []string{">Last gap at<", ">2026-10-10 00:00 UTC<", ">2026-11-04 20:30 UTC<"} {
		if !strings.Contains(html, want) {
			t.Errorf("table lacks %s:\n%s", want, html)
		}
	}
	days := dataframe.New(series.New([]string{"2026-10-10 00:00:00 +0000 UTC", "2026-10-11 00:00:00 +0000 UTC"}, series.String, "day"))
	d, f, _ = notebookDisplay(t)
	d.Show(days)
	if html := only(t, f, "html").body; !strings.Contains(html, ">2026-10-10<") {
		t.Errorf("a column of days shows more than dates:\n%s", html)
	}
}
