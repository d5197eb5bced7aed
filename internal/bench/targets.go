package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// loopResults are the notebook-loop steps, run once per bench run after
// the sizes: a cell's rebuild, a first sync over a slow link, the whole
// report. A nil field did not run; why says why.
type loopResults struct {
	cell       []cellResult
	deps       []cellDep
	cellWhy    string
	cellNote   string // a way the cell step left out, and why
	latency    *latencyResult
	latencyWhy string
	report     []reportResult
	reportWhy  string
}

// cellTarget, reportTarget: issue 15's goals for the loop.
const (
	cellTarget    = 0.35 // the warm rebuild at least this much faster than the old way
	reportTarget  = 60.0 // seconds for the whole report, warm
	syncTolerance = 1.15 // all logs at once within this factor of the slowest log alone
	regression    = 1.20 // slower than RESULTS.md by more than this names a step
)

// measureLoop runs the loop steps that o allows.
func measureLoop(ctx context.Context, o *Options, stderr io.Writer) loopResults {
	var lr loopResults
	log := func(format string, args ...any) { progress(stderr, format, args...) }
	log("first sync of all logs over a link that holds each request %s", format.Duration(syncLatency))
	if r, err := measureSyncLatency(ctx); err != nil {
		lr.latencyWhy = "failed: " + err.Error()
	} else {
		lr.latency = &r
	}
	switch {
	case o.Root == "":
		lr.cellWhy = "not run (no repository to build against)"
	default:
		ways := []cellWay{
			{name: "old: code of 29 Nov (" + cellBaseline[:7] + "), plain go build", rev: cellBaseline},
			{name: "this code, plain go build"},
			{name: "new: this code, GOFLAGS=" + o.CellGoflags, goflags: o.CellGoflags},
		}
		cell, deps, skipped, err := measureCell(ctx, o.Root, ways, max(o.Reps, 5), log)
		if err != nil {
			lr.cellWhy = "failed: " + err.Error()
		} else {
			lr.cell, lr.deps, lr.cellNote = cell, deps, skipped
		}
	}
	switch {
	case o.NoReport:
		lr.reportWhy = "not run (-no-report)"
	case len(o.Report) == 0:
		lr.reportWhy = "not run (no report command)"
	default:
		ways := []reportWay{
			{name: fmt.Sprintf("new: -j %d, cells built with the kernel's flags", runtime.NumCPU()), jobs: runtime.NumCPU()},
			{name: "old: -j 1, plain go build", jobs: 1, goflags: "-ldflags= -tags="},
		}
		rep, err := measureReport(ctx, o.Report, ways, log)
		if err != nil {
			lr.reportWhy = "failed: " + err.Error()
		} else {
			lr.report = rep
		}
	}
	return lr
}

// writeLoop writes the loop steps' tables.
func writeLoop(w io.Writer, lr loopResults) {
	fmt.Fprintf(w, "\n## The notebook loop\n\n### A cell's warm rebuild\n\n")
	if lr.cell == nil {
		fmt.Fprintf(w, "%s.\n", lr.cellWhy)
	} else {
		fmt.Fprintf(w, "A typical cell program (02-success-ratio's chart cell: lenslog, analysis, charts, nb) built as GoNB "+
			"builds it (`go build -o BIN` in a module of its own whose go.work uses the repository), after a one-line edit, "+
			"the ways taking turns, %d builds each.\n\n", len(lr.cell[0].times))
		if lr.cellNote != "" {
			fmt.Fprintf(w, "%s.\n\n", lr.cellNote)
		}
		fmt.Fprintln(w, "| way | warm rebuild (best) | median | binary |")
		fmt.Fprintln(w, "| --- | ---: | ---: | ---: |")
		for _, c := range lr.cell {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", c.way.name, fmtSeconds(best(c.times)), fmtSeconds(median(c.times)), fmtMB(c.size))
		}
		writeDeps(w, lr.deps)
	}
	fmt.Fprintf(w, "\n### First sync of all logs, %s per request\n\n", format.Duration(syncLatency))
	if l := lr.latency; l == nil {
		fmt.Fprintf(w, "%s.\n", lr.latencyWhy)
	} else {
		fmt.Fprintf(w, "A %s-row sample account behind the sample server holding each request %s; %s requests.\n\n",
			format.Count(syncLatencyRows), format.Duration(syncLatency), format.Count(l.requests))
		fmt.Fprintln(w, "| way | time |")
		fmt.Fprintln(w, "| --- | ---: |")
		for _, lg := range logstore.AllLogs() {
			fmt.Fprintf(w, "| %s alone | %s |\n", lg, fmtSeconds(l.perLog[lg]))
		}
		fmt.Fprintf(w, "| old: one log after the other (sum) | %s |\n", fmtSeconds(l.sequential))
		fmt.Fprintf(w, "| new: all logs at once (one Sync) | %s |\n", fmtSeconds(l.concurrent))
	}
	fmt.Fprintf(w, "\n### The whole report, warm caches\n\n")
	if lr.report == nil {
		fmt.Fprintf(w, "%s.\n", lr.reportWhy)
		return
	}
	fmt.Fprintln(w, "| way | time | report's own summary |")
	fmt.Fprintln(w, "| --- | ---: | --- |")
	for _, r := range lr.report {
		s := r.summary
		if r.failed {
			s += " (**a notebook failed**)"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", r.way.name, fmtSeconds(r.seconds), s)
	}
	fmt.Fprintf(w, "\nEach notebook (%s):\n\n", lr.report[0].way.name)
	for _, line := range sortedValues(lr.report[0].notebooks) {
		fmt.Fprintf(w, "    %s\n", line)
	}
}

// writeTargets writes issue 15's targets, each with its figure and whether
// it is met, from the first size's rows and the loop; base is the RESULTS.md
// to compare against ("" for none).
func writeTargets(w io.Writer, rows []measured, large *storeOnly, lr loopResults, base string) {
	fmt.Fprintf(w, "\n## Targets (issue 15)\n\n")
	fmt.Fprintln(w, "| target | figure | goal | met |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	line := func(name, figure, goal, met string) {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, figure, goal, met)
	}
	byStep := map[string]measured{}
	for _, m := range rows {
		if _, ok := byStep[m.row.ours]; !ok {
			byStep[m.row.ours] = m
		}
	}
	if m, ok := byStep["store"]; ok && m.peer != nil {
		r := best(m.peer.Times) / best(m.ours.Times)
		line("1. columns on demand: store → three analyses", fmt.Sprintf("%s pandas from JSON, %s peak RSS", fmtRatio(r), fmtBytes(m.ours.RSS)),
			"≥ 50×, ≤ 64 MiB", yesNo(r >= 50 && m.ours.RSS <= 64<<20))
	} else {
		line("1. columns on demand", "not run (pandas missing)", "≥ 50×, ≤ 64 MiB", "n/a")
	}
	if large != nil {
		line(fmt.Sprintf("1. columns on demand at %s rows", format.Count(large.rows)),
			fmt.Sprintf("%s peak RSS, %s", fmtBytes(large.res.RSS), fmtSeconds(best(large.res.Times))),
			"≤ 1 GiB", yesNo(large.res.RSS <= largeStoreRSS))
	} else {
		line("1. columns on demand at 10M rows", "not run (-store-rows 10000000)", "≤ 1 GiB", "n/a")
	}
	if n := len(lr.cell); n >= 2 {
		first, last := lr.cell[0], lr.cell[n-1]
		old, cur := best(first.times), best(last.times)
		gain := 1 - cur/old
		against := "the code of 29 Nov"
		if first.way.rev == "" {
			against = first.way.name // the baseline could not be had
		}
		line("2. faster cells: warm rebuild of a typical cell", fmt.Sprintf("%s against %s (%s): %.0f%% faster (median %.0f%%); binary %s against %s",
			fmtSeconds(cur), fmtSeconds(old), against, 100*gain, 100*(1-median(last.times)/median(first.times)), fmtMB(last.size), fmtMB(first.size)),
			fmt.Sprintf("≥ %.0f%% faster", 100*cellTarget), yesNo(gain >= cellTarget))
	} else {
		line("2. faster cells", lr.cellWhy, fmt.Sprintf("≥ %.0f%% faster", 100*cellTarget), "n/a")
	}
	if len(lr.report) == 2 {
		cur, old := lr.report[0], lr.report[1]
		line("3. parallel reports: whole report, warm", fmt.Sprintf("%s (%s) against %s (%s): %s",
			fmtSeconds(cur.seconds), cur.way.name, fmtSeconds(old.seconds), old.way.name, fmtRatio(old.seconds/cur.seconds)),
			fmt.Sprintf("≤ %.0f s", reportTarget), yesNo(cur.seconds <= reportTarget && !cur.failed))
	} else {
		line("3. parallel reports", lr.reportWhy, fmt.Sprintf("≤ %.0f s", reportTarget), "n/a")
	}
	if l := lr.latency; l != nil {
		line("4. parallel syncs: first sync, "+format.Duration(syncLatency)+" a request", fmt.Sprintf("%s all at once against %s one after the other (%s); slowest log alone %s",
			fmtSeconds(l.concurrent), fmtSeconds(l.sequential), fmtRatio(l.sequential/l.concurrent), fmtSeconds(l.slowest())),
			"the slowest log's time, not the sum", yesNo(l.concurrent <= syncTolerance*l.slowest()))
	} else {
		line("4. parallel syncs", lr.latencyWhy, "the slowest log's time", "n/a")
	}
	writeGuards(line, byStep, rows)
	const guardName = "5d. guard: no step > 20% worse than RESULTS.md (ratio to the peer, else time)"
	regressed, why := regressions(rows, base)
	switch {
	case why != "":
		line(guardName, why, "none", "n/a")
	case len(regressed) > 0:
		line(guardName, strings.Join(regressed, "; "), "none", "**no**")
	default:
		line(guardName, "none", "none", "yes")
	}
}

// writeGuards writes the guards on decode, end to end and the in-memory
// analyses.
func writeGuards(line func(name, figure, goal, met string), byStep map[string]measured, rows []measured) {
	ratio := func(m measured) float64 { return best(m.peer.Times) / best(m.ours.Times) }
	if m, ok := byStep["decode"]; ok && m.peer != nil {
		line("5a. guard: decode vs encoding/json (fresh process)", fmtRatio(ratio(m)), "≥ 3×", yesNo(ratio(m) >= 3))
	}
	if m, ok := byStep["e2e"]; ok && m.peer != nil {
		line("5b. guard: end to end vs pandas", fmtRatio(ratio(m)), "≥ 10×", yesNo(ratio(m) >= 10))
	} else {
		line("5b. guard: end to end vs pandas", "not run (pandas missing)", "≥ 10×", "n/a")
	}
	var parts []string
	ok, ran := true, false
	for _, m := range rows {
		if !inMemorySteps[m.row.ours] || m.row.target.speedup != 1 || m.peer == nil {
			continue
		}
		ran = true
		parts = append(parts, fmt.Sprintf("%s %s", strings.TrimSuffix(m.row.title, " (in memory)"), fmtRatio(ratio(m))))
		ok = ok && ratio(m) >= 1
	}
	if ran {
		line("5c. guard: each in-memory analysis vs pandas", strings.Join(parts, "; "), "≥ 1×", yesNo(ok))
	} else {
		line("5c. guard: each in-memory analysis vs pandas", "not run (pandas missing)", "≥ 1×", "n/a")
	}
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

var sizeHeading = regexp.MustCompile(`^#+ ([\d,]+) Web API rows`)

// regressions names the rows that are more than 20% worse than the same
// row in the baseline report at path, in its section for the size nearest
// this run's (within 10%): for a row with a peer, its ratio to the peer
// (both sides ran in the same run, so the machine's load mostly cancels
// out); for a row without one, its time. why says why nothing was
// compared.
func regressions(rows []measured, path string) (names []string, why string) {
	if len(rows) == 0 {
		return nil, "no rows"
	}
	if path == "" {
		return nil, "no baseline given"
	}
	base, err := readBaseline(path, rows[0].ours.Rows)
	if err != nil {
		return nil, "no baseline: " + err.Error()
	}
	for _, m := range rows {
		was, ok := base[m.row.title]
		if !ok {
			continue
		}
		now := best(m.ours.Times)
		if m.peer != nil && was.ratio > 0 {
			if r := best(m.peer.Times) / now; r*regression < was.ratio {
				names = append(names, fmt.Sprintf("%s: %s %s, was %s", m.row.title, fmtRatio(r), m.row.peer, fmtRatio(was.ratio)))
			}
			continue
		}
		if now > regression*was.seconds {
			names = append(names, fmt.Sprintf("%s: %s, was %s", m.row.title, fmtSeconds(now), fmtSeconds(was.seconds)))
		}
	}
	return names, ""
}

// baseRow is one row of the baseline table: lenslog's time, and its ratio
// to the peer (0 for none).
type baseRow struct{ seconds, ratio float64 }

// readBaseline reads the baseline table for about rows rows: title → row.
func readBaseline(path string, rows int) (map[string]baseRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]baseRow{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") { // a heading ends a table; a size heading may start the one wanted
			in = false
			if m := sizeHeading.FindStringSubmatch(line); m != nil {
				n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
				in = len(out) == 0 && n > 0 && float64(n) >= 0.9*float64(rows) && float64(n) <= 1.1*float64(rows)
			}
			continue
		}
		if !in || !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		if s, ok := parseSeconds(strings.TrimSpace(cells[2])); ok {
			r := baseRow{seconds: s}
			if len(cells) > 5 {
				r.ratio = parseRatio(strings.TrimSpace(cells[5]))
			}
			out[strings.TrimSpace(cells[1])] = r
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no table for about %s rows", path, format.Count(rows))
	}
	return out, sc.Err()
}

// parseRatio reads a ratio as fmtRatio writes it; 0 if it is none.
func parseRatio(s string) float64 {
	v, dir, ok := strings.Cut(s, "× ")
	f, err := strconv.ParseFloat(v, 64)
	switch {
	case !ok || err != nil || f <= 0:
		return 0
	case dir == "slower":
		return 1 / f
	}
	return f
}

// parseSeconds reads a time as fmtSeconds writes it.
func parseSeconds(s string) (float64, bool) {
	for _, u := range []struct {
		suffix string
		scale  float64
	}{{" µs", 1e-6}, {" ms", 1e-3}, {" s", 1}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f * u.scale, err == nil
		}
	}
	return 0, false
}

// fmtMB formats a binary's size in decimal megabytes, as the issue does.
func fmtMB(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB" }

// sortedValues returns a map's values in the order of their keys.
func sortedValues(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
