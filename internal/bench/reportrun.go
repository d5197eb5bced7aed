package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
)

// reportWay is one way of running the whole report.
type reportWay struct {
	name    string
	jobs    int
	goflags string // "" leaves GOFLAGS as the user has it
}

// reportResult is one run of the whole report.
type reportResult struct {
	way       reportWay
	seconds   float64
	summary   string            // the report's closing line: total and slowest cell
	notebooks map[string]string // each notebook's outcome line
	failed    bool
}

// measureReport runs the report command (argv, e.g. the kernel program and
// "report") once per way, on the sample account, into a temporary folder,
// and times it. The caches are warm: the cell step built the same packages.
func measureReport(ctx context.Context, argv []string, ways []reportWay, log func(string, ...any)) ([]reportResult, error) {
	var out []reportResult
	for _, w := range ways {
		dir, err := os.MkdirTemp("", "lenslog-bench-report-")
		if err != nil {
			return nil, err
		}
		log("running the whole report (%s)", w.name)
		args := append(append([]string(nil), argv[1:]...), "-j", fmt.Sprint(w.jobs), "-out", dir)
		cmd := exec.CommandContext(ctx, argv[0], args...)
		cmd.Env = reportEnv(cmd.Environ(), w.goflags)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		err = cmd.Run()
		r := reportResult{way: w, seconds: time.Since(start).Seconds(), failed: err != nil}
		os.RemoveAll(dir)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r.summary, r.notebooks = parseReportLog(stderr.String())
		out = append(out, r)
	}
	return out, nil
}

// reportEnv is inherited, this process's environment, made for a report
// on the sample account (no token, no API URL), with GOFLAGS set when
// goflags is.
func reportEnv(inherited []string, goflags string) []string {
	var env []string
	for _, kv := range inherited {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case lenslog.EnvToken, lenslog.EnvTokenFile, lenslog.EnvAPIURL:
			continue
		case "GOFLAGS":
			if goflags != "" {
				continue
			}
		}
		env = append(env, kv)
	}
	if goflags != "" {
		env = append(env, "GOFLAGS="+goflags)
	}
	return env
}

var (
	outcomeLine = regexp.MustCompile(`^(ok|FAIL) +([^\s:]+)`)
	summaryLine = regexp.MustCompile(`^\d+ notebooks in `)
)

// parseReportLog picks the report's closing line and each notebook's
// outcome line out of its progress log.
func parseReportLog(log string) (string, map[string]string) {
	summary, nbs := "", map[string]string{}
	for line := range strings.Lines(log) {
		line = strings.TrimSpace(line)
		if m := outcomeLine.FindStringSubmatch(line); m != nil {
			nbs[m[2]] = line
		} else if summaryLine.MatchString(line) {
			summary = line
		}
	}
	return summary, nbs
}
