package analysis

import "errors"

// ErrNoData is wrapped by the errors of analyses given nothing to look
// at: no license key (none given, none to pick), an empty window. It is
// the user's choice of parameters, not a fault: lenslog.Must shows such an
// error in a notebook as a message and skips the cell, as it does a load
// that found no rows.
var ErrNoData = errors.New("no data")

// noData is an error saying msg that wraps ErrNoData.
type noData string

func (e noData) Error() string { return string(e) }
func (e noData) Unwrap() error { return ErrNoData }
