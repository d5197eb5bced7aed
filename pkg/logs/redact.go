package logs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Redactor replaces identifiers (license keys, machine codes, friendly
// names, IPs, e-mail addresses, user ids) with stable pseudonyms, so that a
// report can be shared outside the company and still read: the same value
// always maps to the same pseudonym under the same secret, and different
// values to different ones (64 bits of HMAC-SHA256, so a clash is
// vanishingly rare). Redaction happens where data is loaded, so every table,
// chart and frame made from the data is redacted too.
//
// Identifiers are found in two ways. Columns that hold them (Key, IP,
// MachineCode, FriendlyName, the user ids) are replaced whole, whatever
// their shape. Free text (event metadata, Object Log data) is read as JSON
// where it is JSON (string values decoded, so escapes hide nothing) and
// plain text where not, and loses:
//   - every value, word or run of words equal to an identifier the Redactor
//     has learned from any column of any table it was given (Learn, or the
//     table being redacted), whatever the field holding it is called;
//   - the values of members named for a person, device or key ("Name",
//     "Email", "Customer", "MachineCode", "Key", ...), which are learned
//     too, so the same value elsewhere goes as well;
//   - whatever has the shape of an identifier: e-mail and IP addresses
//     (v4 and v6), key-like groups ("ABCD-1234-EFGH") and long codes
//     (hashes, base64 machine codes);
//   - integers equal to a learned user id of four or more digits.
//
// Inside longer text, learned identifiers shorter than three characters
// (four for digits only) are left alone: they would take ordinary words
// and counts with them. They still go where they are a whole value.
//
// A Redactor is safe for concurrent use. A nil *Redactor leaves everything
// as it is. Printing a Redactor never shows its secret.
type Redactor struct {
	*redactState // behind a pointer, so that printing a Redactor value shows no secret
}

// redactState is a Redactor's state.
type redactState struct {
	mu       sync.Mutex
	mac      hash.Hash                   // HMAC-SHA256 under the secret, reset per value
	memo     [numKinds]map[string]string // value -> pseudonym, per kind
	known    map[string]kinds            // every learned identifier -> the kinds it was seen as
	maxWords int                         // most words in a learned identifier, at most maxNgram
	texts    map[string]string           // free text -> its redaction
	stale    bool                        // texts predates identifiers learned since
	sum      [sha256.Size]byte
}

// NewRedactor returns a Redactor keyed by secret. Use a random secret of
// at least 16 bytes per report, so that pseudonyms cannot be reversed by
// trying every value, nor matched across reports.
func NewRedactor(secret []byte) *Redactor {
	r := &Redactor{&redactState{mac: hmac.New(sha256.New, secret), known: map[string]kinds{}, texts: map[string]string{}}}
	for k := range r.memo {
		r.memo[k] = map[string]string{}
	}
	return r
}

// String describes the Redactor without its secret or what it has seen.
func (Redactor) String() string { return "logs.Redactor{secret: [redacted]}" }

// GoString is String, so %#v cannot show the secret either.
func (r Redactor) GoString() string { return r.String() }

// Format prints String for every verb.
func (r Redactor) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r.String())) }

// kind is the kind of an identifier; it names the pseudonym ("key-...").
// Where a value was seen as several kinds, the lowest wins in free text.
type kind uint8

const (
	kindKey kind = iota
	kindMachine
	kindIP
	kindEmail
	kindUser
	kindName
	kindID // an identifier known by its shape only
	numKinds
)

// kinds is a set of kinds.
type kinds uint8

var kindPrefix = [numKinds]string{"key", "machine", "ip", "email", "user", "name", "id"}

// first returns the highest-priority kind in the set.
func (ks kinds) first() kind {
	for k := range numKinds {
		if ks&(1<<k) != 0 {
			return k
		}
	}
	return kindID
}

// codeEncoding writes pseudonyms in lower-case base32 (Crockford's
// alphabet, no padding): 13 characters for 64 bits.
var codeEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// digest returns the first 8 bytes of the HMAC of value. Call with r.mu held.
func (r *Redactor) digest(value string) []byte {
	r.mac.Reset()
	r.mac.Write([]byte(value))
	return r.mac.Sum(r.sum[:0])[:8]
}

// pseudonym returns the pseudonym of value as an identifier of kind k,
// e.g. "key-5x2k8m3q9a7bc"; e-mail addresses keep their shape
// ("email-...@example.invalid"). Values shaped as an e-mail or IP address
// are named so whatever column held them. Call with r.mu held.
func (r *Redactor) pseudonym(k kind, value string) string {
	if value == "" {
		return value
	}
	if p, ok := r.memo[k][value]; ok {
		return p
	}
	shape := k
	switch {
	case isEmail(value):
		shape = kindEmail
	case isIP(value):
		shape = kindIP
	}
	p := kindPrefix[shape] + "-" + codeEncoding.EncodeToString(r.digest(value))
	if shape == kindEmail {
		p += "@example.invalid"
	}
	r.memo[k][value] = p
	return p
}

// pseudoID maps a numeric user id to a stable positive number of 63 bits
// (an int64 column has no room for a 64th), from the same digest as the
// user id's string pseudonym.
func (r *Redactor) pseudoID(id int64) int64 {
	if id == 0 {
		return id
	}
	return int64(binary.BigEndian.Uint64(r.digest(strconv.FormatInt(id, 10))) >> 1)
}

// Key returns the pseudonym of a license key, so that a key chosen before
// redaction (a notebook parameter) finds its rows after it.
func (r *Redactor) Key(key string) string {
	if r == nil {
		return key
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pseudonym(kindKey, key)
}

// Text returns s with every identifier found in it replaced (see Redactor).
func (r *Redactor) Text(s string) string {
	if r == nil {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.text(s)
}

// Learn makes the Redactor know the identifiers in the given tables (any
// may be nil) without changing them, so that free text redacted later
// loses them too. An Account learns all three logs before it redacts free
// text, so what is redacted does not depend on which log was loaded first.
func (r *Redactor) Learn(api *WebAPI, ev *Events, obj *Objects) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if api != nil {
		r.learnWebAPI(api)
	}
	if ev != nil {
		r.learnEvents(ev)
	}
	if obj != nil {
		r.learnObjects(obj)
	}
}

// The personal columns of each table, which the learn and redact functions
// below visit, are marked in internal/logschema and listed in
// redact_gen.go.

// learnIDs learns every value of a column of numeric ids as kind k.
func (r *Redactor) learnIDs(k kind, col []int64) {
	prev := int64(0)
	for _, id := range col {
		if id != 0 && id != prev {
			r.learn(k, strconv.FormatInt(id, 10))
			prev = id
		}
	}
}

// idColumn rewrites a column of numeric user ids in place with their
// numeric pseudonyms.
func (r *Redactor) idColumn(col []int64) {
	prevIn, prevOut := int64(0), int64(0)
	for i, id := range col {
		if id != prevIn {
			prevIn, prevOut = id, r.pseudoID(id)
		}
		col[i] = prevOut
	}
}

// learn adds value, seen as kind k, to the known identifiers. Redactions
// of free text memoised before are forgotten when the set grows.
func (r *Redactor) learn(k kind, value string) {
	if value == "" {
		return
	}
	ks, ok := r.known[value]
	if ks&(1<<k) != 0 {
		return
	}
	r.known[value] = ks | 1<<k
	if !ok {
		r.maxWords = max(r.maxWords, min(len(strings.Fields(value)), maxNgram))
		r.stale = true
	}
}

// learnTexts learns the values of the identifying members (see hintKind)
// of every JSON text in col.
func (r *Redactor) learnTexts(col []string) {
	seen := map[string]bool{}
	for _, s := range col {
		if s == "" || seen[s] || !json.Valid([]byte(s)) {
			continue
		}
		seen[s] = true
		walkJSON(s, func(lit string, member string, isKey bool) string {
			if k, ok := hintKind(member); ok && !isKey {
				r.learn(k, decodeLiteral(lit))
			}
			return lit
		}, nil)
	}
}

// mapColumn rewrites a string column in place through f, calling it once
// per run of equal values.
func mapColumn(col []string, f func(string) string) {
	prevIn, prevOut := "", ""
	for i, v := range col {
		if i == 0 || v != prevIn {
			prevIn, prevOut = v, f(v)
		}
		col[i] = prevOut
	}
}

// learnCodes learns every value of a Strings column as kind k, once per
// distinct code.
func (r *Redactor) learnCodes(k kind, col Strings) {
	seen := make([]bool, col.Distinct())
	for _, c := range col.Codes {
		if !seen[c] {
			seen[c] = true
			r.learn(k, col.Dict.Value(c))
		}
	}
}

// codes returns a Strings column of identifiers of kind k with each value
// replaced by its pseudonym, coded into d, learning the values; one
// pseudonym per distinct code.
func (r *Redactor) codes(k kind, col Strings, d *Dict) Strings {
	return mapCodes(col, d, func(v string) string {
		r.learn(k, v)
		return r.pseudonym(k, v)
	})
}

// recode returns col coded into d, values unchanged.
func recode(col Strings, d *Dict) Strings {
	return mapCodes(col, d, func(v string) string { return v })
}

// mapCodes returns col with every value v replaced by f(v), coded into d;
// f is called once per distinct code.
func mapCodes(col Strings, d *Dict, f func(string) string) Strings {
	if col.Codes == nil {
		return Strings{Dict: d}
	}
	const unset = ^uint32(0)
	to := make([]uint32, col.Distinct())
	for i := range to {
		to[i] = unset
	}
	out := make([]uint32, len(col.Codes))
	for i, c := range col.Codes {
		if to[c] == unset {
			to[c] = d.Code(f(col.Dict.Value(c)))
		}
		out[i] = to[c]
	}
	return Strings{Codes: out, Dict: d}
}

// WebAPI redacts t in place and returns it: keys, IPs, machine codes,
// friendly names, and the identifiers in the anomaly properties.
func (r *Redactor) WebAPI(t *WebAPI) *WebAPI {
	if r == nil || t == nil {
		return t
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.redactWebAPI(t)
	return t
}

// Events redacts t in place and returns it: keys, machine codes, and the
// identifiers in the metadata. It learns the whole table before it
// redacts any metadata.
func (r *Redactor) Events(t *Events) *Events {
	if r == nil || t == nil {
		return t
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.redactEvents(t)
	return t
}

// Objects redacts t in place and returns it: user ids, and the
// identifiers in the data. It learns the whole table before it redacts
// any data.
func (r *Redactor) Objects(t *Objects) *Objects {
	if r == nil || t == nil {
		return t
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.redactObjects(t)
	return t
}

// maxTexts bounds the memo of redacted free text; past it the memo starts
// over, so hostile data with endless distinct texts costs time, not memory.
const maxTexts = 1 << 16

// text redacts one free text: as JSON when it is JSON, else as one plain
// string. Call with r.mu held.
func (r *Redactor) text(s string) string {
	if s == "" {
		return s
	}
	if r.stale {
		clear(r.texts)
		r.stale = false
	}
	if out, ok := r.texts[s]; ok {
		return out
	}
	var out string
	if json.Valid([]byte(s)) {
		out = walkJSON(s, r.literal, r.number)
	} else {
		out = r.value(s, 0, false)
	}
	if len(r.texts) >= maxTexts {
		clear(r.texts)
	}
	r.texts[s] = out
	return out
}

// literal redacts one JSON string literal (quotes included), the value of
// member (or the member's name, when isKey).
func (r *Redactor) literal(lit, member string, isKey bool) string {
	v := decodeLiteral(lit)
	k, hinted := hintKind(member)
	out := r.value(v, k, hinted && !isKey)
	if out == v {
		return lit
	}
	b, _ := json.Marshal(out) // a string always encodes
	return string(b)
}

// number redacts one JSON number: an integer equal to a learned user id
// becomes the id's numeric pseudonym.
func (r *Redactor) number(num string) string {
	if len(num) < 4 || r.known[num]&(1<<kindUser) == 0 {
		return num
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return num
	}
	return strconv.FormatInt(r.pseudoID(id), 10)
}

// value redacts one string: the whole of it when it is a learned
// identifier or hinted (the value of an identifying member, as kind k),
// else every learned identifier and identifier-shaped word in it.
func (r *Redactor) value(v string, k kind, hinted bool) string {
	if v == "" {
		return v
	}
	if ks, ok := r.known[v]; ok {
		return r.pseudonym(ks.first(), v)
	}
	if hinted {
		return r.pseudonym(k, v)
	}
	var b strings.Builder
	last := 0 // v[:last] is written to b or replaced
	words := wordSpans(v)
	for i := 0; i < len(words); {
		n, start, end, p := r.match(v, words[i:])
		if n == 0 {
			i++
			continue
		}
		b.WriteString(v[last:start])
		b.WriteString(p)
		last = end
		i += n
	}
	if last == 0 {
		return v
	}
	b.WriteString(v[last:])
	return b.String()
}

// maxNgram is the most words a learned identifier is looked for as, inside
// longer text.
const maxNgram = 6

// match looks for an identifier that starts at the first of words: the
// longest run of words that is a learned identifier, else an
// identifier-shaped piece of the first word. It returns how many words it
// covers (0 for none), where the identifier lies in v, and its pseudonym.
func (r *Redactor) match(v string, words [][2]int) (n, start, end int, p string) {
	for n := min(r.maxWords, len(words)); n >= 1; n-- {
		s, e := trimPunct(v, words[0][0], words[n-1][1])
		if ks, ok := r.known[v[s:e]]; ok && longEnough(v[s:e]) {
			return n, s, e, r.pseudonym(ks.first(), v[s:e])
		}
	}
	w := v[words[0][0]:words[0][1]]
	if !strings.ContainsAny(w, "0123456789@-:") && len(w) < 16 {
		return 0, 0, 0, "" // the shapes below all need one of these, or length
	}
	if strings.IndexByte(w, '@') >= 0 {
		if loc := emailPattern.FindStringIndex(w); loc != nil {
			s, e := words[0][0]+loc[0], words[0][0]+loc[1]
			return 1, s, e, r.pseudonym(kindEmail, v[s:e])
		}
	}
	s, e := trimPunct(v, words[0][0], words[0][1])
	t := v[s:e]
	switch {
	case isIP(t):
		return 1, s, e, r.pseudonym(kindIP, t)
	case isKeyLike(t):
		return 1, s, e, r.pseudonym(kindKey, t)
	case isCodeLike(t):
		return 1, s, e, r.pseudonym(kindID, t)
	}
	if strings.Count(w, ".") >= 3 {
		if loc := ipv4Pattern.FindStringIndex(w); loc != nil && isIP(w[loc[0]:loc[1]]) {
			s, e := words[0][0]+loc[0], words[0][0]+loc[1]
			return 1, s, e, r.pseudonym(kindIP, v[s:e])
		}
	}
	return 0, 0, 0, ""
}

// longEnough reports whether a learned identifier is long enough to be
// looked for inside longer text.
func longEnough(s string) bool {
	if strings.Trim(s, "0123456789") == "" {
		return len(s) >= 4
	}
	return utf8.RuneCountInString(s) >= 3
}

// wordSpans returns where the white-space separated words of s lie.
func wordSpans(s string) [][2]int {
	var spans [][2]int
	start := -1
	for i, c := range s {
		if unicode.IsSpace(c) {
			if start >= 0 {
				spans = append(spans, [2]int{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		spans = append(spans, [2]int{start, len(s)})
	}
	return spans
}

// trimPunct narrows s[start:end] by the punctuation that wraps a word in
// prose: quotes, brackets, and a trailing stop or comma.
func trimPunct(s string, start, end int) (int, int) {
	for start < end && strings.IndexByte("\"'([{<", s[start]) >= 0 {
		start++
	}
	for end > start && strings.IndexByte("\"')]}>.,;:!?", s[end-1]) >= 0 {
		end--
	}
	return start, end
}

// Shapes of identifiers in free text.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	ipv4Pattern  = regexp.MustCompile(`(?:\d{1,3}\.){3}\d{1,3}`)
	// keyGroups: two or more groups of four or more letters and digits
	// joined by dashes (Cryptolens keys, serials, UUIDs).
	keyGroups = regexp.MustCompile(`^[A-Za-z0-9]{4,}(?:-[A-Za-z0-9]{4,})+$`)
	// codeChars: a long run of the characters of hex, base32 and base64.
	codeChars = regexp.MustCompile(`^[A-Za-z0-9+/=_-]{16,}$`)
)

// isEmail reports whether s is an e-mail address.
func isEmail(s string) bool {
	loc := emailPattern.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

// isIP reports whether s is an IPv4 or IPv6 address (a zone or brackets
// allowed).
func isIP(s string) bool {
	if len(s) < 3 || strings.IndexByte(s, '.') < 0 && strings.IndexByte(s, ':') < 0 {
		return false
	}
	_, err := netip.ParseAddr(strings.Trim(s, "[]"))
	return err == nil
}

// isKeyLike reports whether s looks like a license key or serial: dashed
// groups that hold a digit or no lower-case letter ("ABCDE-FGHIJ",
// "abcd-1234"), not a hyphenated word ("Check-list") or a date.
func isKeyLike(s string) bool {
	if strings.IndexByte(s, '-') < 0 || !keyGroups.MatchString(s) || strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return false
	}
	return strings.ContainsAny(s, "0123456789") || strings.ToUpper(s) == s
}

// isCodeLike reports whether s looks like a hash or machine code: 16 or
// more characters of hex, base32 or base64 mixing letters and digits.
func isCodeLike(s string) bool {
	return len(s) >= 16 && codeChars.MatchString(s) && strings.ContainsAny(s, "0123456789") &&
		strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// hintKind says whether a JSON member's name marks its value as an
// identifier, and of which kind. Names are compared in lower case with
// anything but letters and digits dropped, so "Machine_Code" is
// "machinecode".
func hintKind(member string) (kind, bool) {
	if member == "" {
		return 0, false
	}
	k, ok := hints[normalName(member)]
	return k, ok
}

func normalName(s string) string {
	return strings.Map(func(c rune) rune {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return unicode.ToLower(c)
		}
		return -1
	}, s)
}

// hints are the member names whose string values are identifiers.
var hints = map[string]kind{
	"key": kindKey, "licensekey": kindKey, "serial": kindKey, "serialkey": kindKey,
	"machinecode": kindMachine, "machine": kindMachine, "mid": kindMachine, "machineid": kindMachine,
	"deviceid": kindMachine, "hwid": kindMachine, "hardwareid": kindMachine,
	"ip": kindIP, "ipaddress": kindIP, "clientip": kindIP, "remoteip": kindIP,
	"email": kindEmail, "mail": kindEmail, "emailaddress": kindEmail,
	"userid": kindUser, "performedbyuserid": kindUser,
	"name": kindName, "friendlyname": kindName, "username": kindName, "user": kindName,
	"customer": kindName, "customername": kindName, "company": kindName, "companyname": kindName,
	"fullname": kindName, "firstname": kindName, "lastname": kindName, "contact": kindName,
	"phone": kindName, "address": kindName, "hostname": kindName, "host": kindName,
	"computername": kindName, "devicename": kindName,
}

// decodeLiteral returns the string a valid JSON string literal holds.
func decodeLiteral(lit string) string {
	body := lit[1 : len(lit)-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	var s string
	if json.Unmarshal([]byte(lit), &s) != nil {
		return body
	}
	return s
}

// walkJSON rewrites the valid JSON text s: str gets each string literal
// (quotes included) with the name of the member it belongs to (for a
// value inside an array, the array's member) and whether it is itself a
// member name; num, if not nil, gets each number. Both return the text to
// put in its place. The rest of s is kept as it is.
func walkJSON(s string, str func(lit, member string, isKey bool) string, num func(string) string) string {
	var b strings.Builder
	last := 0
	members := []string{""} // the current member name per nesting level
	put := func(start, end int, repl string) {
		if repl == s[start:end] {
			return
		}
		b.WriteString(s[last:start])
		b.WriteString(repl)
		last = end
	}
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '"':
			end := literalEnd(s, i)
			isKey := nextNonSpace(s, end) == ':'
			lit := s[i:end]
			if isKey {
				members[len(members)-1] = decodeLiteral(lit)
			}
			put(i, end, str(lit, members[len(members)-1], isKey))
			i = end
		case c == '{':
			members = append(members, "")
			i++
		case c == '[':
			members = append(members, members[len(members)-1])
			i++
		case c == '}' || c == ']':
			members = members[:max(len(members)-1, 1)]
			i++
		case c == '-' || c >= '0' && c <= '9':
			end := i + 1
			for end < len(s) && strings.IndexByte("0123456789.eE+-", s[end]) >= 0 {
				end++
			}
			if num != nil {
				put(i, end, num(s[i:end]))
			}
			i = end
		default:
			i++
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// literalEnd returns the index just past the string literal starting at
// s[i] == '"'.
func literalEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}

// nextNonSpace returns the first byte at or after i that is not JSON
// white space, or 0.
func nextNonSpace(s string, i int) byte {
	for ; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
	}
	return 0
}
