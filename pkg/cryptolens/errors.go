package cryptolens

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors, for errors.Is. API errors carry the server's own message
// in an *APIError that unwraps to one of these.
var (
	// ErrNoToken: no access token was given or found (see TokenFromDir).
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
	// ErrNoMethod: the server has no such method (HTTP 404): an older
	// server, a license server or a proxy without it, or a base URL that
	// points elsewhere (when no method is found at all).
	ErrNoMethod = errors.New("cryptolens: no such method on this server")
	// ErrNoProgress: a pager stopped because a page held only rows it had
	// already yielded, so the server is ignoring the cursor.
	ErrNoProgress = errors.New("cryptolens: server made no paging progress")
)

// APIError is an error the server reported, or a transient failure that
// outlived the retries. Its text never holds the access token, and is safe
// to print: the server's words lose every control character, escape
// sequence and bidi override (see cleanText) and are cut to maxMessage
// bytes.
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
		b.WriteString(clip(cleanText(e.Message), maxMessage))
	}
	if h := e.hint(); h != "" {
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

// hint says what to do about the error: for an access denial by a method
// that needs a named permission, it names the permission.
func (e *APIError) hint() string {
	if p := methodPermissions[e.Method]; p != "" && e.Err == ErrAccessDenied {
		return "the token lacks the \"" + p + "\" permission, or is locked to another product or key"
	}
	return hints[e.Err]
}

// hints tell the reader what to do about each kind of error.
var hints = map[error]string{
	ErrUnauthenticated: "check the access token",
	ErrAccessDenied:    "the token lacks this method's permission, or is locked to another product or key",
	ErrBadInput:        "check the query's parameters",
	ErrNoSubscription:  "the account needs an active subscription",
	ErrNoMethod:        "the server does not have this method; if it has none, check the base URL",
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

// maxMessage bounds the server's text in an error, in bytes.
const maxMessage = 1000

// cleanText makes text that came from a server safe to print on a terminal
// or into a log: escape sequences (ESC or C1 introduced: CSI, OSC, DCS and
// the like, with their parameters) are dropped, every other control
// character becomes a space (line breaks too, so a message cannot forge a
// line of output; runs of them become one), format characters (bidi
// overrides and isolates, zero-width characters) are dropped, and invalid
// UTF-8 becomes U+FFFD. Scrub the token after cleaning, not before: what
// is dropped could otherwise split a token that scrubbing would miss.
func cleanText(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	space := false // the last thing written was a control's space
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			space, i = false, i+1
		case r == 0x1b:
			i = skipEscape(s, i+1)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS, SOS, OSC, PM, APC
			i = skipString(s, i+size)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			if !space {
				b.WriteByte(' ')
			}
			space, i = true, i+size
		case unicode.Is(unicode.Cf, r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			space, i = false, i+size
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII only.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// skipEscape returns the index past the escape sequence whose ESC lies
// just before s[i].
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then one final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

// skipCSI returns the index past a control sequence's parameter,
// intermediate and final bytes starting at s[i].
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString returns the index past a control string (OSC, DCS, ...)
// starting at s[i]: up to BEL or the string terminator (ESC \ or C1 ST),
// or the end of s if it has none.
func skipString(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x07 || r == 0x9c:
			return i + size
		case r == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		}
		i += size
	}
	return i
}

// clip cuts s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
