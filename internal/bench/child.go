package bench

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// pandasScript is the pandas side of the bench: the same steps, written
// as a Cryptolens user writes them with json and pandas.
//
//go:embed pandas_bench.py
var pandasScript []byte

// InstallPandas is what to run when pandas is missing.
const InstallPandas = "apt-get install -y --no-install-recommends python3-pandas"

// pandasInfo says whether the pandas side can run, and with what.
type pandasInfo struct {
	python                 string // interpreter path
	version, pandas, numpy string // versions, when ok
	why                    string // why not, when !ok
}

func (p pandasInfo) ok() bool { return p.why == "" }

// findPandas checks that python runs and imports pandas.
func findPandas(ctx context.Context, python string) pandasInfo {
	info := pandasInfo{python: python}
	out, err := exec.CommandContext(ctx, python, "-c",
		`import sys, json, numpy, pandas; print(json.dumps([sys.version.split()[0], pandas.__version__, numpy.__version__]))`).CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			info.why = fmt.Sprintf("%s cannot import pandas: %s", python, lastLine(out))
		} else {
			info.why = fmt.Sprintf("cannot run %s: %v", python, err)
		}
		return info
	}
	var v []string
	if err := json.Unmarshal(bytes.TrimSpace(out), &v); err != nil || len(v) != 3 {
		info.why = fmt.Sprintf("%s printed %q, not its versions", python, out)
		return info
	}
	info.version, info.pandas, info.numpy = v[0], v[1], v[2]
	return info
}

// runner starts the steps of one bench size as child processes.
type runner struct {
	self    []string // argv that runs StepMain (Options.Self)
	cfgPath string   // bench.json
	python  string   // "" when the pandas side is skipped
	script  string   // the pandas script, written into the bench folder
}

// goStep runs a Go step in a child, through StepMain.
func (r *runner) goStep(ctx context.Context, step string, reps int, env ...string) (stepResult, error) {
	return r.goStepWith(ctx, step, reps, nil, env...)
}

// goStepWith is goStep with flags of the step command before the step's
// name (-sync-workers).
func (r *runner) goStepWith(ctx context.Context, step string, reps int, flags []string, env ...string) (stepResult, error) {
	args := append(append([]string{}, r.self[1:]...), "-config", r.cfgPath, "-reps", strconv.Itoa(reps))
	args = append(append(args, flags...), step)
	cmd := exec.CommandContext(ctx, r.self[0], args...)
	cmd.Env = append(cmd.Environ(), env...) // this process's environment, passed on, with env
	return runChild(cmd, "lenslog step "+step)
}

// pandasStep runs a step of the pandas script in a child.
func (r *runner) pandasStep(ctx context.Context, step string, reps int) (stepResult, error) {
	cmd := exec.CommandContext(ctx, r.python, r.script, step, r.cfgPath, strconv.Itoa(reps))
	return runChild(cmd, "pandas step "+step)
}

// writeScript writes the pandas script into dir.
func writeScript(dir string) (string, error) {
	path := filepath.Join(dir, "pandas_bench.py")
	if err := os.WriteFile(path, pandasScript, 0o600); err != nil {
		return "", fmt.Errorf("writing the pandas script: %w", err)
	}
	return path, nil
}

// runChild runs cmd and reads the step result from the last line of its
// stdout. Where the child could not say its peak RSS, it takes the
// child's rusage maxrss, which on Linux also counts the peak of this
// process (the child starts from its memory before exec).
func runChild(cmd *exec.Cmd, what string) (stepResult, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stepResult{}, fmt.Errorf("%s: %w\n%s", what, err, tail(stderr.String(), 15))
	}
	var res stepResult
	line := lastLine(stdout.Bytes())
	if err := json.Unmarshal([]byte(line), &res); err != nil {
		return stepResult{}, fmt.Errorf("%s: reading its result %q: %w", what, line, err)
	}
	if len(res.Times) == 0 {
		return stepResult{}, fmt.Errorf("%s: reported no times", what)
	}
	if res.RSS == 0 {
		res.RSS = peakRSS(cmd.ProcessState)
	}
	return res, nil
}

// lastLine returns the last non-empty line of out.
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// tail returns the last n lines of s, indented.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ")
}
