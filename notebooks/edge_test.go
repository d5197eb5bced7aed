package notebooks

import (
	"errors"
	"io"
	"io/fs"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/params"
	"github.com/lenslog/lenslog/pkg/sample"
)

// edgeToken is the token the edge matrix's live accounts accept.
const edgeToken = "edge-canary-5d02c7e1"

// edgeKey is a license key no account of the matrix has.
const edgeKey = "AAAAA-BBBBB-CCCCC-DDDDD"

// An edgeCase is one value a user can give (or one account a user can
// have) that names nothing, run through every notebook it applies to.
type edgeCase struct {
	name string
	// kind picks the notebooks and the parameters the value is given as:
	// "span" (every parameter of type lenslog.Span), "product", "key"
	// (string parameters named like a key), or "" (the defaults).
	kind  string
	value string
	// live, when set, serves this account with a token, read through the
	// client and the local store; otherwise the built-in sample account.
	// With arriving, rows keep arriving while the report runs.
	live     *sample.Options
	arriving bool
	// missing are API methods the live server lacks (404), e.g. the
	// inventory's, for an account without a license list.
	missing []string
	// noData: every notebook must say "No data for these parameters"
	// (or, when set, orSays), with one of these in the message;
	// quiet: a notebook that shows its figures instead is fine, as long
	// as nothing failed.
	noData []string
	orSays string
	quiet  bool
	// shows: every notebook of the case that declares show's key must
	// print its value.
	shows map[string]string
	// usage: the value is refused before any notebook runs (exit status
	// 2) with a message holding this.
	usage string
	// only, when set, narrows the case to the notebooks matching one of
	// these globs: those it is about, where every other notebook would
	// take the same path as in another case (the suite runs in CI's time).
	only []string
}

// edgeCases are the matrix of issue 22: periods after now, before the
// history, reversed and without rows; a product and a key without rows;
// accounts with no rows, with only failures, and without a license list.
func edgeCases(t *testing.T) []edgeCase {
	t.Helper()
	cfg, err := lenslog.ConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	outage := sample.Generate(cfg.Sample).Planted.OutageDay.Format(time.DateOnly)
	live := func(c sample.Content) *sample.Options {
		return &sample.Options{Seed: 11, End: time.Now().UTC(), WebAPIRows: 50_000, Content: c}
	}
	return []edgeCase{
		{name: "period after now", kind: "span", value: "2027-03",
			noData: []string{"after the account's now"}, only: eachTable},
		{name: "period before the history", kind: "span", value: "2020-01",
			noData: []string{"ends before the log's oldest row"}, quiet: true, only: eachTable},
		{name: "a day without rows", kind: "span", value: outage,
			noData: []string{"no request was logged in it", "no license key given (and none to pick"}, quiet: true, only: eachTable},
		{name: "reversed period", kind: "span", value: "2026-10-05..2026-10-04", usage: "ends before it starts"},
		{name: "product without rows", kind: "product", value: "9999", noData: []string{"products with rows there"}, only: eachTable},
		{name: "key without rows", kind: "key", value: edgeKey, noData: []string{"busiest keys there"},
			orSays: "No log loaded mentions " + edgeKey + ": check the key, or widen the window. The busiest keys there: "},
		{name: "live account without a license list", live: live(sample.FullContent), arriving: true, kind: "",
			missing: []string{"GetKeys", "GetProducts", "GetCustomers"},
			shows:   map[string]string{"04-": "Seat limit from the log: "}, quiet: true,
			only: []string{"02-*", "04-*", "05-*", "09-*", "11-*", "12-*", "13-*", "14-*"}}, // those that read the list, and 02 for the rows arriving
		{name: "live account with a license list", live: live(sample.FullContent), kind: "",
			shows: map[string]string{"04-": "Seat limit from the account's license list"}, quiet: true,
			only: []string{"04-*"}}, // the other notebooks read a live list in TestRedactedReportOnLiveAccount
		{name: "live account with no rows", live: live(sample.NoRows), kind: "",
			noData: []string{"has no rows in the Web API Log"}, quiet: true,
			only: append([]string{"01-*", "11-*", "14-*"}, eachTable...)}, // and the notebooks that read every log or a customer
		{name: "live account with only failures", live: live(sample.OnlyFailures), kind: "", quiet: true},
	}
}

// eachTable are the notebooks that, between them, start from each kind
// of table (Web API Log: 02; Events Log: 07; Object Log: 08; Usage
// Analytics: 09; the license list: 12) and the two that pick a license
// key from the window (04, 10). A value that names nothing stops every
// notebook at its first load with the same message, so these show each
// kind of message; a case that reaches the analyses runs every notebook.
// The suite runs in CI's time: each notebook costs a minute.
var eachTable = []string{"02-*", "04-*", "07-*", "08-*", "09-*", "10-*", "12-*"}

// TestEdgeMatrix runs every notebook on each edge case through `kernel
// report`, as a user would, and checks that no notebook ends in a Go
// panic or fails a cell, that the report does not exit 1 for what are the
// user's choices, and that it says in words what was missing and what the
// account has instead.
func TestEdgeMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every notebook through GoNB for each case: slow")
	}
	paths, err := filepath.Glob("*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found: %v", err)
	}
	slices.Sort(paths)
	setSampleEnv(t)
	decls := declarations(t, paths)
	if glob := os.Getenv("LENSLOG_EDGE_NOTEBOOKS"); glob != "" { // e.g. "0[24]-*": a few, while editing
		paths = slices.DeleteFunc(paths, func(p string) bool { ok, _ := filepath.Match(glob, p); return !ok })
	}
	kernel := buildKernel(t)
	start := time.Now()
	for _, c := range edgeCases(t) { // -run 'TestEdgeMatrix/period_after_now' picks a case
		t.Run(c.name, func(t *testing.T) {
			nbs, args := c.apply(paths, decls)
			if len(nbs) == 0 {
				t.Fatalf("no notebook declares a %s parameter", c.kind)
			}
			out, log, code := c.report(t, kernel, nbs, args)
			c.check(t, out, log, code, nbs)
		})
	}
	t.Logf("the matrix took %s", time.Since(start).Round(time.Second))
}

// declarations reads each notebook's parameters.
func declarations(t *testing.T, paths []string) map[string][]params.Decl {
	t.Helper()
	out := map[string][]params.Decl{}
	for _, p := range paths {
		nb, err := ipynb.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, d, err := params.Declared(nb)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[p] = d
	}
	return out
}

// apply returns the notebooks the case applies to and the report's -p
// arguments that give them its value.
func (c edgeCase) apply(paths []string, decls map[string][]params.Decl) (nbs, args []string) {
	names := map[string]bool{}
	for _, p := range paths {
		if !c.runs(p) {
			continue
		}
		took := false
		for _, d := range decls[p] {
			if c.takes(d) {
				names[d.Name], took = true, true
			}
		}
		if took || c.kind == "" {
			nbs = append(nbs, p)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		args = append(args, "-p", n+"="+c.value)
	}
	return nbs, args
}

// runs reports whether the case runs notebook p (see only).
func (c edgeCase) runs(p string) bool {
	if len(c.only) == 0 {
		return true
	}
	return slices.ContainsFunc(c.only, func(glob string) bool { ok, _ := filepath.Match(glob, filepath.Base(p)); return ok })
}

// takes reports whether parameter d is one the case gives its value to.
func (c edgeCase) takes(d params.Decl) bool {
	switch c.kind {
	case "span":
		return d.Type == "lenslog.Span"
	case "product":
		return d.Name == "product"
	case "key":
		return d.Type == "string" && strings.Contains(strings.ToLower(d.Name), "key")
	}
	return false
}

// buildKernel builds the kernel program, which the cases run as a user
// would `go run ./kernel`, but whose exit status they see (go run turns
// every failure into 1).
func buildKernel(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kernel")
	cmd := exec.Command("go", "build", "-o", bin, "./kernel")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./kernel: %v\n%s", err, out)
	}
	return bin
}

// report runs `kernel report -j 2` on the case's account and returns the
// folder it wrote, what it printed and its exit status.
func (c edgeCase) report(t *testing.T, kernel string, nbs, args []string) (out, log string, code int) {
	t.Helper()
	env := os.Environ()
	if c.live != nil {
		s := sample.NewServer(sample.Generate(*c.live), edgeToken)
		l := sample.Live{Missing: c.missing}
		if c.arriving {
			l.Every, l.WebAPIRows, l.Events = 5*time.Second, 3, 1
		}
		s.SetLive(l)
		srv := httptest.NewServer(s)
		defer srv.Close()
		env = append(env, lenslog.EnvToken+"="+edgeToken, lenslog.EnvAPIURL+"="+srv.URL+"/api/",
			lenslog.EnvStore+"="+t.TempDir())
	}
	out = t.TempDir()
	args = append(append([]string{"report", "-j", "2", "-keep-going", "-timeout", "10m", "-out", out}, args...), absAll(t, nbs)...)
	cmd := exec.Command(kernel, args...)
	cmd.Dir, cmd.Env = "..", env
	start := time.Now()
	var b strings.Builder
	cmd.Stdout, cmd.Stderr = &b, &b
	if testing.Verbose() {
		cmd.Stdout = io.MultiWriter(&b, os.Stderr)
		cmd.Stderr = cmd.Stdout
	}
	err := cmd.Run()
	log = b.String()
	t.Logf("kernel report %s (%s):\n%s", strings.Join(args[1:len(args)-len(nbs)], " "), time.Since(start).Round(time.Second), log)
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out, log, code
}

// check fails t for what the case's report must not do, and for what it
// does not say.
func (c edgeCase) check(t *testing.T, out, log string, code int, nbs []string) {
	t.Helper()
	if c.usage != "" {
		if code != 2 || !strings.Contains(log, c.usage) {
			t.Errorf("exit status %d, want 2 and a message saying %q", code, c.usage)
		}
		if got := executed(t, out); len(got) > 0 {
			t.Errorf("%d notebooks ran, want none", len(got))
		}
		return
	}
	if code != 0 {
		t.Errorf("kernel report exited %d, want 0: the case is the user's choice, not a failure", code)
	}
	got := executed(t, out)
	if len(got) != len(nbs) {
		t.Errorf("the report holds %d notebooks, want %d", len(got), len(nbs))
	}
	for name, path := range got {
		t.Run(name, func(t *testing.T) {
			nb, err := ipynb.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text := outputText(nb)
			for _, bad := range []string{"panic:", "goroutine "} {
				if strings.Contains(text, bad) {
					t.Errorf("the notebook shows %q:\n%s", bad, text)
				}
			}
			failedCells(t, nb)
			for prefix, want := range c.shows {
				if strings.HasPrefix(name, prefix) && !strings.Contains(text, want) {
					t.Errorf("the notebook does not show %q:\n%s", want, text)
				}
			}
			said := strings.Contains(text, "No data for these parameters")
			if !said && !c.quiet && len(c.noData) > 0 && (c.orSays == "" || !strings.Contains(text, c.orSays)) {
				t.Errorf("the notebook does not say there is no data:\n%s", text)
			}
			if said && len(c.noData) > 0 && !slices.ContainsFunc(c.noData, func(w string) bool { return strings.Contains(text, w) }) {
				t.Errorf("the no-data message says none of %q:\n%s", c.noData, text)
			}
			t.Logf("no data: %v", said)
		})
	}
}

// executed maps each executed notebook under out (one folder per set of
// parameters) by its name.
func executed(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".ipynb") {
			got[strings.TrimSuffix(d.Name(), ".ipynb")] = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// outputText joins every text a notebook's cells show: streams, errors
// and textual display data.
func outputText(nb *ipynb.Notebook) string {
	var b strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			b.WriteString(o.Text)
			b.WriteString(o.EName + " " + o.EValue + "\n" + strings.Join(o.Traceback, "\n"))
			for _, mime := range []string{"text/plain", "text/markdown", "text/html"} {
				if s, ok := o.DataText(mime); ok {
					b.WriteString(s + "\n")
				}
			}
		}
	}
	return b.String()
}

// failedCells fails t for every cell that failed or wrote to stderr.
func failedCells(t *testing.T, nb *ipynb.Notebook) {
	t.Helper()
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			switch {
			case o.Type == ipynb.Error:
				t.Errorf("cell %d failed: %s: %s", i+1, o.EName, o.EValue)
			case o.Type == ipynb.Stream && o.Name == "stderr":
				t.Errorf("cell %d wrote to stderr: %s", i+1, o.Text)
			}
		}
	}
}
