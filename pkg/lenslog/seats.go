package lenslog

import (
	"errors"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/logs"
)

// FloatingLicense is a license to audit: its key (as the loaded tables show
// it), its seat limit, and where that limit came from.
type FloatingLicense struct {
	Key       string
	Limit     int
	LimitFrom string
}

// FloatingLicense picks the license a seat audit of api over span looks
// at. key "" means the key with the most floating-seat activity in api; a
// key typed by a person is mapped as Key does. The limit is limit when
// above 0, else the account's license list (the sample account has one),
// else inferred from the log (the Web API Log does not carry
// MaxNoOfMachines); LimitFrom says which.
func (a *Account) FloatingLicense(api *logs.WebAPI, span Span, key string, limit int) (FloatingLicense, error) {
	l := FloatingLicense{Key: a.Key(key), Limit: limit, LimitFrom: "the parameters"}
	if l.Key == "" {
		l.Key = analysis.BusiestFloatingKey(api)
	}
	if l.Key == "" {
		return l, errors.New("no floating-seat activity in the span: name a key, or widen the span")
	}
	if key != "" {
		if _, err := a.KeyRows(api, key); err != nil {
			return l, err
		}
	}
	if l.Limit > 0 {
		return l, nil
	}
	for _, x := range a.Licenses() {
		if x.Key == l.Key && x.MaxNoOfMachines > 0 {
			l.Limit, l.LimitFrom = x.MaxNoOfMachines, "the account's license list"
			return l, nil
		}
	}
	n, how, err := analysis.InferSeatLimit(api, l.Key, span.Window(a.Now()))
	if err != nil {
		return l, err
	}
	if n == 0 {
		return l, errors.New("cannot tell the seat limit of " + l.Key + ": give it")
	}
	l.Limit, l.LimitFrom = n, "the log: "+how+"; give the real limit to be sure"
	return l, nil
}
