package lenslog

import (
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/logs"
)

// FloatingLicense is a license to audit: its key (as the loaded tables show
// it), its seat limit, and where that limit came from.
type FloatingLicense struct {
	Key       string
	Limit     int
	LimitFrom string // "the parameters", "the account's license list", or "the log: " and how it was inferred
}

// seatLookback is how long before the audited span FloatingLicense reads
// the log to infer a seat limit: seats taken before the span count, and a
// refusal or an overdraft there tells the limit too.
const seatLookback = 7 * Day

// FloatingLicense picks the license a seat audit of api over span looks
// at. key "" means the key with the most floating-seat activity in api; a
// key typed by a person is mapped as Key does. The limit is limit when
// above 0, else the first of seatLimitSources that knows it: the account's
// license list (the sample account has one), else inferred from the log
// (the Web API Log does not carry MaxNoOfMachines), which LimitFrom says.
// A span without floating-seat activity, or a key without rows or seats
// in it, is a *NoDataError naming what there is instead; a missing limit
// never is an error.
func (a *Account) FloatingLicense(api *logs.WebAPI, span Span, key string, limit int) (FloatingLicense, error) {
	l := FloatingLicense{Key: a.Key(key), Limit: limit, LimitFrom: "the parameters"}
	w := span.Window(a.Now())
	if key != "" {
		if _, err := a.KeyRows(api, key); err != nil {
			return l, err
		}
	} else if l.Key = analysis.BusiestFloatingKey(api); l.Key == "" {
		return l, a.noData(&NoDataError{What: "floating-seat activity", Log: "Web API Log", Window: w,
			Hint: "no key took, refreshed, freed or was refused a floating seat there (states 2014, 2015, 6011, 2024): name a key, or widen the period"})
	}
	if l.Limit > 0 {
		return l, nil
	}
	for _, find := range seatLimitSources {
		n, from, err := find(a, l.Key, w)
		if err != nil {
			return l, err
		}
		if n > 0 {
			l.Limit, l.LimitFrom = n, from
			return l, nil
		}
	}
	hint := "it used no floating seat there (no 2014, 2015, 6011 or 2024 row): a seat audit needs a floating license"
	if k := analysis.BusiestFloatingKey(api); k != "" {
		hint += "; the busiest floating key there is " + k
	}
	return l, a.noData(&NoDataError{What: "key " + l.Key, Log: "Web API Log", Window: w, Hint: hint})
}

// seatLimitSources are where FloatingLicense looks up a seat limit, in
// order; each returns 0 when it cannot tell. A live account's license
// list (product/GetKeys) is one more source, before the log.
var seatLimitSources = []func(a *Account, key string, w logs.Window) (int, string, error){
	listedSeatLimit,
	inferredSeatLimit,
}

// listedSeatLimit is the limit the account's license list gives key.
func listedSeatLimit(a *Account, key string, _ logs.Window) (int, string, error) {
	for _, x := range a.Licenses() {
		if x.Key == key && x.MaxNoOfMachines > 0 {
			return x.MaxNoOfMachines, "the account's license list", nil
		}
	}
	return 0, "", nil
}

// inferredSeatLimit infers key's limit from its seat rows over w and the
// seatLookback before it (see analysis.InferSeatLimit).
func inferredSeatLimit(a *Account, key string, w logs.Window) (int, string, error) {
	from := w.From
	if !from.IsZero() {
		from = from.Add(-seatLookback)
	}
	hist, err := a.WebAPI(Between(from, w.To), Columns("Key", "State", "MachineCode", "FriendlyName", "FloatingExpires"))
	if err != nil {
		return 0, "", err
	}
	n, how, err := analysis.InferSeatLimit(hist, key)
	if err != nil || n == 0 {
		return 0, "", err
	}
	since := "the log's start"
	if !from.IsZero() {
		since = from.UTC().Format(time.DateOnly)
	}
	return n, "the log: " + how + " (rows since " + since + "); give the real limit to be sure", nil
}
