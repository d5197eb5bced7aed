package analysis

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// FeatureCount is the use of one feature, or of one event of a feature.
type FeatureCount struct {
	Feature  string
	Event    string // empty on a per-feature row
	Events   int    // events registered
	Machines int    // distinct non-empty machine codes that registered them
	Keys     int    // distinct non-empty keys
}

// Features counts registered events per feature (or per feature and
// event), most used first. As a chart it is one bar per row: its events.
type Features struct {
	By   string // "Feature" or "Feature and event"
	Rows []FeatureCount
}

// FeatureUsage counts the events in ev per feature name, with the distinct
// machines and keys that used each feature.
func FeatureUsage(ev *logs.Events) *Features {
	ev = events(ev, logs.EventsFeatureName, logs.EventsKey, logs.EventsMachineCode)
	return featureCounts(ev, "Feature", func(i int) (string, string) { return ev.FeatureName.At(i), "" })
}

// FeatureEvents counts the events in ev per feature and event name, with
// the distinct machines and keys behind each.
func FeatureEvents(ev *logs.Events) *Features {
	ev = events(ev, logs.EventsFeatureName, logs.EventsEventName, logs.EventsKey, logs.EventsMachineCode)
	return featureCounts(ev, "Feature and event", func(i int) (string, string) { return ev.FeatureName.At(i), ev.EventName.At(i) })
}

// featureCounts groups events by what group returns.
func featureCounts(ev *logs.Events, by string, group func(i int) (string, string)) *Features {
	type agg struct {
		FeatureCount
		machines, keys map[string]struct{}
	}
	at := map[[2]string]*agg{}
	for i := range ev.ID {
		f, e := group(i)
		g := at[[2]string{f, e}]
		if g == nil {
			g = &agg{FeatureCount: FeatureCount{Feature: f, Event: e}, machines: map[string]struct{}{}, keys: map[string]struct{}{}}
			at[[2]string{f, e}] = g
		}
		g.Events++
		if m := ev.MachineCode.At(i); m != "" {
			g.machines[m] = struct{}{}
		}
		if k := ev.Key.At(i); k != "" {
			g.keys[k] = struct{}{}
		}
	}
	res := &Features{By: by, Rows: make([]FeatureCount, 0, len(at))}
	for _, g := range at {
		g.Machines, g.Keys = len(g.machines), len(g.keys)
		res.Rows = append(res.Rows, g.FeatureCount)
	}
	slices.SortFunc(res.Rows, func(a, b FeatureCount) int {
		if c := cmp.Compare(b.Events, a.Events); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Feature, b.Feature); c != 0 {
			return c
		}
		return cmp.Compare(a.Event, b.Event)
	})
	return res
}

// Len returns the number of rows.
func (f *Features) Len() int { return len(f.Rows) }

// Label names row i: "feature" or "feature / event".
func (f *Features) Label(i int) string {
	r := f.Rows[i]
	if f.By == "Feature and event" {
		return orNone(r.Feature) + " / " + orNone(r.Event)
	}
	return orNone(r.Feature)
}

// Value returns row i's events.
func (f *Features) Value(i int) float64 { return float64(f.Rows[i].Events) }

func (f *Features) columns() []col {
	r := f.Rows
	cols := []col{strCol("Feature", r, func(x FeatureCount) string { return x.Feature })}
	if f.By == "Feature and event" {
		cols = append(cols, strCol("Event", r, func(x FeatureCount) string { return x.Event }))
	}
	return append(cols,
		intCol("Events", r, func(x FeatureCount) int { return x.Events }),
		intCol("Machines", r, func(x FeatureCount) int { return x.Machines }),
		intCol("Keys", r, func(x FeatureCount) int { return x.Keys }))
}

// Frame returns one row per feature (and event): Feature, Event (per-event
// tables), Events, Machines, Keys.
func (f *Features) Frame() dataframe.DataFrame { return frameOf(f.columns()) }

// WriteCSV writes the counts as CSV with the same columns as Frame.
func (f *Features) WriteCSV(w io.Writer) error { return writeCols(w, f.columns()) }

// UnknownOS is the OS of events whose metadata does not say.
const UnknownOS = "unknown"

// osFields are the metadata fields read as the OS, in order of preference,
// compared without regard to case. Cryptolens' .NET SDK sends OSName (with
// OSVersion and Is64Bit) from Helpers.GetMachineInfo-style metadata.
var osFields = []string{"osname", "os", "operatingsystem", "platform"}

// OSCount is one operating system's share of the events.
type OSCount struct {
	OS       string
	Events   int
	Machines int     // distinct non-empty machine codes
	Share    float64 // of all events, in [0,1]
}

// OSMix is the operating systems named in the events' metadata, most
// events first. Events whose metadata is empty, not JSON, or names no OS
// count as "unknown", and how many of each is reported. As a chart it is
// one bar per OS: its share of events.
type OSMix struct {
	Rows       []OSCount
	Total      int // events read
	NoMetadata int // events with empty metadata
	BadJSON    int // events whose metadata is not a JSON object
	NoOSField  int // events whose metadata is JSON but names no OS
}

// OperatingSystems reads the OS from each event's metadata JSON (field
// OSName, os, OperatingSystem or platform, any case) and counts events and
// machines per OS.
func OperatingSystems(ev *logs.Events) *OSMix {
	ev = events(ev, logs.EventsMachineCode, logs.EventsMetadata)
	mix := &OSMix{Total: ev.Len()}
	type agg struct {
		events   int
		machines map[string]struct{}
	}
	by := map[string]*agg{}
	seen := map[string]osResult{} // the same metadata text repeats a lot
	for i, md := range ev.Metadata {
		r, ok := seen[md]
		if !ok {
			r = osOf(md)
			seen[md] = r
		}
		switch r.problem {
		case problemEmpty:
			mix.NoMetadata++
		case problemBadJSON:
			mix.BadJSON++
		case problemNoField:
			mix.NoOSField++
		}
		g := by[r.os]
		if g == nil {
			g = &agg{machines: map[string]struct{}{}}
			by[r.os] = g
		}
		g.events++
		if m := ev.MachineCode.At(i); m != "" {
			g.machines[m] = struct{}{}
		}
	}
	for os, g := range by {
		mix.Rows = append(mix.Rows, OSCount{OS: os, Events: g.events, Machines: len(g.machines), Share: share(g.events, mix.Total)})
	}
	slices.SortFunc(mix.Rows, func(a, b OSCount) int {
		if c := cmp.Compare(b.Events, a.Events); c != 0 {
			return c
		}
		return cmp.Compare(a.OS, b.OS)
	})
	return mix
}

// Why an event's OS is unknown.
const (
	problemNone = iota
	problemEmpty
	problemBadJSON
	problemNoField
)

type osResult struct {
	os      string
	problem int
}

// osOf reads the OS from one metadata text.
func osOf(md string) osResult {
	if strings.TrimSpace(md) == "" {
		return osResult{UnknownOS, problemEmpty}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(md), &obj); err != nil {
		return osResult{UnknownOS, problemBadJSON}
	}
	names := sortedKeys(obj) // so that "OS" and "os" in one object resolve the same way every time
	for _, want := range osFields {
		for _, name := range names {
			if !strings.EqualFold(name, want) {
				continue
			}
			if v := jsonText(obj[name]); v != "" && v != "null" {
				return osResult{v, problemNone}
			}
		}
	}
	return osResult{UnknownOS, problemNoField}
}

// jsonText returns a JSON value as text: a string unquoted, anything else
// as compact JSON.
func jsonText(raw json.RawMessage) string {
	if string(bytes.TrimSpace(raw)) == "null" {
		return "null"
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

// Problems says in words how many events had no usable OS, e.g. "events
// counted as unknown: 3 with bad metadata JSON", or that all had one.
func (m *OSMix) Problems() string {
	var parts []string
	if m.NoMetadata > 0 {
		parts = append(parts, format.Count(m.NoMetadata)+" without metadata")
	}
	if m.BadJSON > 0 {
		parts = append(parts, format.Count(m.BadJSON)+" with bad metadata JSON")
	}
	if m.NoOSField > 0 {
		parts = append(parts, format.Count(m.NoOSField)+" naming no OS")
	}
	if len(parts) == 0 {
		return "Every event named its operating system."
	}
	return "events counted as unknown: " + strings.Join(parts, ", ")
}

// Len returns the number of operating systems.
func (m *OSMix) Len() int { return len(m.Rows) }

// Label returns OS i.
func (m *OSMix) Label(i int) string { return m.Rows[i].OS }

// Value returns OS i's share of events.
func (m *OSMix) Value(i int) float64 { return m.Rows[i].Share }

// Percent reports that values are shares.
func (m *OSMix) Percent() bool { return true }

func (m *OSMix) columns() []col {
	r := m.Rows
	return []col{
		strCol("OS", r, func(x OSCount) string { return x.OS }),
		intCol("Events", r, func(x OSCount) int { return x.Events }),
		intCol("Machines", r, func(x OSCount) int { return x.Machines }),
		floatCol("Share", r, func(x OSCount) float64 { return x.Share }),
	}
}

// Frame returns one row per OS: OS, Events, Machines, Share.
func (m *OSMix) Frame() dataframe.DataFrame { return frameOf(m.columns()) }

// WriteCSV writes the mix as CSV with the same columns as Frame.
func (m *OSMix) WriteCSV(w io.Writer) error { return writeCols(w, m.columns()) }

// Cents is an amount of money in hundredths, as the Events Log sends it:
// 2530 is 25.30. It keeps sums exact.
type Cents int64

// String formats the amount with two decimals, e.g. "25.30", "-0.05".
func (c Cents) String() string {
	sign, u := "", uint64(c)
	if c < 0 {
		sign, u = "-", uint64(-(c+1))+1 // safe for the most negative value
	}
	frac := strconv.FormatUint(u%100, 10)
	if len(frac) == 1 {
		frac = "0" + frac
	}
	return sign + strconv.FormatUint(u/100, 10) + "." + frac
}

// Float returns the amount as a float, for charts only.
func (c Cents) Float() float64 { return float64(c) / 100 }

// RevenueRow is the money taken in one currency for one product.
type RevenueRow struct {
	Currency  string // upper case; "" when events carried a value but no currency
	ProductID int
	Purchases int   // events with a currency or a value
	Total     Cents // their values summed exactly
}

// RevenueTable is revenue per currency and product, by currency then
// largest total. As a chart it is one bar per row: its amount.
type RevenueTable struct {
	Rows []RevenueRow
}

// Revenue sums the values of the events in ev that carry a currency or a
// value, per currency (trimmed, upper case) and product. Values are money
// times 100 and are summed as integers, so totals are exact.
func Revenue(ev *logs.Events) *RevenueTable {
	ev = events(ev, logs.EventsCurrency, logs.EventsProductID, logs.EventsValue)
	type id struct {
		cur     string
		product int
	}
	at := map[id]int{}
	t := &RevenueTable{}
	for i, v := range ev.Value {
		c := ev.Currency.At(i)
		if c == "" && v == 0 {
			continue
		}
		k := id{strings.ToUpper(strings.TrimSpace(c)), ev.ProductID[i]}
		j, ok := at[k]
		if !ok {
			j = len(t.Rows)
			at[k] = j
			t.Rows = append(t.Rows, RevenueRow{Currency: k.cur, ProductID: k.product})
		}
		t.Rows[j].Purchases++
		t.Rows[j].Total += Cents(v)
	}
	slices.SortFunc(t.Rows, func(a, b RevenueRow) int {
		if c := cmp.Compare(a.Currency, b.Currency); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		return cmp.Compare(a.ProductID, b.ProductID)
	})
	return t
}

// Len returns the number of rows.
func (t *RevenueTable) Len() int { return len(t.Rows) }

// Label names row i, e.g. "USD product 7".
func (t *RevenueTable) Label(i int) string {
	cur := t.Rows[i].Currency
	if cur == "" {
		cur = "(no currency)"
	}
	return cur + " " + productLabel(t.Rows[i].ProductID)
}

// Value returns row i's amount (for charts; use Total for exact sums).
func (t *RevenueTable) Value(i int) float64 { return t.Rows[i].Total.Float() }

func (t *RevenueTable) columns() []col {
	r := t.Rows
	return []col{
		strCol("Currency", r, func(x RevenueRow) string { return x.Currency }),
		intCol("Product", r, func(x RevenueRow) int { return x.ProductID }),
		intCol("Purchases", r, func(x RevenueRow) int { return x.Purchases }),
		strCol("Amount", r, func(x RevenueRow) string { return x.Total.String() }),
		intCol("Cents", r, func(x RevenueRow) Cents { return x.Total }),
	}
}

// Frame returns one row per currency and product: Currency, Product,
// Purchases, Amount (exact text with two decimals) and Cents (the same
// amount as an integer, to sort or sum).
func (t *RevenueTable) Frame() dataframe.DataFrame { return frameOf(t.columns()) }

// WriteCSV writes the revenue as CSV with the same columns as Frame.
func (t *RevenueTable) WriteCSV(w io.Writer) error { return writeCols(w, t.columns()) }
