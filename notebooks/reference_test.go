package notebooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/sample"
)

// The expected figures of notebooks 01 to 08 are counted here from an
// independent reference: every row the sample server sends for the account
// the notebooks read, paged through its HTTP handler and decoded with plain
// encoding/json into maps. Nothing here goes through the client, the
// store, the front door or the analysis package, so a wrong analysis (or a
// wrong load) fails the test instead of agreeing with itself.

// refToken is the token of the reference's in-process sample server.
const refToken = "reference"

// row is one log row as the server sent it.
type row map[string]any

// reference is the sample account the notebooks read, as the server sends
// it.
type reference struct {
	now                  time.Time // the account's now: the end of its history
	web, events, objects []row
	licenses             []sample.License // the account's license list (seat limits)
	listed               []listedLicense  // the license list as product/GetKeys sends it (notebooks 12-14)
	trials               map[string]bool  // the trial licenses the list and its snapshots can tell (notebook 13)
	planted              sample.Planted
	usage                *usageReference // the Usage Analytics tables (notebook 09)
}

// loadReference pages through the three logs of the pinned sample account.
func loadReference(t *testing.T) *reference {
	t.Helper()
	end, err := time.Parse("2006-01-02", sampleEnd)
	if err != nil {
		t.Fatal(err)
	}
	acct := sample.Generate(sample.Options{End: end})
	h := sample.NewServer(acct, refToken)
	return &reference{
		now:      acct.Now,
		web:      pageAll(t, h, "GetWebAPILog", 1000),
		events:   pageAll(t, h, "GetEvents", 100),
		objects:  pageAll(t, h, "GetObjectLog", 100),
		licenses: acct.FloatingKeys(),
		planted:  acct.Planted,
		usage:    loadUsageReference(t, h, acct),
		listed:   loadLicenses(t, h),
		trials:   knowableTrials(acct),
	}
}

// pageAll reads every row of one method, forward from the first id.
func pageAll(t *testing.T, h http.Handler, method string, limit int) []row {
	t.Helper()
	var all []row
	after := int64(0)
	for {
		v := url.Values{"token": {refToken}, "Limit": {strconv.Itoa(limit)}, "StartingAfter": {strconv.FormatInt(after, 10)}}
		req := httptest.NewRequest(http.MethodPost, "/api/ai/"+method, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		page := decodePage(t, method, rec.Body.Bytes())
		if len(page) == 0 {
			return all
		}
		for _, r := range page {
			id := r.int("id")
			if id <= after {
				t.Fatalf("%s: id %d after cursor %d", method, id, after)
			}
			after = id
		}
		all = append(all, page...)
	}
}

// decodePage reads the rows of one reply: its one array besides result
// and message.
func decodePage(t *testing.T, method string, body []byte) []row {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%s: %v: %.200s", method, err, body)
	}
	if string(env["result"]) != "0" {
		t.Fatalf("%s: not a successful reply: %.200s", method, body)
	}
	for k, raw := range env {
		if k == "result" || k == "message" {
			continue
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var rows []row
		if err := d.Decode(&rows); err != nil {
			t.Fatalf("%s: %s: %v", method, k, err)
		}
		return rows
	}
	t.Fatalf("%s: no rows in %.200s", method, body)
	return nil
}

func (r row) int(k string) int64 {
	n, _ := r[k].(json.Number).Int64()
	return n
}

func (r row) str(k string) string { s, _ := r[k].(string); return s }

// at is the row's time: "time", or "created" in the Object Log.
func (r row) at() time.Time {
	if _, ok := r["created"]; ok {
		return time.Unix(r.int("created"), 0).UTC()
	}
	return time.Unix(r.int("time"), 0).UTC()
}

// last returns the rows of the last d before ref.now: [now-d, now).
func (ref *reference) last(rows []row, d time.Duration) []row {
	return between(rows, ref.now.Add(-d), ref.now)
}

// between returns the rows from from up to, not including, to.
func between(rows []row, from, to time.Time) []row {
	var out []row
	for _, r := range rows {
		if t := r.at(); !t.Before(from) && t.Before(to) {
			out = append(out, r)
		}
	}
	return out
}

// outcome is the documented success test on a state: its third digit, 1
// success, 2 failure; anything else (or no four-digit state) unknown.
func outcome(state int64) string {
	if state < 1000 || state > 9999 {
		return "unknown"
	}
	switch state % 100 / 10 {
	case 1:
		return "success"
	case 2:
		return "failure"
	}
	return "unknown"
}

// referenceFigures are the lines notebooks 01 to 08 print with their
// default parameters, keyed by notebook name; window labels are given by
// the caller (how a window is written is not a figure). Each line ends with
// its newline, so that "Overdrafts: 3" does not match "Overdrafts: 30".
func referenceFigures(t *testing.T, ref *reference, window func(d time.Duration) string) map[string][]string {
	t.Helper()
	const day = 24 * time.Hour
	f := map[string][]string{}
	web7, web30, web120 := ref.last(ref.web, 7*day), ref.last(ref.web, 30*day), ref.last(ref.web, 120*day)

	f["01-three-logs"] = []string{fmt.Sprintf("Web API Log rows in last-7d (%s): %s", window(7*day), format.Count(len(web7)))}

	outcomes := map[string]int{}
	for _, r := range web30 {
		outcomes[outcome(r.int("state"))]++
	}
	share := func(o string) string { return format.Share(float64(outcomes[o]) / float64(len(web30))) }
	f["02-success-ratio"] = []string{
		"Requests in the window: " + format.Count(len(web30)),
		"Success share: " + share("success"),
		"Failure share: " + share("failure"),
	}

	perKey, names := map[string]int{}, map[string]bool{}
	for _, r := range web30 {
		perKey[r.str("key")]++
		names[r.str("friendlyName")] = true
	}
	heavy := 0
	for _, n := range perKey {
		if float64(n)/float64(len(web30)) > 0.01 {
			heavy++
		}
	}
	f["03-heaviest-keys"] = []string{
		"Keys above 1.0% of requests: " + format.Count(heavy),
		"Distinct friendly names: " + format.Count(len(names)),
	}

	f["04-floating-seat-audit"] = ref.seatAudit(t, ref.last(ref.web, day), ref.now)

	lastSeen := map[string]time.Time{}
	for _, r := range web120 {
		if t := r.at(); t.After(lastSeen[r.str("key")]) {
			lastSeen[r.str("key")] = t
		}
	}
	inactive := 0
	for _, t := range lastSeen {
		if ref.now.Sub(t) > 30*day {
			inactive++
		}
	}
	f["05-inactive-licenses"] = []string{
		"Keys with activity: " + format.Count(len(lastSeen)),
		"Inactive keys (silent more than 30 days): " + format.Count(inactive),
	}

	f["06-key-sharing"] = ref.sharing(t, web30)

	ev30 := ref.last(ref.events, 30*day)
	features := map[string]bool{}
	type sale struct {
		currency string
		product  int64
	}
	purchases, totals := map[sale]int{}, map[sale]int64{}
	for _, r := range ev30 {
		features[r.str("featureName")] = true
		if r.str("currency") == "" && r.int("value") == 0 {
			continue
		}
		s := sale{strings.ToUpper(strings.TrimSpace(r.str("currency"))), r.int("productId")}
		purchases[s]++
		totals[s] += r.int("value")
	}
	f["07-feature-usage-revenue"] = []string{
		"Events in the window: " + format.Count(len(ev30)),
		"Features seen: " + format.Count(len(features)),
	}
	for s, n := range purchases {
		f["07-feature-usage-revenue"] = append(f["07-feature-usage-revenue"],
			fmt.Sprintf("Revenue %s product %d: %s (%s)", s.currency, s.product, format.Money(float64(totals[s])/100, s.currency), format.Counted(n, "purchase", "purchases")))
	}

	obj60 := ref.last(ref.objects, 60*day)
	updates, changes := 0, 0
	for _, r := range obj60 {
		if r.int("resourceAction") != 2 { // Updated
			continue
		}
		updates++
		var fields map[string][]any
		if json.Unmarshal([]byte(r.str("data")), &fields) != nil {
			t.Fatalf("object log entry %d: data is not an object of [old, new] pairs: %s", r.int("id"), r.str("data"))
		}
		for _, pair := range fields {
			if len(pair) == 2 {
				changes++
			}
		}
	}
	f["08-who-changed-what"] = []string{
		"Object Log entries in the window: " + format.Count(len(obj60)),
		fmt.Sprintf("Field changes: %s in %s", format.Count(changes), format.Counted(updates, "update", "updates")),
	}
	for name, lines := range f {
		for i, l := range lines {
			if !strings.HasSuffix(l, " ") && !strings.HasPrefix(l, "Most suspicious key: ") { // else a prefix: the rest is words
				f[name][i] = l + "\n"
			}
		}
	}
	return f
}

// Floating-seat states: seat taken or refreshed (2014), the same over the
// limit (2015), refused for want of a seat (2024), released (6011).
const (
	seatTaken     = 2014
	seatOverdraft = 2015
	seatRefused   = 2024
	seatReleased  = 6011
)

// seatAudit audits, as notebook 04 does, the key with the most
// floating-seat rows in rows (a window ending at end) against its listed
// limit: the seats held at end (taken, not released, not expired),
// overdrafts and refusals.
func (ref *reference) seatAudit(t *testing.T, rows []row, end time.Time) []string {
	t.Helper()
	count := map[string]int{}
	key := ""
	for _, r := range rows {
		switch r.int("state") {
		case seatTaken, seatOverdraft, seatRefused, seatReleased:
			k := r.str("key")
			count[k]++
			if count[k] > count[key] || count[k] == count[key] && k < key {
				key = k
			}
		}
	}
	limit := 0
	for _, l := range ref.licenses {
		if l.Key == key {
			limit = l.MaxNoOfMachines
		}
	}
	if key == "" || limit == 0 {
		t.Fatalf("the reference finds no floating key with a listed limit (key %q, limit %d)", key, limit)
	}
	expires := map[string]int64{} // machine -> its seat's expiry
	overdrafts, refused := 0, 0
	for _, r := range rows { // in id order, as the server sent them
		if r.str("key") != key {
			continue
		}
		switch m := r.str("machineCode"); r.int("state") {
		case seatOverdraft:
			overdrafts++
			expires[m] = r.int("floatingExpires")
		case seatTaken:
			expires[m] = r.int("floatingExpires")
		case seatReleased:
			delete(expires, m)
		case seatRefused:
			refused++
		}
	}
	held := 0
	for _, e := range expires {
		if e > end.Unix() {
			held++
		}
	}
	return []string{
		fmt.Sprintf("Auditing %s (seat limit %d) over ", key, limit),
		"Seat limit from the account's license list",
		fmt.Sprintf("Seats in use now: %s of %s", format.Count(held), format.Count(limit)),
		"Overdrafts: " + format.Count(overdrafts),
		"Device limit reached: " + format.Count(refused),
	}
}

// sharing names the key notebook 06 must find most suspicious, with its
// distinct machines and IP addresses: the key with the most of both,
// which must be one the sample account planted as shared; and the
// requests it shows for it.
func (ref *reference) sharing(t *testing.T, rows []row) []string {
	t.Helper()
	machines, ips := map[string]map[string]bool{}, map[string]map[string]bool{}
	requests := map[string]int{}
	for _, r := range rows {
		k := r.str("key")
		if machines[k] == nil {
			machines[k], ips[k] = map[string]bool{}, map[string]bool{}
		}
		if m := r.str("machineCode"); m != "" {
			machines[k][m] = true
		}
		if ip := r.str("ip"); ip != "" {
			ips[k][ip] = true
		}
		requests[k]++
	}
	top, most := "", 0
	for k := range machines {
		if n := len(machines[k]) + len(ips[k]); n > most || n == most && k < top {
			top, most = k, n
		}
	}
	planted := false
	for _, k := range ref.planted.SharedKeys {
		planted = planted || k == top
	}
	if !planted {
		t.Fatalf("the key with the most machines and IPs, %s, is not one the sample planted as shared (%q)", top, ref.planted.SharedKeys)
	}
	return []string{
		"Requests in the window: " + format.Count(len(rows)),
		fmt.Sprintf("Most suspicious key: %s (%s, %s", top, format.Counted(len(machines[top]), "machine", "machines"), format.Counted(len(ips[top]), "IP", "IPs")),
		fmt.Sprintf("Key %s: %s", top, format.Counted(requests[top], "request", "requests")),
	}
}

// TestReferenceCatchesAWrongFigure checks the check: a notebook output
// with one figure off by one must miss one of the reference's lines.
func TestReferenceCatchesAWrongFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("pages through the whole sample account")
	}
	ref := loadReference(t)
	figs := referenceFigures(t, ref, func(time.Duration) string { return "W" })
	lines := figs["02-success-ratio"]
	output := strings.Join(lines, "\n")
	if missing := missingLines(output, lines); len(missing) != 0 {
		t.Fatalf("the reference's own lines are missing: %q", missing)
	}
	n := len(ref.last(ref.web, 30*24*time.Hour))
	wrong := strings.Replace(output, "Requests in the window: "+format.Count(n), "Requests in the window: "+format.Count(n+1), 1)
	if missing := missingLines(wrong, lines); len(missing) != 1 {
		t.Errorf("a figure off by one went unnoticed: missing %q", missing)
	}
}

// missingLines returns the lines of want that text does not contain.
func missingLines(text string, want []string) []string {
	var missing []string
	for _, line := range want {
		if !strings.Contains(text, line) {
			missing = append(missing, line)
		}
	}
	return missing
}
