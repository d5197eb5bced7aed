package cryptolens

import (
	"errors"
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
