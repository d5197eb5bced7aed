package lenslog

import (
	"errors"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
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
// license list (the sample account's, or a live account's licenses), else
// inferred from the log
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
// order; each returns 0 when it cannot tell.
var seatLimitSources = []func(a *Account, key string, w logs.Window) (int, string, error){
	listedSeatLimit,
	inferredSeatLimit,
}

// listedFrom is how FloatingLicense names a limit from the license list.
const listedFrom = "the account's license list"

// listedSeatLimit is the limit the account's license list gives key: the
// sample account's list, or a live account's licenses (product/GetKeys,
// the inventory snapshot as of now). A token that may not read them, or a
// store without a snapshot, leaves it to the next source.
func listedSeatLimit(a *Account, key string, _ logs.Window) (int, string, error) {
	for _, x := range a.Licenses() {
		if x.Key == key && x.MaxNoOfMachines > 0 {
			return x.MaxNoOfMachines, listedFrom, nil
		}
	}
	if _, ok := a.src.(*sampleSource); ok {
		return 0, "", nil
	}
	list, err := a.LicenseKeys()
	switch {
	case errors.As(err, new(*PermissionError)) || errors.As(err, new(*NoDataError)) || errors.Is(err, cryptolens.ErrNoMethod):
		return 0, "", nil
	case err != nil:
		return 0, "", err
	}
	for i := range list.Len() {
		if list.Key.At(i) == key && list.MaxNoOfMachines[i] > 0 {
			return list.MaxNoOfMachines[i], listedFrom, nil
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
