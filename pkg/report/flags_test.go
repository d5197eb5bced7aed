package report

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/lenslog"
)

// TestRedactKey: -redact or the settings' redaction (LENSLOG_REDACT=1)
// draw a fresh key per run; neither, none.
func TestRedactKey(t *testing.T) {
	tests := []struct {
		name     string
		flag     bool
		settings bool
		want     bool
	}{
		{"neither", false, false, false},
		{"-redact", true, false, true},
		{"LENSLOG_REDACT=1", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Flags{Redact: tt.flag}
			a, err := f.RedactKey(lenslog.Config{Redact: tt.settings})
			b, _ := f.RedactKey(lenslog.Config{Redact: tt.settings})
			if err != nil || (a != "") != tt.want {
				t.Fatalf("key %q, %v; want one: %v", a, err, tt.want)
			}
			if tt.want && (len(a) != 64 || strings.Trim(a, "0123456789abcdef") != "" || a == b) {
				t.Errorf("keys %q and %q: want two different 32-byte hex keys", a, b)
			}
		})
	}
}

func TestFlagsSets(t *testing.T) {
	var f Flags
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.Register(fs, "replay")
	if err := fs.Parse([]string{"-p", "product=1", "-p", "period=2026-10", "-p", "product=2", "-mem", "512MiB"}); err != nil {
		t.Fatal(err)
	}
	sets, err := f.Sets()
	if err != nil || len(sets) != 1 || sets[0].String() != "product=2 period=2026-10" {
		t.Errorf("sets %v, %v", sets, err)
	}
	if r := f.Runner(); r.Memory != 512<<20 {
		t.Errorf("runner memory %d, want 512 MiB", r.Memory)
	}
	f.Replay = "x.ipynb"
	if err := f.Check(nil, "the executed notebook"); err == nil || !strings.Contains(err.Error(), "-replay takes the executed notebook alone") {
		t.Errorf("Check: %v", err)
	}
}
