package logstore

import (
	"errors"
	"strconv"
	"strings"
)

// ErrCorrupt matches (with errors.Is) every *CorruptError.
var ErrCorrupt = errors.New("store is damaged")

// CorruptError reports a damaged or missing file of a store: a segment whose
// size or checksum does not match its manifest, or a manifest that cannot
// be read. Data from a damaged file is never returned; Repair re-fetches what
// the source still has.
type CorruptError struct {
	Path   string // the damaged file
	Reason string // what is wrong with it
	Err    error  // the underlying error, if any
}

// Error says which file is damaged and how.
func (e *CorruptError) Error() string {
	s := "logstore: damaged " + e.Path + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *CorruptError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// VerifyError lists every problem Verify found.
type VerifyError struct {
	Problems []error // each a *CorruptError or an I/O error, naming its file
}

// Error lists the problems, one per line after the first.
func (e *VerifyError) Error() string {
	var b strings.Builder
	b.WriteString("logstore: verify found ")
	if len(e.Problems) == 1 {
		b.WriteString("1 problem: ")
		b.WriteString(e.Problems[0].Error())
		return b.String()
	}
	b.WriteString(strconv.Itoa(len(e.Problems)))
	b.WriteString(" problems:")
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is(err, ErrCorrupt) works.
func (e *VerifyError) Unwrap() []error { return e.Problems }
