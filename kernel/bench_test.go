package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestBenchFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"too few rows", []string{"-rows", "10"}, "-rows 10: want at least 1000"},
		{"bad second size", []string{"-rows2", "5"}, "-rows2 5: want 0 (none) or at least 1000"},
		{"no repetitions", []string{"-reps", "0"}, "-reps 0: want at least 1"},
		{"stray argument", []string{"now"}, "unexpected arguments"},
		{"unknown flag", []string{"-fast"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runMain(context.Background(), append([]string{"bench"}, tt.args...), &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not say %q", &stderr, tt.want)
			}
		})
	}
}

// TestHelpListsUserCommands checks that the help lists what a user runs
// and not bench's child side, which is still there for bench to start.
func TestHelpListsUserCommands(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, name := range []string{"bench", "install", "report", "run", "serve", "sync"} {
		if !strings.Contains(stderr.String(), "\n  "+name+" ") {
			t.Errorf("help does not list %s:\n%s", name, &stderr)
		}
	}
	if strings.Contains(stderr.String(), benchStepCommand) {
		t.Errorf("help lists the hidden %s:\n%s", benchStepCommand, &stderr)
	}
	stderr.Reset()
	code := runMain(context.Background(), []string{benchStepCommand, "warp"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), `unknown step "warp"`) {
		t.Errorf("%s warp: exit %d, stderr %q; want 1 and the step's error", benchStepCommand, code, &stderr)
	}
}
