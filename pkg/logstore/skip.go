package logstore

import (
	"errors"
	"fmt"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// LogError is one log's failure in a sync; Sync joins one per failed log,
// so a caller can tell which logs failed and why (see Refused).
type LogError struct {
	Log Log
	Err error
}

func (e *LogError) Error() string { return fmt.Sprintf("logstore: sync %s: %v", e.Log, e.Err) }
func (e *LogError) Unwrap() error { return e.Err }

// Refused reports whether err says the token may not read a table or the
// server does not have its method (cryptolens.ErrAccessDenied,
// cryptolens.ErrNoMethod): a table to skip, not a failure of the sync.
func Refused(err error) bool {
	return errors.Is(err, cryptolens.ErrAccessDenied) || errors.Is(err, cryptolens.ErrNoMethod)
}

// SplitRefused splits a sync's error into the logs that were refused (see
// Refused), each with its error, and the rest, nil when nothing else
// failed.
func SplitRefused(err error) (refused []*LogError, rest error) {
	var others []error
	for _, e := range flatten(err) {
		var le *LogError
		if errors.As(e, &le) && Refused(le.Err) {
			refused = append(refused, le)
			continue
		}
		others = append(others, e)
	}
	return refused, errors.Join(others...)
}

// flatten lists the errors joined in err (errors.Join), or err alone.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
