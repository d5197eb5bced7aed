package sample

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// errInput is the one message Cryptolens gives for any bad parameter; the
// server says which parameter and why in the X-Sample-Error header.
//
//lint:ignore ST1005 Cryptolens' own wording, sent as it is on the wire
var errInput = errors.New("The input parameters were incorrect.")

// paramError says which parameter was wrong and why; its Unwrap is
// errInput.
type paramError struct {
	name, why string
}

func (e *paramError) Error() string { return e.name + ": " + e.why }
func (e *paramError) Unwrap() error { return errInput }

// params are a request's parameters with lower-cased names, from the query
// string and a form body together.
type params map[string][]string

// maxFormBytes bounds a request body.
const maxFormBytes = 1 << 20

// parseParams reads the query string and a url-encoded or multipart form
// body, case-insensitively.
func parseParams(r *http.Request) (params, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxFormBytes)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxFormBytes)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return nil, &paramError{"body", "not a valid form: " + err.Error()}
	}
	p := params{}
	for k, vs := range r.Form {
		lk := strings.ToLower(k)
		p[lk] = append(p[lk], vs...)
	}
	return p, nil
}

// str returns the first value of name, trimmed; "" when absent.
func (p params) str(name string) string {
	if vs := p[name]; len(vs) > 0 {
		return strings.TrimSpace(vs[0])
	}
	return ""
}

// int64 returns name as an integer; absent, "" and 0 all mean 0 (no
// filter).
func (p params) int64(name string) (int64, error) {
	s := p.str(name)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &paramError{name, fmt.Sprintf("%q is not an integer", s)}
	}
	return v, nil
}

// bool returns name as a boolean; absent and "" mean false.
func (p params) bool(name string) (bool, error) {
	s := p.str(name)
	if s == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return false, &paramError{name, fmt.Sprintf("%q is not true or false", s)}
	}
	return v, nil
}

// query is a parsed log request.
type query struct {
	productID    int64
	key          string
	machineCode  string
	friendlyName string
	metadata     string
	states       map[cryptolens.State]bool
	limit        int
	after        int64 // StartingAfter, 0 if none
	before       int64 // EndingBefore, 0 if none
	desc         bool  // newest first
	anomaly      bool
	tmin, tmax   int64 // inclusive time bounds
}

// endpoint says which parameters a method takes and its page maximum.
type endpoint struct {
	name      string // lower-case method name
	payload   string // JSON key of the rows
	maxLimit  int
	filters   bool // ProductId, Key and the other filters
	backwards bool // EndingBefore and OrderBy
	time      bool // the Time filter
}

// The three methods. Limits above the maximum are clamped to it (the
// sample's choice; Cryptolens does not document whether it clamps or
// rejects), so a client must not take a short page for the end.
var endpoints = map[string]endpoint{
	"getwebapilog": {"getwebapilog", "logs", 1000, true, true, true},
	"getevents":    {"getevents", "events", 100, true, true, true},
	"getobjectlog": {"getobjectlog", "events", 100, false, false, false},
}

// DefaultLimit is the page size when a request gives no Limit.
const DefaultLimit = 10

// parseQuery reads the parameters an endpoint takes; others are ignored.
func parseQuery(p params, ep endpoint) (query, error) {
	q := query{tmin: math.MinInt64, tmax: math.MaxInt64}
	limit, err := p.int64("limit")
	switch {
	case err != nil:
		return q, err
	case limit < 0:
		return q, &paramError{"limit", "must not be negative"}
	case limit == 0:
		limit = DefaultLimit
	}
	q.limit = int(min(limit, int64(ep.maxLimit)))
	if q.after, err = cursor(p, "startingafter"); err != nil {
		return q, err
	}
	if ep.backwards {
		if err := q.parseOrder(p); err != nil {
			return q, err
		}
	}
	if ep.time {
		if err := q.parseTime(p.str("time")); err != nil {
			return q, err
		}
	}
	if ep.filters {
		return q, q.parseFilters(p, ep)
	}
	return q, nil
}

// cursor reads a row-id cursor.
func cursor(p params, name string) (int64, error) {
	v, err := p.int64(name)
	if err == nil && v < 0 {
		err = &paramError{name, "must not be negative"}
	}
	return v, err
}

// parseOrder reads EndingBefore and the deprecated OrderBy. A cursor
// decides the direction (StartingAfter ascending, EndingBefore newest
// first); without one OrderBy does ("Id", "Time", optionally "descending").
func (q *query) parseOrder(p params) error {
	var err error
	if q.before, err = cursor(p, "endingbefore"); err != nil {
		return err
	}
	order := strings.Fields(strings.ToLower(p.str("orderby")))
	desc := false
	switch {
	case len(order) == 0:
	case len(order) > 2 || order[0] != "id" && order[0] != "time":
		return &paramError{"orderBy", fmt.Sprintf("%q is not Id or Time, optionally descending", p.str("orderby"))}
	case len(order) == 2:
		switch order[1] {
		case "descending", "desc":
			desc = true
		case "ascending", "asc":
		default:
			return &paramError{"orderBy", fmt.Sprintf("%q: unknown direction %q", p.str("orderby"), order[1])}
		}
	}
	switch {
	case q.before != 0:
		q.desc = true
	case q.after != 0:
		q.desc = false
	default:
		q.desc = desc
	}
	return nil
}

// parseTime reads the Time filter: unix seconds (rows at or after it) or
// a JSON object with any of gt, gte, lt, lte.
func (q *query) parseTime(s string) error {
	if s == "" || s == "0" {
		return nil
	}
	if !strings.HasPrefix(s, "{") {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return &paramError{"time", fmt.Sprintf("%q is neither unix seconds nor a JSON object", s)}
		}
		q.tmin = v
		return nil
	}
	var m map[string]json.Number
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return &paramError{"time", "not a JSON object of numbers: " + err.Error()}
	}
	for k, n := range m {
		v, err := n.Int64()
		if err != nil {
			return &paramError{"time", fmt.Sprintf("%s: %q is not unix seconds", k, n)}
		}
		switch strings.ToLower(k) {
		case "gt":
			q.tmin = max(q.tmin, v+1)
		case "gte":
			q.tmin = max(q.tmin, v)
		case "lt":
			q.tmax = min(q.tmax, v-1)
		case "lte":
			q.tmax = min(q.tmax, v)
		default:
			return &paramError{"time", fmt.Sprintf("unknown bound %q (want gt, gte, lt or lte)", k)}
		}
	}
	return nil
}

// parseFilters reads ProductId, Key (which needs ProductId), and the
// filters of each endpoint.
func (q *query) parseFilters(p params, ep endpoint) error {
	var err error
	if q.productID, err = p.int64("productid"); err != nil {
		return err
	}
	q.key = p.str("key")
	if q.key != "" && q.productID == 0 {
		return &paramError{"key", "needs ProductId"}
	}
	if ep.name == "getevents" {
		q.metadata = p.str("metadata")
		return nil
	}
	q.machineCode = p.str("machinecode")
	q.friendlyName = p.str("friendlyname")
	if q.anomaly, err = p.bool("anomalyclassification"); err != nil {
		return err
	}
	return q.parseStates(p["states"])
}

// parseStates reads States: a JSON list [2014,2015], a comma-separated
// list, or the parameter repeated.
func (q *query) parseStates(vs []string) error {
	for _, v := range vs {
		v = strings.TrimSpace(v)
		v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
		for f := range strings.SplitSeq(v, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				return &paramError{"states", fmt.Sprintf("%q is not a state code", f)}
			}
			if n == 0 {
				continue // the SDKs send 0 for "no filter"
			}
			if q.states == nil {
				q.states = map[cryptolens.State]bool{}
			}
			q.states[cryptolens.State(n)] = true
		}
	}
	return nil
}
