package cryptolens

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
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

// scrub replaces every spelling of the token in s by "[token redacted]"
// (see Scrub).
func (t Token) scrub(s string) string { return Scrub(s, string(t)) }

// Scrub replaces every spelling of secret in s by "[token redacted]", for
// text a server sent back (a message, a redirect's Location, a header, a
// JSON field name) or anything else that may hold it. It is the one place
// that decides which spellings a secret can take:
//
//   - in any letter case (upper, lower, mixed: a server or proxy may fold
//     it), also after the decodings below;
//   - percent-encoded (hex digits of either case, any bytes encoded or
//     not, '+' for a space), JSON- or Go-escaped (\u0041, \x41, \/),
//     or as HTML character references (&#65; &#x41;), up to maxEncodings
//     layers deep in any mix (%255C is an encoded %5C);
//   - as hex of its bytes, in either case;
//   - base64 (standard or URL alphabet, padded or not), on its own or
//     inside a longer base64 text (at any of the three alignments), as
//     HTTP Basic authentication and log dumps carry it.
//
// A secret shorter than minSecret is scrubbed only as is, since shorter
// spellings would match ordinary text.
func Scrub(s, secret string) string {
	if secret == "" || s == "" {
		return s
	}
	if len(secret) < minSecret {
		return strings.ReplaceAll(s, secret, redacted)
	}
	folded := []string{lowerASCII(secret), hex.EncodeToString([]byte(secret))}
	exact := base64Cores(secret)
	var spans [][2]int
	views := []view{identity(s)}
	for layer := 0; layer <= maxEncodings && len(views) > 0; layer++ {
		var next []view
		for _, v := range views {
			spans = append(spans, v.findFold(folded)...)
			spans = append(spans, v.findBase64(exact, s)...)
			if layer == maxEncodings {
				continue
			}
			for _, plus := range []bool{false, true} {
				if plus && !strings.Contains(secret, " ") {
					continue
				}
				if d, changed := v.decode(plus); changed {
					next = append(next, d)
				}
			}
		}
		views = next
	}
	return replaceSpans(s, spans, redacted)
}

// minSecret is the shortest secret Scrub looks for in every spelling.
const minSecret = 6

// maxEncodings is how many layers of encoding Scrub looks through.
const maxEncodings = 3

// lowerASCII lower-cases the ASCII letters of s, keeping its length, so
// that offsets in it are offsets in s.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// base64Cores returns the runs of base64 text that encode only bytes of
// secret, wherever it starts in the encoded data (three alignments, two
// alphabets): they stand for all but at most two bytes at each end.
func base64Cores(secret string) []string {
	var out []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for shift := range 3 {
			data := append(make([]byte, shift), secret...)
			text := enc.EncodeToString(data)
			first := (shift + 2) / 3          // first group made only of secret's bytes
			last := (shift + len(secret)) / 3 // groups made only of them end before this one
			if last-first < 2 {
				continue // too little to tell from other text
			}
			out = append(out, text[4*first:4*last])
			if rest := (shift + len(secret)) % 3; shift == 0 && rest != 0 {
				// On its own, the secret's encoding ends with a partial group.
				out = append(out, strings.TrimRight(text, "="))
			}
		}
	}
	return out
}

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

// decode undoes one layer of escapes: percent-encoding (either case of
// hex digit; '+' as a space if plus), JSON and Go backslash escapes and
// HTML character references, reporting whether anything changed.
func (v view) decode(plus bool) (view, bool) {
	var b []byte
	var at []int
	changed := false
	for i := 0; i < len(v.text); {
		r, n := unescapeAt(v.text, i)
		if n > 0 {
			b = utf8.AppendRune(b, r)
			for len(at) < len(b) {
				at = append(at, v.at[i])
			}
			i += n
			changed = true
			continue
		}
		c := v.text[i]
		if c == '+' && plus {
			c, changed = ' ', true
		}
		b = append(b, c)
		at = append(at, v.at[i])
		i++
	}
	at = append(at, v.at[len(v.text)])
	return view{string(b), at}, changed
}

// unescapeAt decodes the escape starting at s[i], returning the character
// and the escape's length, or n == 0 if none starts there.
func unescapeAt(s string, i int) (r rune, n int) {
	hexAt := func(from, digits int) (rune, bool) {
		if from+digits > len(s) {
			return 0, false
		}
		v, err := strconv.ParseUint(s[from:from+digits], 16, 32)
		return rune(v), err == nil && !strings.ContainsAny(s[from:from+digits], "+-")
	}
	switch s[i] {
	case '%':
		if r, ok := hexAt(i+1, 2); ok {
			return r, 3
		}
	case '\\':
		if i+1 >= len(s) {
			return 0, 0
		}
		switch s[i+1] {
		case 'u':
			if r, ok := hexAt(i+2, 4); ok {
				return r, 6
			}
		case 'x':
			if r, ok := hexAt(i+2, 2); ok {
				return r, 4
			}
		case '\\', '/', '"', '\'':
			return rune(s[i+1]), 2
		}
	case '&':
		if end := strings.IndexByte(s[i:min(len(s), i+10)], ';'); end > 2 && s[i+1] == '#' {
			ref := s[i+2 : i+end]
			base := 10
			if ref[0] == 'x' || ref[0] == 'X' {
				ref, base = ref[1:], 16
			}
			if v, err := strconv.ParseUint(ref, base, 21); err == nil && ref != "" && !strings.ContainsAny(ref, "+-") {
				return rune(v), end + 1
			}
		}
	}
	return 0, 0
}

// findFold returns where in the original text each occurrence of the
// needles (lower-case) lies, ignoring the case of ASCII letters.
func (v view) findFold(needles []string) [][2]int {
	return v.find(lowerASCII(v.text), needles)
}

// findBase64 returns where in the original text each occurrence of the
// needles lies, widened over the base64 characters next to them (which
// encode a byte or two of the secret with their neighbours).
func (v view) findBase64(needles []string, orig string) [][2]int {
	spans := v.find(v.text, needles)
	for i, sp := range spans {
		spans[i] = widen(orig, sp)
	}
	return spans
}

// widen extends a span of orig over up to 3 base64 characters on either
// side (and the padding after).
func widen(orig string, sp [2]int) [2]int {
	for n := 0; n < 3 && sp[0] > 0 && isBase64(orig[sp[0]-1]); n++ {
		sp[0]--
	}
	for n := 0; n < 3 && sp[1] < len(orig) && isBase64(orig[sp[1]]); n++ {
		sp[1]++
	}
	for sp[1] < len(orig) && orig[sp[1]] == '=' {
		sp[1]++
	}
	return sp
}

func isBase64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_'
}

// find returns where in the original text each occurrence of the needles
// in text (v's text, or a same-length spelling of it) lies.
func (v view) find(text string, needles []string) [][2]int {
	var spans [][2]int
	for _, tok := range needles {
		for from := 0; ; {
			i := strings.Index(text[from:], tok)
			if i < 0 {
				break
			}
			start := from + i
			spans = append(spans, [2]int{v.at[start], v.at[start+len(tok)]})
			from = start + 1
		}
	}
	return spans
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
