package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

func TestSyncCommand(t *testing.T) {
	const token = "secret-token-123"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 3000})
	hs := httptest.NewServer(sample.NewServer(acct, token))
	defer hs.Close()
	store := filepath.Join(t.TempDir(), "store")
	t.Setenv(cryptolens.EnvToken, token)
	line := regexp.MustCompile(`^(webapi|events|objects): \+(\d+) rows, (\d+) requests, (\d+) total$`)

	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantLogs []string
		wantReqs string // requests per log, "" to skip
		wantErr  string
	}{
		{"first sync", []string{"-log", "all", "-since", "0"}, 0, []string{"webapi", "events", "objects"}, "", ""},
		{"nothing new", []string{"-since", "0"}, 0, []string{"webapi", "events", "objects"}, "1", ""},
		{"one log", []string{"-log", "events"}, 0, []string{"events"}, "1", ""},
		{"bad log", []string{"-log", "everything"}, 2, nil, "", "unknown log"},
		{"bad since", []string{"-since", "soon"}, 2, nil, "", "invalid value"},
		{"stray argument", []string{"extra"}, 2, nil, "", "unexpected arguments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"sync", "-url", hs.URL + "/api/", "-store", store}, c.args...)
			code := runMain(context.Background(), args, &stdout, &stderr)
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.wantCode, &stderr)
			}
			if strings.Contains(stdout.String()+stderr.String(), token) {
				t.Fatal("the token appears in the output")
			}
			if c.wantErr != "" && !strings.Contains(stderr.String(), c.wantErr) {
				t.Errorf("stderr %q does not say %q", &stderr, c.wantErr)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
				if l == "" {
					continue
				}
				m := line.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("line %q is not a summary line", l)
				}
				if c.wantReqs != "" && m[3] != c.wantReqs {
					t.Errorf("%q: want %s requests", l, c.wantReqs)
				}
				got = append(got, m[1])
			}
			if strings.Join(got, ",") != strings.Join(c.wantLogs, ",") {
				t.Errorf("summaries for %v, want %v", got, c.wantLogs)
			}
		})
	}
}

func TestSyncCommandWrongToken(t *testing.T) {
	acct := sample.Generate(sample.Options{WebAPIRows: 1000})
	hs := httptest.NewServer(sample.NewServer(acct, "right"))
	defer hs.Close()
	t.Setenv(cryptolens.EnvToken, "wrong-secret")
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), []string{"sync", "-url", hs.URL + "/api/",
		"-store", t.TempDir(), "-log", "webapi"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "authenticate") {
		t.Errorf("exit %d, stderr %q; want 1 and an authentication error", code, &stderr)
	}
	if strings.Contains(stdout.String()+stderr.String(), "wrong-secret") {
		t.Error("the token appears in the output")
	}
}

// TestSyncTokenNotInArguments: the token comes from the environment or a
// file; -token, which would show it in ps, is refused without echoing it.
func TestSyncTokenNotInArguments(t *testing.T) {
	const token = "file-secret-456"
	acct := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 1000})
	hs := httptest.NewServer(sample.NewServer(acct, token))
	defer hs.Close()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	plain, asJSON := write("token", token+"\n"), write("tokens.json", `{"GetWebAPILogToken":"`+token+`"}`)
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"token file", []string{"-token-file", plain}, 0, "token from file " + plain},
		{"JSON token file", []string{"-token-file", asJSON}, 0, "GetWebAPILogToken"},
		{"token in the arguments", []string{"-token", token}, 2, "-token is refused"},
		{"empty token in the arguments", []string{"-token="}, 2, "set $CRYPTOLENS_TOKEN or pass -token-file"},
		{"missing token file", []string{"-token-file", filepath.Join(dir, "none")}, 1, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(cryptolens.EnvToken, "")
			t.Chdir(t.TempDir()) // no apitokens.json
			var stdout, stderr bytes.Buffer
			args := append([]string{"sync", "-url", hs.URL + "/api/", "-store", filepath.Join(dir, "store"), "-log", "objects"}, c.args...)
			code := runMain(context.Background(), args, &stdout, &stderr)
			if code != c.wantCode || !strings.Contains(stderr.String(), c.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, &stderr, c.wantCode, c.wantErr)
			}
			if strings.Contains(stdout.String()+stderr.String(), token) {
				t.Error("the token appears in the output")
			}
		})
	}
}
