package analysis

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// DefaultHeaviestShare is the share of all requests above which
// HeaviestKeys lists a key when asked for the default: 1%, as on the help
// site.
const DefaultHeaviestShare = 0.01

// Count is one category of a Ranking.
type Count struct {
	Label    string  // the category: a key, a friendly name, a state code, a method group
	Note     string  // what the category means, e.g. a state code's description; may be empty
	Requests int     // requests in the category
	Share    float64 // Requests over the Ranking's Total, in [0,1]
}

// Ranking counts requests per category, most requests first (ties by
// label). As a chart it is one bar per category: its share when
// Normalized, else its count.
type Ranking struct {
	By         string // what a category is: "Key", "Friendly name", "State", "Method group"
	Rows       []Count
	Total      int    // all requests counted, including categories not listed
	Normalized bool   // Value reports shares instead of counts
	Unit       string // what is counted, as the column name: "" means "Requests"
}

// HeaviestKeys lists the keys whose share of all requests in api is over
// minShare (0 means DefaultHeaviestShare, 1%), heaviest first, as shares.
// minShare must be in [0, 1).
func HeaviestKeys(api *logs.WebAPI, minShare float64) (*Ranking, error) {
	if math.IsNaN(minShare) || minShare < 0 || minShare >= 1 {
		return nil, fmt.Errorf("heaviest keys: minShare is %v; want a share in [0, 1), e.g. 0.01 for 1%%", minShare)
	}
	if minShare == 0 {
		minShare = DefaultHeaviestShare
	}
	r := RequestsByKey(api)
	r.Normalized = true
	r.Rows = slices.DeleteFunc(r.Rows, func(c Count) bool { return c.Share <= minShare })
	return r, nil
}

// RequestsByKey counts requests per license key.
func RequestsByKey(api *logs.WebAPI) *Ranking {
	api = webAPI(api, logs.WebAPIKey)
	return rankStrings("Key", api.Key)
}

// RequestsByFriendlyName counts requests per friendly name (the device or
// seat label); requests without one are counted under "(none)".
func RequestsByFriendlyName(api *logs.WebAPI) *Ranking {
	api = webAPI(api, logs.WebAPIFriendlyName)
	return rankStrings("Friendly name", api.FriendlyName)
}

// RequestsByState counts requests per state code, with what each code means
// as the Note.
func RequestsByState(api *logs.WebAPI) *Ranking {
	api = webAPI(api, logs.WebAPIState)
	by := map[cryptolens.State]int{}
	for _, s := range api.State {
		by[s]++
	}
	r := &Ranking{By: "State", Total: api.Len()}
	for s, n := range by {
		r.Rows = append(r.Rows, Count{Label: s.String(), Note: s.Description(), Requests: n})
	}
	return r.finish()
}

// RequestsByGroup counts requests per method group (validation, activation,
// ...), from the first two digits of the state code.
func RequestsByGroup(api *logs.WebAPI) *Ranking {
	api = webAPI(api, logs.WebAPIState)
	by := map[cryptolens.Group]int{}
	for _, s := range api.State {
		by[s.Group()]++
	}
	r := &Ranking{By: "Method group", Total: api.Len()}
	for g, n := range by {
		r.Rows = append(r.Rows, Count{Label: g.String(), Note: fmt.Sprintf("states %d00-%d99", int(g), int(g)), Requests: n})
	}
	return r.finish()
}

// rankStrings counts the values of a string column, by code: a slice
// indexed by code instead of a map of strings.
func rankStrings(by string, col logs.Strings) *Ranking {
	counts := make([]int, col.Distinct())
	for _, c := range col.Codes {
		counts[c]++
	}
	r := &Ranking{By: by, Total: len(col.Codes)}
	for c, n := range counts {
		if n > 0 {
			r.Rows = append(r.Rows, Count{Label: orNone(col.Dict.Value(uint32(c))), Requests: n})
		}
	}
	return r.finish()
}

// finish fills in shares and sorts, most requests first.
func (r *Ranking) finish() *Ranking {
	for i := range r.Rows {
		r.Rows[i].Share = share(r.Rows[i].Requests, r.Total)
	}
	slices.SortFunc(r.Rows, func(a, b Count) int {
		if c := cmp.Compare(b.Requests, a.Requests); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	return r
}

// Top returns a copy of the ranking with only its first n rows (all when n
// is at least their number); Total is kept, so shares still mean share of
// all requests.
func (r *Ranking) Top(n int) *Ranking {
	out := *r
	out.Rows = slices.Clone(r.Rows[:min(max(n, 0), len(r.Rows))])
	return &out
}

// Len returns the number of categories.
func (r *Ranking) Len() int { return len(r.Rows) }

// Label names category i.
func (r *Ranking) Label(i int) string { return r.Rows[i].Label }

// Value returns category i's share when Normalized, else its count.
func (r *Ranking) Value(i int) float64 {
	if r.Normalized {
		return r.Rows[i].Share
	}
	return float64(r.Rows[i].Requests)
}

// Percent reports whether values are shares.
func (r *Ranking) Percent() bool { return r.Normalized }

func (r *Ranking) columns() []col {
	by := r.By
	if by == "" {
		by = "Category"
	}
	cols := []col{strCol(by, r.Rows, func(c Count) string { return c.Label })}
	if slices.ContainsFunc(r.Rows, func(c Count) bool { return c.Note != "" }) {
		cols = append(cols, strCol("Description", r.Rows, func(c Count) string { return c.Note }))
	}
	unit := r.Unit
	if unit == "" {
		unit = "Requests"
	}
	return append(cols,
		intCol(unit, r.Rows, func(c Count) int { return c.Requests }),
		floatCol("Share", r.Rows, func(c Count) float64 { return c.Share }))
}

// Frame returns the ranking as a table: the category, its Description when
// categories have one, the count (headed by Unit, "Requests" by default)
// and Share.
func (r *Ranking) Frame() dataframe.DataFrame { return frameOf(r.columns()) }

// WriteCSV writes the ranking as CSV with the same columns as Frame.
func (r *Ranking) WriteCSV(w io.Writer) error { return writeCols(w, r.columns()) }
