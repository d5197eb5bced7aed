package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/internal/runlock"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestDailyCommand runs the scheduled job (without its report step, which
// the notebook tests cover) as cron would: on the account the environment
// names, then beside a run that holds the lock, then after a run that was
// killed holding it.
func TestDailyCommand(t *testing.T) {
	const token = "daily-token"
	acct := sample.Generate(sample.Options{End: time.Now().UTC().Truncate(24 * time.Hour), WebAPIRows: 5000})
	hs := httptest.NewServer(sample.NewServer(acct, token))
	defer hs.Close()
	dir := t.TempDir()
	t.Setenv(lenslog.EnvToken, token)
	t.Setenv(lenslog.EnvAPIURL, hs.URL+"/api/")
	t.Setenv(lenslog.EnvStore, filepath.Join(dir, "store"))
	rules := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rules, []byte("rules:\n  - name: shared\n    kind: machines-per-key\n    above: 20\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(dir, "daily.lock")
	args := []string{"daily", "-lock", lock, "-rules", rules, "-alerts", filepath.Join(dir, "alerts.json"), "-no-report"}
	run := func(t *testing.T) (int, string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := runMain(context.Background(), args, &stdout, &stderr)
		if strings.Contains(stdout.String()+stderr.String(), token) {
			t.Fatal("the token appears in the output")
		}
		return code, stdout.String(), stderr.String()
	}
	step := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (sync|alert): (ok in \d+ m?s$|1 of 1 rule fired \(see \S+\), in \d+ m?s$)`)

	t.Run("a rule fires", func(t *testing.T) {
		code, stdout, stderr := run(t)
		if code != exitFired {
			t.Fatalf("exit %d, want %d\n%s%s", code, exitFired, stdout, stderr)
		}
		if got := step.FindAllStringSubmatch(stdout, -1); len(got) != 2 || got[0][1] != "sync" || got[1][1] != "alert" {
			t.Errorf("want one line for sync and one for alert, in order:\n%s", stdout)
		}
		if strings.Contains(stdout+stderr, "\r") {
			t.Error("a progress line was drawn without a terminal")
		}
	})
	t.Run("beside a run that holds the lock", func(t *testing.T) {
		other, err := runlock.Acquire(lock, "kernel daily")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Release()
		code, stdout, stderr := run(t)
		if code != exitLocked {
			t.Fatalf("exit %d, want %d\n%s%s", code, exitLocked, stdout, stderr)
		}
		if want := fmt.Sprintf("pid %d (kernel daily)", os.Getpid()); !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not say who holds the lock (%s)", stderr, want)
		}
		if stdout != "" {
			t.Errorf("the second run did something:\n%s", stdout)
		}
	})
	t.Run("after a killed run", func(t *testing.T) {
		// a run killed holding the lock leaves its record; the flock went with it
		if err := os.WriteFile(lock, []byte(`{"pid":4242,"command":"kernel daily","started":"2026-12-05T06:15:00Z"}`+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := run(t)
		if code != exitFired {
			t.Fatalf("exit %d, want %d\n%s%s", code, exitFired, stdout, stderr)
		}
		if !strings.Contains(stdout, "lock: the previous run, pid 4242 (kernel daily), started 2026-12-05 06:15 UTC, ended without releasing") {
			t.Errorf("the run does not say the previous one was killed:\n%s", stdout)
		}
		if data, _ := os.ReadFile(lock); len(data) != 0 {
			t.Errorf("the lock file still holds %q after the run", data)
		}
	})
}
