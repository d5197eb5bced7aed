package analysis

import (
	"cmp"
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

// LogSource names the log a timeline row comes from.
type LogSource string

// The sources of a license timeline's rows. SourceSeatReplay rows have no
// log row: they are seats that expired because no refresh came, which the
// seat replay infers.
const (
	SourceObjectLog  LogSource = "Object Log"
	SourceWebAPI     LogSource = "Web API Log"
	SourceEvents     LogSource = "Events Log"
	SourceSeatReplay LogSource = "seat replay"
)

// rank orders rows of the same second: a change before the requests it
// affects, a request before the events its application then sent.
func (s LogSource) rank() int {
	switch s {
	case SourceObjectLog:
		return 0
	case SourceSeatReplay:
		return 1
	case SourceWebAPI:
		return 2
	}
	return 3
}

// TimelineRow is one thing that happened to a license, from any log.
type TimelineRow struct {
	Time    time.Time
	Source  LogSource
	ID      int64  // the row's id in its log; 0 for a seat-replay row
	What    string // what happened, in words
	Outcome string // Success, Failure or Unknown for requests; "" otherwise
	State   cryptolens.State
	Device  string // machine code
	Name    string // friendly name
	User    string // Object Log: who made the change
	Change  string // Object Log: what was changed, "key" or "product"; "" for other rows
	// InUse is the seats in use (floating keys) or machines activated
	// (node-locked keys) after the row, replayed from every row of the key
	// the table holds, before the window too.
	InUse int
	// Limit is the key's MaxNoOfMachines at that moment as the Object Log
	// tells it (its Added copy and later updates); 0 when it does not.
	Limit int
}

// KeyTimeline is everything the three logs say about one license key over
// a window, merged in time order: its requests with their outcome and
// device, the events its application sent, and the changes made to it (and
// to its product) in the dashboard, with the seats or machines in use at
// each moment.
type KeyTimeline struct {
	Key       string
	From, To  time.Time // the window; zero ends mean open
	ProductID int       // from its Web API rows or its Added copy; 0 if unknown
	Floating  bool      // floating (seat rows, or a FloatingTimeInterval in its copy)
	// ObjectID is the key's affectedObjectId in the Object Log, 0 when the
	// Object Log loaded holds no entry that names the key; Link says where
	// the link came from.
	ObjectID int64
	Link     string
	Rows     []TimelineRow

	Requests, Failures int // Web API rows in the window, and how many failed
	Events             int // Events Log rows in the window
	KeyChanges         int // Object Log entries about the key in the window
	ProductChanges     int // Object Log entries about its product in the window

	// Notes say what the timeline cannot show and why, e.g. that the Object
	// Log no longer holds the key's link; empty when nothing is missing.
	Notes []string
}

// timelinePeriod is the window of a timeline: the part of time every
// table given was loaded for (the Periods' intersection), so a Web API Log
// loaded with a lookback, for the seats in use at the start, or an Object
// Log loaded whole, for the key's link, do not widen it.
func timelinePeriod(api *logs.WebAPI, ev *logs.Events, obj *logs.Objects) logs.Window {
	var w logs.Window
	if api != nil {
		w = w.Within(api.Period)
	}
	if ev != nil {
		w = w.Within(ev.Period)
	}
	if obj != nil {
		w = w.Within(obj.Period)
	}
	return w
}

// LicenseTimeline merges what the three logs hold about key within w, the
// window all the tables given were loaded for (their Periods'
// intersection):
// every Web API request with its outcome and device, every event, and
// every Object Log change to the key (blocked, expiry moved, seats changed,
// notes) and to its product, in time order. Any table may be nil.
//
// The Web API Log names a key by its string, the Object Log by its
// affectedObjectId; the link between them comes from the Object Log's own
// data, the copy of the key an Added entry carries (or an update of its
// Key field). When the Object Log loaded holds no such entry (Cryptolens
// keeps it 30 days, a store as long as it has synced), the timeline cannot
// tell which changes were made to the key: Notes says so, instead of
// showing none. Product changes need no link and are always shown.
//
// Rows before w are replayed silently, so the seats (floating keys) or
// machines (node-locked keys) in use at each moment count activations made
// before the window.
func LicenseTimeline(api *logs.WebAPI, ev *logs.Events, obj *logs.Objects, key string) (*KeyTimeline, error) {
	w := timelinePeriod(api, ev, obj)
	if key == "" {
		return nil, noData("license timeline: no license key given (and none to pick: no request failed in the window)")
	}
	if !w.From.IsZero() && !w.To.IsZero() && !w.From.Before(w.To) {
		return nil, noData(fmt.Sprintf("license timeline of %s: the window %s is empty", key, w))
	}
	api, ev, obj = webAPI(api, logs.WebAPIKey, logs.WebAPIProductID, logs.WebAPIState, logs.WebAPIMachineCode, logs.WebAPIFriendlyName, logs.WebAPIFloatingExpires),
		events(ev, logs.EventsKey, logs.EventsMachineCode, logs.EventsFeatureName, logs.EventsEventName, logs.EventsValue, logs.EventsCurrency, logs.EventsMetadata), objects(obj)
	tl := &KeyTimeline{Key: key, From: w.From, To: w.To}
	link := keyLinks(obj, key)[key]
	if link != nil {
		link.readLimits(obj)
	}
	rows := keyRows(api, key)
	tl.describeKey(api, rows, link, obj)
	tl.addRequests(api, rows, w, link)
	tl.addEvents(ev, w)
	tl.addChanges(obj, w, link)
	slices.SortStableFunc(tl.Rows, func(a, b TimelineRow) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Source.rank(), b.Source.rank()), cmp.Compare(a.ID, b.ID))
	})
	if len(rows) == 0 && tl.Events == 0 && link == nil {
		tl.Notes = append(tl.Notes, fmt.Sprintf("No log loaded mentions %s: check the key, or widen the window.%s", key, busiestKeys(api.Window(w))))
	}
	return tl, nil
}

// keyRows returns the indices of key's Web API rows in id order.
func keyRows(api *logs.WebAPI, key string) []int {
	var rows []int
	code, ok := api.Key.Code(key)
	if !ok {
		return nil
	}
	for i, k := range api.Key.Codes {
		if k == code {
			rows = append(rows, i)
		}
	}
	slices.SortStableFunc(rows, func(a, b int) int { return cmp.Compare(api.ID[a], api.ID[b]) })
	return rows
}

// describeKey fills in the product, the kind of key and the link, with a
// note when the link is missing.
func (tl *KeyTimeline) describeKey(api *logs.WebAPI, rows []int, link *keyLink, obj *logs.Objects) {
	for _, i := range rows {
		tl.ProductID = api.ProductID[i]
		tl.Floating = tl.Floating || isSeatState(api.State[i])
	}
	if link != nil {
		tl.ObjectID, tl.Link = link.ObjectID, link.describe()
		tl.Floating = tl.Floating || link.Floating
		return
	}
	if obj.Len() == 0 {
		tl.Notes = append(tl.Notes, "No Object Log was loaded: changes made to the key in the dashboard are not shown.")
		return
	}
	first, last := obj.Time.At(0), obj.Time.At(0)
	for ti := range obj.Time {
		t := obj.Time.At(ti)
		first, last = minTime(first, t), maxTime(last, t)
	}
	tl.Notes = append(tl.Notes, fmt.Sprintf("The Object Log loaded (%s, %s to %s) holds no entry naming %s "+
		"(the Added copy made when the key was created, or an update of its Key), so its object id is unknown and "+
		"changes made to the key are NOT shown, though there may have been some. Cryptolens keeps the Object Log "+
		"30 days; a store synced before the key was created keeps the link. Product changes are shown.",
		format.Counted(obj.Len(), "entry", "entries"), format.Time(first), format.Time(last), tl.Key))
}

// addRequests replays the key's Web API rows and adds those in w, with
// the seats or machines in use after each.
func (tl *KeyTimeline) addRequests(api *logs.WebAPI, rows []int, w logs.Window, link *keyLink) {
	seats := newSeatReplay()
	machines := map[string]bool{}
	limit := func(t time.Time) int {
		if link == nil {
			return 0
		}
		return link.limit(t)
	}
	expired := func(s step) {
		t := time.Unix(s.at, 0).UTC()
		if w.Contains(t) {
			tl.Rows = append(tl.Rows, TimelineRow{Time: t, Source: SourceSeatReplay,
				What: "seat expired: no refresh came in time", Device: s.machine, Name: s.name,
				InUse: s.inUse, Limit: limit(t)})
		}
	}
	undated := 0
	for _, i := range rows {
		t := api.Time.At(i)
		if t.IsZero() {
			undated++
			continue
		}
		st := api.State[i]
		r := TimelineRow{Time: t, Source: SourceWebAPI, ID: api.ID[i], What: st.Description(),
			Outcome: st.Outcome().String(), State: st, Device: api.MachineCode.At(i), Name: api.FriendlyName.At(i), Limit: limit(t)}
		if tl.Floating {
			seats.expire(t.Unix(), expired)
			r.InUse = len(seats.seats)
			seats.apply(t.Unix(), st, api.MachineCode.At(i), api.FriendlyName.At(i), expiresOf(api, i), func(s step) {
				r.What, r.InUse = seatWords(s.action, st), s.inUse
			})
		} else {
			nodeLocked(machines, st, api.MachineCode.At(i))
			r.InUse = len(machines)
		}
		if w.Contains(t) {
			tl.Rows = append(tl.Rows, r)
			tl.Requests++
			if st.Outcome() == cryptolens.OutcomeFailure {
				tl.Failures++
			}
		}
	}
	if tl.Floating && !w.To.IsZero() {
		seats.expire(w.To.Unix()-1, expired)
	}
	if undated > 0 {
		tl.Notes = append(tl.Notes, fmt.Sprintf("%s without a time %s left out.", format.Counted(undated, "request", "requests"), format.Plural(undated, "was", "were")))
	}
}

// seatWords says what a seat-replay step was, with the state's meaning.
func seatWords(a SeatAction, st cryptolens.State) string {
	switch a {
	case SeatActivation:
		return "seat taken (" + st.String() + ")"
	case SeatVerification:
		return "seat refreshed (" + st.String() + ")"
	case SeatDeactivation:
		return "seat released (6011)"
	case SeatDeviceLimit:
		return "refused: no free seat (2024, device limit reached)"
	case SeatReleaseUnheld:
		return "release of a seat the machine did not hold (6011)"
	}
	return st.Description()
}

// nodeLocked keeps the set of machines activated on a node-locked key: a
// successful activation adds the machine, a successful deactivation
// removes it.
func nodeLocked(machines map[string]bool, st cryptolens.State, machine string) {
	if machine == "" || st.Outcome() != cryptolens.OutcomeSuccess {
		return
	}
	switch st.Group() {
	case cryptolens.GroupActivation:
		machines[machine] = true
	case cryptolens.GroupDeactivation:
		delete(machines, machine)
	}
}

// addEvents adds the key's events in w.
func (tl *KeyTimeline) addEvents(ev *logs.Events, w logs.Window) {
	code, ok := ev.Key.Code(tl.Key)
	if !ok {
		return
	}
	for i, k := range ev.Key.Codes {
		if k != code || ev.Time.At(i).IsZero() || !w.Contains(ev.Time.At(i)) {
			continue
		}
		what := "event " + orNone(ev.FeatureName.At(i)) + " / " + orNone(ev.EventName.At(i))
		if ev.Value[i] != 0 {
			what += fmt.Sprintf(": %s %s", Cents(ev.Value[i]), ev.Currency.At(i))
		}
		if ev.Metadata[i] != "" {
			what += " " + ev.Metadata[i]
		}
		tl.Rows = append(tl.Rows, TimelineRow{Time: ev.Time.At(i), Source: SourceEvents, ID: ev.ID[i],
			What: what, Device: ev.MachineCode.At(i)})
		tl.Events++
	}
}

// addChanges adds the Object Log entries in w about the key's object and
// about its product.
func (tl *KeyTimeline) addChanges(obj *logs.Objects, w logs.Window, link *keyLink) {
	for i, typ := range obj.ResourceType {
		t := obj.Time.At(i)
		if t.IsZero() || !w.Contains(t) {
			continue
		}
		id := obj.AffectedObjectID[i]
		var what, change string
		switch {
		case typ == cryptolens.ResourceLicenseKey && link != nil && id == link.ObjectID:
			what, change = "key "+changeWords(obj.ResourceAction[i], obj.Data[i]), "key"
			tl.KeyChanges++
		case typ == cryptolens.ResourceProduct && tl.ProductID != 0 && id == int64(tl.ProductID):
			what, change = productLabel(tl.ProductID)+" "+changeWords(obj.ResourceAction[i], obj.Data[i]), "product"
			tl.ProductChanges++
		default:
			continue
		}
		r := TimelineRow{Time: t, Source: SourceObjectLog, ID: obj.ID[i], What: what, User: obj.PerformedByUserID.At(i), Change: change}
		if link != nil {
			r.Limit = link.limit(t)
		}
		tl.Rows = append(tl.Rows, r)
	}
}

// changeWords says what an Object Log entry did: "updated: Block false ->
// true", "added", "deleted".
func changeWords(action cryptolens.ResourceAction, data string) string {
	if action != cryptolens.ActionUpdated {
		return strings.ToLower(action.String())
	}
	fields, _, err := parseDiff(data)
	if err != nil || len(fields) == 0 {
		return "updated (data not readable: " + shorten(data, 60) + ")"
	}
	parts := make([]string, len(fields))
	for j, f := range fields {
		parts[j] = fmt.Sprintf("%s %s → %s", f.name, quoteEmpty(f.old), quoteEmpty(f.new))
	}
	return "updated: " + strings.Join(parts, "; ")
}

// quoteEmpty shows an empty value as "".
func quoteEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// shorten cuts s to n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Len returns the number of rows.
func (tl *KeyTimeline) Len() int { return len(tl.Rows) }

// Failing returns the rows that are failed requests.
func (tl *KeyTimeline) Failing() []TimelineRow {
	var out []TimelineRow
	for _, r := range tl.Rows {
		if r.Outcome == cryptolens.OutcomeFailure.String() {
			out = append(out, r)
		}
	}
	return out
}

// Changes returns the rows from the Object Log: changes to the key and to
// its product.
func (tl *KeyTimeline) Changes() []TimelineRow {
	var out []TimelineRow
	for _, r := range tl.Rows {
		if r.Source == SourceObjectLog {
			out = append(out, r)
		}
	}
	return out
}

// KeyChangeRows returns the changes made to the key itself.
func (tl *KeyTimeline) KeyChangeRows() []TimelineRow {
	var out []TimelineRow
	for _, r := range tl.Rows {
		if r.Change == "key" {
			out = append(out, r)
		}
	}
	return out
}

// After counts the requests in the timeline after t by outcome, and
// returns the first failed one (nil when none failed): what a change at t
// was followed by.
func (tl *KeyTimeline) After(t time.Time) (succeeded, failed int, first *TimelineRow) {
	for i, r := range tl.Rows {
		if r.Source != SourceWebAPI || !r.Time.After(t) {
			continue
		}
		switch r.Outcome {
		case cryptolens.OutcomeSuccess.String():
			succeeded++
		case cryptolens.OutcomeFailure.String():
			failed++
			if first == nil {
				first = &tl.Rows[i]
			}
		}
	}
	return succeeded, failed, first
}

// FailureGroup is a license's failed requests from one device with one
// state: how many, when the first and last came, and the seats or
// machines in use at the first.
type FailureGroup struct {
	Device, Name string
	State        cryptolens.State
	What         string
	Failures     int
	First, Last  time.Time
	InUseAtFirst int
}

// FailureGroups groups the timeline's failed requests by device and state,
// most failures first (ties: earliest first): who kept failing, with what,
// and when.
func (tl *KeyTimeline) FailureGroups() []FailureGroup {
	type id struct {
		device string
		state  cryptolens.State
	}
	at := map[id]int{}
	var out []FailureGroup
	for _, r := range tl.Rows {
		if r.Source != SourceWebAPI || r.Outcome != cryptolens.OutcomeFailure.String() {
			continue
		}
		k := id{r.Device, r.State}
		j, ok := at[k]
		if !ok {
			j = len(out)
			at[k] = j
			out = append(out, FailureGroup{Device: r.Device, Name: r.Name, State: r.State, What: r.What,
				First: r.Time, InUseAtFirst: r.InUse})
		}
		out[j].Failures++
		out[j].Last = r.Time
	}
	slices.SortStableFunc(out, func(a, b FailureGroup) int {
		return cmp.Or(cmp.Compare(b.Failures, a.Failures), a.First.Compare(b.First))
	})
	return out
}

// KeyWithMostFailures returns the key with the most failed requests in
// api (ties: the smaller key), or "" when none failed: where a support
// question usually starts.
func KeyWithMostFailures(api *logs.WebAPI) string {
	api = webAPI(api, logs.WebAPIKey, logs.WebAPIState)
	n := map[string]int{}
	best := ""
	for i, s := range api.State {
		if s.Outcome() != cryptolens.OutcomeFailure {
			continue
		}
		k := api.Key.At(i)
		n[k]++
		if n[k] > n[best] || n[k] == n[best] && k < best {
			best = k
		}
	}
	return best
}

// Summary says in one line what the timeline holds.
func (tl *KeyTimeline) Summary() string {
	link := "object id unknown"
	if tl.ObjectID != 0 {
		link = fmt.Sprintf("object %d", tl.ObjectID)
	}
	kind := "node-locked"
	if tl.Floating {
		kind = "floating"
	}
	return fmt.Sprintf("%s (%s, %s, %s): %s (%s failed), %s, %s, %s, %s",
		tl.Key, kind, productLabel(tl.ProductID), link, format.Counted(tl.Requests, "request", "requests"), format.Count(tl.Failures),
		format.Counted(tl.Events, "event", "events"), format.Counted(tl.KeyChanges, "key change", "key changes"),
		format.Counted(tl.ProductChanges, "product change", "product changes"), format.Period(tl.From, tl.To))
}

func (tl *KeyTimeline) columns() []col {
	r := tl.Rows
	inUse := "Machines in use"
	if tl.Floating {
		inUse = "Seats in use"
	}
	return []col{
		timeCol("Time", r, func(x TimelineRow) time.Time { return x.Time }),
		strCol("Log", r, func(x TimelineRow) string { return string(x.Source) }),
		strCol("What", r, func(x TimelineRow) string { return x.What }),
		strCol("Outcome", r, func(x TimelineRow) string { return x.Outcome }),
		strCol("Device", r, func(x TimelineRow) string { return x.Device }),
		strCol("Friendly name", r, func(x TimelineRow) string { return x.Name }),
		strCol("By user", r, func(x TimelineRow) string { return x.User }),
		intCol(inUse, r, func(x TimelineRow) int { return x.InUse }),
		intCol("Limit", r, func(x TimelineRow) int { return x.Limit }),
		intCol("Id", r, func(x TimelineRow) int64 { return x.ID }),
	}
}

// Frame returns one row per thing that happened: Time, Log, What, Outcome,
// Device, Friendly name, By user, Seats in use (or Machines in use), Limit
// (0: unknown), Id (the row's id in its log).
func (tl *KeyTimeline) Frame() dataframe.DataFrame { return frameOf(tl.columns()) }

// WriteCSV writes the timeline as CSV with the same columns as Frame.
func (tl *KeyTimeline) WriteCSV(w io.Writer) error { return writeCols(w, tl.columns()) }

// OutcomeTimeline is a license's requests per time bucket split by outcome,
// with the changes made to the key as marked instants: the timeline chart's data
// (charts.Timeline). Buckets are UTC days, or hours for a window of three
// days or less.
type OutcomeTimeline struct {
	Starts []time.Time // each bucket's first instant, ascending, gaps filled
	Size   time.Duration
	Names  []string // Success, Failure, Unknown
	Counts [][]int  // Counts[bucket][series]
	Marked []Mark   // the changes, in time order
}

// Mark is an instant to mark on a chart, with a short label.
type Mark struct {
	Time  time.Time
	Label string
}

// Outcomes returns the timeline's requests per day (or hour) by outcome,
// and the changes made to the key as marks labelled with the fields they
// changed (changes to its product are many and stay in the table).
func (tl *KeyTimeline) Outcomes() *OutcomeTimeline {
	var times []time.Time
	for _, r := range tl.Rows {
		if r.Source == SourceWebAPI || r.Source == SourceObjectLog {
			times = append(times, r.Time)
		}
	}
	from, to := tl.From, tl.To
	for _, t := range times {
		if from.IsZero() || t.Before(from) {
			from = t
		}
		if to.IsZero() || !t.Before(to) {
			to = t.Add(time.Second)
		}
	}
	size := daySecs
	if to.Sub(from) <= 3*24*time.Hour {
		size = hourSecs
	}
	o := &OutcomeTimeline{Size: time.Duration(size) * time.Second, Names: []string{"Success", "Failure", "Unknown"}}
	if from.IsZero() {
		return o
	}
	b := newBucketer(timesOf(from, to.Add(-time.Second)), size)
	o.Counts = make([][]int, b.slots())
	b.each(func(k int, start time.Time) {
		o.Starts = append(o.Starts, start)
		o.Counts[k] = make([]int, len(o.Names))
	})
	for _, r := range tl.Rows {
		switch r.Source {
		case SourceWebAPI:
			if k, ok := b.slot(r.Time); ok && k >= 0 && k < len(o.Counts) {
				o.Counts[k][int(r.State.Outcome()+2)%3]++ // success 0, failure 1, unknown 2
			}
		case SourceObjectLog:
			if r.Change == "key" {
				o.Marked = append(o.Marked, Mark{r.Time, markLabel(r.What)})
			}
		}
	}
	return o
}

// markLabel shortens a change's words to the fields it changed, e.g.
// "Block → true".
func markLabel(what string) string {
	if _, rest, ok := strings.Cut(what, "key updated: "); ok {
		what = rest
	}
	return shorten(what, 32)
}

// Len returns the number of buckets.
func (o *OutcomeTimeline) Len() int { return len(o.Starts) }

// Label names bucket i: its day, or day and hour.
func (o *OutcomeTimeline) Label(i int) string {
	return bucketLabel(o.Starts[i], int64(o.Size/time.Second))
}

// Series names the outcomes.
func (o *OutcomeTimeline) Series() []string { return o.Names }

// Value returns the requests of outcome s in bucket i.
func (o *OutcomeTimeline) Value(i, s int) float64 { return float64(o.Counts[i][s]) }

// Start returns bucket i's first instant.
func (o *OutcomeTimeline) Start(i int) time.Time { return o.Starts[i] }

// BucketSize returns the length of a bucket.
func (o *OutcomeTimeline) BucketSize() time.Duration { return o.Size }

// MarkCount returns the number of marked instants.
func (o *OutcomeTimeline) MarkCount() int { return len(o.Marked) }

// Mark returns marked instant j and its label.
func (o *OutcomeTimeline) Mark(j int) (time.Time, string) { return o.Marked[j].Time, o.Marked[j].Label }

// busiestKeys names the keys with the most requests in api, for a message
// about a key that has none: " The busiest keys there: A (812), B (640)."
func busiestKeys(api *logs.WebAPI) string {
	top := RequestsByKey(api).Top(3)
	if len(top.Rows) == 0 {
		return ""
	}
	parts := make([]string, len(top.Rows))
	for i, r := range top.Rows {
		parts[i] = fmt.Sprintf("%s (%s)", r.Label, format.Count(r.Requests))
	}
	return " The busiest keys there: " + strings.Join(parts, ", ") + "."
}
