package cryptolens

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors, for errors.Is. API errors carry the server's own message
// in an *APIError that unwraps to one of these.
var (
	// ErrNoToken: no access token was given or found (see FindToken).
	ErrNoToken = errors.New("cryptolens: no access token")
	// ErrUnauthenticated: the server did not accept the token ("Unable to
	// authenticate"): it is wrong, revoked or expired.
	ErrUnauthenticated = errors.New("cryptolens: unable to authenticate")
	// ErrAccessDenied: the token is valid but lacks the method's permission
	// or is locked to another product or key ("Access denied", "Not enough
	// permission and/or key not found.").
	ErrAccessDenied = errors.New("cryptolens: access denied")
	// ErrBadInput: the request's parameters are wrong, as the server said
	// ("The input parameters were incorrect.") or as the client checked
	// before sending.
	ErrBadInput = errors.New("cryptolens: bad input")
	// ErrNoSubscription: the account has no active subscription.
	ErrNoSubscription = errors.New("cryptolens: no active subscription")
	// ErrTransient: a failure worth retrying (network, timeout, 5xx, 429,
	// broken body, "Something went wrong") that persisted through every
	// attempt of the retry policy.
	ErrTransient = errors.New("cryptolens: temporary failure")
	// ErrNoProgress: a pager stopped because a page held only rows it had
	// already yielded, so the server is ignoring the cursor.
	ErrNoProgress = errors.New("cryptolens: server made no paging progress")
)

// APIError is an error the server reported, or a transient failure that
// outlived the retries. Its text never holds the access token.
type APIError struct {
	Method  string // API method, e.g. "GetWebAPILog"
	Message string // the server's message, or what went wrong in transit
	// Err is the sentinel the message maps to (ErrUnauthenticated,
	// ErrAccessDenied, ErrBadInput, ErrNoSubscription, ErrTransient), or nil
	// for a message this package does not know.
	Err      error
	Attempts int // HTTP attempts made for the request (0 when decoding a file)
	Status   int // HTTP status of the last attempt, 0 if none arrived
}

// Error reads like "cryptolens: GetWebAPILog: Unable to authenticate".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("cryptolens: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	if e.Err == ErrTransient && e.Attempts > 0 {
		b.WriteString("temporary failure, gave up after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		if e.Attempts == 1 {
			b.WriteString(" attempt: ")
		} else {
			b.WriteString(" attempts: ")
		}
	}
	if e.Message == "" {
		b.WriteString("error with no message")
	} else {
		b.WriteString(e.Message)
	}
	if h := hints[e.Err]; h != "" {
		b.WriteString(" (")
		b.WriteString(h)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel, so errors.Is(err, ErrAccessDenied) works.
func (e *APIError) Unwrap() error { return e.Err }

// Format prints the error text for every verb, so %+v and %#v cannot show
// more than Error does.
func (e *APIError) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(e.Error())) }

// hints tell the reader what to do about each kind of error.
var hints = map[error]string{
	ErrUnauthenticated: "check the access token",
	ErrAccessDenied:    "the token lacks this method's permission, or is locked to another product or key",
	ErrBadInput:        "check the query's parameters",
	ErrNoSubscription:  "the account needs an active subscription",
}

// serverMessages maps the start of each known server message to its
// sentinel; matching ignores case. It is the one table to extend when
// Cryptolens is seen to send another.
var serverMessages = []struct {
	prefix string
	err    error
}{
	{"Unable to authenticate", ErrUnauthenticated},
	{"Access denied", ErrAccessDenied},
	{"Not enough permission", ErrAccessDenied},
	{"The input parameters were incorrect", ErrBadInput},
	{"No active subscription", ErrNoSubscription},
	{"Something went wrong", ErrTransient},
}

// classify returns the sentinel for a server message, or nil if unknown.
func classify(message string) error {
	m := strings.TrimSpace(message)
	for _, k := range serverMessages {
		if len(m) >= len(k.prefix) && strings.EqualFold(m[:len(k.prefix)], k.prefix) {
			return k.err
		}
	}
	return nil
}

// envelope is what a page says besides its rows.
type envelope struct {
	result     int
	hasResult  bool
	message    string
	hasPayload bool // the payload array's key was present (maybe null)
}

// check turns an envelope that is not a plain success into an *APIError:
// a transient one for a malformed envelope, else the server's message.
func (e envelope) check(method, array string) *APIError {
	switch {
	case !e.hasResult && e.message != "":
		return &APIError{Method: method, Message: "server sent only a message: " + e.message, Err: ErrTransient}
	case !e.hasResult:
		return &APIError{Method: method, Message: "response has no \"result\"", Err: ErrTransient}
	case e.result != 0:
		return &APIError{Method: method, Message: e.message, Err: classify(e.message)}
	case !e.hasPayload:
		return &APIError{Method: method, Message: "response has no \"" + array + "\" array", Err: ErrTransient}
	}
	return nil
}
