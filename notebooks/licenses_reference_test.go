package notebooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/sample"
)

// The expected figures of notebooks 12 to 14 are counted here from the
// license list as the sample server sends it (product/GetKeys, paged by
// Page) and the Web API rows of the reference, decoded with plain
// encoding/json: nothing goes through the client, the store, the front
// door or the analysis package. Each figure is recounted by the rule the
// notebook states: seats are the licenses' maxNoOfMachines, activated
// their activatedMachines, "in use" a request in the last 14 days of the
// period, a trial a license with trialActivation created in the period,
// lost a key whose last request is more than 40 days before the end.

const day = 24 * time.Hour

// listedLicense is one license of the served list, as the recount reads
// it.
type listedLicense struct {
	key       string
	product   int64
	customer  int64
	company   string
	created   time.Time
	expires   time.Time
	trial     bool
	seats     int64
	activated int
}

// knowableTrials are the sample's trial licenses that the license list
// and the snapshots the sample keeps (sample.InventoryTimes) can tell: a
// trial still, or converted after the first snapshot, which then shows
// it cleared. One converted before sees none: it looks like any paid
// license.
func knowableTrials(acct *sample.Account) map[string]bool {
	first := acct.InventoryTimes()[0]
	out := map[string]bool{}
	for _, l := range acct.Licenses {
		if l.Trial && (l.Extended.IsZero() || l.Extended.After(first)) {
			out[l.Key] = true
		}
	}
	return out
}

// loadLicenses pages through product/GetKeys of the reference's server.
func loadLicenses(t *testing.T, h http.Handler) []listedLicense {
	t.Helper()
	var out []listedLicense
	seen := map[string]bool{}
	for page := 1; ; page++ {
		v := url.Values{"token": {refToken}, "Page": {strconv.Itoa(page)}}
		req := httptest.NewRequest(http.MethodPost, "/api/product/GetKeys", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		rows := arrayOf(t, "GetKeys", rec.Body.Bytes())
		fresh := 0
		for _, r := range rows {
			l := listedOf(r)
			if seen[l.key] {
				continue
			}
			seen[l.key] = true
			fresh++
			out = append(out, l)
		}
		if fresh == 0 {
			return out
		}
	}
}

// arrayOf returns the one array of objects in a reply.
func arrayOf(t *testing.T, method string, body []byte) []map[string]any {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%s: %v: %.200s", method, err, body)
	}
	if string(env["result"]) != "0" {
		t.Fatalf("%s: not a successful reply: %.200s", method, body)
	}
	for _, raw := range env {
		if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
			continue
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var rows []map[string]any
		if err := d.Decode(&rows); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		return rows
	}
	return nil
}

// field returns r's value for name in any letter case.
func field(r map[string]any, name string) any {
	for k, v := range r {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

func intField(r map[string]any, name string) int64 {
	switch v := field(r, name).(type) {
	case json.Number:
		n, _ := v.Int64()
		return n
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}

// timeField reads unix seconds or ISO-8601 text.
func timeField(r map[string]any, name string) time.Time {
	if s, ok := field(r, name).(string); ok {
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC()
			}
		}
		return time.Time{}
	}
	if n := intField(r, name); n != 0 {
		return time.Unix(n, 0).UTC()
	}
	return time.Time{}
}

func listedOf(r map[string]any) listedLicense {
	l := listedLicense{product: intField(r, "productId"), created: timeField(r, "created"),
		expires: timeField(r, "expires"), seats: intField(r, "maxNoOfMachines")}
	l.key, _ = field(r, "key").(string)
	l.trial, _ = field(r, "trialActivation").(bool)
	if c, ok := field(r, "customer").(map[string]any); ok {
		l.customer = intField(c, "id")
		l.company, _ = field(c, "companyName").(string)
		if l.company == "" {
			l.company, _ = field(c, "name").(string)
		}
	}
	if m, ok := field(r, "activatedMachines").([]any); ok {
		l.activated = len(m)
	}
	return l
}

// keyTimes returns, per key, the times of its rows in [from, to).
func keyTimes(rows []row, from, to time.Time) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, r := range between(rows, from, to) {
		out[r.str("key")] = append(out[r.str("key")], r.at())
	}
	return out
}

// useCounts counts the licenses expiring in (now, now+h] by use: in use (a
// request in the last 14 days), fading (a request earlier in the
// period), unused.
func useCounts(lics []listedLicense, times map[string][]time.Time, now time.Time, h int) (all, inUse, fading, unused int) {
	for _, l := range lics {
		if !l.expires.After(now) || l.expires.After(now.Add(time.Duration(h)*day)) {
			continue
		}
		all++
		ts := times[l.key]
		switch {
		case slices.ContainsFunc(ts, func(t time.Time) bool { return t.After(now.Add(-14 * day)) }):
			inUse++
		case len(ts) > 0:
			fading++
		default:
			unused++
		}
	}
	return
}

// seatsOf adds up the seats and activated machines of lics.
func seatsOf(lics []listedLicense) (seats int64, activated int) {
	for _, l := range lics {
		seats += max(l.seats, 0)
		activated += l.activated
	}
	return
}

// licenseFigures are the lines notebooks 12, 13 and 14 print with their
// default parameters, and notebook 05's count of licenses never used;
// window labels are given by the caller.
func licenseFigures(t *testing.T, ref *reference, lics []listedLicense, window func(d time.Duration) string) map[string][]string {
	t.Helper()
	if len(lics) == 0 {
		t.Fatal("the sample server listed no license")
	}
	now := ref.now
	f := map[string][]string{}

	times := keyTimes(ref.web, now.Add(-90*day), now)
	seats, activated := seatsOf(lics)
	lines := []string{
		fmt.Sprintf("Licenses in the list: %s;", format.Count(len(lics))),
		fmt.Sprintf("Seats purchased: %s; activated: %s;", format.Count(seats), format.Count(activated)),
	}
	for _, h := range []int{30, 60, 90} {
		all, u, fd, un := useCounts(lics, times, now, h)
		lines = append(lines, fmt.Sprintf("Within %d days: %s (%s in use, %s fading, %s unused)\n", h, format.Counted(all, "license", "licenses"),
			format.Count(u), format.Count(fd), format.Count(un)))
	}
	f["12-licenses-and-renewals"] = lines

	from := now.Add(-365 * day)
	trials, lost := 0, 0
	for _, l := range lics {
		if ref.trials[l.key] && !l.created.Before(from) && l.created.Before(now) {
			trials++
		}
	}
	for _, ts := range keyTimes(ref.web, from, now) {
		if now.Sub(slices.MaxFunc(ts, func(a, b time.Time) int { return a.Compare(b) })) > 40*day {
			lost++
		}
	}
	f["13-trials-and-retention"] = []string{
		fmt.Sprintf("Trials created: %s;", format.Count(trials)),
		fmt.Sprintf("Lost licenses (silent more than 40 days): %s\n", format.Count(lost)),
	}

	f["14-customer"] = customerFigures(lics, times, now)

	history := keyTimes(ref.web, now.Add(-120*day), now)
	never := 0
	for _, l := range lics {
		if len(history[l.key]) == 0 && !l.created.After(now) {
			never++
		}
	}
	f["05-inactive-licenses"] = []string{fmt.Sprintf("no request in %s): %s\n", window(120*day), format.Count(never))}
	return f
}

// customerFigures are notebook 14's lines for its default customer: the
// one with the most licenses (the smaller id of equals).
func customerFigures(lics []listedLicense, times map[string][]time.Time, now time.Time) []string {
	_, mine := biggestCustomer(lics)
	return customerLines(mine, times, now)
}

// biggestCustomer is the customer with the most licenses in lics (the
// smaller id of equals), as notebook 14 picks it by default, and those
// licenses.
func biggestCustomer(lics []listedLicense) (int64, []listedLicense) {
	count := map[int64]int{}
	for _, l := range lics {
		if l.customer != 0 {
			count[l.customer]++
		}
	}
	var best int64
	for id, n := range count {
		if n > count[best] || n == count[best] && id < best {
			best = id
		}
	}
	var mine []listedLicense
	for _, l := range lics {
		if l.customer == best {
			mine = append(mine, l)
		}
	}
	return best, mine
}
