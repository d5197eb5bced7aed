package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// helperEnv marks a run of this test binary as a bench step child.
const helperEnv = "LENSLOG_BENCH_HELPER"

// TestBenchStepHelper is not a test: bench runs it as its child process
// (this test binary standing in for the kernel program), with the step's
// arguments after "--".
func TestBenchStepHelper(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("run by the bench tests as a child process")
	}
	i := slices.Index(os.Args, "--")
	if i < 0 {
		t.Fatal("no -- before the step arguments")
	}
	if err := StepMain(context.Background(), os.Args[i+1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// benchSelf returns the argv prefix that makes this test binary run a
// step, and sets up the environment it needs.
func benchSelf(t *testing.T) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(helperEnv, "1")
	return []string{exe, "-test.run=^TestBenchStepHelper$", "--"}
}

// runTinyBench runs bench at a tiny size with the options set changes and
// returns its stdout and stderr.
func runTinyBench(t *testing.T, token string, set func(*Options)) (stdout, stderr string) {
	t.Helper()
	o := Options{Rows: 20000, Reps: 1, Dir: t.TempDir(), Self: benchSelf(t), Token: token}
	set(&o)
	var out, errs bytes.Buffer
	if err := Run(context.Background(), o, &out, &errs); err != nil {
		t.Fatalf("bench: %v\nstderr:\n%s", err, &errs)
	}
	if strings.Contains(out.String()+errs.String(), token) {
		t.Fatal("the sample server's token appears in the output")
	}
	return out.String(), errs.String()
}

// tableRows returns the cells of each table row of a bench report, by
// step title.
func tableRows(t *testing.T, report string) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	report, _, _ = strings.Cut(report, "\n## The notebook loop") // its tables have columns of their own
	for _, line := range strings.Split(report, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| step") || strings.HasPrefix(line, "| ---") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != len(tableHeader) {
			t.Fatalf("row with %d cells, want %d: %s", len(cells), len(tableHeader), line)
		}
		rows[cells[0]] = cells
	}
	if len(rows) != len(benchRows) {
		t.Fatalf("report has %d rows, want %d:\n%s", len(rows), len(benchRows), report)
	}
	return rows
}

// TestBenchGoSide runs the whole bench at a tiny size with a Python that
// does not exist: the Go side must run, and the command must say how to
// install pandas.
func TestBenchGoSide(t *testing.T) {
	if testing.Short() {
		t.Skip("runs about 15 child processes")
	}
	stdout, stderr := runTinyBench(t, "tiny-bench-token-1", func(o *Options) { o.Python = filepath.Join(t.TempDir(), "no-python3") })
	if !strings.Contains(stderr, InstallPandas) {
		t.Errorf("stderr does not say how to install pandas:\n%s", stderr)
	}
	if !strings.Contains(stdout, "Memory on this machine: the first touch of fresh memory costs") {
		t.Errorf("report has no memory line:\n%s", stdout)
	}
	rows := tableRows(t, stdout)
	tests := []struct {
		step, column, want string
	}{
		{"re-sync after 1,000 new rows", "throughput", "2 requests"},
		{"re-sync after 1,000 new rows", "met", "yes"},
		{"decode JSON pages → typed table, fresh process", "peer", "encoding/json"},
		{"decode JSON pages → typed table, fresh process", "same answer", "yes (rows)"},
		{"decode JSON pages → typed table, fresh process", "throughput", "MB/s"},
		{"decode JSON pages → typed table, warm process", "peer time", "s"},
		{"decode JSON pages → table / frame, fresh process", "peer time", "not run"},
		{"JSON files → success ratio + heaviest keys + per day", "peer time", "not run"},
		{"JSON files → success ratio + heaviest keys + per day", "met", "n/a"},
		{"HTML table of the whole frame", "met", "yes"},
		{"sync from the local server", "throughput", "rows/s"},
	}
	for _, tt := range tests {
		col := slices.Index(tableHeader, tt.column)
		if got := rows[tt.step][col]; !strings.Contains(got, tt.want) {
			t.Errorf("%s: %s = %q, want it to contain %q", tt.step, tt.column, got, tt.want)
		}
	}
	for _, want := range []string{
		"| new: all logs at once (one Sync) |",
		"| 1. columns on demand | not run (pandas missing) |",
		"| 2. faster cells | not run (no repository to build against) |",
		"| 3. parallel reports | not run (no report command) |",
		"| the slowest log's time, not the sum | yes |", // target 4, measured with the sample server's latency
		"| 5d. guard: no step > 20% worse than RESULTS.md (ratio to the peer, else time) | no baseline given |",
		"Load average (1, 5, 15 minutes) at the start:",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
}

// TestBenchWithPandas runs both sides at a tiny size and checks that they
// computed the same answers.
func TestBenchWithPandas(t *testing.T) {
	if testing.Short() {
		t.Skip("runs about 25 child processes, a dozen of them Python")
	}
	if py := findPandas(context.Background(), "/usr/bin/python3"); !py.ok() {
		t.Skipf("pandas not available (%s); install it with %s", py.why, InstallPandas)
	}
	stdout, _ := runTinyBench(t, "tiny-bench-token-2", func(*Options) {})
	same := slices.Index(tableHeader, "same answer")
	for step, cells := range tableRows(t, stdout) {
		if strings.Contains(cells[same], "no") {
			t.Errorf("%s: lenslog and pandas disagree: %s", step, cells[same])
		}
		if cells[2] == "pandas" && cells[3] == "not run" {
			t.Errorf("%s: the pandas side did not run", step)
		}
	}
}

func TestOptionsCheck(t *testing.T) {
	valid := func() Options { return Options{Rows: 1000, Reps: 1, Self: []string{"kernel", "bench-step"}} }
	tests := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"too few rows", func(o *Options) { o.Rows = 10 }, "-rows 10: want at least 1000"},
		{"bad second size", func(o *Options) { o.Rows2 = 5 }, "-rows2 5: want 0 (none) or at least 1000"},
		{"no repetitions", func(o *Options) { o.Reps = 0 }, "-reps 0: want at least 1"},
		{"nothing runs the steps", func(o *Options) { o.Self = nil }, "Options.Self is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid()
			tt.edit(&o)
			err := o.Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check() = %v, want an error saying %q", err, tt.want)
			}
		})
	}
	o := valid()
	if err := o.Check(); err != nil || o.Python != DefaultPython {
		t.Errorf("valid options: Check() = %v, Python %q; want nil, %q", err, o.Python, DefaultPython)
	}
}

func TestStepMainErrors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bench.json")
	if err := os.WriteFile(cfg, []byte(`{"pages": "`+filepath.Join(t.TempDir(), "none")+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown step", []string{"-config", cfg, "warp"}, `unknown step "warp"`},
		{"no step", []string{"-config", cfg}, "want one step name"},
		{"no repetitions", []string{"-config", cfg, "-reps", "0", "decode"}, "-reps 0: want at least 1"},
		{"no config", []string{"decode"}, "-config is required"},
		{"no pages", []string{"-config", cfg, "decode"}, "no page files"},
		{"bad config", []string{"-config", filepath.Join(t.TempDir(), "missing.json"), "decode"}, "reading the bench config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := StepMain(context.Background(), tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("StepMain = %v, want an error saying %q", err, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("a failed step printed a result: %q", &stdout)
			}
		})
	}
}

func TestTargetJudge(t *testing.T) {
	res := func(secs float64, rss int64) *stepResult {
		return &stepResult{Times: []float64{secs * 2, secs}, RSS: rss}
	}
	tests := []struct {
		name       string
		target     target
		ours, peer *stepResult
		want       verdict
	}{
		{"informational", target{}, res(1, 1), nil, noTarget},
		{"speed-up met", target{speedup: 5}, res(1, 1), res(5, 1), met},
		{"speed-up missed", target{speedup: 5}, res(1, 1), res(4.9, 1), missed},
		{"best times compared", target{speedup: 2}, &stepResult{Times: []float64{9, 1}}, &stepResult{Times: []float64{2, 3}}, met},
		{"peer did not run", target{speedup: 1}, res(1, 1), nil, unknown},
		{"memory met", target{speedup: 5, rssShare: 0.5}, res(1, 100), res(10, 200), met},
		{"memory missed", target{speedup: 5, rssShare: 0.5}, res(1, 101), res(10, 200), missed},
		{"memory unknown is missed", target{rssShare: 0.5}, res(1, 0), res(10, 200), missed},
		{"requests met", target{requests: 2}, &stepResult{Times: []float64{1}, Requests: 2}, nil, met},
		{"requests missed", target{requests: 2}, &stepResult{Times: []float64{1}, Requests: 3}, nil, missed},
		{"cut", target{maxBytes: 100}, &stepResult{Times: []float64{1}, Check: map[string]string{"html bytes": "99"}}, nil, met},
		{"not cut", target{maxBytes: 100}, &stepResult{Times: []float64{1}, Check: map[string]string{"html bytes": "101"}}, nil, missed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.target.judge(tt.ours, tt.peer); got != tt.want {
				t.Errorf("judge = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTargetString(t *testing.T) {
	tests := []struct {
		target target
		want   string
	}{
		{target{}, "—"},
		{target{speedup: 5, rssShare: 0.5}, "≥ 5× faster, ≤ 50% of peer RSS"},
		{target{requests: 2}, "2 requests"},
		{target{maxBytes: 64 << 10}, "cut: ≤ 64.0 KiB"},
	}
	for _, tt := range tests {
		if got := tt.target.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestFormats(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"seconds", fmtSeconds(12.345), "12.35 s"},
		{"milliseconds", fmtSeconds(0.01234), "12.3 ms"},
		{"microseconds", fmtSeconds(0.000_123_4), "123 µs"},
		{"ratio above ten", fmtRatio(23.6), "24× faster"},
		{"small ratio", fmtRatio(2.345), "2.3× faster"},
		{"slower", fmtRatio(0.5), "2.0× slower"},
		{"no ratio", fmtRatio(0), "—"},
		{"mebibytes", fmtBytes(812 << 20), "812 MiB"},
		{"gibibytes", fmtBytes(3 << 29), "1.50 GiB"},
		{"unknown size", fmtBytes(0), "—"},
		{"rows", fmtRows(2_500_000), "2.50 M rows/s"},
		{"median", fmtSeconds(median([]float64{3, 1, 2, 10})), "2.50 s"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// TestPandasScriptHasSteps checks that the embedded script has every
// step the bench asks of it.
func TestPandasScriptHasSteps(t *testing.T) {
	steps := regexp.MustCompile(`(?m)^\s+"([a-z0-9-]+)": `).FindAllStringSubmatch(string(pandasScript), -1)
	have := map[string]bool{}
	for _, m := range steps {
		have[m[1]] = true
	}
	want := []string{"prepare"}
	for _, r := range benchRows {
		if r.peer == "pandas" {
			want = append(want, r.peerStep)
		}
		if _, ok := goSteps[r.ours]; !ok {
			t.Errorf("row %q: no Go step %q", r.title, r.ours)
		}
	}
	for _, s := range want {
		if !have[s] {
			t.Errorf("the pandas script has no step %q (it has %v)", s, have)
		}
	}
}

func TestSameChecks(t *testing.T) {
	a := map[string]string{"rows": "10", "share": "0.5", "only a": "x"}
	b := map[string]string{"rows": "10", "share": "0.6", "only b": "y"}
	n, differ := sameChecks(a, b)
	if n != 2 || !slices.Equal(differ, []string{"share"}) {
		t.Errorf("sameChecks = %d, %v; want 2, [share]", n, differ)
	}
}
