package analysis

import (
	"cmp"
	"io"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// The analyses of the Usage Analytics tables (Cryptolens' own aggregates
// of the Web API Log, see cryptolens.DailyAggregate and the others). They
// take the tables as lenslog's loaders give them (logs.UsageDaily and the
// others); a nil table is an empty one.

// KPIDay is one day's figures, summed over the products asked for.
type KPIDay struct {
	Day             time.Time // 00:00 UTC
	Requests        int64
	Successful      int64
	Failed          int64
	ActiveDevices   int64
	ActiveKeys      int64
	ActiveCustomers int64
}

// KPIs is the daily KPIs over time, oldest day first. As a chart it is a
// multi-line time series (charts.MultiTimeSeries) of the KPIs named by
// Series. Summed over several products, the active counts count a device,
// key or customer once per product it used.
type KPIs struct {
	Rows []KPIDay
}

// DailyKPIs sums the daily aggregates per day, over every product
// (productID 0) or one.
func DailyKPIs(daily *logs.UsageDaily, productID int) *KPIs {
	by := map[int64]*KPIDay{}
	for _, r := range daily.Rows() {
		if productID != 0 && r.ProductID != productID {
			continue
		}
		d := by[r.Date]
		if d == nil {
			d = &KPIDay{Day: r.Day()}
			by[r.Date] = d
		}
		d.Requests += r.TotalRequestsLogged
		d.Successful += r.Successful
		d.Failed += r.Failed
		d.ActiveDevices += r.ActiveDevices
		d.ActiveKeys += r.ActiveKeys
		d.ActiveCustomers += r.ActiveCustomers
	}
	k := &KPIs{}
	for _, d := range by {
		k.Rows = append(k.Rows, *d)
	}
	slices.SortFunc(k.Rows, func(a, b KPIDay) int { return a.Day.Compare(b.Day) })
	return k
}

// kpiNames are the KPIs in Value's order.
var kpiNames = []string{"Requests", "Successful", "Failed", "Active devices", "Active keys", "Active customers"}

// Len returns the number of days.
func (k *KPIs) Len() int { return len(k.Rows) }

// Time returns day i.
func (k *KPIs) Time(i int) time.Time { return k.Rows[i].Day }

// Series names the KPIs.
func (k *KPIs) Series() []string { return slices.Clone(kpiNames) }

// Value returns KPI s of day i.
func (k *KPIs) Value(i, s int) float64 {
	r := k.Rows[i]
	return float64([]int64{r.Requests, r.Successful, r.Failed, r.ActiveDevices, r.ActiveKeys, r.ActiveCustomers}[s])
}

// Sum adds up each KPI over the days (pandas' kpis.sum()); the Day of
// the result is zero. The active counts add up too: a device active on
// two days counts twice.
func (k *KPIs) Sum() KPIDay {
	var s KPIDay
	for _, d := range k.Rows {
		s.Requests, s.Successful, s.Failed = s.Requests+d.Requests, s.Successful+d.Successful, s.Failed+d.Failed
		s.ActiveDevices, s.ActiveKeys, s.ActiveCustomers = s.ActiveDevices+d.ActiveDevices, s.ActiveKeys+d.ActiveKeys, s.ActiveCustomers+d.ActiveCustomers
	}
	return s
}

// KPIMean is each KPI averaged over the days: what KPIs.Mean returns.
type KPIMean struct {
	Requests, Successful, Failed               float64
	ActiveDevices, ActiveKeys, ActiveCustomers float64
}

// Mean averages each KPI over the days (pandas' kpis.mean()), e.g. the
// devices active on an average day; zero for no days.
func (k *KPIs) Mean() KPIMean {
	if len(k.Rows) == 0 {
		return KPIMean{}
	}
	s, n := k.Sum(), float64(len(k.Rows))
	return KPIMean{
		Requests: float64(s.Requests) / n, Successful: float64(s.Successful) / n, Failed: float64(s.Failed) / n,
		ActiveDevices: float64(s.ActiveDevices) / n, ActiveKeys: float64(s.ActiveKeys) / n, ActiveCustomers: float64(s.ActiveCustomers) / n,
	}
}

// Only returns the KPIs with the given names (as Series spells them), for
// a chart of a few of them; unknown names are left out.
func (k *KPIs) Only(names ...string) *KPISubset {
	sub := &KPISubset{k: k}
	for _, n := range names {
		if i := slices.Index(kpiNames, n); i >= 0 {
			sub.idx = append(sub.idx, i)
		}
	}
	return sub
}

// KPISubset is some of the KPIs, as a multi-line time series.
type KPISubset struct {
	k   *KPIs
	idx []int
}

// Len returns the number of days.
func (s *KPISubset) Len() int { return s.k.Len() }

// Time returns day i.
func (s *KPISubset) Time(i int) time.Time { return s.k.Time(i) }

// Series names the chosen KPIs.
func (s *KPISubset) Series() []string {
	out := make([]string, len(s.idx))
	for j, i := range s.idx {
		out[j] = kpiNames[i]
	}
	return out
}

// Value returns chosen KPI j of day i.
func (s *KPISubset) Value(i, j int) float64 { return s.k.Value(i, s.idx[j]) }

func (k *KPIs) columns() []col {
	return []col{
		timeCol("day", k.Rows, func(r KPIDay) time.Time { return r.Day }),
		intCol("requests", k.Rows, func(r KPIDay) int64 { return r.Requests }),
		intCol("successful", k.Rows, func(r KPIDay) int64 { return r.Successful }),
		intCol("failed", k.Rows, func(r KPIDay) int64 { return r.Failed }),
		intCol("active_devices", k.Rows, func(r KPIDay) int64 { return r.ActiveDevices }),
		intCol("active_keys", k.Rows, func(r KPIDay) int64 { return r.ActiveKeys }),
		intCol("active_customers", k.Rows, func(r KPIDay) int64 { return r.ActiveCustomers }),
	}
}

// Frame returns the KPIs as a DataFrame, one row per day.
func (k *KPIs) Frame() dataframe.DataFrame { return frameOf(k.columns()) }

// WriteCSV writes the KPIs as CSV, one row per day.
func (k *KPIs) WriteCSV(w io.Writer) error { return writeCols(w, k.columns()) }

// CountryShare is one country's requests over the days given.
type CountryShare struct {
	Country     string // ISO 3166-1 alpha-2; "Other" for the rest beyond the top N, "" unknown
	Requests    int64
	Share       float64 // of all requests
	Successful  int64
	Failed      int64
	FailureRate float64 // Failed / Requests
}

// Countries is requests per country, most first, the rest beyond the top
// N summed as "Other". As a chart it is one bar per country: its share.
type Countries struct {
	Total int64
	All   int // countries with requests, the ones in "Other" too
	Rows  []CountryShare
}

// TopCountries sums the daily country aggregates per country and keeps
// the n busiest (n <= 0: all), the rest as one "Other" row.
func TopCountries(countries *logs.UsageCountries, n int) *Countries {
	by := map[string]*CountryShare{}
	c := &Countries{}
	for _, r := range countries.Rows() {
		s := by[r.CountryCode]
		if s == nil {
			s = &CountryShare{Country: r.CountryCode}
			by[r.CountryCode] = s
		}
		s.Requests += r.TotalRequests
		s.Successful += r.Successful
		s.Failed += r.Failed
		c.Total += r.TotalRequests
	}
	for _, s := range by {
		c.Rows = append(c.Rows, *s)
	}
	c.All = len(c.Rows)
	slices.SortFunc(c.Rows, func(a, b CountryShare) int {
		return cmp.Or(cmp.Compare(b.Requests, a.Requests), cmp.Compare(a.Country, b.Country))
	})
	if n > 0 && len(c.Rows) > n {
		other := CountryShare{Country: "Other"}
		for _, s := range c.Rows[n:] {
			other.Requests += s.Requests
			other.Successful += s.Successful
			other.Failed += s.Failed
		}
		c.Rows = append(c.Rows[:n], other)
	}
	for i := range c.Rows {
		s := &c.Rows[i]
		s.Share = ratio(s.Requests, c.Total)
		s.FailureRate = ratio(s.Failed, s.Requests)
	}
	return c
}

// ratio is a/b, 0 when b is 0.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Len returns the number of rows.
func (c *Countries) Len() int { return len(c.Rows) }

// Label returns row i's country.
func (c *Countries) Label(i int) string { return c.Rows[i].Country }

// Value returns row i's share of all requests.
func (c *Countries) Value(i int) float64 { return c.Rows[i].Share }

// Percent reports that the values are shares.
func (c *Countries) Percent() bool { return true }

func (c *Countries) columns() []col {
	return []col{
		strCol("country", c.Rows, func(r CountryShare) string { return r.Country }),
		intCol("requests", c.Rows, func(r CountryShare) int64 { return r.Requests }),
		floatCol("share", c.Rows, func(r CountryShare) float64 { return r.Share }),
		intCol("successful", c.Rows, func(r CountryShare) int64 { return r.Successful }),
		intCol("failed", c.Rows, func(r CountryShare) int64 { return r.Failed }),
		floatCol("failure_rate", c.Rows, func(r CountryShare) float64 { return r.FailureRate }),
	}
}

// Frame returns the countries as a DataFrame.
func (c *Countries) Frame() dataframe.DataFrame { return frameOf(c.columns()) }

// WriteCSV writes the countries as CSV.
func (c *Countries) WriteCSV(w io.Writer) error { return writeCols(w, c.columns()) }

// InactiveFromSummaries returns the keys whose last request (the key
// usage summaries' lastSeenUtc) is more than days days before now (0 days:
// every key), longest silent first: the inactive licenses without paging
// the whole Web API Log. A zero now means the current time.
func InactiveFromSummaries(summaries *logs.UsageSummaries, now time.Time, days int) *KeyActivity {
	if now.IsZero() {
		now = time.Now().UTC().Truncate(time.Second)
	}
	a := &KeyActivity{AsOf: now, Days: days}
	for _, r := range summaries.Rows() {
		last := time.Unix(r.LastSeenUtc, 0).UTC()
		if r.LastSeenUtc <= 0 || last.After(now) {
			continue
		}
		silent := now.Sub(last)
		if days > 0 && silent <= time.Duration(days)*24*time.Hour {
			continue
		}
		a.Rows = append(a.Rows, LastSeen{Key: r.Key, ProductID: r.ProductID, LastSeen: last, Silent: silent,
			DaysSilent: int(silent / (24 * time.Hour)), Requests: int(r.TotalRequests)})
	}
	slices.SortFunc(a.Rows, func(x, y LastSeen) int { return cmp.Or(cmp.Compare(y.Silent, x.Silent), cmp.Compare(x.Key, y.Key)) })
	return a
}

// KeyDeviceCount is how many devices used one key, against its limit.
// Devices are every machine code seen with the key, those the key refused
// (2023, one machine too many) included: a node-locked key one over its
// limit has had a device turned away.
type KeyDeviceCount struct {
	Key       string
	ProductID int
	Devices   int
	Limit     int  // the license's MaxNoOfMachines; 0 when unknown
	Over      bool // more devices than the limit (floating keys: more than the seats, which is normal for a pool)
	Floating  bool
}

// DeviceCounts is devices per key, most first. As a chart it is a
// histogram of the device counts (its Value is the count).
type DeviceCounts struct {
	Rows []KeyDeviceCount
}

// DevicesPerKey counts the devices per key in the key devices table, with
// each key's limit from licenses (nil: limits unknown).
func DevicesPerKey(devices *logs.UsageDevices, licenses []cryptolens.License) *DeviceCounts {
	lic := map[string]cryptolens.License{}
	for _, l := range licenses {
		lic[l.Key] = l
	}
	by := map[string]*KeyDeviceCount{}
	for _, r := range devices.Rows() {
		k := by[r.Key]
		if k == nil {
			l := lic[r.Key]
			k = &KeyDeviceCount{Key: r.Key, ProductID: r.ProductID, Limit: l.MaxNoOfMachines, Floating: l.Floating}
			by[r.Key] = k
		}
		k.Devices++
	}
	d := &DeviceCounts{}
	for _, k := range by {
		k.Over = k.Limit > 0 && k.Devices > k.Limit
		d.Rows = append(d.Rows, *k)
	}
	slices.SortFunc(d.Rows, func(a, b KeyDeviceCount) int {
		return cmp.Or(cmp.Compare(b.Devices, a.Devices), cmp.Compare(a.Key, b.Key))
	})
	return d
}

// OverLimit returns the node-locked keys used by more devices than they
// allow, most first.
func (d *DeviceCounts) OverLimit() []KeyDeviceCount {
	var out []KeyDeviceCount
	for _, r := range d.Rows {
		if r.Over && !r.Floating {
			out = append(out, r)
		}
	}
	return out
}

// Len returns the number of keys.
func (d *DeviceCounts) Len() int { return len(d.Rows) }

// Label returns key i.
func (d *DeviceCounts) Label(i int) string { return d.Rows[i].Key }

// Value returns key i's device count.
func (d *DeviceCounts) Value(i int) float64 { return float64(d.Rows[i].Devices) }

func (d *DeviceCounts) columns() []col {
	return []col{
		strCol("key", d.Rows, func(r KeyDeviceCount) string { return r.Key }),
		intCol("product_id", d.Rows, func(r KeyDeviceCount) int { return r.ProductID }),
		intCol("devices", d.Rows, func(r KeyDeviceCount) int { return r.Devices }),
		intCol("limit", d.Rows, func(r KeyDeviceCount) int { return r.Limit }),
		boolCol("over", d.Rows, func(r KeyDeviceCount) bool { return r.Over }),
		boolCol("floating", d.Rows, func(r KeyDeviceCount) bool { return r.Floating }),
	}
}

// Frame returns the counts as a DataFrame.
func (d *DeviceCounts) Frame() dataframe.DataFrame { return frameOf(d.columns()) }

// WriteCSV writes the counts as CSV.
func (d *DeviceCounts) WriteCSV(w io.Writer) error { return writeCols(w, d.columns()) }

// OfflineDevice is a device of a floating key that once stayed away
// longer than the key's floating period: its seat lapsed in between.
type OfflineDevice struct {
	Key         string
	MachineCode string
	Period      time.Duration // the key's floating period
	Gaps        int           // check-ins after a gap longer than Period
	LongestGap  time.Duration
	LastGapAt   time.Time // the bucket of the latest such check-in
}

// Offline is the devices that check in too rarely, most gaps first.
type Offline struct {
	Rows []OfflineDevice
}

// OfflineDevices finds, in the activity buckets, the devices whose gap
// from their previous check-in exceeds the floating period periods gives
// their key (keys without a period are skipped).
func OfflineDevices(buckets *logs.UsageBuckets, periods map[string]time.Duration) *Offline {
	type km struct{ key, machine string }
	by := map[km]*OfflineDevice{}
	for _, r := range buckets.Rows() {
		p := periods[r.Key]
		gap := time.Duration(r.GapFromPreviousEventSeconds) * time.Second
		if p <= 0 || gap <= p {
			continue
		}
		k := km{r.Key, r.MachineCode}
		d := by[k]
		if d == nil {
			d = &OfflineDevice{Key: r.Key, MachineCode: r.MachineCode, Period: p}
			by[k] = d
		}
		d.Gaps++
		d.LongestGap = max(d.LongestGap, gap)
		if t := r.BucketStart(); t.After(d.LastGapAt) {
			d.LastGapAt = t
		}
	}
	o := &Offline{}
	for _, d := range by {
		o.Rows = append(o.Rows, *d)
	}
	slices.SortFunc(o.Rows, func(a, b OfflineDevice) int {
		return cmp.Or(cmp.Compare(b.Gaps, a.Gaps), cmp.Compare(a.Key, b.Key), cmp.Compare(a.MachineCode, b.MachineCode))
	})
	return o
}

func (o *Offline) columns() []col {
	return []col{
		strCol("key", o.Rows, func(r OfflineDevice) string { return r.Key }),
		strCol("machine_code", o.Rows, func(r OfflineDevice) string { return r.MachineCode }),
		intCol("period_seconds", o.Rows, func(r OfflineDevice) int64 { return int64(r.Period / time.Second) }),
		intCol("gaps", o.Rows, func(r OfflineDevice) int { return r.Gaps }),
		intCol("longest_gap_seconds", o.Rows, func(r OfflineDevice) int64 { return int64(r.LongestGap / time.Second) }),
		timeCol("last_gap_at", o.Rows, func(r OfflineDevice) time.Time { return r.LastGapAt }),
	}
}

// Frame returns the devices as a DataFrame.
func (o *Offline) Frame() dataframe.DataFrame { return frameOf(o.columns()) }

// WriteCSV writes the devices as CSV.
func (o *Offline) WriteCSV(w io.Writer) error { return writeCols(w, o.columns()) }

// Refreshes is seat refreshes (and activations) per 30-minute bucket,
// summed over keys and devices, oldest first: a Timed for
// charts.TimeSeries.
type Refreshes struct {
	Times  []time.Time
	Counts []int64
}

// RefreshesPerBucket sums refreshCount per bucket start.
func RefreshesPerBucket(buckets *logs.UsageBuckets) *Refreshes {
	by := map[int64]int64{}
	for _, r := range buckets.Rows() {
		by[r.BucketStartUtc] += r.RefreshCount
	}
	starts := make([]int64, 0, len(by))
	for t := range by {
		starts = append(starts, t)
	}
	slices.Sort(starts)
	out := &Refreshes{}
	for _, t := range starts {
		out.Times = append(out.Times, time.Unix(t, 0).UTC())
		out.Counts = append(out.Counts, by[t])
	}
	return out
}

// Len returns the number of buckets.
func (r *Refreshes) Len() int { return len(r.Times) }

// Time returns bucket i's start.
func (r *Refreshes) Time(i int) time.Time { return r.Times[i] }

// Value returns bucket i's refreshes.
func (r *Refreshes) Value(i int) float64 { return float64(r.Counts[i]) }
