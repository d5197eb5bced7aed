package cryptolens

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeLog is a hand-written Cryptolens log server for tests: it serves rows
// (ascending ids) with the API's cursor semantics, and can misbehave the
// ways real servers and proxies do.
type fakeLog[T Row] struct {
	t       *testing.T
	token   string
	array   string
	rows    []T
	maxPage int // the server's own page cap; 0: none

	overlap      int  // repeat this many already-served rows at the start of each page
	shuffle      bool // return each page in random order
	ignoreCursor bool // always serve the newest (or oldest) page

	mu       sync.Mutex
	requests []map[string]string // form of each request, lower-case keys
}

func (f *fakeLog[T]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("bad form: %v", err)
	}
	form := map[string]string{}
	for k, v := range r.PostForm {
		form[lower(k)] = v[0]
	}
	f.mu.Lock()
	f.requests = append(f.requests, form)
	f.mu.Unlock()
	if r.URL.RawQuery != "" {
		f.t.Errorf("request has a query string %q: parameters belong in the body", r.URL.RawQuery)
	}
	if form["token"] != f.token {
		writeJSON(w, map[string]any{"result": 1, "message": "Unable to authenticate"})
		return
	}
	writeJSON(w, map[string]any{"result": 0, "message": nil, f.array: f.page(form)})
}

// page picks the rows a request asks for.
func (f *fakeLog[T]) page(form map[string]string) []T {
	limit := atoi(form["limit"])
	if f.maxPage > 0 {
		limit = min(limit, f.maxPage)
	}
	after, before := int64(atoi(form["startingafter"])), int64(atoi(form["endingbefore"]))
	desc := before > 0 || lower(form["orderby"]) == "id descending"
	if f.ignoreCursor {
		after, before = 0, 0
	}
	var out []T
	if !desc {
		i, _ := slices.BinarySearchFunc(f.rows, after+1, func(r T, id int64) int { return cmp64(r.RowID(), id) })
		i = max(0, i-f.overlap)
		out = slices.Clone(f.rows[i:min(len(f.rows), i+limit)])
	} else {
		j := len(f.rows)
		if before > 0 {
			j, _ = slices.BinarySearchFunc(f.rows, before, func(r T, id int64) int { return cmp64(r.RowID(), id) })
		}
		j = min(len(f.rows), j+f.overlap)
		for k := j - 1; k >= 0 && len(out) < limit; k-- {
			out = append(out, f.rows[k])
		}
	}
	if f.shuffle {
		rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}

func (f *fakeLog[T]) requestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeLog[T]) lastRequest() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		return nil
	}
	return f.requests[len(f.requests)-1]
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// startFake serves h and returns a Client for it with fast retries.
func startFake(t *testing.T, h http.Handler, token string) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Client{
		BaseURL: srv.URL + "/api",
		Token:   Token(token),
		Retry:   RetryPolicy{Attempts: 4, MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
	}
}

// webAPIHistory makes n rows one minute apart, ids from 1, ending at end.
func webAPIHistory(n int, end time.Time) []WebAPILogRow {
	rows := genWebAPIRows(rand.New(rand.NewPCG(uint64(n), 9)), 1, n)
	for i := range rows {
		rows[i].Time = end.Add(-time.Duration(n-1-i) * time.Minute).Unix()
	}
	return rows
}

// collect drains a pager, failing the test on an error.
func collect[T Row](t *testing.T, seq func(func([]T, error) bool)) (rows []T, pages int) {
	t.Helper()
	for page, err := range seq {
		if err != nil {
			t.Fatalf("after %d pages: %v", pages, err)
		}
		if len(page) == 0 {
			t.Fatalf("page %d is empty: pagers must not yield empty pages", pages)
		}
		pages++
		rows = append(rows, page...)
	}
	return rows, pages
}

// ids lists the rows' ids.
func ids[T Row](rows []T) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.RowID()
	}
	return out
}

func idRange(from, to int64) []int64 {
	var out []int64
	step := int64(1)
	if to < from {
		step = -1
	}
	for i := from; ; i += step {
		out = append(out, i)
		if i == to {
			return out
		}
	}
}

func sprintIDs(x []int64) string {
	if len(x) > 12 {
		return fmt.Sprintf("%v ... %v (%d)", x[:6], x[len(x)-6:], len(x))
	}
	return fmt.Sprint(x)
}
