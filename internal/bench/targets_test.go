package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseSeconds(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5.38 s", 5.38, true}, {"25.2 ms", 0.0252, true}, {"143 µs", 143e-6, true}, {"—", 0, false}, {"1.2 GiB", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseSeconds(tt.in)
		if ok != tt.ok || (ok && (got < tt.want*0.999 || got > tt.want*1.001)) {
			t.Errorf("parseSeconds(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestRegressions checks that a step more than 20% slower than the
// baseline's table for the same size is named, and only that one.
func TestRegressions(t *testing.T) {
	base := filepath.Join(t.TempDir(), "RESULTS.md")
	md := `# old
### 5,000,000 Web API rows
| step | lenslog |
| --- | ---: |
| success ratio (in memory) | 1.00 ms |
### 988,316 Web API rows (989 pages)
| step | lenslog | peer | peer time | lenslog is |
| --- | ---: | ---: | ---: | ---: |
| success ratio (in memory) | 10.0 ms | — | — | — |
| heaviest keys (in memory) | 100 ms | — | — | — |
| key sharing (in memory) | 100 ms | pandas | 1.00 s | 10× faster |
| seat audit of one license (in memory) | 100 ms | pandas | 1.00 s | 10× faster |
`
	if err := os.WriteFile(base, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	row := func(title string, secs float64) measured {
		return measured{row: benchRow{title: title}, ours: &stepResult{Times: []float64{secs}, Rows: 1_000_000}}
	}
	withPeer := func(title string, secs, peer float64) measured {
		m := row(title, secs)
		m.row.peer, m.peer = "pandas", &stepResult{Times: []float64{peer}}
		return m
	}
	rows := []measured{row("success ratio (in memory)", 0.0125), row("heaviest keys (in memory)", 0.115), row("new step", 9),
		withPeer("key sharing (in memory)", 0.3, 2.7),               // slower, but so was pandas: 9×, within 20% of 10×
		withPeer("seat audit of one license (in memory)", 0.1, 0.8)} // 8×: more than 20% below 10×
	names, why := regressions(rows, base)
	want := []string{"success ratio (in memory): 12.5 ms, was 10.0 ms", "seat audit of one license (in memory): 8.0× faster pandas, was 10× faster"}
	if why != "" || strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("regressions = %q (%s), want %q", names, why, want)
	}
	if _, why := regressions([]measured{row("x", 1)}[:1], filepath.Join(t.TempDir(), "none.md")); !strings.Contains(why, "no baseline") {
		t.Errorf("missing baseline: why = %q", why)
	}
}

func TestParseRatio(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{{"3.6× faster", 3.6}, {"27× faster", 27}, {"2.0× slower", 0.5}, {"—", 0}}
	for _, tt := range tests {
		if got := parseRatio(tt.in); got != tt.want {
			t.Errorf("parseRatio(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestModuleOf(t *testing.T) {
	mods := []string{"github.com/parquet-go/parquet-go", "gonum.org/v1/plot", "gonum.org/v1/gonum"}
	tests := []struct{ sym, want string }{
		{"github.com/parquet-go/parquet-go.(*Reader).Read", "github.com/parquet-go/parquet-go"},
		{"github.com/parquet-go/parquet-go/encoding/thrift.Unmarshal", "github.com/parquet-go/parquet-go"},
		{"type:*gonum.org/v1/plot.Plot", "gonum.org/v1/plot"},
		{"gonum.org/v1/plotter.X", "std"}, // a prefix that is not the module
		{"runtime.mallocgc", "std"},
	}
	for _, tt := range tests {
		if got := moduleOf(tt.sym, mods); got != tt.want {
			t.Errorf("moduleOf(%q) = %q, want %q", tt.sym, got, tt.want)
		}
	}
}

func TestParseReportLog(t *testing.T) {
	log := "[1/2] notebooks/a.ipynb\na.ipynb: cell 2 (code 1/3)\nok   notebooks/a.ipynb (12.3s)\n" +
		"FAIL notebooks/b.ipynb: cell 4 failed (3s)\n    | x\n2 notebooks in 15.1s; slowest cell: a.ipynb cell 2 (4.1s)\n"
	summary, nbs := parseReportLog(log)
	if summary != "2 notebooks in 15.1s; slowest cell: a.ipynb cell 2 (4.1s)" {
		t.Errorf("summary = %q", summary)
	}
	if len(nbs) != 2 || nbs["notebooks/a.ipynb"] != "ok   notebooks/a.ipynb (12.3s)" || !strings.HasPrefix(nbs["notebooks/b.ipynb"], "FAIL") {
		t.Errorf("notebooks = %q", nbs)
	}
}

// The baseline is the first table of about the run's size and that table
// only: a later table under another heading (a larger size, "Then: ...")
// must not overwrite its rows.
func TestReadBaselineStopsAtTheNextHeading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "RESULTS.md")
	text := `## Latest run

### 982,555 Web API rows (983 pages)

| step | lenslog | peer | peer time | lenslog is |
| --- | ---: | ---: | ---: | ---: |
| end to end | 1.09 s | pandas | 6.31 s | 5.8× faster |

### The notebook loop

#### Then: 4,951,687 Web API rows

| step | lenslog | peer | peer time | lenslog is |
| --- | ---: | ---: | ---: | ---: |
| end to end | 5.59 s | pandas | 46.84 s | 8.4× faster |
`
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	base, err := readBaseline(path, 984144)
	if err != nil {
		t.Fatal(err)
	}
	if got := base["end to end"]; got.seconds != 1.09 || got.ratio != 5.8 {
		t.Errorf("baseline row %+v, want the 1M table's 1.09 s and 5.8×", got)
	}
}
