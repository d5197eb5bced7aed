package analysis

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// ChangeCount is how many changes one user made to one resource type with
// one action on one UTC day.
type ChangeCount struct {
	Day     time.Time // the day's first instant
	User    string    // performedByUserId
	Type    cryptolens.ResourceType
	Action  cryptolens.ResourceAction
	Changes int
}

// Changes counts Object Log entries per day, user, resource type and action,
// in that order. As a chart it is stacked bars over days, one series per
// action.
type Changes struct {
	Rows    []ChangeCount
	Undated int // entries left out because their time was missing

	// The Stacked view, made by ObjectChanges.
	days    []time.Time
	actions []cryptolens.ResourceAction
	grid    [][]int // grid[day][action]
}

// ObjectChanges counts the changes in the Object Log per UTC day, user,
// resource type and action: who added, updated and deleted what, when.
func ObjectChanges(obj *logs.Objects) *Changes {
	obj = objects(obj)
	type id struct {
		day    int64
		user   string
		typ    cryptolens.ResourceType
		action cryptolens.ResourceAction
	}
	at := map[id]int{}
	c := &Changes{}
	for i := range obj.Time {
		t := obj.Time.At(i)
		if t.IsZero() {
			c.Undated++
			continue
		}
		k := id{bucketOf(t, daySecs), obj.PerformedByUserID.At(i), obj.ResourceType[i], obj.ResourceAction[i]}
		j, ok := at[k]
		if !ok {
			j = len(c.Rows)
			at[k] = j
			c.Rows = append(c.Rows, ChangeCount{Day: bucketStart(k.day, daySecs), User: k.user, Type: k.typ, Action: k.action})
		}
		c.Rows[j].Changes++
	}
	slices.SortFunc(c.Rows, func(a, b ChangeCount) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.User, b.User),
			cmp.Compare(a.Type, b.Type), cmp.Compare(a.Action, b.Action))
	})
	c.stack(obj)
	return c
}

// stack builds the per-day, per-action chart view, gaps filled.
func (c *Changes) stack(obj *logs.Objects) {
	seen := map[cryptolens.ResourceAction]bool{}
	for _, r := range c.Rows {
		if !seen[r.Action] {
			seen[r.Action] = true
			c.actions = append(c.actions, r.Action)
		}
	}
	slices.Sort(c.actions)
	col := map[cryptolens.ResourceAction]int{}
	for j, a := range c.actions {
		col[a] = j
	}
	b := newBucketer(obj.Time, daySecs)
	c.grid = make([][]int, b.slots())
	b.each(func(k int, start time.Time) {
		c.days = append(c.days, start)
		c.grid[k] = make([]int, len(c.actions))
	})
	for _, r := range c.Rows {
		k, _ := b.slot(r.Day)
		c.grid[k][col[r.Action]] += r.Changes
	}
}

// ChangesByUser counts Object Log entries per user, most first.
func ChangesByUser(obj *logs.Objects) *Ranking {
	obj = objects(obj)
	r := rankStrings("User", obj.PerformedByUserID)
	r.Unit = "Changes"
	return r
}

// Len returns the number of days.
func (c *Changes) Len() int { return len(c.days) }

// Label names day i.
func (c *Changes) Label(i int) string { return c.days[i].Format(dayLayout) }

// Series names the actions seen, e.g. Added, Updated, Deleted.
func (c *Changes) Series() []string {
	out := make([]string, len(c.actions))
	for j, a := range c.actions {
		out[j] = a.String()
	}
	return out
}

// Value returns the changes with action s on day i.
func (c *Changes) Value(i, s int) float64 { return float64(c.grid[i][s]) }

func (c *Changes) columns() []col {
	r := c.Rows
	return []col{
		strCol("Day", r, func(x ChangeCount) string { return x.Day.Format(dayLayout) }),
		strCol("User", r, func(x ChangeCount) string { return x.User }),
		strCol("Resource type", r, func(x ChangeCount) string { return x.Type.String() }),
		strCol("Action", r, func(x ChangeCount) string { return x.Action.String() }),
		intCol("Changes", r, func(x ChangeCount) int { return x.Changes }),
	}
}

// Frame returns one row per day, user, resource type and action: Day, User,
// Resource type, Action, Changes.
func (c *Changes) Frame() dataframe.DataFrame { return frameOf(c.columns()) }

// WriteCSV writes the counts as CSV with the same columns as Frame.
func (c *Changes) WriteCSV(w io.Writer) error { return writeCols(w, c.columns()) }

// FieldChange is one field of one object changed by one Updated entry.
type FieldChange struct {
	Time     time.Time
	User     string // performedByUserId
	Type     cryptolens.ResourceType
	ObjectID int64 // affectedObjectId
	EntryID  int64 // the Object Log entry's id
	Field    string
	Old, New string // the values as JSON text, strings unquoted; "null" for null
}

// FieldChanges is the field-level history of the Object Log: one row per
// changed field of every Updated entry, in log order (fields in the order
// the entry lists them). Entries whose data could not be read are counted,
// never fatal.
type FieldChanges struct {
	Rows      []FieldChange
	Updates   int     // Updated entries read
	BadData   int     // Updated entries whose data is not a JSON object of fields
	BadFields int     // fields whose value is not a two-element [old, new] array
	BadIDs    []int64 // the ids of the entries with bad data or bad fields, first 20
}

// maxBadIDs is how many ids of bad entries FieldChanges keeps.
const maxBadIDs = 20

// FieldHistory reads the [old, new] diffs of the Updated entries in obj:
// who changed which field of which object, from what to what; for example
// an expiry date or a machine limit.
func FieldHistory(obj *logs.Objects) *FieldChanges {
	obj = objects(obj)
	h := &FieldChanges{}
	for i, a := range obj.ResourceAction {
		if a != cryptolens.ActionUpdated {
			continue
		}
		h.Updates++
		fields, badFields, err := parseDiff(obj.Data[i])
		if err != nil {
			h.BadData++
			h.badID(obj.ID[i])
			continue
		}
		if badFields > 0 {
			h.BadFields += badFields
			h.badID(obj.ID[i])
		}
		for _, f := range fields {
			h.Rows = append(h.Rows, FieldChange{Time: obj.Time.At(i), User: obj.PerformedByUserID.At(i),
				Type: obj.ResourceType[i], ObjectID: obj.AffectedObjectID[i], EntryID: obj.ID[i],
				Field: f.name, Old: f.old, New: f.new})
		}
	}
	return h
}

// badID remembers a bad entry's id, up to maxBadIDs.
func (h *FieldChanges) badID(id int64) {
	if len(h.BadIDs) < maxBadIDs {
		h.BadIDs = append(h.BadIDs, id)
	}
}

type fieldDiff struct{ name, old, new string }

// errNotObject is parseDiff's complaint about data that is not one JSON
// object.
var errNotObject = errors.New("data is not a JSON object")

// parseDiff reads an Updated entry's data, {"Field": [old, new], ...},
// keeping the fields in order. A field whose value is not a two-element
// array is skipped and counted.
func parseDiff(data string) (fields []fieldDiff, bad int, err error) {
	dec := json.NewDecoder(strings.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, 0, errNotObject
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, 0, fmt.Errorf("read field name: %w", err)
		}
		name, _ := tok.(string)
		var pair []json.RawMessage
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, 0, fmt.Errorf("read field %q: %w", name, err)
		}
		if json.Unmarshal(raw, &pair) != nil || len(pair) != 2 {
			bad++
			continue
		}
		fields = append(fields, fieldDiff{name, jsonText(pair[0]), jsonText(pair[1])})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, 0, fmt.Errorf("read end of object: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, 0, errNotObject // trailing data after the object
	}
	return fields, bad, nil
}

// Fields returns the changes to the named fields only (compared without
// regard to case), e.g. h.Fields("ExpirationDate", "MaxNoOfMachines").
// The counts of bad data stay those of the whole history.
func (h *FieldChanges) Fields(names ...string) *FieldChanges {
	out := *h
	out.Rows = nil
	for _, r := range h.Rows {
		if slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, r.Field) }) {
			out.Rows = append(out.Rows, r)
		}
	}
	return &out
}

// Problems says in words which entries could not be read, e.g. "2 updated
// entries with bad data, 0 fields not [old, new] (ids 17, 40)", or that
// every one could.
func (h *FieldChanges) Problems() string {
	if h.BadData == 0 && h.BadFields == 0 {
		return "Every updated entry's changes could be read."
	}
	ids := make([]string, len(h.BadIDs))
	for i, id := range h.BadIDs {
		ids[i] = fmt.Sprint(id)
	}
	return fmt.Sprintf("%s with bad data, %s not [old, new] (ids %s)",
		format.Counted(h.BadData, "updated entry", "updated entries"), format.Counted(h.BadFields, "field", "fields"), strings.Join(ids, ", "))
}

// Len returns the number of field changes.
func (h *FieldChanges) Len() int { return len(h.Rows) }

func (h *FieldChanges) columns() []col {
	r := h.Rows
	return []col{
		timeCol("Time", r, func(x FieldChange) time.Time { return x.Time }),
		strCol("User", r, func(x FieldChange) string { return x.User }),
		strCol("Resource type", r, func(x FieldChange) string { return x.Type.String() }),
		intCol("Object", r, func(x FieldChange) int64 { return x.ObjectID }),
		strCol("Field", r, func(x FieldChange) string { return x.Field }),
		strCol("Old", r, func(x FieldChange) string { return x.Old }),
		strCol("New", r, func(x FieldChange) string { return x.New }),
		intCol("Entry", r, func(x FieldChange) int64 { return x.EntryID }),
	}
}

// Frame returns one row per field change: Time, User, Resource type,
// Object, Field, Old, New, Entry (the Object Log id).
func (h *FieldChanges) Frame() dataframe.DataFrame { return frameOf(h.columns()) }

// WriteCSV writes the history as CSV with the same columns as Frame.
func (h *FieldChanges) WriteCSV(w io.Writer) error { return writeCols(w, h.columns()) }
