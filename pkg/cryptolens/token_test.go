package cryptolens

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenFromDir(t *testing.T) {
	tests := []struct {
		name       string
		file       string // apitokens.json content
		want       Token
		wantSource string
	}{
		{"general token", `{"GetWebAPILogToken":"tokW","token":"tokC"}`, "tokC", `key "token"`},
		{"access token", `{"AccessToken":"tokA","GetEventsToken":"tokE"}`, "tokA", `key "AccessToken"`},
		{"web api log token", `{"GetWebAPILogToken":"tokW","GetEventsToken":"tokE"}`, "tokW", `key "GetWebAPILogToken"`},
		{"keys ignore case", `{"getwebapilogtoken":"tokW"}`, "tokW", `key "getwebapilogtoken"`},
		{"empty values skipped", `{"token":"  ","GetObjectLogToken":"tokO","other":5}`, "tokO", `key "GetObjectLogToken"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := inTokenDir(t, tt.file)
			tok, source, err := TokenFromDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if tok != tt.want || !strings.Contains(source, tt.wantSource) {
				t.Errorf("got %q from %q, want %q from %q", string(tok), source, string(tt.want), tt.wantSource)
			}
			if strings.Contains(source, string(tok)) {
				t.Errorf("source %q shows the token", source)
			}
		})
	}
}

func TestTokenFromDirErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
		is               error
	}{
		{"no file", "", "no access token: no file", ErrNoToken},
		{"file without a usable key", `{"unrelated":"x"}`, "apitokens.json", ErrNoToken},
		{"file not JSON", `token=abc`, "is not a JSON object of strings", nil},
		{"key not a string", `{"token":42}`, `key "token" is not a string`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := TokenFromDir(inTokenDir(t, tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%v is not %v", err, tt.is)
			}
		})
	}
}

// inTokenDir returns a fresh directory holding apitokens.json with content
// (none if empty).
func inTokenDir(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if content != "" {
		if err := os.WriteFile(filepath.Join(dir, TokenFile), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadTokenFile(t *testing.T) {
	tests := []struct {
		name, content string
		want          Token
		wantErr       string
	}{
		{"token alone", "  tok-123\n", "tok-123", ""},
		{"JSON as apitokens.json", `{"GetEventsToken":"tokE"}`, "tokE", ""},
		{"JSON without a token", `{"other":"` + canary + `"}`, "", "has none of the keys"},
		{"empty", "\n", "", "is empty"},
		{"two words", "tok " + canary, "", "more than one word"},
		{"broken JSON", `{"token":"` + canary, "", "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "token")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			tok, source, err := ReadTokenFile(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				assertNoCanary(t, "ReadTokenFile error", err)
				return
			}
			if err != nil || tok != tt.want || !strings.Contains(source, path) {
				t.Fatalf("got %q from %q, %v; want %q", string(tok), source, err, string(tt.want))
			}
		})
	}
	if _, _, err := ReadTokenFile(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want an error wrapping os.ErrNotExist", err)
	}
}

func TestScrubSpellings(t *testing.T) {
	const sec = "Tk9-Secret_Value.42+xY/z"
	b64 := func(prefix string) string { return base64.StdEncoding.EncodeToString([]byte(prefix + sec + "!tail")) }
	for _, c := range []struct{ name, in string }{
		{"as is", "token " + sec + " refused"},
		{"lower case", "token " + strings.ToLower(sec)},
		{"upper case", "token=" + strings.ToUpper(sec) + "&x=1"},
		{"percent, lower hex of lower case", "t=%74%6b%39%2d%73%65%63%72%65%74%5f%76%61%6c%75%65%2e%34%32%2b%78%79%2f%7a"},
		{"percent twice", "t=" + strings.ReplaceAll(url.QueryEscape(url.QueryEscape(sec)), "%", "%25")},
		{"JSON escapes", `"` + strings.Join(strings.Split(sec, ""), "") + `"`},
		{"JSON unicode escapes", `\u0054\u006B\u0039-Secret_Value.42\u002bxY\/z`},
		{"Go hex escapes", `\x54\x6b9-SECRET_value.42+xy/z`},
		{"HTML references", "&#84;&#x6b;9-Secret_Value.42&#43;xY/z"},
		{"hex", "dump " + strings.ToUpper(hex.EncodeToString([]byte(sec)))},
		{"base64 alone", "Basic " + base64.StdEncoding.EncodeToString([]byte(sec))},
		{"base64 url", base64.RawURLEncoding.EncodeToString([]byte(sec))},
		{"base64 inside, aligned", b64("")},
		{"base64 inside, one off", b64("u")},
		{"base64 inside, two off", b64("us")},
		{"basic auth", base64.StdEncoding.EncodeToString([]byte("user:" + sec))},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Scrub(c.in, sec)
			if !strings.Contains(got, redacted) {
				t.Errorf("Scrub(%q) = %q: nothing redacted", c.in, got)
			}
			if how := leakedSpelling(got, sec); how != "" {
				t.Errorf("Scrub(%q) = %q still holds the secret (%s)", c.in, got, how)
			}
		})
	}
	for _, keep := range []string{"Access denied", "HTTP 302 Found to https://example.com/?a=%41", "ok"} {
		if got := Scrub(keep, sec); got != keep {
			t.Errorf("Scrub(%q) = %q, want it unchanged", keep, got)
		}
	}
}

// leakedSpelling decodes what Scrub decodes, crudely, and says which
// spelling of sec is left in s.
func leakedSpelling(s, sec string) string {
	plain := strings.ToLower(s)
	if u, err := url.QueryUnescape(plain); err == nil {
		plain = u
	}
	switch {
	case strings.Contains(plain, strings.ToLower(sec)):
		return "some case"
	case strings.Contains(plain, hex.EncodeToString([]byte(sec))):
		return "hex"
	case strings.Contains(s, base64.RawStdEncoding.EncodeToString([]byte(sec))[:8]):
		return "base64"
	}
	return ""
}
