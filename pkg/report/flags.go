package report

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/jupyter"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/params"
)

// Flags are the flags `kernel run` and `kernel report` share.
type Flags struct {
	Timeout   time.Duration
	KeepGoing bool
	Redact    bool
	Replay    string // the recorded run to replay; "" for a fresh run
	Limits    jupyter.OutputLimits
	Memory    jupyter.MemoryLimit
	Given     params.Set // -p values, in order
	File      string     // -f
}

// Register adds the flags to fs; replayUsage documents -replay.
func (f *Flags) Register(fs *flag.FlagSet, replayUsage string) {
	fs.DurationVar(&f.Timeout, "timeout", 10*time.Minute, "time limit for each cell")
	fs.BoolVar(&f.KeepGoing, "keep-going", false, "run the remaining cells of a notebook after a cell fails")
	fs.BoolVar(&f.Redact, "redact", false, "have the data loaders redact personal data (also when $LENSLOG_REDACT=1); one pseudonym key per run")
	fs.Func("p", "set parameter `name=value` in each notebook that declares it (repeatable), e.g. -p product=3941 -p period=2026-10",
		func(s string) error {
			a, err := params.ParseAssignment(s)
			if err != nil {
				return err
			}
			f.Given = f.Given.With(a.Name, a.Value)
			return nil
		})
	fs.StringVar(&f.File, "f", "", "read parameters from `FILE`, JSON or YAML: a mapping, or a list of mappings to run once per set (-p values apply on top)")
	fs.StringVar(&f.Replay, "replay", "", replayUsage)
	fs.Var(&f.Limits, "max-output", "bound each cell's output: `LIMITS` is a SIZE of text, or text=SIZE,data=SIZE,outputs=N with SIZE like 4MiB or none "+
		"(default "+jupyter.OutputLimits{}.String()+"); past a limit the rest is dropped with a note")
	fs.Var(&f.Memory, "mem", "bound the memory of each process a cell runs (the kernel, the build, the cell's program) to `SIZE`, e.g. 8GiB, or none (default "+f.Memory.String()+"; Linux)")
}

// Check rejects flag combinations that make no sense, as a ParamError;
// what names the recorded thing -replay takes, args are the arguments
// left after the flags.
func (f *Flags) Check(args []string, what string) error {
	if f.Replay != "" && (len(args) > 0 || len(f.Given) > 0 || f.File != "") {
		return ParamError("-replay takes " + what + " alone: its parameters are recorded in it")
	}
	if f.Timeout <= 0 {
		return ParamError("-timeout must be positive")
	}
	return nil
}

// Sets returns the parameter sets to run: each set of the -f file with
// the -p values on top, else one set of the -p values (possibly empty).
func (f *Flags) Sets() ([]params.Set, error) {
	if f.File == "" {
		return []params.Set{f.Given}, nil
	}
	sets, err := params.ReadFile(f.File)
	if err != nil {
		return nil, ParamError(err.Error())
	}
	for i := range sets {
		for _, a := range f.Given {
			sets[i] = sets[i].With(a.Name, a.Value)
		}
	}
	return sets, nil
}

// RedactKey returns a fresh random pseudonym key, as hex, when -redact
// is given or the settings ask for redaction (cfg.Redact, from
// $LENSLOG_REDACT=1, which a user may well set instead of the flag and
// must not be silently ignored), and "" when neither.
func (f *Flags) RedactKey(cfg lenslog.Config) (string, error) {
	if !f.Redact && !cfg.Redact {
		return "", nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("make a redaction key: %w", err)
	}
	return hex.EncodeToString(key), nil
}

// Runner returns a runner with the flags' settings.
func (f *Flags) Runner() *Runner {
	return &Runner{Timeout: f.Timeout, KeepGoing: f.KeepGoing, Limits: f.Limits, Memory: f.Memory.Bytes()}
}
