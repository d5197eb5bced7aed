package sample

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Live makes the server behave like a live account rather than a fixed
// sample: rows keep arriving while a client reads, tokens hold chosen
// permissions, methods can be missing, and the server can stall or echo the
// token back. Switch it on with Server.SetLive; the zero value changes
// nothing. Each field is independent of the others.
type Live struct {
	// Every is how often new rows arrive; 0 means none do. Each time it
	// passes, WebAPIRows Web API rows and Events events are appended
	// (ids increasing, times at the wall clock's now), as AppendWebAPI and
	// AppendEvents do. Rows arrive when a request comes in, for all the
	// intervals passed since the last one, so a client always sees the
	// account as it would be at that moment.
	Every      time.Duration
	WebAPIRows int
	Events     int

	// Tokens are further tokens the server accepts, each with the methods
	// it may call: method names as Cryptolens spells them, in any case
	// ("GetWebAPILog", "getevents"), or UsageAnalytics for the five Usage
	// Analytics methods. Such a token gets MsgAccessDenied from any other
	// method; a token neither here nor the server's own gets
	// MsgUnauthenticated.
	Tokens map[string][]string

	// Missing are methods the server does not have (same spelling as in
	// Tokens): they answer 404 with the error text of the ASP.NET server
	// behind Cryptolens, MsgNoResource.
	Missing []string

	// Stall makes requests hang once StallAfter requests were answered:
	// StallHeaders never sends a response (until the client gives up),
	// StallTrickle sends the right answer a byte every TrickleEvery
	// (0 means a second).
	Stall        Stall
	StallAfter   int
	TrickleEvery time.Duration

	// NullRows puts this many null entries at the start of every page of
	// rows (the three logs' and Usage Analytics'), as a server with a
	// serialisation bug may send.
	NullRows int

	// RepeatRows sends the first row of every page of rows this many
	// times more right after it, as a server that merges result sets badly
	// may.
	RepeatRows int

	// Echo makes the server send the token back, in Echo.Spelling, in the
	// place Echo.In says, on every request after EchoAfter were answered.
	Echo      Echo
	EchoAfter int
}

// UsageAnalytics names, in Live.Tokens and Live.Missing, the five Usage
// Analytics methods, which one permission of that name grants.
const UsageAnalytics = "UsageAnalytics"

// MsgNoResource is the body text of a missing method's 404, as the ASP.NET
// Web API server behind Cryptolens words it.
const MsgNoResource = "No HTTP resource was found that matches the request URI."

// Stall is how a stalled server hangs.
type Stall int

// The stalls.
const (
	StallNone    Stall = iota
	StallHeaders       // accept the request, send nothing until the client gives up
	StallTrickle       // send the headers, then the body a byte at a time
)

// Echo says where and how the server sends the token back.
type Echo struct {
	In       EchoPlace
	Spelling Spelling
}

// EchoPlace is where an echoing server puts the token.
type EchoPlace int

// The places.
const (
	EchoNone     EchoPlace = iota
	EchoMessage            // an error answer (result 1) whose message quotes the token
	EchoRedirect           // a 302 whose Location carries the token in its query
	EchoHeader             // a 401 whose WWW-Authenticate header and message carry it
	EchoField              // an error answer with the token as a JSON field name
)

// Spelling is one way a server may write a token back.
type Spelling int

// The spellings. Percent-encodings encode every byte; JSON writes every
// character as \u00XX (as the text a client reads, after the JSON
// decoding of the body).
const (
	SpellAsIs Spelling = iota
	SpellLower
	SpellUpper
	SpellMixed        // upper and lower case by turns
	SpellPercent      // %XX with upper-case hex digits
	SpellPercentLower // the lower-cased token, %xx with lower-case hex digits
	SpellJSON         // \u00XX escapes
	SpellBase64       // standard base64, padded
	SpellBase64URL    // URL-safe base64, unpadded
	SpellHex          // hex of the bytes
	spellings         // how many there are
)

var spellNames = [...]string{"as-is", "lower", "upper", "mixed", "percent", "percent-lower", "json", "base64", "base64url", "hex"}

// String names the spelling as the serve command's -echo flag does.
func (s Spelling) String() string {
	if s >= 0 && s < spellings {
		return spellNames[s]
	}
	return fmt.Sprintf("Spelling(%d)", int(s))
}

// AllSpellings lists every spelling, for tests that try each.
func AllSpellings() []Spelling {
	out := make([]Spelling, spellings)
	for i := range out {
		out[i] = Spelling(i)
	}
	return out
}

// ParseSpelling returns the spelling a name (as String spells it) stands for.
func ParseSpelling(name string) (Spelling, error) {
	if i := slices.Index(spellNames[:], name); i >= 0 {
		return Spelling(i), nil
	}
	return 0, fmt.Errorf("unknown spelling %q (want one of %s)", name, strings.Join(spellNames[:], ", "))
}

// Spell writes token the way s says.
func Spell(token string, s Spelling) string {
	switch s {
	case SpellLower:
		return strings.ToLower(token)
	case SpellUpper:
		return strings.ToUpper(token)
	case SpellMixed:
		b := []byte(token)
		for i := range b {
			if i%2 == 0 {
				b[i] = upperASCII(b[i])
			} else {
				b[i] = lowerASCII(b[i])
			}
		}
		return string(b)
	case SpellPercent, SpellPercentLower:
		digits, t := "0123456789ABCDEF", token
		if s == SpellPercentLower {
			digits, t = "0123456789abcdef", strings.ToLower(token)
		}
		var b strings.Builder
		for i := 0; i < len(t); i++ {
			b.WriteByte('%')
			b.WriteByte(digits[t[i]>>4])
			b.WriteByte(digits[t[i]&15])
		}
		return b.String()
	case SpellJSON:
		var b strings.Builder
		for _, r := range token {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	case SpellBase64:
		return base64.StdEncoding.EncodeToString([]byte(token))
	case SpellBase64URL:
		return base64.RawURLEncoding.EncodeToString([]byte(token))
	case SpellHex:
		return hex.EncodeToString([]byte(token))
	}
	return token
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// SetLive switches live behaviour on (or, with the zero Live, off). Rows
// start arriving from now. It is safe to call while requests are served.
func (s *Server) SetLive(l Live) {
	l.Tokens = cloneGrants(l.Tokens)
	l.Missing = lowerAll(l.Missing)
	if l.TrickleEvery <= 0 {
		l.TrickleEvery = time.Second
	}
	s.live.mu.Lock()
	defer s.live.mu.Unlock()
	s.live.l, s.live.since, s.live.ticks, s.live.served = l, time.Now(), 0, 0
}

// liveState is the server's current Live and what it has done so far.
type liveState struct {
	mu     sync.Mutex
	l      Live
	since  time.Time // when SetLive was called
	ticks  int64     // arrival intervals already appended
	served int       // requests seen since SetLive
}

// cloneGrants copies the token grants with method names lower-cased.
func cloneGrants(in map[string][]string) map[string][]string {
	if in == nil {
		return nil
	}
	out := make(map[string][]string, len(in))
	for tok, methods := range in {
		out[tok] = lowerAll(methods)
	}
	return out
}

func lowerAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(strings.TrimSpace(n))
	}
	return out
}

// names reports whether a list of lower-cased method names holds the
// method ep, directly or through UsageAnalytics.
func names(list []string, ep string) bool {
	_, usage := usageEndpoints[ep]
	return slices.Contains(list, ep) || usage && slices.Contains(list, strings.ToLower(UsageAnalytics))
}

// maxStall bounds a headers stall, so that a server shutting down is not
// held by a client that never gives up.
const maxStall = 10 * time.Minute

// liveTurn is what live behaviour asks of one request.
type liveTurn struct {
	missing bool
	stall   Stall
	trickle time.Duration
	echo    Echo
	nulls   int
	repeats int
	arrive  [2]int // Web API rows and events due
}

// turn counts the request and says what to do with it.
func (ls *liveState) turn(ep string) liveTurn {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l := &ls.l
	var t liveTurn
	ls.served++
	t.missing = names(l.Missing, ep)
	if l.Stall != StallNone && ls.served > l.StallAfter {
		t.stall, t.trickle = l.Stall, l.TrickleEvery
	}
	if l.Echo.In != EchoNone && ls.served > l.EchoAfter {
		t.echo = l.Echo
	}
	t.nulls, t.repeats = l.NullRows, l.RepeatRows
	if l.Every > 0 {
		due := int64(time.Since(ls.since) / l.Every)
		n := int(due - ls.ticks)
		ls.ticks = due
		t.arrive = [2]int{n * l.WebAPIRows, n * l.Events}
	}
	return t
}

// grants reports whether token is one of Live.Tokens (known) and whether
// it may call ep.
func (ls *liveState) grants(token, ep string) (known, allowed bool) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	methods, known := ls.l.Tokens[token]
	return known, known && names(methods, ep)
}

// serveLive does what live behaviour asks before the request is answered
// as usual, and returns it; false when it answered (or dropped) the
// request itself.
func (s *Server) serveLive(w http.ResponseWriter, r *http.Request, ep endpoint) (liveTurn, bool) {
	t := s.live.turn(ep.name)
	if t.arrive[0] > 0 {
		s.AppendWebAPI(t.arrive[0])
	}
	if t.arrive[1] > 0 {
		s.AppendEvents(t.arrive[1])
	}
	switch {
	case t.missing:
		writeBody(w, http.StatusNotFound, []byte(`{"Message":`+string(appendString(nil, MsgNoResource))+`}`))
		return t, false
	case t.stall == StallHeaders:
		// Read the request first: only then does net/http notice a
		// client that hangs up, and end r's context.
		_, _ = io.Copy(io.Discard, r.Body)
		wait(r, maxStall)
		return t, false
	case t.echo.In != EchoNone:
		writeEcho(w, r, t.echo, s.tokenOf(r))
		return t, false
	}
	return t, true
}

// tokenOf returns the token a request sent, for echoing it.
func (s *Server) tokenOf(r *http.Request) string {
	if p, err := parseParams(r); err == nil {
		return p.str("token")
	}
	return ""
}

// writeEcho answers with the token sent back as e says.
func writeEcho(w http.ResponseWriter, r *http.Request, e Echo, token string) {
	spelled := Spell(token, e.Spelling)
	switch e.In {
	case EchoRedirect:
		loc := "https://login.example.com/sso?next=" + url.QueryEscape(r.URL.Path) + "&token=" + spelled
		w.Header().Set("Location", loc)
		writeBody(w, http.StatusFound, errorBody("Moved to "+loc))
	case EchoHeader:
		w.Header().Set("WWW-Authenticate", `Bearer realm="api", error="invalid_token", token="`+spelled+`"`)
		writeBody(w, http.StatusUnauthorized, errorBody(MsgUnauthenticated+": token "+spelled+" is not valid"))
	case EchoField:
		b := append([]byte(`{"result":1,"message":`), appendString(nil, MsgAccessDenied)...)
		b = append(append(append(b, ','), appendString(nil, spelled)...), `:{"denied":true}}`...)
		writeBody(w, http.StatusOK, b)
	default:
		writeBody(w, http.StatusOK, errorBody(MsgAccessDenied+" for token "+spelled+"."))
	}
}

// trickle writes an answer a byte at a time, every d, until the client
// gives up or the body is sent.
func trickle(w http.ResponseWriter, r *http.Request, body []byte, d time.Duration) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	for i := range body {
		if _, err := w.Write(body[i : i+1]); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		if !wait(r, d) {
			return
		}
	}
}

var (
	stallNames = [...]string{"none", "headers", "trickle"}
	placeNames = [...]string{"none", "message", "redirect", "header", "field"}
)

// String names the stall as the serve command's -stall flag does.
func (s Stall) String() string { return nameOf(stallNames[:], int(s), "Stall") }

// String names the place as the serve command's -echo flag does.
func (p EchoPlace) String() string { return nameOf(placeNames[:], int(p), "EchoPlace") }

func nameOf(names []string, i int, kind string) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%s(%d)", kind, i)
}

// ParseStall returns the stall a name (as String spells it) stands for.
func ParseStall(name string) (Stall, error) {
	i, err := parseName(stallNames[:], name, "stall")
	return Stall(i), err
}

// ParseEcho reads an echo as the serve command's -echo flag spells it:
// place:spelling, e.g. "redirect:lower" (the spelling defaults to as-is).
func ParseEcho(s string) (Echo, error) {
	place, spelling, _ := strings.Cut(s, ":")
	i, err := parseName(placeNames[:], place, "echo place")
	if err != nil {
		return Echo{}, err
	}
	e := Echo{In: EchoPlace(i)}
	if spelling != "" {
		e.Spelling, err = ParseSpelling(spelling)
	}
	return e, err
}

func parseName(names []string, name, kind string) (int, error) {
	if i := slices.Index(names, name); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("unknown %s %q (want one of %s)", kind, name, strings.Join(names, ", "))
}

// ParseGrant reads a token and its methods as the serve command's -grant
// flag spells them: token=Method+Method, e.g.
// "reader=GetWebAPILog+GetEvents" or "analyst=UsageAnalytics". A token
// with no methods ("nothing=") is accepted and may call none.
func ParseGrant(s string) (token string, methods []string, err error) {
	token, list, ok := strings.Cut(s, "=")
	if !ok || token == "" {
		return "", nil, fmt.Errorf("grant %q: want token=Method+Method, e.g. reader=GetWebAPILog+GetEvents", s)
	}
	for m := range strings.SplitSeq(list, "+") {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if err := checkMethod(m); err != nil {
			return "", nil, fmt.Errorf("grant for %q: %w", token, err)
		}
		methods = append(methods, m)
	}
	return token, methods, nil
}

// checkMethod fails for a name that is neither a method the server
// answers nor UsageAnalytics.
func checkMethod(name string) error {
	n := strings.ToLower(name)
	_, log := endpoints[n]
	_, usage := usageEndpoints[n]
	if log || usage || isInventory(endpoint{name: n}) || strings.EqualFold(name, UsageAnalytics) {
		return nil
	}
	return fmt.Errorf("unknown method %q (want GetWebAPILog, GetEvents, GetObjectLog, a Usage Analytics method, %s, "+
		"GetProducts, GetKeys, GetCustomers or GetCustomerLicenses)", name, UsageAnalytics)
}

// ParseMethods reads a list of methods as the serve command's -missing
// flag spells it: comma-separated, e.g. "GetObjectLog,UsageAnalytics".
func ParseMethods(s string) ([]string, error) {
	var out []string
	for m := range strings.SplitSeq(s, ",") {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if err := checkMethod(m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// FindSpelling reports whether text holds token in any of the spellings
// the server can echo (matching case-insensitively those that do not
// depend on case, and base64 without its padding), and which: a test's
// oracle for "the token never shows".
func FindSpelling(text, token string) (Spelling, bool) {
	lower := strings.ToLower(text)
	for _, sp := range AllSpellings() {
		s := Spell(token, sp)
		switch sp {
		case SpellBase64, SpellBase64URL:
			if strings.Contains(text, strings.TrimRight(s, "=")) {
				return sp, true
			}
		default:
			if strings.Contains(lower, strings.ToLower(s)) {
				return sp, true
			}
		}
	}
	return 0, false
}

// withRepeats sends the first row of a page n more times right after it;
// other bodies (errors, empty pages) are returned as they are.
func withRepeats(body []byte, n int) []byte {
	if n <= 0 || !bytes.HasPrefix(body, []byte(`{"result":0,`)) {
		return body
	}
	i := bytes.Index(body, []byte(`":[{`))
	if i < 0 {
		return body
	}
	i += len(`":[`)
	dec := json.NewDecoder(bytes.NewReader(body[i:]))
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return body
	}
	end := i + int(dec.InputOffset())
	out := append([]byte(nil), body[:end]...)
	for range n {
		out = append(append(out, ','), first...)
	}
	return append(out, body[end:]...)
}

// withNulls puts n null entries at the start of a page's rows; other
// bodies (errors) are returned as they are.
func withNulls(body []byte, n int) []byte {
	if n <= 0 || !bytes.HasPrefix(body, []byte(`{"result":0,`)) {
		return body
	}
	i := bytes.Index(body, []byte(`":[`))
	if i < 0 {
		return body
	}
	i += len(`":[`)
	nulls := strings.Repeat("null,", n)
	if body[i] == ']' {
		nulls = nulls[:len(nulls)-1]
	}
	out := append(append(append([]byte(nil), body[:i]...), nulls...), body[i:]...)
	return out
}
