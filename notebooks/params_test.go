package notebooks

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/params"
	"github.com/lenslog/lenslog/pkg/sample"
)

// TestParametersCells checks the convention every notebook follows: one
// code cell tagged "parameters" declaring typed package-level vars, each
// with a comment saying what it means, whose defaults the runner can
// state again (the type is one it converts to).
func TestParametersCells(t *testing.T) {
	paths, err := filepath.Glob("*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found: %v", err)
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(p, ".ipynb"), func(t *testing.T) {
			nb, err := ipynb.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			_, decls, err := params.Declared(nb)
			if err != nil {
				t.Fatal(err)
			}
			if len(decls) == 0 {
				t.Fatal("the parameters cell declares no parameter")
			}
			for _, d := range decls {
				if d.Type == "" || d.Doc == "" {
					t.Errorf("parameter %s: want a declared type and a comment (type %q, comment %q)", d.Name, d.Type, d.Doc)
				}
				if _, err := params.Convert(d, params.Text("x")); err != nil && strings.Contains(err.Error(), "cannot set a parameter of this type") {
					t.Errorf("parameter %s: %v", d.Name, err)
				}
			}
		})
	}
}

// TestPapermillMetadataReadByNbformat injects parameters into a notebook,
// writes it, and has Debian's nbformat (python3-nbformat) read and
// validate it and return metadata.papermill.parameters and the injected
// cell, as papermill-aware tools would.
func TestPapermillMetadataReadByNbformat(t *testing.T) {
	python := nbformatPython()
	if python == "" {
		t.Skip("python3-nbformat is not installed: cannot check the metadata with nbformat (apt-get install python3-nbformat)")
	}
	nb, err := ipynb.ReadFile("02-success-ratio.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	set := params.Set{{Name: "product", Value: params.Text("3349")}, {Name: "period", Value: params.Text("2026-10")}}
	applied, _, err := params.Apply([]params.Target{{Name: "02", Notebook: nb}}, set)
	if err != nil {
		t.Fatal(err)
	}
	if err := params.Inject(nb, applied[0]); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "02.ipynb")
	if err := ipynb.WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
injected = [i for i, c in enumerate(nb.cells) if "injected-parameters" in c.metadata.get("tags", [])]
defaults = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
print(json.dumps({"parameters": nb.metadata.papermill.parameters, "injected": injected, "defaults": defaults,
                  "source": nb.cells[injected[0]].source}))
`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("nbformat: %v\n%s", err, out)
	}
	var got struct {
		Parameters map[string]any `json:"parameters"`
		Injected   []int          `json:"injected"`
		Defaults   []int          `json:"defaults"`
		Source     string         `json:"source"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if want := map[string]any{"product": 3349.0, "period": "2026-10"}; !reflect.DeepEqual(got.Parameters, want) {
		t.Errorf("nbformat reads metadata.papermill.parameters = %v, want %v", got.Parameters, want)
	}
	if len(got.Injected) != 1 || len(got.Defaults) != 1 || got.Injected[0] != got.Defaults[0]+1 {
		t.Errorf("injected cell at %v, parameters cell at %v: want exactly one, right after", got.Injected, got.Defaults)
	}
	if !strings.Contains(got.Source, `period  lenslog.Span = lenslog.MustParseSpan("2026-10")`) {
		t.Errorf("injected cell reads:\n%s", got.Source)
	}
}

// TestReportWithParameters runs `kernel report -pdf -p product=3349 -p
// period=2026-10` on every notebook, as a user would for one product's
// month: the report goes to a folder named from the parameters, the run
// says which notebooks take product, the index lists the run, each
// notebook and page carries its provenance, the figures the notebooks
// print and their value boxes equal what the analysis package computes on
// the same window and product, and every page and PDF holds up for
// readers (checkForReaders), as TestNotebooks checks them with the
// defaults.
func TestReportWithParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("runs notebooks through GoNB: slow")
	}
	paths, err := filepath.Glob("*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found: %v", err)
	}
	slices.Sort(paths)
	setSampleEnv(t)
	out := t.TempDir()
	before := notebookFiles(t)
	log := kernel(t, append([]string{"report", "-pdf", "-keep-going", "-out", out, "-p", "product=3349", "-p", "period=2026-10"},
		absAll(t, paths)...)...)
	checkNothingWritten(t, before)
	var takers, names []string
	for p, decls := range declarations(t, paths) {
		if slices.ContainsFunc(decls, func(d params.Decl) bool { return d.Name == "product" }) {
			takers = append(takers, p)
		}
	}
	slices.Sort(takers)
	if want := "product=3349 applies to " + strings.Join(takers, ", ") + " only"; !strings.Contains(log, want) {
		t.Errorf("the report does not say %q:\n%s", want, log)
	}
	dir := filepath.Join(out, "product-3349_period-2026-10")
	acct, err := openQuietly()
	if err != nil {
		t.Fatal(err)
	}
	span := lenslog.MustParseSpan("2026-10")
	w := span.Window(acct.Now())

	api := lenslog.Must(acct.WebAPI(span, lenslog.Product(3349)))
	ratio := analysis.SuccessRatio(api)
	want02 := []string{
		fmt.Sprintf("Window: %s; product 3349", w),
		"Requests in the window: " + format.Count(api.Len()),
		"Success share: " + format.Share(ratio.Share(cryptolens.OutcomeSuccess)),
		"Failure share: " + format.Share(ratio.Share(cryptolens.OutcomeFailure)),
	}
	nb02 := readExecuted(t, filepath.Join(dir, "02-success-ratio.ipynb"))
	checkCells(t, nb02)
	checkPrinted(t, nb02, want02)
	checkProvenance(t, nb02, dir, "02-success-ratio", map[string]any{"product": 3349.0, "period": "2026-10"},
		"webapi", w, "product 3349", api.Len())

	nb04 := readExecuted(t, filepath.Join(dir, "04-floating-seat-audit.ipynb"))
	checkCells(t, nb04)
	ref := loadReference(t)
	checkPrinted(t, nb04, ref.seatAudit(t, between(ref.web, w.From, w.To), w.To))
	checkProvenance(t, nb04, dir, "04-floating-seat-audit", map[string]any{"period": "2026-10"}, "webapi", w, "", -1)

	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		name := strings.TrimSuffix(p, ".ipynb")
		names = append(names, name)
		t.Run(name, func(t *testing.T) { failedCells(t, readExecuted(t, filepath.Join(dir, p))) }) // a chart may say it has no rows for one product's month
	}
	checkForReaders(t, dir, names)
	checkBoxes(t, nb02, successBoxes(t, acct, span, 3349)...)
	checkBoxes(t, readExecuted(t, filepath.Join(dir, "09-usage-analytics.ipynb")), usageBoxes(t, acct, span, 3349)...)
	checkFirstPage(t, filepath.Join(dir, "04-floating-seat-audit.pdf"), nb04)
	for _, s := range []string{`href="product-3349_period-2026-10/index.html"`, "product=3349 period=2026-10", fmt.Sprintf("%d notebooks", len(paths))} {
		if !strings.Contains(string(index), s) {
			t.Errorf("reports/index.html does not list the run (%q)", s)
		}
	}
}

// TestReplayAfterNewRows runs notebook 02 against a live (served) account
// through the store, adds rows on the server inside the run's window (the
// client's clock is an hour ahead of the server's, as clocks are), syncs
// them, and replays the executed notebook: it must print the same figures
// and say so, while the store now holds more rows in that window.
func TestReplayAfterNewRows(t *testing.T) {
	if testing.Short() {
		t.Skip("runs notebooks through GoNB: slow")
	}
	acct := sample.Generate(sample.Options{Seed: 5, End: time.Now().UTC(), WebAPIRows: 30000})
	srv := sample.NewServer(acct, liveToken)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	setLiveEnv(t, hs.URL, liveToken)
	now := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	t.Setenv(lenslog.EnvNow, now.Format(time.RFC3339))

	out := t.TempDir()
	kernel(t, "run", "-out", out, "-p", "period=last-7d", abs(t, "02-success-ratio.ipynb"))
	executed := filepath.Join(out, "02-success-ratio.ipynb")
	first := readExecuted(t, executed)

	srv.AppendWebAPI(500)
	live, err := openQuietly()
	if err != nil {
		t.Fatal(err)
	}
	synced := lenslog.Must(live.WebAPI(lenslog.Last(7 * lenslog.Day))) // syncs the new rows into the store
	p, _ := first.Provenance()
	if p == nil || len(p.Reads) == 0 || synced.Len() <= p.Reads[0].Rows {
		t.Fatalf("the store holds %d rows in the window after the sync, the run read %+v: the test adds nothing", synced.Len(), p)
	}

	log := kernel(t, "run", "-replay", executed, "-out", filepath.Join(out, "replay"))
	if !strings.Contains(log, "same: ") {
		t.Errorf("the replay does not say it printed the same figures:\n%s", log)
	}
	again := readExecuted(t, filepath.Join(out, "replay", "02-success-ratio.ipynb"))
	if a, b := stdoutText(first), stdoutText(again); a != b || !strings.Contains(a, "Requests in the window: ") {
		t.Errorf("the replay printed\n%s\nthe run printed\n%s", b, a)
	}
	rp, _ := again.Provenance()
	if rp == nil || rp.Replay == nil || !rp.Replay.Same || !rp.Now.Equal(p.Now) {
		t.Errorf("replay provenance %+v", rp)
	}

	// A fresh run (no pins) sees the new rows: the replay's sameness is
	// the pins' doing.
	kernel(t, "run", "-out", filepath.Join(out, "fresh"), "-p", "period=last-7d", abs(t, "02-success-ratio.ipynb"))
	fresh := readExecuted(t, filepath.Join(out, "fresh", "02-success-ratio.ipynb"))
	if stdoutText(fresh) == stdoutText(first) {
		t.Errorf("a fresh run printed the same as the first despite %d new rows", synced.Len()-p.Reads[0].Rows)
	}
}

// nbformatPython returns a Python that has nbformat: Debian's
// /usr/bin/python3 first (a python3 earlier on PATH, e.g. pyenv's, may
// lack Debian's packages), else python3 on PATH; "" if none has it.
func nbformatPython() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import nbformat").Run() == nil {
			return p
		}
	}
	return ""
}

// kernel runs the kernel program from the repository root and returns
// its output; it fails the test if the command fails.
func kernel(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"run", "./kernel"}, args...)...)
	cmd.Dir = ".."
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("kernel %s (%s):\n%s", strings.Join(args, " "), time.Since(start).Round(time.Second), out)
	if err != nil {
		t.Fatalf("kernel %s: %v", args[0], err)
	}
	return string(out)
}

func abs(t *testing.T, p string) string {
	t.Helper()
	return absAll(t, []string{p})[0]
}

func readExecuted(t *testing.T, path string) *ipynb.Notebook {
	t.Helper()
	nb, err := ipynb.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// checkPrinted fails for each line the notebook did not print.
func checkPrinted(t *testing.T, nb *ipynb.Notebook, want []string) {
	t.Helper()
	text := stdoutText(nb)
	for _, line := range want {
		if !strings.Contains(text, line) {
			t.Errorf("notebook does not show %q; its output:\n%s", line, text)
		}
	}
}

// checkProvenance checks the executed notebook's provenance and
// papermill metadata, and that its page shows the provenance. rows < 0
// skips the row count.
func checkProvenance(t *testing.T, nb *ipynb.Notebook, dir, name string, given map[string]any, log string, w logs.Window, filter string, rows int) {
	t.Helper()
	if got := params.Parameters(nb); !reflect.DeepEqual(jsonRound(t, got), given) {
		t.Errorf("metadata.papermill.parameters = %v, want %v", got, given)
	}
	p, err := nb.Provenance()
	if err != nil || p == nil {
		t.Fatalf("no provenance: %v", err)
	}
	if !reflect.DeepEqual(p.Parameters, given) || p.Version == "" ||
		!strings.HasPrefix(p.Account.Description, "sample account, seed 1, ending "+sampleEnd) {
		t.Errorf("provenance %+v", p)
	}
	found := slices.ContainsFunc(p.Reads, func(r ipynb.ProvenanceRead) bool {
		return r.Log == log && r.From.Equal(w.From) && r.To.Equal(w.To) && r.Filter == filter && (rows < 0 || r.Kept == rows) && r.MaxID > 0
	})
	if !found {
		t.Errorf("no %s read over %s (filter %q, %d rows) in %+v", log, w, filter, rows, p.Reads)
	}
	page, err := os.ReadFile(filepath.Join(dir, name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Provenance", "sample account, seed 1", "Highest id", p.Version} {
		if !strings.Contains(string(page), s) {
			t.Errorf("%s.html does not show the provenance (%q)", name, s)
		}
	}
}

func jsonRound(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
