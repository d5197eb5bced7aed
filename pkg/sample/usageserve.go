package sample

import (
	"crypto/subtle"
	"encoding/json"
	"math"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// MsgAccessDenied is what the server answers a token that lacks a method's
// permission, as Cryptolens words it.
const MsgAccessDenied = "Access denied"

// The Usage Analytics methods the server answers at
// <base>/api/ai/<Method>, with their payload keys. Their Limit defaults to
// 100 and is clamped to 1000, as documented.
var usageEndpoints = map[string]endpoint{
	"getdailyaggregates":        {name: "getdailyaggregates", payload: "aggregates", maxLimit: 1000},
	"getdailycountryaggregates": {name: "getdailycountryaggregates", payload: "aggregates", maxLimit: 1000},
	"getkeyusagesummaries":      {name: "getkeyusagesummaries", payload: "summaries", maxLimit: 1000},
	"getkeydevices":             {name: "getkeydevices", payload: "devices", maxLimit: 1000},
	"getlicenseactivitybuckets": {name: "getlicenseactivitybuckets", payload: "buckets", maxLimit: 1000},
}

// usageDefaultLimit is the documented page size when a request gives no
// Limit.
const usageDefaultLimit = 100

// usageServing is the server's Usage Analytics state: the tokens that
// lack the permission, and the tables, derived again when the log grows.
type usageServing struct {
	mu      sync.Mutex
	logOnly []string // tokens accepted for the logs but not for Usage Analytics
	rows    int      // Web API rows the cached tables were derived from
	cached  *Usage
}

// AddLogOnlyToken makes the server also accept token, but only for the
// three logs: the Usage Analytics methods answer it "Access denied", as
// Cryptolens does a token without the "Usage Analytics" permission.
func (s *Server) AddLogOnlyToken(token string) {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	s.usage.logOnly = append(s.usage.logOnly, token)
}

// isLogOnly reports whether token lacks the Usage Analytics permission.
func (u *usageServing) isLogOnly(token string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, t := range u.logOnly {
		if subtle.ConstantTimeCompare([]byte(token), []byte(t)) == 1 {
			return true
		}
	}
	return false
}

// Usage returns the Usage Analytics tables as the server serves them now:
// derived from its Web API Log, appended rows included. The caller must
// not modify them.
func (s *Server) Usage() *Usage {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.usageLocked()
}

// usageLocked returns the tables; s.mu must be held for reading.
func (s *Server) usageLocked() *Usage {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	if s.usage.cached == nil || s.usage.rows != len(s.web) {
		s.usage.cached, s.usage.rows = computeUsage(s.acc, s.web), len(s.web)
	}
	return s.usage.cached
}

// usageQuery is a parsed Usage Analytics request.
type usageQuery struct {
	productID     int64
	start, end    int64 // inclusive day bounds, unix seconds
	limit         int
	after, before int64
	countryCode   string
	keyID         int64
	key           string
	machineCode   string
}

// parseUsageQuery reads the parameters; 0 and "" mean no filter.
func parseUsageQuery(p params, ep endpoint) (usageQuery, error) {
	q := usageQuery{start: math.MinInt64, end: math.MaxInt64}
	limit, err := p.int64("limit")
	switch {
	case err != nil:
		return q, err
	case limit < 0:
		return q, &paramError{"limit", "must not be negative"}
	case limit == 0:
		limit = usageDefaultLimit
	}
	q.limit = int(min(limit, int64(ep.maxLimit)))
	for _, c := range []struct {
		name string
		dst  *int64
	}{{"startingafter", &q.after}, {"endingbefore", &q.before}, {"keyid", &q.keyID}, {"productid", &q.productID}} {
		if *c.dst, err = cursor(p, c.name); err != nil {
			return q, err
		}
	}
	if q.start, err = usageDate(p, "start", q.start, 0); err != nil {
		return q, err
	}
	if q.end, err = usageDate(p, "end", q.end, 86400-1); err != nil {
		return q, err
	}
	q.countryCode, q.key, q.machineCode = strings.ToUpper(p.str("countrycode")), p.str("key"), p.str("machinecode")
	return q, nil
}

// usageDate reads a yyyy-MM-dd day (an ISO-8601 time or unix seconds are
// taken for their UTC day) and returns its start plus offset; def when
// absent or "0".
func usageDate(p params, name string, def, offset int64) (int64, error) {
	s := p.str(name)
	if s == "" || s == "0" {
		return def, nil
	}
	t, err := cryptolens.ParseUsageTime(s)
	if err != nil {
		return 0, &paramError{name, "want a date as yyyy-MM-dd: " + err.Error()}
	}
	return t - ((t%86400)+86400)%86400 + offset, nil
}

// usageAnswer answers a Usage Analytics method.
func (s *Server) usageAnswer(w http.ResponseWriter, p params, ep endpoint) []byte {
	if s.usage.isLogOnly(p.str("token")) {
		return errorBody(MsgAccessDenied)
	}
	q, err := parseUsageQuery(p, ep)
	if err != nil {
		if pe, ok := err.(*paramError); ok {
			w.Header().Set("X-Sample-Error", pe.Error())
		}
		return errorBody(MsgInputIncorrect)
	}
	s.mu.RLock()
	u := s.usageLocked()
	s.mu.RUnlock()
	var rows any
	switch ep.name {
	case "getdailyaggregates":
		rows = usagePage(u.Daily, q, func(r *cryptolens.DailyAggregate) bool {
			return q.matchProduct(r.ProductID) && q.inDays(r.Date, r.Date)
		}, wireDaily)
	case "getdailycountryaggregates":
		rows = usagePage(u.Countries, q, func(r *cryptolens.DailyCountryAggregate) bool {
			return q.matchProduct(r.ProductID) && q.inDays(r.Date, r.Date) &&
				(q.countryCode == "" || r.CountryCode == q.countryCode)
		}, wireCountry)
	case "getkeyusagesummaries":
		rows = usagePage(u.Summaries, q, func(r *cryptolens.KeyUsageSummary) bool {
			return q.matchProduct(r.ProductID) && q.inDays(r.FirstSeenUtc, r.LastSeenUtc) &&
				q.matchKey(r.KeyID, r.Key) && q.machineCode == ""
		}, wireSummary)
	case "getkeydevices":
		rows = usagePage(u.Devices, q, func(r *cryptolens.KeyDevice) bool {
			return q.matchProduct(r.ProductID) && q.inDays(r.FirstSeenUtc, r.LastSeenUtc) &&
				q.matchKey(r.KeyID, "") && (q.machineCode == "" || r.MachineCode == q.machineCode)
		}, wireDevice)
	default:
		rows = usagePage(u.Buckets, q, func(r *cryptolens.LicenseActivityBucket) bool {
			return q.matchProduct(r.ProductID) && q.inDays(r.BucketStartUtc, r.BucketStartUtc) &&
				q.matchKey(r.KeyID, r.Key) && (q.machineCode == "" || r.MachineCode == q.machineCode)
		}, wireBucket)
	}
	payload, err := json.Marshal(rows)
	if err != nil {
		return errorBody("Something went wrong")
	}
	// As the real API: result and message (null on success) first, then
	// the payload.
	body := append([]byte(`{"result":0,"message":null,"`), ep.payload...)
	body = append(append(append(body, `":`...), payload...), '}')
	return body
}

func (q usageQuery) matchProduct(id int) bool { return q.productID == 0 || int64(id) == q.productID }

// inDays reports whether a row spanning [from, to] overlaps the days asked
// for.
func (q usageQuery) inDays(from, to int64) bool { return to >= q.start && from <= q.end }

func (q usageQuery) matchKey(id int64, key string) bool {
	return (q.keyID == 0 || id == q.keyID) && (q.key == "" || key == q.key)
}

// usagePage returns up to q.limit matching rows (ascending ids) in the
// cursors' direction: EndingBefore (which wins when both are given)
// newest first, else oldest first after StartingAfter.
func usagePage[T any, W any](rows []T, q usageQuery, match func(*T) bool, wire func(*T) W) []W {
	id := func(i int) int64 { return reflectID(&rows[i]) }
	lo, hi := 0, len(rows)
	if q.before > 0 {
		hi = sort.Search(len(rows), func(i int) bool { return id(i) >= q.before })
	} else if q.after > 0 {
		lo = sort.Search(len(rows), func(i int) bool { return id(i) > q.after })
	}
	out := []W{}
	for n := 0; n < hi-lo && len(out) < q.limit; n++ {
		i := lo + n
		if q.before > 0 {
			i = hi - 1 - n
		}
		if match(&rows[i]) {
			out = append(out, wire(&rows[i]))
		}
	}
	return out
}

// reflectID returns a usage row's id.
func reflectID(r any) int64 {
	return r.(interface{ RowID() int64 }).RowID()
}

// isoTime is how the server writes dates and times: ISO-8601 in UTC.
func isoTime(t int64) string {
	if t == 0 {
		return ""
	}
	return time.Unix(t, 0).UTC().Format("2006-01-02T15:04:05Z")
}

// The rows as the server writes them: the documented fields in the
// documented order, times as ISO-8601 text.
type (
	wireDailyRow struct {
		ID                  int64  `json:"id"`
		ProductID           int    `json:"productId"`
		Date                string `json:"date"`
		TotalRequestsLogged int64  `json:"totalRequestsLogged"`
		Successful          int64  `json:"successful"`
		Failed              int64  `json:"failed"`
		ActiveDevices       int64  `json:"activeDevices"`
		ActiveKeys          int64  `json:"activeKeys"`
		ActiveCustomers     int64  `json:"activeCustomers"`
	}
	wireCountryRow struct {
		ID            int64  `json:"id"`
		ProductID     int    `json:"productId"`
		Date          string `json:"date"`
		CountryCode   string `json:"countryCode"`
		TotalRequests int64  `json:"totalRequests"`
		Successful    int64  `json:"successful"`
		Failed        int64  `json:"failed"`
	}
	wireSummaryRow struct {
		ID              int64  `json:"id"`
		ProductID       int    `json:"productId"`
		KeyID           int64  `json:"keyId"`
		Key             string `json:"key"`
		TotalRequests   int64  `json:"totalRequests"`
		TotalSuccessful int64  `json:"totalSuccessful"`
		TotalFailed     int64  `json:"totalFailed"`
		FirstSeenUtc    string `json:"firstSeenUtc"`
		LastSeenUtc     string `json:"lastSeenUtc"`
	}
	wireDeviceRow struct {
		ID            int64  `json:"id"`
		ProductID     int    `json:"productId"`
		KeyID         int64  `json:"keyId"`
		Key           string `json:"key"`
		MachineCode   string `json:"machineCode"`
		FirstSeenUtc  string `json:"firstSeenUtc"`
		LastSeenUtc   string `json:"lastSeenUtc"`
		TotalRequests int64  `json:"totalRequests"`
	}
	wireBucketRow struct {
		ID                          int64  `json:"id"`
		ProductID                   int    `json:"productId"`
		KeyID                       int64  `json:"keyId"`
		Key                         string `json:"key"`
		MachineCode                 string `json:"machineCode"`
		BucketStartUtc              string `json:"bucketStartUtc"`
		RefreshCount                int64  `json:"refreshCount"`
		DeactivationCount           int64  `json:"deactivationCount"`
		FirstEventUtc               string `json:"firstEventUtc"`
		LastEventUtc                string `json:"lastEventUtc"`
		LastEventState              int    `json:"lastEventState"`
		GapFromPreviousEventSeconds int64  `json:"gapFromPreviousEventSeconds"`
	}
)

func wireDaily(r *cryptolens.DailyAggregate) wireDailyRow {
	return wireDailyRow{r.ID, r.ProductID, isoTime(r.Date), r.TotalRequestsLogged, r.Successful, r.Failed,
		r.ActiveDevices, r.ActiveKeys, r.ActiveCustomers}
}

func wireCountry(r *cryptolens.DailyCountryAggregate) wireCountryRow {
	return wireCountryRow{r.ID, r.ProductID, isoTime(r.Date), r.CountryCode, r.TotalRequests, r.Successful, r.Failed}
}

func wireSummary(r *cryptolens.KeyUsageSummary) wireSummaryRow {
	return wireSummaryRow{r.ID, r.ProductID, r.KeyID, r.Key, r.TotalRequests, r.TotalSuccessful, r.TotalFailed,
		isoTime(r.FirstSeenUtc), isoTime(r.LastSeenUtc)}
}

func wireDevice(r *cryptolens.KeyDevice) wireDeviceRow {
	return wireDeviceRow{r.ID, r.ProductID, r.KeyID, r.Key, r.MachineCode, isoTime(r.FirstSeenUtc),
		isoTime(r.LastSeenUtc), r.TotalRequests}
}

func wireBucket(r *cryptolens.LicenseActivityBucket) wireBucketRow {
	return wireBucketRow{r.ID, r.ProductID, r.KeyID, r.Key, r.MachineCode, isoTime(r.BucketStartUtc), r.RefreshCount,
		r.DeactivationCount, isoTime(r.FirstEventUtc), isoTime(r.LastEventUtc), int(r.LastEventState),
		r.GapFromPreviousEventSeconds}
}
