package logstore

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// hostile is a Cryptolens API of the tests' own, for trying the store as
// an attacker would: it speaks the wire format (POST form with
// case-insensitive names, the result/message envelope, "logs" and "events"
// arrays, StartingAfter/EndingBefore cursors, "Id descending" order) and
// serves each token its own account, whose rows the tests make as hostile
// as they like: times out of order, zero or in the future, rows that
// disappear, pages of new ids that never end.
type hostile struct {
	mu       sync.Mutex
	accounts map[string]*hostileAccount // by token
	requests atomic.Int64
}

// hostileAccount is what one token sees. Rows are in ascending id order.
type hostileAccount struct {
	web     []cryptolens.WebAPILogRow
	events  []cryptolens.Event
	objects []cryptolens.ObjectLogEntry
	// endless makes every forward page (StartingAfter, oldest first) a
	// full page of new ids after the cursor, forever.
	endless bool
}

// newHostileAccount makes n rows of each log, one a minute from
// fakeEpoch, as newFakeAccount does.
func newHostileAccount(n int) *hostileAccount {
	a := &hostileAccount{}
	for i := range n {
		a.web = append(a.web, fakeWebAPIRow(i))
		a.events = append(a.events, fakeEvent(i))
		a.objects = append(a.objects, fakeObject(i))
	}
	return a
}

// startHostile serves the accounts (by token) and returns the server and
// its base URL.
func startHostile(t *testing.T, accounts map[string]*hostileAccount) (*hostile, string) {
	t.Helper()
	h := &hostile{accounts: accounts}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return h, hs.URL + "/api/"
}

// hostileClient is a client of the server at url with the token.
func hostileClient(url, token string) *cryptolens.Client {
	c := cryptolens.New(cryptolens.Token(token))
	c.BaseURL = url
	c.Retry = cryptolens.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}
	return c
}

// with runs f on the account of token under the server's lock, so a test
// can change what the server serves between syncs.
func (h *hostile) with(token string, f func(a *hostileAccount)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f(h.accounts[token])
}

func (h *hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	form := map[string]string{}
	for k, v := range r.Form {
		form[strings.ToLower(k)] = v[0]
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	a := h.accounts[form["token"]]
	if a == nil {
		writeHostile(w, map[string]any{"result": 1, "message": "Unable to authenticate"})
		return
	}
	method := strings.ToLower(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:])
	var array string
	var rows any
	switch method {
	case "getwebapilog":
		array, rows = "logs", hostilePage(a.web, form, 1000, a.endless, func(id int64) cryptolens.WebAPILogRow {
			r := fakeWebAPIRow(int(id))
			r.ID, r.Time = id, time.Now().Unix()
			return r
		})
	case "getevents":
		array, rows = "events", hostilePage(a.events, form, 100, a.endless, func(id int64) cryptolens.Event {
			e := fakeEvent(int(id))
			e.ID, e.Time = id, time.Now().Unix()
			return e
		})
	case "getobjectlog":
		array, rows = "events", hostilePage(a.objects, form, 100, a.endless, func(id int64) cryptolens.ObjectLogEntry {
			o := fakeObject(int(id))
			o.ID, o.Created = id, time.Now().Unix()
			return o
		})
	default:
		http.NotFound(w, r)
		return
	}
	writeHostile(w, map[string]any{"result": 0, "message": nil, array: rows})
}

// hostilePage picks the rows one request asks for, as Cryptolens does; an
// endless account makes up a full page of new rows for every forward
// request.
func hostilePage[T cryptolens.Row](rows []T, form map[string]string, max int, endless bool, make func(id int64) T) []T {
	limit, _ := strconv.Atoi(form["limit"])
	if limit <= 0 || limit > max {
		limit = max
	}
	after, _ := strconv.ParseInt(form["startingafter"], 10, 64)
	before, _ := strconv.ParseInt(form["endingbefore"], 10, 64)
	desc := before > 0 || strings.EqualFold(form["orderby"], "Id descending")
	out := []T{}
	if !desc && endless {
		for id := after + 1; len(out) < limit; id++ {
			out = append(out, make(id))
		}
		return out
	}
	if !desc {
		for _, r := range rows {
			if r.RowID() > after && len(out) < limit {
				out = append(out, r)
			}
		}
		return out
	}
	for _, r := range slices.Backward(rows) {
		if (before == 0 || r.RowID() < before) && len(out) < limit {
			out = append(out, r)
		}
	}
	return out
}

func writeHostile(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}
