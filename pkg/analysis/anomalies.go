package analysis

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// AnomalyGroup is one group of requests Cryptolens' anomaly detection
// classified as anomalous. The group is the rows with ids from StartingAt
// to EndingAt; not every row in it is anomalous.
type AnomalyGroup struct {
	Group      string // the group id, as the server sent it
	StartingAt int64  // id of the group's first row
	EndingAt   int64  // id of its last row
	Flagged    int    // rows of the table flagged with this group
	Held       int    // rows of the table with ids in the group's range
	Whole      bool   // the table holds the group's first and last rows
	First      time.Time
	Last       time.Time
	Keys       []string // the license keys in the group's rows, sorted
	Failures   int      // rows of the group whose state is a failure
}

// AnomalyGroups is the anomaly groups of a Web API table, read from the
// anomalyProperties of its flagged rows (the store asks for them with
// AnomalyClassification): each group's id, starting at and ending at
// (row ids), and the rows of the table in that range, so a group can be
// shown whole (Rows). The property names are matched in any letter case,
// with or without spaces or underscores ("groupId", "Group Id",
// "group_id"). Flagged rows whose properties name no group are counted in
// Ungrouped (a server with an older classification), and properties that
// are not a JSON object in Unreadable, with the first such row's id. A
// group usually means a customer failing to verify a license: a support
// signal as much as a fraud one. Groups are listed newest first.
type AnomalyGroups struct {
	Period       logs.Window
	Groups       []AnomalyGroup
	Ungrouped    int
	Unreadable   int
	FirstBadID   int64 // the first row whose anomalyProperties is unreadable
	api          *logs.WebAPI
	rowsByGroups map[string][]int
}

// Anomalies reads the anomaly groups of api: the rows flagged IsAnomaly,
// grouped by the group id in their anomalyProperties.
func Anomalies(api *logs.WebAPI) *AnomalyGroups {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIState, logs.WebAPIIsAnomaly, logs.WebAPIAnomalyProperties)
	res := &AnomalyGroups{Period: api.Period, api: api, rowsByGroups: map[string][]int{}}
	at := map[string]int{}
	for i, flagged := range api.IsAnomaly {
		if !flagged && api.AnomalyProperties[i] == "" {
			continue
		}
		p, err := anomalyPropertiesOf(api.AnomalyProperties[i])
		switch {
		case err != nil:
			if res.Unreadable == 0 {
				res.FirstBadID = api.ID[i]
			}
			res.Unreadable++
			continue
		case p.Group == "":
			res.Ungrouped++
			continue
		}
		j, ok := at[p.Group]
		if !ok {
			j = len(res.Groups)
			at[p.Group] = j
			res.Groups = append(res.Groups, AnomalyGroup{Group: p.Group, StartingAt: p.StartingAt, EndingAt: p.EndingAt})
		}
		res.Groups[j].Flagged++
	}
	for j := range res.Groups {
		res.fill(&res.Groups[j])
	}
	slices.SortFunc(res.Groups, func(a, b AnomalyGroup) int {
		if c := cmp.Compare(b.EndingAt, a.EndingAt); c != 0 {
			return c
		}
		return cmp.Compare(a.Group, b.Group)
	})
	return res
}

// fill reads a group's rows from the table: the ids from StartingAt to
// EndingAt.
func (a *AnomalyGroups) fill(g *AnomalyGroup) {
	keys := map[string]bool{}
	var rows []int
	for i, id := range a.api.ID {
		if id < g.StartingAt || id > g.EndingAt {
			continue
		}
		rows = append(rows, i)
		t := a.api.Time.At(i)
		if g.First.IsZero() || t.Before(g.First) {
			g.First = t
		}
		if t.After(g.Last) {
			g.Last = t
		}
		keys[a.api.Key.At(i)] = true
		if a.api.State[i].Outcome() == cryptolens.OutcomeFailure {
			g.Failures++
		}
	}
	g.Held = len(rows)
	g.Whole = slices.ContainsFunc(rows, func(i int) bool { return a.api.ID[i] == g.StartingAt }) &&
		slices.ContainsFunc(rows, func(i int) bool { return a.api.ID[i] == g.EndingAt })
	delete(keys, "")
	g.Keys = sortedKeys(keys)
	a.rowsByGroups[g.Group] = rows
}

// Rows returns the rows of group id that the table holds, flagged or not,
// in the table's order: the group shown whole (the whole 25 rows when
// Whole). Unknown groups give an empty table.
func (a *AnomalyGroups) Rows(group string) *logs.WebAPI {
	t := a.api.Take(a.rowsByGroups[group])
	t.Period = a.Period
	return t
}

// anomalyProperties is what lenslog reads of a row's anomalyProperties.
type anomalyProperties struct {
	Group                string
	StartingAt, EndingAt int64
}

// anomalyPropertiesOf reads group id, starting at and ending at from the
// JSON object text s, in any spelling of their names; a value may be a
// number or a string. A missing name is zero; text that is not a JSON
// object is an error.
func anomalyPropertiesOf(s string) (anomalyProperties, error) {
	var p anomalyProperties
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return p, fmt.Errorf("anomalyProperties is not a JSON object: %w", err)
	}
	for k, v := range m {
		text := strings.Trim(string(v), `"`)
		if text == "null" {
			continue
		}
		var err error
		switch squash(k) {
		case "groupid", "group", "anomalygroupid":
			p.Group = text
		case "startingat", "startingatanomaly":
			p.StartingAt, err = strconv.ParseInt(text, 10, 64)
		case "endingat", "endingatanomaly":
			p.EndingAt, err = strconv.ParseInt(text, 10, 64)
		}
		if err != nil {
			return p, fmt.Errorf("anomalyProperties %q: %s is not a row id", k, text)
		}
	}
	if p.Group != "" && p.EndingAt < p.StartingAt {
		p.StartingAt, p.EndingAt = p.EndingAt, p.StartingAt
	}
	return p, nil
}

// squash lowers a name and drops everything but letters and digits.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// Len returns the number of groups.
func (a *AnomalyGroups) Len() int { return len(a.Groups) }

// Label names group i by its id.
func (a *AnomalyGroups) Label(i int) string { return a.Groups[i].Group }

// Value returns group i's failed requests.
func (a *AnomalyGroups) Value(i int) float64 { return float64(a.Groups[i].Failures) }

func (a *AnomalyGroups) columns() []col {
	g := a.Groups
	return []col{
		strCol("Group", g, func(x AnomalyGroup) string { return x.Group }),
		intCol("Starting at", g, func(x AnomalyGroup) int64 { return x.StartingAt }),
		intCol("Ending at", g, func(x AnomalyGroup) int64 { return x.EndingAt }),
		timeCol("First", g, func(x AnomalyGroup) time.Time { return x.First }),
		timeCol("Last", g, func(x AnomalyGroup) time.Time { return x.Last }),
		intCol("Rows held", g, func(x AnomalyGroup) int { return x.Held }),
		intCol("Rows flagged", g, func(x AnomalyGroup) int { return x.Flagged }),
		intCol("Failures", g, func(x AnomalyGroup) int { return x.Failures }),
		strCol("Keys", g, func(x AnomalyGroup) string { return strings.Join(x.Keys, " ") }),
		boolCol("Whole", g, func(x AnomalyGroup) bool { return x.Whole }),
	}
}

// Frame returns one row per group: Group, Starting at, Ending at, First,
// Last, Rows held, Rows flagged, Failures, Keys, Whole.
func (a *AnomalyGroups) Frame() dataframe.DataFrame { return frameOf(a.columns()) }

// WriteCSV writes the groups as CSV with the same columns as Frame.
func (a *AnomalyGroups) WriteCSV(w io.Writer) error { return writeCols(w, a.columns()) }
