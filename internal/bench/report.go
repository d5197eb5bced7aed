package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// benchRow is one line of the bench table: a lenslog step, optionally
// against a peer's step, and the target the issue sets for it.
type benchRow struct {
	title    string
	ours     string // Go step
	peer     string // "pandas", "encoding/json" or "" for none
	peerStep string // the peer's step: a Go step for encoding/json, a pandas step for pandas
	target   target
	rate     rateKind
	// warm repeats a loading step inside one process instead of once per
	// process: the steady state of a long-running program, after the
	// first run has paid for fresh memory.
	warm bool
}

// rateKind says which throughput a row shows.
type rateKind int

const (
	rateNone  rateKind = iota
	rateBytes          // MB/s and rows/s, for decoding
	rateRows           // rows/s
)

// target is what a row must show for the goal to be met. Zero
// fields set no condition; a zero target is informational.
type target struct {
	speedup  float64 // peer time over lenslog time, at least
	rssShare float64 // lenslog peak RSS over the peer's, at most
	maxRSS   int64   // lenslog peak RSS, at most
	requests int     // HTTP requests made, exactly
	maxBytes int     // output size, at most (a cut table)
}

// String says the target in the table's words.
func (t target) String() string {
	var parts []string
	if t.speedup > 0 {
		parts = append(parts, "≥ "+trimFloat(t.speedup)+"× faster")
	}
	if t.rssShare > 0 {
		parts = append(parts, "≤ "+trimFloat(t.rssShare*100)+"% of peer RSS")
	}
	if t.maxRSS > 0 {
		parts = append(parts, "≤ "+fmtBytes(t.maxRSS)+" RSS")
	}
	if t.requests > 0 {
		parts = append(parts, strconv.Itoa(t.requests)+" requests")
	}
	if t.maxBytes > 0 {
		parts = append(parts, "cut: ≤ "+fmtBytes(int64(t.maxBytes)))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// verdict is whether a row met its target.
type verdict int

const (
	noTarget verdict = iota // informational row
	unknown                 // the peer did not run
	met
	missed
)

func (v verdict) String() string {
	return [...]string{"—", "n/a", "yes", "**no**"}[v]
}

// judge checks a row's measurements against its target. peer is nil when
// the row has no peer or the peer did not run.
func (t target) judge(ours, peer *stepResult) verdict {
	if t == (target{}) {
		return noTarget
	}
	if (t.speedup > 0 || t.rssShare > 0) && peer == nil {
		return unknown
	}
	ok := true
	if t.speedup > 0 {
		ok = ok && best(peer.Times)/best(ours.Times) >= t.speedup
	}
	if t.rssShare > 0 {
		ok = ok && ours.RSS > 0 && peer.RSS > 0 && float64(ours.RSS) <= t.rssShare*float64(peer.RSS)
	}
	if t.maxRSS > 0 {
		ok = ok && ours.RSS > 0 && ours.RSS <= t.maxRSS
	}
	if t.requests > 0 {
		ok = ok && ours.Requests == t.requests
	}
	if t.maxBytes > 0 {
		n, err := strconv.Atoi(ours.Check["html bytes"])
		ok = ok && err == nil && n <= t.maxBytes
	}
	if ok {
		return met
	}
	return missed
}

// best returns the shortest time.
func best(times []float64) float64 { return slices.Min(times) }

// median returns the median time.
func median(times []float64) float64 {
	s := slices.Clone(times)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// measured is one row with its results.
type measured struct {
	row        benchRow
	ours, peer *stepResult // peer nil when none ran
}

// cells returns the row's table cells, in tableHeader's order.
func (m measured) cells() []string {
	o, p := m.ours, m.peer
	c := []string{m.row.title, fmtSeconds(best(o.Times)), "—", "—", "—", fmtBytes(o.RSS), "—", m.rate(), m.row.target.String(),
		m.row.target.judge(o, p).String(), m.same()}
	switch {
	case m.row.peer == "":
	case p == nil:
		c[2], c[3] = m.row.peer, "not run"
	default:
		c[2], c[3] = m.row.peer, fmtSeconds(best(p.Times))
		c[4] = fmtRatio(best(p.Times) / best(o.Times))
		c[6] = fmtBytes(p.RSS)
	}
	if m.row.ours == "resync" || m.row.ours == "sync" {
		c[7] = strings.TrimPrefix(fmt.Sprintf("%s; %d requests", c[7], o.Requests), "; ")
	}
	return c
}

// rate formats the row's throughput.
func (m measured) rate() string {
	switch m.row.rate {
	case rateBytes:
		s := fmtRate(m.ours)
		if m.peer != nil {
			s += " (peer " + fmtRate(m.peer) + ")"
		}
		return s
	case rateRows:
		return fmtRows(float64(m.ours.Rows) / best(m.ours.Times))
	}
	return ""
}

// same compares what both sides computed.
func (m measured) same() string {
	if m.peer == nil {
		return "—"
	}
	n, differ := sameChecks(m.ours.Check, m.peer.Check)
	if n == 0 {
		if m.ours.Rows == m.peer.Rows {
			return "yes (rows)"
		}
		return fmt.Sprintf("**no**: %d rows vs %d", m.ours.Rows, m.peer.Rows)
	}
	if len(differ) > 0 {
		parts := make([]string, len(differ))
		for i, k := range differ {
			parts[i] = fmt.Sprintf("%s %q vs %q", k, m.ours.Check[k], m.peer.Check[k])
		}
		return "**no**: " + strings.Join(parts, "; ")
	}
	return "yes"
}

var tableHeader = []string{"step", "lenslog", "peer", "peer time", "lenslog is", "lenslog peak RSS",
	"peer peak RSS", "throughput", "target", "met", "same answer"}

// writeTable writes the rows as a Markdown table.
func writeTable(w io.Writer, rows []measured) {
	line := func(cells []string) {
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
	line(tableHeader)
	seps := make([]string, len(tableHeader))
	for i := range seps {
		seps[i] = "---"
		if i > 0 && i < 8 {
			seps[i] = "---:"
		}
	}
	line(seps)
	for _, m := range rows {
		line(m.cells())
	}
}

// fmtSeconds formats a duration in seconds with three significant digits.
func fmtSeconds(s float64) string {
	switch {
	case s >= 1:
		return strconv.FormatFloat(s, 'f', 2, 64) + " s"
	case s >= 1e-3:
		return strconv.FormatFloat(s*1e3, 'f', sigDecimals(s*1e3), 64) + " ms"
	default:
		return strconv.FormatFloat(s*1e6, 'f', sigDecimals(s*1e6), 64) + " µs"
	}
}

// sigDecimals returns the decimals that show v (in [1, 1000)) to three
// significant digits.
func sigDecimals(v float64) int {
	switch {
	case v >= 100:
		return 0
	case v >= 10:
		return 1
	}
	return 2
}

// fmtRatio formats how many times faster lenslog is, or slower.
func fmtRatio(r float64) string {
	switch {
	case math.IsInf(r, 0) || math.IsNaN(r) || r <= 0:
		return "—"
	case r >= 10:
		return strconv.FormatFloat(r, 'f', 0, 64) + "× faster"
	case r >= 1:
		return strconv.FormatFloat(r, 'f', 1, 64) + "× faster"
	default:
		return strconv.FormatFloat(1/r, 'f', 1, 64) + "× slower"
	}
}

// fmtBytes formats a size in binary units.
func fmtBytes(n int64) string {
	switch {
	case n <= 0:
		return "—"
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 2, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 0, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// fmtRate formats a decoding step's MB/s and rows/s.
func fmtRate(r *stepResult) string {
	t := best(r.Times)
	return fmt.Sprintf("%.0f MB/s, %s", float64(r.Bytes)/t/1e6, fmtRows(float64(r.Rows)/t))
}

// fmtRows formats rows per second.
func fmtRows(perSec float64) string {
	if perSec >= 1e6 {
		return strconv.FormatFloat(perSec/1e6, 'f', 2, 64) + " M rows/s"
	}
	return strconv.FormatFloat(perSec/1e3, 'f', 0, 64) + " k rows/s"
}

// machineLine describes the machine the bench ran on.
func machineLine(py pandasInfo) string {
	parts := []string{fmt.Sprintf("%d × %s", runtime.NumCPU(), cpuModel())}
	if mem := procField("/proc/meminfo", "MemTotal"); mem != "" {
		if kb, err := strconv.ParseInt(strings.Fields(mem)[0], 10, 64); err == nil {
			parts = append(parts, fmtBytes(kb*1024)+" RAM")
		}
	}
	osName := runtime.GOOS + "/" + runtime.GOARCH
	if rel, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		osName += " " + strings.TrimSpace(string(rel))
	}
	parts = append(parts, osName, runtime.Version())
	if py.ok() {
		parts = append(parts, fmt.Sprintf("Python %s (%s), pandas %s, numpy %s", py.version, py.python, py.pandas, py.numpy))
	} else {
		parts = append(parts, "pandas not available")
	}
	return strings.Join(parts, "; ")
}

// cpuModel returns the CPU's model name, or the architecture when the
// system does not say.
func cpuModel() string {
	if m := procField("/proc/cpuinfo", "model name"); m != "" {
		return m
	}
	return runtime.GOARCH + " CPU"
}

// procField returns the value of the first "name : value" line of a /proc
// file, or "".
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
