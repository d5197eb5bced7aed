package cryptolens

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The largest page each method serves. A query's Limit of 0 asks for this
// many rows; a larger Limit is clamped to it (the server would refuse or
// clamp it anyway, and clamping keeps "as many as you can" simple to ask).
const (
	MaxWebAPILogLimit = 1000
	MaxEventsLimit    = 100
	MaxObjectLogLimit = 100
)

// TimeFilter restricts rows by time, in unix seconds: GT (after), GTE (at
// or after), LT (before), LTE (at or before). Zero fields are absent. Not
// every server supports it on every log, so the pagers also cut by time
// themselves.
type TimeFilter struct{ GT, GTE, LT, LTE int64 }

// IsZero reports whether the filter has no bounds.
func (f TimeFilter) IsZero() bool { return f == TimeFilter{} }

// String returns the filter as the wire's JSON text, e.g. {"gte":1700000000};
// "" when it has no bounds.
func (f TimeFilter) String() string {
	if f.IsZero() {
		return ""
	}
	var b []byte
	for _, p := range []struct {
		name string
		v    int64
	}{{"gt", f.GT}, {"gte", f.GTE}, {"lt", f.LT}, {"lte", f.LTE}} {
		if p.v == 0 {
			continue
		}
		if b == nil {
			b = append(b, '{')
		} else {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, p.name...)
		b = append(b, `":`...)
		b = strconv.AppendInt(b, p.v, 10)
	}
	return string(append(b, '}'))
}

// WebAPILogQuery holds the parameters of GetWebAPILog. Zero values mean "no
// filter" and are not sent.
type WebAPILogQuery struct {
	ProductID    int     // only this product
	Key          string  // only this license key; needs ProductID
	MachineCode  string  // exact, case-sensitive machine code
	FriendlyName string  // friendly names containing this, ignoring case
	States       []State // only these state codes
	// Limit is the page size: 0 means MaxWebAPILogLimit, and larger values
	// are clamped to it.
	Limit         int
	StartingAfter int64  // forward cursor: rows with larger ids, oldest first
	EndingBefore  int64  // backward cursor: rows with smaller ids, newest first
	OrderBy       string // deprecated by Cryptolens: "Id" or "Time", optionally followed by " descending"
	// AnomalyClassification asks the server to fill IsAnomaly and
	// AnomalyProperties.
	AnomalyClassification bool
	Time                  TimeFilter // only rows in this time range, on servers that support it
}

// EventsQuery holds the parameters of GetEvents. Zero values are not sent.
type EventsQuery struct {
	ProductID int    // only this product
	Key       string // only this license key; needs ProductID
	Metadata  string // filter on the metadata text
	// Limit is the page size: 0 means MaxEventsLimit, larger is clamped.
	Limit         int
	StartingAfter int64      // forward cursor
	EndingBefore  int64      // backward cursor, newest first
	Time          TimeFilter // only events in this time range

	orderBy string // set by EventsBackward: "Id descending"
}

// ObjectLogQuery holds the parameters of GetObjectLog, which has no filters
// and only a forward cursor.
type ObjectLogQuery struct {
	// Limit is the page size: 0 means MaxObjectLogLimit, larger is clamped.
	Limit         int
	StartingAfter int64 // forward cursor
}

// params collects form parameters, omitting zero values, and the first
// problem found in them.
type params struct {
	method string
	v      url.Values
	err    error
}

func newParams(method string) *params { return &params{method: method, v: url.Values{}} }

func (p *params) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("cryptolens: %s: %s: %w", p.method, fmt.Sprintf(format, args...), ErrBadInput)
	}
}

func (p *params) str(name, v string) {
	if v != "" {
		p.v.Set(name, v)
	}
}

// id sets a non-negative integer parameter, omitted when zero.
func (p *params) id(name string, v int64) {
	switch {
	case v < 0:
		p.fail("%s is %d; want 0 (none) or more", name, v)
	case v > 0:
		p.v.Set(name, strconv.FormatInt(v, 10))
	}
}

// limit sets Limit, 0 meaning max and larger values clamped.
func (p *params) limit(v, max int) {
	if v < 0 {
		p.fail("Limit is %d; want 0 (the maximum, %d) or more", v, max)
	}
	if v == 0 || v > max {
		v = max
	}
	p.v.Set("Limit", strconv.Itoa(v))
}

func (p *params) product(productID int, key string) {
	p.id("ProductId", int64(productID))
	if key != "" && productID == 0 {
		p.fail("Key needs ProductID too")
	}
	p.str("Key", key)
}

func (p *params) time(f TimeFilter) {
	if f.GT < 0 || f.GTE < 0 || f.LT < 0 || f.LTE < 0 {
		p.fail("Time %s has a negative bound", f)
	}
	p.str("Time", f.String())
}

func (p *params) states(states []State) {
	if len(states) == 0 {
		return
	}
	b := []byte{'['}
	for i, s := range states {
		if !s.Valid() {
			p.fail("States[%d] is %d, not a four-digit state code", i, int(s))
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(s), 10)
	}
	p.v.Set("States", string(append(b, ']')))
}

// orderBy checks the deprecated OrderBy value.
func (p *params) orderBy(v string) {
	if v == "" {
		return
	}
	field, dir, _ := strings.Cut(strings.TrimSpace(v), " ")
	okField := strings.EqualFold(field, "Id") || strings.EqualFold(field, "Time")
	okDir := dir == "" || strings.EqualFold(strings.TrimSpace(dir), "descending") || strings.EqualFold(strings.TrimSpace(dir), "ascending")
	if !okField || !okDir {
		p.fail("OrderBy is %q; want \"Id\" or \"Time\", optionally followed by \" descending\"", v)
	}
	p.v.Set("OrderBy", v)
}

// form returns the query's parameters (without the token).
func (q WebAPILogQuery) form() (url.Values, error) {
	p := newParams(methodWebAPILog)
	p.product(q.ProductID, q.Key)
	p.str("MachineCode", q.MachineCode)
	p.str("FriendlyName", q.FriendlyName)
	p.states(q.States)
	p.limit(q.Limit, MaxWebAPILogLimit)
	p.id("StartingAfter", q.StartingAfter)
	p.id("EndingBefore", q.EndingBefore)
	p.orderBy(q.OrderBy)
	if q.AnomalyClassification {
		p.v.Set("AnomalyClassification", "true")
	}
	p.time(q.Time)
	return p.v, p.err
}

// form returns the query's parameters (without the token).
func (q EventsQuery) form() (url.Values, error) {
	p := newParams(methodEvents)
	p.product(q.ProductID, q.Key)
	p.str("Metadata", q.Metadata)
	p.limit(q.Limit, MaxEventsLimit)
	p.id("StartingAfter", q.StartingAfter)
	p.id("EndingBefore", q.EndingBefore)
	p.time(q.Time)
	p.str("OrderBy", q.orderBy)
	return p.v, p.err
}

// form returns the query's parameters (without the token).
func (q ObjectLogQuery) form() (url.Values, error) {
	p := newParams(methodObjectLog)
	p.limit(q.Limit, MaxObjectLogLimit)
	p.id("StartingAfter", q.StartingAfter)
	return p.v, p.err
}

// The API methods, as they appear in paths and errors.
const (
	methodWebAPILog = "GetWebAPILog"
	methodEvents    = "GetEvents"
	methodObjectLog = "GetObjectLog"
)
