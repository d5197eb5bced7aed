package nb

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

var update = flag.Bool("update", false, "rewrite testdata golden files from the current output")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s changed (go test -update rewrites it after review)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// stateFrame is a small mixed-type frame like an analysis result.
func stateFrame(rows int) dataframe.DataFrame {
	states := make([]string, rows)
	counts := make([]int, rows)
	shares := make([]float64, rows)
	for i := range rows {
		states[i] = []string{"2014", "2015", "<b>2024</b>", "6011"}[i%4]
		counts[i] = 1000 - i*7
		shares[i] = float64(counts[i]) / 7000
	}
	return dataframe.New(
		series.New(states, series.String, "state"),
		series.New(counts, series.Int, "count"),
		series.New(shares, series.Float, "share"),
	)
}

type ratio struct{ df dataframe.DataFrame }

func (r ratio) Frame() dataframe.DataFrame { return r.df }

func TestShowFrame(t *testing.T) {
	tests := []struct {
		name   string
		v      any
		golden string
		want   []string
	}{
		{"small frame whole", stateFrame(4), "frame_small", []string{"4 rows × 3 columns"}},
		{"long frame cut to head and tail", stateFrame(25), "frame_cut", []string{"… 5 more rows …", "25 rows × 3 columns"}},
		{"pointer to frame", ptr(stateFrame(2)), "", []string{"2 rows × 3 columns"}},
		{"result with Frame method", ratio{stateFrame(1)}, "", []string{"1 row × 3 columns"}},
		{"empty frame", dataframe.New(series.New([]int{}, series.Int, "n")), "", []string{"0 rows × 1 column"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, f, out := textDisplay(t)
			d.Show(tt.v)
			if len(f.calls) != 0 {
				t.Errorf("plain-text path used the frontend: %+v", f.calls)
			}
			text := out.String()
			nd, _, nout := notebookDisplay(t)
			nf := nd.Frontend.(*fakeFrontend)
			nd.Show(tt.v)
			html := only(t, nf, "html").body
			if nout.Len() != 0 {
				t.Errorf("notebook path printed %q", nout)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) || !strings.Contains(html, w) {
					t.Errorf("%q missing from text or HTML:\n%s\n%s", w, text, html)
				}
			}
			if tt.golden != "" {
				golden(t, tt.golden+".txt", text)
				golden(t, tt.golden+".html", html)
			}
		})
	}
}

func ptr(df dataframe.DataFrame) *dataframe.DataFrame { return &df }

func TestShowFrameHTML(t *testing.T) {
	d, f, _ := notebookDisplay(t)
	d.Show(stateFrame(25))
	html := only(t, f, "html").body
	checks := []struct{ name, want string }{
		{"headers in words", `<th style="text-align:right">Count</th>`},
		{"numbers right-aligned with separators", `<td style="white-space:nowrap;text-align:right">1,000</td>`},
		{"shares as percent", `<td style="white-space:nowrap;text-align:right">14.3%</td>`},
		{"strings left-aligned and wrapping", `<td style="text-align:left">2014</td>`},
		{"strings escaped", `&lt;b&gt;2024&lt;/b&gt;`},
		{"tail row numbers kept", `>24</th>`},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(html, c.want) {
				t.Errorf("HTML lacks %s", c.want)
			}
		})
	}
	if strings.Contains(html, "<b>2024") {
		t.Error("a cell's HTML reached the table unescaped")
	}
	if n := strings.Count(html, `<tr><th style="color`); n != 20 {
		t.Errorf("%d data rows, want 10 + 10", n)
	}
}

func TestShowFrameCutConfigured(t *testing.T) {
	d, _, out := textDisplay(t)
	d.Head, d.Tail = 2, 1
	d.Show(stateFrame(6))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// names, types, 2 head rows, more line, 1 tail row, footer
	if len(lines) != 7 || strings.TrimSpace(lines[4]) != "… 3 more rows …" {
		t.Errorf("cut 2+1 of 6 rows gave:\n%s", out)
	}
}

func TestShowFrameError(t *testing.T) {
	d, _, out := textDisplay(t)
	d.Show(dataframe.New(series.New([]int{1}, series.Int, "a"), series.New([]int{1, 2}, series.Int, "b")))
	if !strings.HasPrefix(out.String(), "error: data frame: ") {
		t.Errorf("a frame with Err should show the error, got %q", out)
	}
}

func TestFormatCell(t *testing.T) {
	tests := []struct {
		name, column string
		e            series.Element
		want         string
	}{
		{"share column as percent", "Share", series.Floats([]float64{0.8443}).Elem(0), "84.4%"},
		{"tiny share", "failure_rate", series.Floats([]float64{3.787e-05}).Elem(0), "<0.1%"},
		{"count with separators", "Requests", series.Ints([]int{1376}).Elem(0), "1,376"},
		{"product id plain", "ProductId", series.Ints([]int{3349}).Elem(0), "3349"},
		{"state code plain", "State", series.Ints([]int{2021}).Elem(0), "2021"},
		{"day as a date", "Day", series.Strings([]string{"2026-11-05 00:00:00 +0000 UTC"}).Elem(0), "2026-11-05"},
		{"duration in words", "Silent for", series.Strings([]string{"88h5m4s"}).Elem(0), "3 d 16 h"},
		{"a share the period cannot tell", "Month +3 share", series.Floats([]float64{math.NaN()}).Elem(0), "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatCell(tt.e, tt.column); got != tt.want {
				t.Errorf("formatCell(%v, %q) = %q, want %q", tt.e, tt.column, got, tt.want)
			}
		})
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{3, "3"},
		{0.1 + 0.2, "0.3"},
		{0.87, "0.87"},
		{1234.56789, "1234.5679"},
		{0.00001234, "1.234e-05"},
		{-2.5, "-2.5"},
		{1e20, "1e+20"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatFloat(tt.in); got != tt.want {
				t.Errorf("formatFloat(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// bigFrame is a frame of n rows with an int, a float and a string column.
func bigFrame(n int) dataframe.DataFrame {
	ids := make([]int, n)
	vals := make([]float64, n)
	keys := make([]string, n)
	for i := range n {
		ids[i], vals[i], keys[i] = i, float64(i)/3, "KEY-ABCDE"
	}
	return dataframe.New(series.New(ids, series.Int, "id"), series.New(vals, series.Float, "value"), series.New(keys, series.String, "key"))
}

func TestShowFrameMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1M-row frame")
	}
	df := bigFrame(1_000_000)
	d, _, out := textDisplay(t)
	d.Show(df)
	if !strings.Contains(out.String(), "… 999,980 more rows …") || !strings.Contains(out.String(), "1,000,000 rows × 3 columns") {
		t.Errorf("1M-row frame not cut:\n%s", out)
	}
	if n := strings.Count(out.String(), "\n"); n > 30 {
		t.Errorf("%d lines for a cut table", n)
	}
}

func BenchmarkShowFrame1M(b *testing.B) {
	df := bigFrame(1_000_000)
	for _, mode := range []struct {
		name     string
		notebook bool
	}{{"text", false}, {"html", true}} {
		b.Run(mode.name, func(b *testing.B) {
			d := &Display{Out: discard{}, Frontend: &fakeFrontend{}, Notebook: func() bool { return mode.notebook }}
			for b.Loop() {
				d.Show(df)
				d.Frontend.(*fakeFrontend).calls = nil
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
