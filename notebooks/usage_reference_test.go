package notebooks

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/sample"
)

// The expected figures of notebook 09 are counted here, like those of 01
// to 08, from the sample server's own replies: the five Usage Analytics
// methods and the Web API Log, paged through its HTTP handler and decoded
// with encoding/json into maps, never through the client, the store, the
// front door or the analysis package.

// usageReference is what notebook 09 reads, as the server sends it, and
// what the sample account's dashboard would say: its test keys.
type usageReference struct {
	daily, countries, summaries, devices, buckets []row
	excluded                                      map[string]bool // keys flagged as excluded from usage analytics
}

// loadUsageReference pages through the five methods of the server h.
func loadUsageReference(t *testing.T, h http.Handler, acct *sample.Account) *usageReference {
	t.Helper()
	u := &usageReference{
		daily:     pageAll(t, h, "GetDailyAggregates", 1000),
		countries: pageAll(t, h, "GetDailyCountryAggregates", 1000),
		summaries: pageAll(t, h, "GetKeyUsageSummaries", 1000),
		devices:   pageAll(t, h, "GetKeyDevices", 1000),
		buckets:   pageAll(t, h, "GetLicenseActivityBuckets", 1000),
		excluded:  map[string]bool{},
	}
	for _, k := range acct.AnalyticsExcluded() {
		u.excluded[k] = true
	}
	return u
}

// unix reads a time field the Usage Analytics methods send as ISO-8601
// text (or, should the server change, as unix seconds).
func (r row) unix(t *testing.T, k string) int64 {
	t.Helper()
	if s, ok := r[k].(string); ok {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("%s: %q is not an ISO-8601 time: %v", k, s, err)
		}
		return tm.Unix()
	}
	return r.int(k)
}

// usageFigures are the lines notebook 09 prints with its default
// parameters (the last 30 days, every product, topN 10, silentDays 30),
// each ending with its newline.
func usageFigures(t *testing.T, ref *reference) []string {
	t.Helper()
	const day = 24 * 3600
	u := ref.usage
	now := ref.now.Unix()
	from, to := ref.now.Add(-30*24*time.Hour).Unix(), now // the window [from, to]: to is now, included
	inWindow := func(sec int64) bool { return sec >= from && sec <= to }
	var lines []string
	say := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)+"\n") }

	var daily, countries, devices, buckets []row
	for _, r := range u.daily {
		if inWindow(r.unix(t, "date")) {
			daily = append(daily, r)
		}
	}
	for _, r := range u.countries {
		if inWindow(r.unix(t, "date")) {
			countries = append(countries, r)
		}
	}
	for _, r := range u.devices {
		if r.unix(t, "lastSeenUtc") >= from && r.unix(t, "firstSeenUtc") <= to {
			devices = append(devices, r)
		}
	}
	for _, r := range u.buckets {
		if inWindow(r.unix(t, "bucketStartUtc")) {
			buckets = append(buckets, r)
		}
	}
	say("Rows read: %s daily, %s per country, %s key summaries, %s key devices, %s activity buckets",
		format.Count(len(daily)), format.Count(len(countries)), format.Count(len(u.summaries)), format.Count(len(devices)), format.Count(len(buckets)))

	// Active customers, keys and devices per day, summed over products.
	type kpi struct{ requests, ok, failed, customers, keys, devices int64 }
	perDay := map[int64]*kpi{}
	for _, r := range daily {
		d := r.unix(t, "date")
		if perDay[d] == nil {
			perDay[d] = &kpi{}
		}
		k := perDay[d]
		k.requests += r.int("totalRequestsLogged")
		k.ok += r.int("successful")
		k.failed += r.int("failed")
		k.customers += r.int("activeCustomers")
		k.keys += r.int("activeKeys")
		k.devices += r.int("activeDevices")
	}
	days := make([]int64, 0, len(perDay))
	for d := range perDay {
		days = append(days, d)
	}
	slices.Sort(days)
	if len(days) < 20 {
		t.Fatalf("the reference finds %d days of aggregates in the last 30", len(days))
	}
	var sum kpi
	var customers, keys, machines float64
	busiest := days[0]
	for _, d := range days {
		k := perDay[d]
		sum.requests, sum.ok, sum.failed = sum.requests+k.requests, sum.ok+k.ok, sum.failed+k.failed
		customers, keys, machines = customers+float64(k.customers), keys+float64(k.keys), machines+float64(k.devices)
		if k.devices > perDay[busiest].devices {
			busiest = d
		}
	}
	date := func(sec int64) string { return time.Unix(sec, 0).UTC().Format("2006-01-02") }
	n := float64(len(days))
	say("Days with aggregates: %s (%s to %s)", format.Count(len(days)), date(days[0]), date(days[len(days)-1]))
	say("Requests: %s (%s successful, %s failed)", format.Count(sum.requests), format.Count(sum.ok), format.Count(sum.failed))
	say("Active per day on average: %.1f customers, %.1f keys, %.1f devices", customers/n, keys/n, machines/n)
	say("Busiest day: %s with %s", date(busiest), format.Counted(perDay[busiest].devices, "active device", "active devices"))

	lines = append(lines, usageCountryFigures(countries)...)
	lines = append(lines, usageKeyFigures(t, u.summaries, now)...)

	perKey := map[string]int{}
	for _, r := range devices {
		perKey[r.str("key")]++
	}
	most := ""
	for k, c := range perKey {
		if c > perKey[most] || c == perKey[most] && k < most {
			most = k
		}
	}
	say("Devices seen in the period: %s on %s", format.Count(len(devices)), format.Counted(len(perKey), "key", "keys"))
	say("Most devices on one key: %s with %s", most, format.Count(perKey[most]))

	web := between(ref.web, time.Unix(from, 0), ref.now.Add(time.Nanosecond)) // whole days: from is a midnight
	if from%day != 0 {
		t.Fatalf("the pinned sample's now %v is not a midnight: the reference's whole days are wrong", ref.now)
	}
	lines = append(lines, usageOfflineFigures(t, buckets, web)...)
	lines = append(lines, usageReconciliation(t, daily, web, ref)...)
	return lines
}

// usageCountryFigures are notebook 09's country lines: the top 10
// countries by requests, the rest as "Other".
func usageCountryFigures(rows []row) []string {
	type country struct {
		code            string
		requests, fails int64
	}
	by := map[string]*country{}
	var total int64
	for _, r := range rows {
		c := by[r.str("countryCode")]
		if c == nil {
			c = &country{code: r.str("countryCode")}
			by[c.code] = c
		}
		c.requests += r.int("totalRequests")
		c.fails += r.int("failed")
		total += r.int("totalRequests")
	}
	var list []*country
	for _, c := range by {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b *country) int {
		return cmp.Or(cmp.Compare(b.requests, a.requests), cmp.Compare(a.code, b.code))
	})
	rate := func(c *country) float64 { return float64(c.fails) / float64(c.requests) }
	top := list[:min(10, len(list))]
	worst := top[0]
	for _, c := range top {
		if rate(c) > rate(worst) {
			worst = c
		}
	}
	return []string{
		fmt.Sprintf("Countries with requests: %s\n", format.Count(len(list))),
		fmt.Sprintf("Top country: %s with %s of requests (%s of them failed)\n", top[0].code,
			format.Share(float64(top[0].requests)/float64(total)), format.Share(rate(top[0]))),
		fmt.Sprintf("Highest failure rate among them: %s, %s of %s\n", worst.code, format.Share(rate(worst)), format.Counted(worst.requests, "request", "requests")),
	}
}

// usageKeyFigures are notebook 09's lifetime lines: the 10 keys with the
// most requests (ties by key), and the keys silent for more than 30 days.
func usageKeyFigures(t *testing.T, summaries []row, now int64) []string {
	t.Helper()
	ranked := slices.Clone(summaries)
	slices.SortFunc(ranked, func(a, b row) int {
		return cmp.Or(cmp.Compare(b.int("totalRequests"), a.int("totalRequests")), cmp.Compare(a.str("key"), b.str("key")))
	})
	date := func(sec int64) string { return time.Unix(sec, 0).UTC().Format("2006-01-02") }
	lines := []string{fmt.Sprintf("Keys with a usage summary: %s\n", format.Count(len(ranked)))}
	for i, s := range ranked[:min(10, len(ranked))] {
		lines = append(lines, fmt.Sprintf("%d. %s (product %d): %s, %s failed, first seen %s, last seen %s\n",
			i+1, s.str("key"), s.int("productId"), format.Counted(s.int("totalRequests"), "request", "requests"), format.Count(s.int("totalFailed")),
			date(s.unix(t, "firstSeenUtc")), date(s.unix(t, "lastSeenUtc"))))
	}
	silent := 0
	for _, s := range summaries {
		if last := s.unix(t, "lastSeenUtc"); last > 0 && last <= now && now-last > 30*24*3600 {
			silent++
		}
	}
	if silent == 0 {
		t.Fatal("the reference finds no key silent for more than 30 days: the sample plants some")
	}
	return append(lines, fmt.Sprintf("Keys silent for more than 30 days: %s\n", format.Count(silent)))
}

// usageOfflineFigures are notebook 09's activity-bucket lines: refreshes,
// and the devices whose gap since their previous request exceeds their
// key's floating period, read from the log's seat rows (2014, 2015:
// floatingExpires minus time, the longest per key).
func usageOfflineFigures(t *testing.T, buckets, web []row) []string {
	t.Helper()
	var refreshes int64
	starts := map[int64]bool{}
	for _, b := range buckets {
		refreshes += b.int("refreshCount")
		starts[b.unix(t, "bucketStartUtc")] = true
	}
	period := map[string]int64{}
	for _, r := range web {
		if s := r.int("state"); s != seatTaken && s != seatOverdraft {
			continue
		}
		if p := r.int("floatingExpires") - r.int("time"); p > 0 {
			period[r.str("key")] = max(period[r.str("key")], p)
		}
	}
	type device struct {
		key, machine string
		gaps         int
		longest      int64
	}
	by := map[[2]string]*device{}
	for _, b := range buckets {
		p, gap := period[b.str("key")], b.int("gapFromPreviousEventSeconds")
		if p <= 0 || gap <= p {
			continue
		}
		k := [2]string{b.str("key"), b.str("machineCode")}
		if by[k] == nil {
			by[k] = &device{key: k[0], machine: k[1]}
		}
		by[k].gaps++
		by[k].longest = max(by[k].longest, gap)
	}
	var list []*device
	for _, d := range by {
		list = append(list, d)
	}
	if len(list) == 0 {
		t.Fatal("the reference finds no device offline beyond its floating period")
	}
	slices.SortFunc(list, func(a, b *device) int {
		return cmp.Or(cmp.Compare(b.gaps, a.gaps), cmp.Compare(a.key, b.key), cmp.Compare(a.machine, b.machine))
	})
	d := list[0]
	return []string{
		fmt.Sprintf("Seat refreshes and activations: %s in %s\n", format.Count(refreshes), format.Counted(len(starts), "half-hour", "half-hours")),
		fmt.Sprintf("Floating keys with a known period: %s\n", format.Count(len(period))),
		fmt.Sprintf("Devices offline longer than their floating period: %s\n", format.Count(len(list))),
		fmt.Sprintf("Most often: %s on %s, %s, longest gap %s (period %s)\n", d.machine, d.key, format.Counted(d.gaps, "time", "times"),
			format.Duration(time.Duration(d.longest)*time.Second), format.Duration(time.Duration(period[d.key])*time.Second)),
	}
}

// usageReconciliation is notebook 09's comparison of the daily aggregates
// with the raw log, per product and day: the sample's test keys and the
// rows logged after its aggregates' reach (sample.UsageLag before the
// newest row) explain the differences; any other difference is flagged.
func usageReconciliation(t *testing.T, daily, web []row, ref *reference) []string {
	t.Helper()
	type pd struct {
		day     int64
		product int64
	}
	type figures struct{ endpoint, eOK, eFail, log, test, lag, expected, xOK, xFail int64 }
	by := map[pd]*figures{}
	get := func(k pd) *figures {
		if by[k] == nil {
			by[k] = &figures{}
		}
		return by[k]
	}
	for _, r := range daily {
		f := get(pd{r.unix(t, "date"), r.int("productId")})
		f.endpoint += r.int("totalRequestsLogged")
		f.eOK += r.int("successful")
		f.eFail += r.int("failed")
	}
	newest := ref.web[len(ref.web)-1].int("time")
	asOf := newest - int64(sample.UsageLag/time.Second)
	for _, r := range web {
		tm := r.int("time")
		f := get(pd{tm - tm%(24*3600), r.int("productId")})
		f.log++
		switch {
		case ref.usage.excluded[r.str("key")]:
			f.test++
		case tm > asOf:
			f.lag++
		default:
			f.expected++
			switch outcome(r.int("state")) {
			case "success":
				f.xOK++
			case "failure":
				f.xFail++
			}
		}
	}
	var sum figures
	agree, flagged := 0, 0
	for _, f := range by {
		same := f.endpoint == f.expected && f.eOK == f.xOK && f.eFail == f.xFail
		if !same {
			flagged++
		}
		if same && f.test == 0 && f.lag == 0 {
			agree++
		}
		sum.endpoint, sum.expected, sum.log = sum.endpoint+f.endpoint, sum.expected+f.expected, sum.log+f.log
		sum.test, sum.lag = sum.test+f.test, sum.lag+f.lag
	}
	if sum.test == 0 || sum.lag == 0 || flagged != 0 {
		t.Fatalf("the reference's reconciliation: %d test-key and %d lagging requests, %d product-days flagged: "+
			"the sample must exercise both explanations and agree", sum.test, sum.lag, flagged)
	}
	return []string{
		fmt.Sprintf("Product-days compared: %s; agree as they are: %s; flagged: %s\n", format.Count(len(by)), format.Count(agree), format.Count(flagged)),
		fmt.Sprintf("Raw log: %s, of which by excluded test keys: %s, not yet aggregated: %s\n", format.Counted(sum.log, "request", "requests"), format.Count(sum.test), format.Count(sum.lag)),
		fmt.Sprintf("Aggregates: %s; expected from the raw log: %s\n", format.Counted(sum.endpoint, "request", "requests"), format.Count(sum.expected)),
	}
}

// TestUsageReferenceCatchesAWrongFigure checks notebook 09's check: the
// reference's own lines pass, and an output with one figure off by one
// misses exactly one line.
func TestUsageReferenceCatchesAWrongFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("pages through the whole sample account")
	}
	lines := usageFigures(t, loadReference(t))
	output := strings.Join(lines, "")
	if missing := missingLines(output, lines); len(missing) != 0 {
		t.Fatalf("the reference's own lines are missing: %q", missing)
	}
	tried := 0
	for _, l := range lines {
		var n int
		for _, pattern := range []string{"Devices offline longer than their floating period: %d\n", "Keys silent for more than 30 days: %d\n"} {
			if _, err := fmt.Sscanf(l, pattern, &n); err != nil {
				continue
			}
			tried++
			wrong := strings.Replace(output, l, fmt.Sprintf(pattern, n+1), 1)
			if missing := missingLines(wrong, lines); len(missing) != 1 {
				t.Errorf("a figure off by one went unnoticed: missing %q", missing)
			}
		}
	}
	if tried != 2 {
		t.Errorf("tried %d wrong figures, want 2: the lines changed", tried)
	}
}
