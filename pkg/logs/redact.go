package logs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
)

// Redactor replaces identifiers (license keys, machine codes, friendly
// names, IPs, user ids) with stable pseudonyms, so that a report can be
// shared outside the company and still read: the same input always maps to
// the same pseudonym under the same secret, and different inputs (almost
// surely) to different ones. Redaction happens where data is loaded, so
// every table, chart and frame made from the data is redacted too.
//
// A nil *Redactor leaves everything as it is.
type Redactor struct {
	secret []byte
	memo   map[string]string // kind+value -> pseudonym; strings repeat a lot
}

// NewRedactor returns a Redactor keyed by secret. Reports use one secret per
// run, so pseudonyms cannot be matched across reports.
func NewRedactor(secret []byte) *Redactor {
	return &Redactor{secret: append([]byte(nil), secret...), memo: map[string]string{}}
}

// The kinds of identifier, used as pseudonym prefixes.
const (
	kindKey     = "key"
	kindMachine = "machine"
	kindName    = "name"
	kindIP      = "ip"
	kindUser    = "user"
)

// Pseudonym returns the stable pseudonym of value as an identifier of the
// given kind ("key", "machine", "name", "ip" or "user"), e.g. "key-3f9a2c1b".
// Empty values stay empty.
func (r *Redactor) Pseudonym(kind, value string) string {
	if r == nil || value == "" {
		return value
	}
	memoKey := kind + "\x00" + value
	if p, ok := r.memo[memoKey]; ok {
		return p
	}
	m := hmac.New(sha256.New, r.secret)
	m.Write([]byte(memoKey))
	p := kind + "-" + hex.EncodeToString(m.Sum(nil)[:4])
	if kind == kindName && emailPattern.MatchString(value) {
		p += "@example.invalid"
	}
	r.memo[memoKey] = p
	return p
}

// pseudoID maps a numeric user id to a stable number in [1e8, 2e8).
func (r *Redactor) pseudoID(id int64) int64 {
	if r == nil || id == 0 {
		return id
	}
	m := hmac.New(sha256.New, r.secret)
	m.Write([]byte("uid\x00" + strconv.FormatInt(id, 10)))
	s := m.Sum(nil)
	v := int64(s[0])<<24 | int64(s[1])<<16 | int64(s[2])<<8 | int64(s[3])
	return 100_000_000 + v%100_000_000
}

// Patterns for identifiers inside free text (Object Log data, event
// metadata): license keys, e-mail addresses and IPv4 addresses.
var (
	keyPattern   = regexp.MustCompile(`\b[A-Z]{5}(?:-[A-Z]{5}){3}\b`)
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	ipPattern    = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
)

// personalField matches a JSON member whose value names a person, a
// company or a device ("Name": "Ann", "Customer": ["Old AB", "New AB"]),
// as the Object Log's data copies them; stringLiteral matches each JSON
// string inside that value.
var (
	personalField = regexp.MustCompile(`"(?i:name|companyname|customer|friendlyname|machinecode|username)"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])`)
	stringLiteral = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

// Text replaces the identifiers that can be recognised in free text:
// license keys, e-mail addresses, IPv4 addresses, and the values of JSON
// members that name a person, company or device.
func (r *Redactor) Text(s string) string {
	if r == nil || s == "" {
		return s
	}
	s = personalField.ReplaceAllStringFunc(s, func(m string) string {
		colon := strings.IndexByte(m, ':')
		return m[:colon+1] + stringLiteral.ReplaceAllStringFunc(m[colon+1:], func(lit string) string {
			if lit == `""` {
				return lit
			}
			return `"` + r.Pseudonym(kindName, lit[1:len(lit)-1]) + `"`
		})
	})
	s = keyPattern.ReplaceAllStringFunc(s, func(k string) string { return r.Pseudonym(kindKey, k) })
	s = emailPattern.ReplaceAllStringFunc(s, func(e string) string { return r.Pseudonym(kindName, e) })
	return ipPattern.ReplaceAllStringFunc(s, func(ip string) string { return r.Pseudonym(kindIP, ip) })
}

// mapColumn rewrites a string column in place through f.
func mapColumn(col []string, f func(string) string) {
	for i, v := range col {
		col[i] = f(v)
	}
}

// WebAPI redacts t in place and returns it: keys, IPs, machine codes and
// friendly names.
func (r *Redactor) WebAPI(t *WebAPI) *WebAPI {
	if r == nil || t == nil {
		return t
	}
	mapColumn(t.Key, func(v string) string { return r.Pseudonym(kindKey, v) })
	mapColumn(t.IP, func(v string) string { return r.Pseudonym(kindIP, v) })
	mapColumn(t.MachineCode, func(v string) string { return r.Pseudonym(kindMachine, v) })
	mapColumn(t.FriendlyName, func(v string) string { return r.Pseudonym(kindName, v) })
	return t
}

// Events redacts t in place and returns it: keys, machine codes, and
// identifiers found in the metadata text.
func (r *Redactor) Events(t *Events) *Events {
	if r == nil || t == nil {
		return t
	}
	mapColumn(t.Key, func(v string) string { return r.Pseudonym(kindKey, v) })
	mapColumn(t.MachineCode, func(v string) string { return r.Pseudonym(kindMachine, v) })
	mapColumn(t.Metadata, r.Text)
	return t
}

// Objects redacts t in place and returns it: user ids, and identifiers
// found in the data text.
func (r *Redactor) Objects(t *Objects) *Objects {
	if r == nil || t == nil {
		return t
	}
	mapColumn(t.PerformedByUserID, func(v string) string { return r.Pseudonym(kindUser, v) })
	for i, id := range t.ObjectOwnerUserID {
		t.ObjectOwnerUserID[i] = r.pseudoID(id)
	}
	mapColumn(t.Data, r.Text)
	return t
}

// Key returns the pseudonym of a license key, so that a key chosen before
// redaction (a notebook parameter) finds its rows after it.
func (r *Redactor) Key(key string) string { return r.Pseudonym(kindKey, key) }
