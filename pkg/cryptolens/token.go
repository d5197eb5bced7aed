package cryptolens

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Token is a Cryptolens access token. It is a secret: every way fmt can
// print it (%v, %+v, %#v, %s, %q, %x, ...) and its String and GoString
// methods show "[token redacted]". Only string(tok) reveals it.
type Token string

const redacted = "[token redacted]"

// String returns "[token redacted]".
func (Token) String() string { return redacted }

// GoString returns "[token redacted]".
func (Token) GoString() string { return redacted }

// Format prints "[token redacted]" for every verb.
func (Token) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalText returns "[token redacted]", so encoders do not leak it either.
func (Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// scrub replaces every form of the token in s by "[token redacted]": as
// is, Go- or JSON-quoted, and percent-encoded as a server or net/http may
// echo it (hex digits of either case, any bytes encoded or not, '+' for a
// space, up to maxEncodings times over: %2541 is an encoded %41).
func (t Token) scrub(s string) string {
	if t == "" {
		return s
	}
	raw := string(t)
	quoted := strconv.Quote(raw)
	jsonQuoted, _ := json.Marshal(raw)
	for _, form := range []string{raw, quoted[1 : len(quoted)-1], string(jsonQuoted[1 : len(jsonQuoted)-1])} {
		s = strings.ReplaceAll(s, form, redacted)
	}
	if !strings.Contains(s, "%") && !strings.Contains(raw, " ") {
		return s // nothing percent-encoded, and no space to be a '+'
	}
	var spans [][2]int
	for _, plus := range []bool{false, true} {
		if plus && !strings.Contains(raw, " ") {
			continue
		}
		v := identity(s)
		for range maxEncodings {
			var decoded bool
			if v, decoded = v.decode(plus); !decoded {
				break
			}
			spans = append(spans, v.find(raw)...)
		}
	}
	return replaceSpans(s, spans, redacted)
}

// maxEncodings is how many layers of percent-encoding scrub looks through.
const maxEncodings = 3

// view is a decoding of a text, with where each of its bytes came from.
type view struct {
	text string
	at   []int // at[i] is the offset in the original of text[i]; at[len(text)] its length
}

// identity is the view of s as it is.
func identity(s string) view {
	at := make([]int, len(s)+1)
	for i := range at {
		at[i] = i
	}
	return view{s, at}
}

// decode percent-decodes v (either case of hex digit; '+' as a space if
// plus), reporting whether anything changed.
func (v view) decode(plus bool) (view, bool) {
	var b []byte
	var at []int
	changed := false
	for i := 0; i < len(v.text); {
		c := v.text[i]
		switch {
		case c == '%' && i+2 < len(v.text) && isHex(v.text[i+1]) && isHex(v.text[i+2]):
			b = append(b, unhex(v.text[i+1])<<4|unhex(v.text[i+2]))
			at = append(at, v.at[i])
			i += 3
			changed = true
			continue
		case c == '+' && plus:
			c, changed = ' ', true
		}
		b = append(b, c)
		at = append(at, v.at[i])
		i++
	}
	at = append(at, v.at[len(v.text)])
	return view{string(b), at}, changed
}

// find returns where in the original text each occurrence of tok in v lies.
func (v view) find(tok string) [][2]int {
	var spans [][2]int
	for from := 0; ; {
		i := strings.Index(v.text[from:], tok)
		if i < 0 {
			return spans
		}
		start := from + i
		spans = append(spans, [2]int{v.at[start], v.at[start+len(tok)]})
		from = start + 1
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// replaceSpans replaces the union of the spans of s by repl.
func replaceSpans(s string, spans [][2]int, repl string) string {
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(s[last:start])
		b.WriteString(repl)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// TokenFile is the Cryptolens SDKs' file for access tokens, e.g.
// {"GetWebAPILogToken": "..."}. Keep it out of version control. Which
// folder's TokenFile is read is decided at the edge (see the lenslog
// package's Config): this package never looks for one by itself.
const TokenFile = "apitokens.json"

// tokenKeys is the order in which the keys of a token file are tried: a
// general token first, then the Web API Log's, Events', and Object Log's.
var tokenKeys = []string{"token", "AccessToken", "GetWebAPILogToken", "GetEventsToken", "GetObjectLogToken"}

// TokenFromDir returns the token kept in TokenFile in dir, and a
// description of where it came from (never the token). It tries the keys
// "token", "AccessToken", "GetWebAPILogToken", "GetEventsToken",
// "GetObjectLogToken" in that order (matching ignoring case) and trims
// surrounding white space. With no file, or no usable key, it returns an
// error wrapping ErrNoToken that says where it looked.
func TokenFromDir(dir string) (tok Token, source string, err error) {
	path := filepath.Join(dir, TokenFile)
	tok, source, err = tokenFromFile(path, tokenKeys)
	if err != nil || tok != "" {
		return tok, source, err
	}
	where, _ := filepath.Abs(path)
	return "", "", fmt.Errorf("%w: no file %s with one of the keys %q", ErrNoToken, where, tokenKeys)
}

// ReadTokenFile returns the token kept in the file at path, and a
// description of where it came from (never the token): either the token
// alone (surrounding white space trimmed), or a JSON object read as
// a TokenFile is (see TokenFromDir). It is for commands that must not take
// the token as an argument, where every user of the machine could read it.
// Errors never quote the file's content.
func ReadTokenFile(path string) (Token, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("cryptolens: read token file: %w", err)
	}
	text := strings.TrimSpace(string(data))
	if strings.HasPrefix(text, "{") {
		tok, source, err := tokenFromFile(path, tokenKeys)
		if err == nil && tok == "" {
			err = fmt.Errorf("%w: token file %s has none of the keys %q", ErrNoToken, path, tokenKeys)
		}
		return tok, source, err
	}
	switch {
	case text == "":
		return "", "", fmt.Errorf("%w: token file %s is empty", ErrNoToken, path)
	case strings.ContainsAny(text, " \t\r\n"):
		return "", "", fmt.Errorf("cryptolens: token file %s holds more than one word: want the token alone, or JSON such as {\"token\": \"...\"}", path)
	}
	return Token(text), "file " + path, nil
}

// tokenFromFile reads the first non-empty key of keys from the JSON object
// in path. A missing file is no error: it returns an empty token.
func tokenFromFile(path string, keys []string) (Token, string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("cryptolens: read token file: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		// The JSON error could quote part of a token: say only where.
		return "", "", fmt.Errorf("cryptolens: token file %s is not a JSON object of strings", path)
	}
	for _, want := range keys {
		k, ok := lookupFold(m, want)
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(m[k], &s) != nil {
			return "", "", fmt.Errorf("cryptolens: token file %s: key %q is not a string", path, k)
		}
		if s = strings.TrimSpace(s); s != "" {
			return Token(s), fmt.Sprintf("%s key %q", path, k), nil
		}
	}
	return "", "", nil
}

// lookupFold finds the key of m equal to want, else the first (in sorted
// order) equal to it ignoring case.
func lookupFold(m map[string]json.RawMessage, want string) (string, bool) {
	if _, ok := m[want]; ok {
		return want, true
	}
	var found []string
	for k := range m {
		if strings.EqualFold(k, want) {
			found = append(found, k)
		}
	}
	if len(found) == 0 {
		return "", false
	}
	slices.Sort(found)
	return found[0], true
}
