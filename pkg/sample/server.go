package sample

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// Messages the server answers with, as Cryptolens words them.
const (
	MsgUnauthenticated = "Unable to authenticate"
	MsgInputIncorrect  = "The input parameters were incorrect."
)

// Server serves a Cryptolens-compatible API for an account at
// <base>/api/ai/<Method>: GetWebAPILog, GetEvents and GetObjectLog (and
// the five Usage Analytics methods, see usageserve.go), with
// the wire conventions of the real service (case-insensitive method and
// parameter names, GET query or POST form, 0 and "" meaning no filter,
// cursors, the result/message envelope). *Server is an http.Handler and is
// safe for concurrent use.
//
// Errors come back as HTTP 200 with result 1 and Cryptolens' message; for
// bad parameters the header X-Sample-Error also says which parameter was
// wrong and why. The token is never echoed. Where Cryptolens' behaviour is
// not documented the server chooses, and says so: a Limit above the
// maximum (1000 Web API rows, 100 events or object-log rows) is clamped; a
// bare Time value means "at or after"; with both cursors the rows between
// them come newest first.
type Server struct {
	token    string
	requests atomic.Int64

	mu       sync.RWMutex
	acc      *Account
	web      []cryptolens.WebAPILogRow
	events   []cryptolens.Event
	objects  []cryptolens.ObjectLogEntry
	byKey    map[string][]int32 // web row positions per key
	webTimes bool               // web rows are in time order too
	evTimes  bool               // events are in time order too
	anomaly  map[string]string  // key -> anomalyProperties of its rows
	groups   map[int64]string   // row id -> the anomaly group fields of the burst's failures
	appended int
	rng      *rand.Rand

	faults faultState
	usage  usageServing     // the Usage Analytics methods (usageserve.go)
	inv    inventoryServing // the inventory methods (inventoryserve.go)
	live   liveState        // live-account behaviour (live.go)
}

// NewServer returns a server for the account that accepts requests with
// the given token (an empty token accepts any). The server never modifies
// the account; rows added with AppendWebAPI and friends are kept by the
// server alone.
func NewServer(a *Account, token string) *Server {
	s := &Server{token: token, acc: a,
		web:     a.WebAPI[:len(a.WebAPI):len(a.WebAPI)],
		events:  a.Events[:len(a.Events):len(a.Events)],
		objects: a.Objects[:len(a.Objects):len(a.Objects)],
		byKey:   map[string][]int32{},
		rng:     rngFor(a.seedOr(1), 99),
	}
	for i := range s.web {
		s.byKey[s.web[i].Key] = append(s.byKey[s.web[i].Key], int32(i))
	}
	s.webTimes = sorted(len(s.web), func(i int) int64 { return s.web[i].Time })
	s.evTimes = sorted(len(s.events), func(i int) int64 { return s.events[i].Time })
	s.anomaly = sharingAnomalies(a)
	s.groups = burstGroups(a)
	return s
}

// anomalyGroupSize is how many consecutive rows one anomaly group spans,
// as Cryptolens' anomaly detection groups them.
const anomalyGroupSize = 25

// burstGroups returns the anomaly group fields of the planted burst's
// failures, by row id: each group is anomalyGroupSize consecutive rows of
// the log from a failure not yet in one (groupId, startingAt and endingAt,
// the ids of its first and last rows), and only the failures in it are
// flagged.
func burstGroups(a *Account) map[int64]string {
	p := &a.Planted
	burst := func(r *cryptolens.WebAPILogRow) bool {
		return r.Key == p.BurstKey && r.State == p.BurstState &&
			r.Time >= p.BurstStart.Unix() && r.Time <= p.BurstEnd.Unix()
	}
	out := map[int64]string{}
	for i := 0; i < len(a.WebAPI); i++ {
		if !burst(&a.WebAPI[i]) {
			continue
		}
		end := min(i+anomalyGroupSize, len(a.WebAPI)) - 1
		fields := fmt.Sprintf(`"groupId":%d,"startingAt":%d,"endingAt":%d`, 1000+len(out), a.WebAPI[i].ID, a.WebAPI[end].ID)
		for j := i; j <= end; j++ {
			if burst(&a.WebAPI[j]) {
				out[a.WebAPI[j].ID] = fields
			}
		}
		i = end
	}
	return out
}

// seedOr returns a value to seed the server's own randomness with.
func (a *Account) seedOr(def int64) int64 {
	if len(a.WebAPI) > 0 {
		return a.WebAPI[0].ID
	}
	return def
}

// sorted reports whether the times are in ascending order.
func sorted(n int, tm func(int) int64) bool {
	for i := 1; i < n; i++ {
		if tm(i) < tm(i-1) {
			return false
		}
	}
	return true
}

// sharingAnomalies returns the anomalyProperties of the planted shared
// keys' rows: how many machines and IPs used them.
func sharingAnomalies(a *Account) map[string]string {
	out := map[string]string{}
	for _, k := range a.Planted.SharedKeys {
		machines, ips := map[string]bool{}, map[string]bool{}
		for i := range a.WebAPI {
			if r := &a.WebAPI[i]; r.Key == k {
				machines[r.MachineCode], ips[r.IP] = true, true
			}
		}
		delete(machines, "")
		out[k] = fmt.Sprintf(`{"type":"KeySharing","machines":%d,"ips":%d}`, len(machines), len(ips))
	}
	return out
}

// Requests returns how many requests the server has received, faulty
// ones included.
func (s *Server) Requests() int64 { return s.requests.Load() }

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	ep, ok := endpointOf(r.URL.Path)
	if !ok {
		writeBody(w, http.StatusNotFound, errorBody("No such method: the API serves ai/GetWebAPILog, ai/GetEvents, ai/GetObjectLog and the Usage Analytics methods (ai/GetDailyAggregates, ai/GetDailyCountryAggregates, ai/GetKeyUsageSummaries, ai/GetKeyDevices, ai/GetLicenseActivityBuckets) and the inventory (product/GetProducts, product/GetKeys, customer/GetCustomers, customer/GetCustomerLicenses)."))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeBody(w, http.StatusMethodNotAllowed, errorBody("Use GET or POST."))
		return
	}
	if !s.faults.latency(r) {
		return
	}
	turn, ok := s.serveLive(w, r, ep)
	if !ok {
		return
	}
	f := s.faults.next()
	if f == FaultSlow {
		if !s.faults.sleep(r) {
			return
		}
	} else if f != 0 && f != FaultTruncated {
		writeFault(w, f)
		return
	}
	body := withNulls(withRepeats(s.answer(w, r, ep), turn.repeats), turn.nulls)
	switch {
	case f == FaultTruncated:
		writeTruncated(w, body)
	case turn.stall == StallTrickle:
		trickle(w, r, body, turn.trickle)
	default:
		writeBody(w, http.StatusOK, body)
	}
}

// endpointOf finds the method in a path ending in /api/ai/<Method>.
func endpointOf(path string) (endpoint, bool) {
	p := strings.ToLower(strings.TrimSuffix(path, "/"))
	i := strings.LastIndex(p, "/ai/")
	if i < 0 || !strings.HasSuffix(p[:i], "/api") {
		return inventoryEndpoint(p)
	}
	ep, ok := endpoints[p[i+len("/ai/"):]]
	if !ok {
		ep, ok = usageEndpoints[p[i+len("/ai/"):]]
	}
	return ep, ok
}

// answer checks the token and parameters and returns the response body.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, ep endpoint) []byte {
	p, err := parseParams(r)
	if err == nil {
		tok := p.str("token")
		known, allowed := s.live.grants(tok, ep.name)
		switch {
		case known && !allowed:
			return errorBody(MsgAccessDenied)
		case !known && !s.authorized(tok):
			return errorBody(MsgUnauthenticated)
		}
	}
	if _, usage := usageEndpoints[ep.name]; usage && err == nil {
		return s.usageAnswer(w, p, ep)
	}
	if isInventory(ep) && err == nil {
		return s.inventoryAnswer(w, p, ep)
	}
	var q query
	if err == nil {
		q, err = parseQuery(p, ep)
	}
	if err != nil {
		if pe := (*paramError)(nil); errors.As(err, &pe) {
			w.Header().Set("X-Sample-Error", pe.Error())
		}
		return errorBody(MsgInputIncorrect)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch ep.name {
	case "getwebapilog":
		return s.webPage(q)
	case "getevents":
		return s.eventPage(q)
	default:
		return s.objectPage(q)
	}
}

// authorized compares the token in constant time.
func (s *Server) authorized(token string) bool {
	return s.token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) == 1 || s.usage.isLogOnly(token)
}

// webPage answers GetWebAPILog.
func (s *Server) webPage(q query) []byte {
	rows := s.web
	id := func(i int) int64 { return rows[i].ID }
	tm := func(i int) int64 { return rows[i].Time }
	lo, hi := span(len(rows), id, tm, q, s.webTimes)
	var cand []int32
	if q.key != "" {
		cand = s.byKey[q.key]
		if cand == nil {
			cand = []int32{}
		}
	}
	needle := q.friendlyName
	page := collect(lo, hi, cand, q, func(i int) bool {
		r := &rows[i]
		return (q.productID == 0 || int64(r.ProductID) == q.productID) &&
			(q.key == "" || r.Key == q.key) &&
			(q.machineCode == "" || r.MachineCode == q.machineCode) &&
			(needle == "" || containsFold(r.FriendlyName, needle)) &&
			(q.states == nil || q.states[r.State]) &&
			r.Time >= q.tmin && r.Time <= q.tmax
	})
	b := appendEnvelopeStart(make([]byte, 0, 64+260*len(page)), "logs")
	for n, i := range page {
		if n > 0 {
			b = append(b, ',')
		}
		r := rows[i]
		if q.anomaly {
			r = s.classified(r)
		}
		b = appendWebAPILogRow(b, &r, q.anomaly)
	}
	return append(b, "]}"...)
}

// Classified returns rows as the server sends them to a request that asks
// for AnomalyClassification: with IsAnomaly and AnomalyProperties set.
func (s *Server) Classified(rows []cryptolens.WebAPILogRow) []cryptolens.WebAPILogRow {
	out := make([]cryptolens.WebAPILogRow, len(rows))
	for i, r := range rows {
		out[i] = s.classified(r)
	}
	return out
}

func (s *Server) classified(r cryptolens.WebAPILogRow) cryptolens.WebAPILogRow {
	r.AnomalyProperties = s.anomalyOf(&r)
	r.IsAnomaly = r.AnomalyProperties != ""
	return r
}

// anomalyOf returns the anomalyProperties JSON of a row, "" if it is not
// anomalous: the planted burst's failures and the shared keys' rows.
func (s *Server) anomalyOf(r *cryptolens.WebAPILogRow) string {
	p := &s.acc.Planted
	if g, ok := s.groups[r.ID]; ok {
		return fmt.Sprintf(`{"type":"FailureBurst","state":%d,"count":%d,%s}`, p.BurstState, p.BurstFailures, g)
	}
	return s.anomaly[r.Key]
}

// eventPage answers GetEvents.
func (s *Server) eventPage(q query) []byte {
	rows := s.events
	id := func(i int) int64 { return rows[i].ID }
	tm := func(i int) int64 { return rows[i].Time }
	lo, hi := span(len(rows), id, tm, q, s.evTimes)
	page := collect(lo, hi, nil, q, func(i int) bool {
		e := &rows[i]
		return (q.productID == 0 || int64(e.ProductID) == q.productID) &&
			(q.key == "" || e.Key == q.key) &&
			(q.metadata == "" || strings.Contains(e.Metadata, q.metadata)) &&
			e.Time >= q.tmin && e.Time <= q.tmax
	})
	b := appendEnvelopeStart(make([]byte, 0, 64+220*len(page)), "events")
	for n, i := range page {
		if n > 0 {
			b = append(b, ',')
		}
		b = appendEvent(b, &rows[i])
	}
	return append(b, "]}"...)
}

// objectPage answers GetObjectLog: forward paging only, no filters.
func (s *Server) objectPage(q query) []byte {
	rows := s.objects
	lo, hi := span(len(rows), func(i int) int64 { return rows[i].ID }, nil, q, false)
	page := collect(lo, hi, nil, q, func(int) bool { return true })
	b := appendEnvelopeStart(make([]byte, 0, 64+300*len(page)), "events")
	for n, i := range page {
		if n > 0 {
			b = append(b, ',')
		}
		b = appendObjectLogEntry(b, &rows[i])
	}
	return append(b, "]}"...)
}

// span returns the positions [lo, hi) the cursors (and, when the rows are
// in time order, the time bounds) allow, by binary search.
func span(n int, id, tm func(int) int64, q query, timeSorted bool) (lo, hi int) {
	lo, hi = 0, n
	if q.after > 0 {
		lo = sort.Search(n, func(i int) bool { return id(i) > q.after })
	}
	if q.before > 0 {
		hi = sort.Search(n, func(i int) bool { return id(i) >= q.before })
	}
	if timeSorted && q.tmin != math.MinInt64 {
		lo = max(lo, sort.Search(n, func(i int) bool { return tm(i) >= q.tmin }))
	}
	if timeSorted && q.tmax != math.MaxInt64 {
		hi = min(hi, sort.Search(n, func(i int) bool { return tm(i) > q.tmax }))
	}
	return lo, max(lo, hi)
}

// collect walks positions lo..hi-1 (only those in cand when cand is not
// nil) in the query's direction and returns up to q.limit that match.
func collect(lo, hi int, cand []int32, q query, match func(int) bool) []int {
	if cand != nil {
		a := sort.Search(len(cand), func(i int) bool { return int(cand[i]) >= lo })
		b := sort.Search(len(cand), func(i int) bool { return int(cand[i]) >= hi })
		cand = cand[a:b]
		lo, hi = 0, len(cand)
	}
	at := func(k int) int {
		if cand != nil {
			return int(cand[k])
		}
		return k
	}
	page := make([]int, 0, min(q.limit, hi-lo))
	for n := 0; n < hi-lo && len(page) < q.limit; n++ {
		k := lo + n
		if q.desc {
			k = hi - 1 - n
		}
		if i := at(k); match(i) {
			page = append(page, i)
		}
	}
	return page
}

// containsFold reports whether sub occurs in s, ignoring case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// writeBody writes a JSON body with its length.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// AppendWebAPI adds n new rows at the current time (ids continue from the
// last row) and returns them: node-locked activations and data-object
// calls copied from earlier rows of the account, for re-sync tests.
func (s *Server) AppendWebAPI(n int) []cryptolens.WebAPILogRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]cryptolens.WebAPILogRow, 0, n)
	for range n {
		r := s.template()
		r.ID, r.Time = s.nextID(lastOf(s.web).ID), s.nextTime(lastOf(s.web).Time)
		r.IsAnomaly, r.AnomalyProperties = false, ""
		s.byKey[r.Key] = append(s.byKey[r.Key], int32(len(s.web)))
		s.web = append(s.web, r)
		out = append(out, r)
	}
	return out
}

// template picks an earlier row to copy: one that does not touch floating
// seats, so that appended rows keep the seat story consistent.
func (s *Server) template() cryptolens.WebAPILogRow {
	if len(s.web) == 0 {
		return cryptolens.WebAPILogRow{ProductID: productSpecs[0].ID, Key: "AAAAA-BBBBB-CCCCC-DDDDD",
			IP: "85.230.98.0", State: 2011, MachineCode: strings.Repeat("ab", 32), FriendlyName: "sample"}
	}
	var r cryptolens.WebAPILogRow
	for range 32 {
		r = s.web[s.rng.IntN(len(s.web))]
		if g := r.State.Group(); r.FloatingExpires == 0 && r.State != 6011 &&
			(g == cryptolens.GroupActivation || g == cryptolens.GroupDataObject) &&
			r.State.Outcome() == cryptolens.OutcomeSuccess {
			break
		}
	}
	if r.FloatingExpires != 0 || r.State == 6011 || r.State == 2024 {
		r.State, r.FloatingExpires = 2011, 0
	}
	return r
}

// AppendEvents adds n new events at the current time, copied from earlier
// ones, and returns them.
func (s *Server) AppendEvents(n int) []cryptolens.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]cryptolens.Event, 0, n)
	for range n {
		e := cryptolens.Event{ProductID: productSpecs[0].ID, Key: "AAAAA-BBBBB-CCCCC-DDDDD",
			FeatureName: "Export", EventName: "click"}
		if len(s.events) > 0 {
			e = s.events[s.rng.IntN(len(s.events))]
		}
		e.ID, e.Time = s.nextID(lastOf(s.events).ID), s.nextTime(lastOf(s.events).Time)
		s.events = append(s.events, e)
		out = append(out, e)
	}
	return out
}

// AppendObjects adds n new Object Log entries at the current time (notes
// changed on license keys) and returns them.
func (s *Server) AppendObjects(n int) []cryptolens.ObjectLogEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]cryptolens.ObjectLogEntry, 0, n)
	for range n {
		last := lastOf(s.objects)
		o := cryptolens.ObjectLogEntry{ID: s.nextID(last.ID), Created: s.nextTime(last.Created),
			ResourceType: cryptolens.ResourceLicenseKey, ResourceAction: cryptolens.ActionUpdated,
			AffectedObjectID:  licenseIDBase + int64(s.rng.IntN(max(1, len(s.acc.Licenses)))),
			ObjectOwnerUserID: OwnerUserID, PerformedByUserID: objectUsers[s.rng.IntN(len(objectUsers))],
			Data: mustJSON(map[string][2]string{"Notes": {"", fmt.Sprintf("Note %d", s.appended)}})}
		s.appended++
		s.objects = append(s.objects, o)
		out = append(out, o)
	}
	return out
}

// nextID returns an id after last, with a gap as other accounts' rows
// take ids in between.
func (s *Server) nextID(last int64) int64 { return last + 1 + s.rng.Int64N(24) }

// nextTime returns the current time, or last if the clock is behind it.
func (s *Server) nextTime(last int64) int64 { return max(time.Now().Unix(), last) }

// lastOf returns the last element of rows, or the zero value.
func lastOf[T any](rows []T) T {
	var zero T
	if len(rows) == 0 {
		return zero
	}
	return rows[len(rows)-1]
}
