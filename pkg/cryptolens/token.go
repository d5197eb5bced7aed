package cryptolens

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
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

// scrub replaces every form of the token in s (as is, query-escaped,
// path-escaped, as a URL path prints it, and quoted) by "[token redacted]".
func (t Token) scrub(s string) string {
	if t == "" {
		return s
	}
	raw := string(t)
	quoted := strconv.Quote(raw)
	forms := []string{raw, url.QueryEscape(raw), url.PathEscape(raw),
		(&url.URL{Path: raw}).EscapedPath(), quoted[1 : len(quoted)-1]}
	for _, form := range forms {
		if form != "" {
			s = strings.ReplaceAll(s, form, redacted)
		}
	}
	return s
}

// EnvToken is the environment variable FindToken reads.
const EnvToken = "CRYPTOLENS_TOKEN"

// TokenFile is the file FindToken reads in the working directory, the
// Cryptolens SDKs' convention, e.g. {"GetWebAPILogToken": "..."}. Keep it
// out of version control.
const TokenFile = "apitokens.json"

// tokenKeys is the order in which FindToken tries the keys of TokenFile: a
// general token first, then the Web API Log's, Events', and Object Log's.
var tokenKeys = []string{"token", "AccessToken", "GetWebAPILogToken", "GetEventsToken", "GetObjectLogToken"}

// FindToken returns the access token to use and a description of where it
// came from (never the token itself). It tries, in order: explicit, if not
// empty; the environment variable CRYPTOLENS_TOKEN; then the file
// apitokens.json in the working directory, whose keys it tries in the
// order "token", "AccessToken", "GetWebAPILogToken", "GetEventsToken",
// "GetObjectLogToken" (keys match ignoring case). Surrounding white space
// is trimmed. With no token anywhere it returns an error wrapping
// ErrNoToken that says where it looked. Use FindTokenFor to prefer the
// token of one method.
func FindToken(explicit string) (tok Token, source string, err error) {
	return FindTokenFor("", explicit)
}

// FindTokenFor is FindToken preferring, in apitokens.json, the key of one
// method: for "GetEvents" it tries "GetEventsToken" before the others.
func FindTokenFor(method, explicit string) (tok Token, source string, err error) {
	if t := strings.TrimSpace(explicit); t != "" {
		return Token(t), "the token passed in", nil
	}
	if t := strings.TrimSpace(os.Getenv(EnvToken)); t != "" {
		return Token(t), "$" + EnvToken, nil
	}
	keys := tokenKeys
	if method != "" {
		keys = append([]string{method + "Token"}, tokenKeys...)
	}
	tok, source, err = tokenFromFile(TokenFile, keys)
	if err != nil || tok != "" {
		return tok, source, err
	}
	where, _ := filepath.Abs(TokenFile)
	return "", "", fmt.Errorf("%w: pass one, set $%s, or write {\"GetWebAPILogToken\": \"...\"} to %s",
		ErrNoToken, EnvToken, where)
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
