package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestPreflight runs doctor, run and report against a served account with
// each kind of token: a wrong token stops run and report within seconds,
// in one sentence, before any tool is built or kernel started; a token
// without Usage Analytics is a warning.
func TestPreflight(t *testing.T) {
	srv := sample.NewServer(sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 500}), "full")
	srv.AddLogOnlyToken("logs-only")
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv(lenslog.EnvAPIURL, hs.URL+"/api/")
	t.Setenv(lenslog.EnvStore, t.TempDir())
	tests := []struct {
		name   string
		token  string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"doctor, every permission", "full", []string{"doctor"}, 0,
			[]string{"account: " + hs.URL + "/api/, account fingerprint", "ok   GetObjectLog", "none yet", "ready: go run ./kernel report"}, nil},
		{"doctor, wrong token", "wrong-secret", []string{"doctor"}, 1,
			[]string{"FAIL GetWebAPILog"}, []string{"kernel doctor: a run would stop: the access token from $CRYPTOLENS_TOKEN is not accepted"}},
		{"report, wrong token", "wrong-secret", []string{"report", "-out", t.TempDir()}, 1,
			nil, []string{"kernel report: the access token from $CRYPTOLENS_TOKEN is not accepted by " + hs.URL + "/api/", "no notebook was run"}},
		{"run, wrong token", "wrong-secret", []string{"run", "x.ipynb"}, 1,
			nil, []string{"kernel run: the access token from $CRYPTOLENS_TOKEN is not accepted"}},
		{"doctor, no Usage Analytics", "logs-only", []string{"doctor"}, 0,
			[]string{`warn GetDailyAggregates   the access token may not call GetDailyAggregates`, `"Usage Analytics" permission`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(lenslog.EnvToken, tt.token)
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := runMain(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, &stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, &stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, &stderr)
				}
			}
			all := stdout.String() + stderr.String()
			for _, bad := range []string{"wrong-secret", "logs-only\n", "goroutine ", "starting kernel", "building gonb"} {
				if strings.Contains(all, bad) {
					t.Errorf("the output shows %q:\n%s", bad, all)
				}
			}
			if took := time.Since(start); took > 15*time.Second {
				t.Errorf("took %v, want seconds", took)
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0 {
				t.Errorf("want one sentence on stderr, got:\n%s", &stderr)
			}
		})
	}
}
