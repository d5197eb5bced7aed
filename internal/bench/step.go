package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/nb"
)

// benchConfig is what bench prepares and every step (Go or pandas) reads:
// where the data is and what to ask of it. It is written as JSON into the
// bench folder; the pandas script reads the same file.
type benchConfig struct {
	Rows int `json:"rows"` // Web API rows in the pages (and the store)
	// SyncWorkers is the sync step's SyncOptions.Workers, from its
	// -sync-workers flag; 0 the store's default.
	SyncWorkers int    `json:"-"`
	Pages       string `json:"pages"`      // folder of API response bodies, one 1000-row page per file
	PageCount   int    `json:"pageCount"`  // files in Pages
	PageBytes   int64  `json:"pageBytes"`  // their total size
	Store       string `json:"store"`      // lenslog store folder
	Frame       string `json:"frame"`      // the pandas frame, pickled, for in-memory pandas steps
	WindowTo    int64  `json:"windowTo"`   // unix seconds: the end of the sample's history, exclusive
	AuditKey    string `json:"auditKey"`   // the license the seat-audit step replays
	AuditSeats  int    `json:"auditSeats"` // its seat limit
}

// stepResult is what one step reports on its stdout, as one JSON line.
type stepResult struct {
	Times    []float64         `json:"times"`              // seconds, one per repetition
	Rows     int               `json:"rows"`               // rows the step handled
	Bytes    int64             `json:"bytes,omitempty"`    // input bytes, for decoding steps
	Requests int               `json:"requests,omitempty"` // HTTP requests made, for sync steps
	Check    map[string]string `json:"check,omitempty"`    // results, to compare across sides
	// RSS is the process's peak resident memory in bytes, from VmHWM in
	// /proc/self/status; 0 where there is no /proc, and the parent falls
	// back on rusage.
	RSS int64 `json:"peakRSS,omitempty"`
}

// goStep runs one step reps times over the prepared data.
type goStep func(ctx context.Context, cfg *benchConfig, reps int) (stepResult, error)

// goSteps are the Go side's steps, by the name bench passes.
var goSteps = map[string]goStep{
	"decode":      stepDecode,
	"decode-json": stepDecodeJSON,
	"e2e":         endToEnd(true),
	"e2e-append":  endToEnd(false),
	"store":       stepStore,
	"success": inMemory(func(api *logs.WebAPI, _ *benchConfig) (map[string]string, error) {
		return checkSuccess(analysis.SuccessRatio(api)), nil
	}),
	"heaviest": inMemory(heaviest),
	"perday": inMemory(func(api *logs.WebAPI, _ *benchConfig) (map[string]string, error) {
		return checkDays(analysis.RequestsPerDay(api)), nil
	}),
	"sharing": inMemory(func(api *logs.WebAPI, _ *benchConfig) (map[string]string, error) {
		return checkSharing(analysis.KeySharing(api)), nil
	}),
	"seats":   inMemory(seatAudit),
	"frame":   stepFrame,
	"display": stepDisplay,
	"memory":  stepMemory,
	"sync":    stepSync,
	"resync":  stepSync,
}

// StepMain runs one measured step of Run in this process and prints its
// result as one JSON line on stdout, so that the process's peak memory is
// the step's. Run starts it through Options.Self with args
//
//	-config DIR/bench.json [-reps N] [-cpuprofile FILE] STEP
//
// It is not meant to be run by hand, though it can be, on a folder a run
// with -keep left behind (-cpuprofile is there for that).
func StepMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench step", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "the bench folder's `bench.json`")
	reps := fs.Int("reps", 1, "repetitions (`N`)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the step to `FILE` (go tool pprof)")
	syncWorkers := fs.Int("sync-workers", 0, "the sync step's parallel requests (`N`; 0: the store's default)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bench step -config DIR/bench.json [-reps N] [-cpuprofile FILE] STEP")
		fmt.Fprintln(stderr, "\nRuns one step of bench and prints its times as JSON. Steps: "+strings.Join(stepNames(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one step name, got %q", fs.Args())
	}
	step, ok := goSteps[fs.Arg(0)]
	if !ok {
		return fmt.Errorf("unknown step %q; steps: %s", fs.Arg(0), strings.Join(stepNames(), ", "))
	}
	if *reps < 1 {
		return fmt.Errorf("-reps %d: want at least 1", *reps)
	}
	cfg := &benchConfig{}
	if fs.Arg(0) != "memory" { // the one step that needs no data
		var err error
		if cfg, err = readBenchConfig(*cfgPath); err != nil {
			return err
		}
	}
	cfg.SyncWorkers = *syncWorkers
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	res, err := step(ctx, cfg, *reps)
	stop()
	if err != nil {
		return fmt.Errorf("step %s: %w", fs.Arg(0), err)
	}
	res.RSS = selfPeakRSS()
	return json.NewEncoder(stdout).Encode(res)
}

// startCPUProfile starts profiling into path, if set, and returns what
// stops it.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// selfPeakRSS returns this process's peak resident memory in bytes (VmHWM),
// or 0 where /proc does not say. Unlike a child's rusage maxrss, which on
// Linux starts at the peak of the parent it was forked from, VmHWM counts
// this program's own memory only.
func selfPeakRSS() int64 {
	f := strings.Fields(procField("/proc/self/status", "VmHWM"))
	if len(f) != 2 || f[1] != "kB" {
		return 0
	}
	kb, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0
	}
	return kb * 1024
}

func stepNames() []string {
	names := make([]string, 0, len(goSteps))
	for n := range goSteps {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// readBenchConfig reads the file bench wrote.
func readBenchConfig(path string) (*benchConfig, error) {
	if path == "" {
		return nil, errors.New("-config is required")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the bench config: %w", err)
	}
	var cfg benchConfig
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("bench config %s: %w", path, err)
	}
	return &cfg, nil
}

// repeat runs fn reps times, collecting garbage before each run so that
// one run's garbage is not the next one's cost, and returns the times and
// fn's last check.
func repeat(reps int, fn func() (map[string]string, error)) ([]float64, map[string]string, error) {
	times := make([]float64, 0, reps)
	var check map[string]string
	for range reps {
		runtime.GC()
		start := time.Now()
		c, err := fn()
		if err != nil {
			return nil, nil, err
		}
		times = append(times, time.Since(start).Seconds())
		check = c
	}
	return times, check, nil
}

// pageFiles lists the page files in cursor order (their names sort so).
func pageFiles(cfg *benchConfig) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(cfg.Pages, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no page files (*.json) in %s", cfg.Pages)
	}
	sort.Strings(files)
	return files, nil
}

// readPages reads every page file into memory.
func readPages(cfg *benchConfig) (files []string, bodies [][]byte, size int64, err error) {
	if files, err = pageFiles(cfg); err != nil {
		return nil, nil, 0, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, 0, err
		}
		bodies = append(bodies, b)
		size += int64(len(b))
	}
	return files, bodies, size, nil
}

// loadPageFiles reads and decodes page files into one table; with reserve
// the columns are sized for full pages up front (logs.WebAPI.Grow), as a
// program reading saved pages can, since it knows their number. As a
// program paging through the API would, it reads every page into the same
// buffer and decodes it into the same rows: a cryptolens.Decoder keeps
// nothing of either, so the only memory that grows is the table's.
func loadPageFiles(files []string, reserve bool) (*logs.WebAPI, error) {
	api := &logs.WebAPI{}
	if reserve {
		api.Grow(len(files) * cryptolens.MaxWebAPILogLimit)
	}
	var (
		dec  cryptolens.Decoder
		rows []cryptolens.WebAPILogRow
		body []byte
		err  error
	)
	for _, f := range files {
		if body, err = readFileInto(body, f); err != nil {
			return nil, err
		}
		if rows, err = appendPage(&dec, api, rows[:0], body, f); err != nil {
			return nil, err
		}
	}
	return api, nil
}

// readFileInto reads the file at path into buf, reusing its memory.
func readFileInto(buf []byte, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return buf, err
	}
	buf = slices.Grow(buf[:0], int(fi.Size()))[:fi.Size()]
	_, err = io.ReadFull(f, buf)
	return buf, err
}

// appendPage decodes one page into rows (returned for reuse) and appends
// them to api; where names the page in errors.
func appendPage(dec *cryptolens.Decoder, api *logs.WebAPI, rows []cryptolens.WebAPILogRow, body []byte, where string) ([]cryptolens.WebAPILogRow, error) {
	rows, err := dec.AppendWebAPILog(rows, body)
	if err != nil {
		return rows, fmt.Errorf("%s: %w", where, err)
	}
	api.Append(rows...)
	return rows, nil
}

// stepDecode decodes the pages, already in memory, into a typed table.
func stepDecode(_ context.Context, cfg *benchConfig, reps int) (stepResult, error) {
	files, bodies, size, err := readPages(cfg)
	if err != nil {
		return stepResult{}, err
	}
	var n int
	times, _, err := repeat(reps, func() (map[string]string, error) {
		api := &logs.WebAPI{}
		api.Grow(len(bodies) * cryptolens.MaxWebAPILogLimit)
		var dec cryptolens.Decoder
		var rows []cryptolens.WebAPILogRow
		for i, b := range bodies {
			if rows, err = appendPage(&dec, api, rows[:0], b, files[i]); err != nil {
				return nil, err
			}
		}
		n = api.Len()
		return nil, nil
	})
	return stepResult{Times: times, Rows: n, Bytes: size}, err
}

// stepDecodeJSON decodes the same pages with encoding/json into the same
// row structs: the baseline the decoder is measured against.
func stepDecodeJSON(_ context.Context, cfg *benchConfig, reps int) (stepResult, error) {
	files, bodies, size, err := readPages(cfg)
	if err != nil {
		return stepResult{}, err
	}
	var n int
	times, _, err := repeat(reps, func() (map[string]string, error) {
		all := make([]cryptolens.WebAPILogRow, 0, len(bodies)*cryptolens.MaxWebAPILogLimit)
		for i, b := range bodies {
			var page struct {
				Result  int
				Message string
				Logs    []cryptolens.WebAPILogRow
			}
			if err := json.Unmarshal(b, &page); err != nil {
				return nil, fmt.Errorf("%s: %w", files[i], err)
			}
			all = append(all, page.Logs...)
		}
		n = len(all)
		return nil, nil
	})
	return stepResult{Times: times, Rows: n, Bytes: size}, err
}

// endToEnd makes the end-to-end step: read the page files from disk,
// decode them into a table and run the three analyses of the help site's
// report. reserve sizes the table's columns up front.
func endToEnd(reserve bool) goStep {
	return func(_ context.Context, cfg *benchConfig, reps int) (stepResult, error) {
		files, err := pageFiles(cfg)
		if err != nil {
			return stepResult{}, err
		}
		times, check, err := repeat(reps, func() (map[string]string, error) {
			api, err := loadPageFiles(files, reserve)
			if err != nil {
				return nil, err
			}
			return threeAnalyses(api)
		})
		return stepResult{Times: times, Rows: rowsOf(check), Check: check}, err
	}
}

// threeColumns are the columns the three analyses read (besides the id
// and the time, which every load has): what a notebook cell running them
// loads.
var threeColumns = []string{"State", "Key"}

// stepStore loads the sample's window from the store, only the columns
// the three analyses read, and runs them.
func stepStore(_ context.Context, cfg *benchConfig, reps int) (stepResult, error) {
	st, err := logstore.Open(cfg.Store)
	if err != nil {
		return stepResult{}, err
	}
	times, check, err := repeat(reps, func() (map[string]string, error) {
		api, err := st.WebAPI(cfg.window(), threeColumns...)
		if err != nil {
			return nil, err
		}
		return threeAnalyses(api)
	})
	return stepResult{Times: times, Rows: rowsOf(check), Check: check}, err
}

// window is the sample's history: everything before WindowTo, so rows a
// re-sync added later are left out.
func (cfg *benchConfig) window() logs.Window {
	return logs.Window{To: time.Unix(cfg.WindowTo, 0).UTC()}
}

// loadStore loads the sample's window from the store, for in-memory steps.
func loadStore(cfg *benchConfig) (*logs.WebAPI, error) {
	st, err := logstore.Open(cfg.Store)
	if err != nil {
		return nil, err
	}
	return st.WebAPI(cfg.window())
}

// inMemory makes a step that loads the table once and times one analysis.
func inMemory(run func(api *logs.WebAPI, cfg *benchConfig) (map[string]string, error)) goStep {
	return func(_ context.Context, cfg *benchConfig, reps int) (stepResult, error) {
		api, err := loadStore(cfg)
		if err != nil {
			return stepResult{}, err
		}
		times, check, err := repeat(reps, func() (map[string]string, error) { return run(api, cfg) })
		return stepResult{Times: times, Rows: api.Len(), Check: check}, err
	}
}

func heaviest(api *logs.WebAPI, _ *benchConfig) (map[string]string, error) {
	r, err := analysis.HeaviestKeys(api, 0.01)
	if err != nil {
		return nil, err
	}
	return checkHeavy(r), nil
}

func seatAudit(api *logs.WebAPI, cfg *benchConfig) (map[string]string, error) {
	audited := *api // the whole log, audited over the window: rows before it are replayed
	audited.Period = cfg.window()
	rep, err := analysis.SeatAudit(&audited, cfg.AuditKey, cfg.AuditSeats)
	if err != nil {
		return nil, err
	}
	return checkSeats(rep), nil
}

// stepFrame turns the table into a gota DataFrame.
func stepFrame(_ context.Context, cfg *benchConfig, reps int) (stepResult, error) {
	api, err := loadStore(cfg)
	if err != nil {
		return stepResult{}, err
	}
	times, check, err := repeat(reps, func() (map[string]string, error) {
		df := api.Frame()
		if df.Err != nil {
			return nil, df.Err
		}
		return map[string]string{"frame rows": strconv.Itoa(df.Nrow())}, nil
	})
	return stepResult{Times: times, Rows: api.Len(), Check: check}, err
}

// stepDisplay shows the whole table's frame as a notebook HTML table, as
// nb.Show does in a notebook cell.
func stepDisplay(_ context.Context, cfg *benchConfig, reps int) (stepResult, error) {
	api, err := loadStore(cfg)
	if err != nil {
		return stepResult{}, err
	}
	df := api.Frame()
	front := &htmlCapture{}
	d := &nb.Display{Frontend: front, Notebook: func() bool { return true }, Out: io.Discard}
	times, check, err := repeat(reps, func() (map[string]string, error) {
		front.html = ""
		d.Show(df)
		if front.html == "" {
			return nil, fmt.Errorf("nb.Show sent no HTML")
		}
		return map[string]string{"html bytes": strconv.Itoa(len(front.html))}, nil
	})
	return stepResult{Times: times, Rows: api.Len(), Check: check}, err
}

// htmlCapture is a notebook front end that keeps the last HTML it was sent.
type htmlCapture struct{ html string }

func (h *htmlCapture) DisplayHTML(html string)   { h.html = html }
func (h *htmlCapture) DisplayMarkdown(string)    {}
func (h *htmlCapture) DisplayPNG([]byte)         {}
func (h *htmlCapture) UpdateHTML(string, string) {}
func (h *htmlCapture) UniqueID() string          { return "bench" }

// memoryProbe is how much memory stepMemory touches.
const memoryProbe = 256 << 20

// stepMemory measures what the machine charges for memory, the floor of
// every loading step: the first touch of fresh memory, faulted in page by
// page by the writes, and backed in one call (logs.Prefault) before
// them; then copying memory already touched (best of reps). Its Times are
// seconds per GiB, in that order.
func stepMemory(_ context.Context, _ *benchConfig, reps int) (stepResult, error) {
	touch := func(b []byte) {
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
	}
	perGiB := func(d time.Duration) float64 { return d.Seconds() * (1 << 30) / memoryProbe }
	faulted, unmap, err := freshMemory(memoryProbe)
	if err != nil {
		return stepResult{}, err
	}
	defer unmap()
	start := time.Now()
	touch(faulted)
	fault := perGiB(time.Since(start))
	populated, unmap2, err := freshMemory(memoryProbe)
	if err != nil {
		return stepResult{}, err
	}
	defer unmap2()
	start = time.Now()
	logs.Prefault(populated)
	touch(populated)
	populate := perGiB(time.Since(start))
	cp := math.Inf(1)
	for range reps {
		start = time.Now()
		copy(faulted, populated)
		cp = min(cp, perGiB(time.Since(start)))
	}
	return stepResult{Times: []float64{fault, populate, cp}}, nil
}

// stepSync syncs the Web API Log from the server in $CRYPTOLENS_API_URL
// into the store; bench runs it twice: the first sync, then a re-sync after
// the server added rows.
func stepSync(ctx context.Context, cfg *benchConfig, _ int) (stepResult, error) {
	acct, err := lenslog.ConfigFromEnv()
	if err != nil {
		return stepResult{}, err
	}
	st, err := logstore.Open(cfg.Store)
	if err != nil {
		return stepResult{}, err
	}
	c := cryptolens.New(acct.Token)
	c.BaseURL = acct.BaseURL
	start := time.Now()
	res, err := st.Sync(ctx, c, logstore.SyncOptions{Logs: []logstore.Log{logstore.WebAPI}, Workers: cfg.SyncWorkers})
	elapsed := time.Since(start).Seconds()
	if err != nil {
		return stepResult{}, err
	}
	r := res[0]
	return stepResult{Times: []float64{elapsed}, Rows: r.NewRows, Requests: r.Requests,
		Check: map[string]string{"store rows": strconv.Itoa(r.Total)}}, nil
}

// threeAnalyses runs the help site's report: success ratio, heaviest keys
// and requests per day.
func threeAnalyses(api *logs.WebAPI) (map[string]string, error) {
	check := checkSuccess(analysis.SuccessRatio(api))
	heavy, err := analysis.HeaviestKeys(api, 0.01)
	if err != nil {
		return nil, err
	}
	for k, v := range checkHeavy(heavy) {
		check[k] = v
	}
	for k, v := range checkDays(analysis.RequestsPerDay(api)) {
		check[k] = v
	}
	return check, nil
}

// The check values: each analysis's result as text, formatted as the
// pandas script formats its own.

func checkSuccess(r *analysis.Ratio) map[string]string {
	return map[string]string{
		"rows":          strconv.Itoa(r.Total()),
		"success share": fmt.Sprintf("%.6f", r.Share(cryptolens.OutcomeSuccess)),
	}
}

func checkHeavy(r *analysis.Ranking) map[string]string {
	top := "none"
	if len(r.Rows) > 0 {
		top = fmt.Sprintf("%s %.6f", r.Rows[0].Label, r.Rows[0].Share)
	}
	return map[string]string{"heavy keys": strconv.Itoa(len(r.Rows)), "heaviest": top}
}

func checkDays(t *analysis.OutcomeTable) map[string]string {
	total := 0
	for _, r := range t.Rows {
		total += r.Total()
	}
	return map[string]string{"days": strconv.Itoa(len(t.Rows)), "per-day total": strconv.Itoa(total)}
}

func checkSharing(s *analysis.Sharing) map[string]string {
	var machines, ips int
	for _, r := range s.Rows {
		machines += r.Machines
		ips += r.IPs
	}
	return map[string]string{"keys": strconv.Itoa(len(s.Rows)),
		"machines summed": strconv.Itoa(machines), "ips summed": strconv.Itoa(ips)}
}

func checkSeats(rep *analysis.SeatReport) map[string]string {
	return map[string]string{"seat replay": fmt.Sprintf("act=%d ver=%d deact=%d exp=%d over=%d limit=%d",
		rep.Activations, rep.Verifications, rep.Deactivations, rep.Expiries, rep.Overdrafts, rep.DeviceLimit)}
}

// rowsOf reads the row count a check recorded.
func rowsOf(check map[string]string) int {
	n, _ := strconv.Atoi(check["rows"])
	return n
}

// sameChecks compares the values both sides report and returns the names
// of those that differ, sorted; only names both report are compared.
func sameChecks(a, b map[string]string) (compared int, differ []string) {
	for k, v := range a {
		w, ok := b[k]
		if !ok {
			continue
		}
		compared++
		if v != w {
			differ = append(differ, k)
		}
	}
	slices.Sort(differ)
	return compared, differ
}
