package logs

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

func TestDictCodesAreStable(t *testing.T) {
	d := NewDict()
	if c := d.Code(""); c != 0 {
		t.Fatalf(`Code("") = %d, want 0`, c)
	}
	a, b := d.Code("a"), d.Code("b")
	if a == b || d.Code("a") != a || d.Value(a) != "a" || d.Value(b) != "b" {
		t.Fatalf("codes a=%d b=%d, values %q %q", a, b, d.Value(a), d.Value(b))
	}
	// "b", a new "c", "a", as a Parquet byte array lays them out.
	if got := d.AppendByteArray(nil, []byte("bca"), []uint32{0, 1, 2, 3}); len(got) != 3 || got[0] != b || got[2] != a ||
		d.Value(got[1]) != "c" {
		t.Errorf("AppendByteArray = %v, want [%d, new, %d]", got, b, a)
	}
	if _, ok := d.Lookup("zzz"); ok || d.Len() != 4 {
		t.Errorf("Lookup of an absent string found it, or it was added (Len %d)", d.Len())
	}
}

// Adders and readers at once, as a parallel load and a notebook reading
// an earlier table do: run with -race.
func TestDictConcurrentUse(t *testing.T) {
	d := NewDict()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				s := fmt.Sprintf("v%d", (i*7+g)%500)
				c := d.Code(s)
				if got := d.Value(c); got != s {
					t.Errorf("Value(Code(%q)) = %q", s, got)
					return
				}
			}
		})
	}
	wg.Wait()
	if d.Len() != 501 {
		t.Errorf("Len = %d, want 500 values and \"\"", d.Len())
	}
}

func TestStringsColumn(t *testing.T) {
	c := StringsOf(nil, "x", "", "y", "x")
	if c.Len() != 4 || c.At(0) != "x" || c.At(1) != "" || c.Codes[0] != c.Codes[3] || c.Codes[1] != 0 {
		t.Fatalf("column %+v", c)
	}
	if got := strings.Join(c.Values(), ","); got != "x,,y,x" {
		t.Errorf("Values = %q", got)
	}
	if code, ok := c.Code("y"); !ok || c.Dict.Value(code) != "y" {
		t.Errorf("Code(y) = %d, %v", code, ok)
	}
}

func TestTimesColumn(t *testing.T) {
	c := Times{0, 1767225600}
	if !c.At(0).IsZero() {
		t.Errorf("At(0) of 0 = %v, want the zero time", c.At(0))
	}
	if want := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); !c.At(1).Equal(want) || c.At(1).Location() != time.UTC {
		t.Errorf("At(1) = %v, want %v", c.At(1), want)
	}
}

// InUnix must agree with Contains on every window and second, including
// bounds that are not whole seconds, open ends and the zero time.
func TestInUnixMatchesContains(t *testing.T) {
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	bounds := []time.Time{{}, base, base.Add(500 * time.Millisecond), base.Add(3 * time.Second), base.Add(-time.Nanosecond),
		time.Unix(0, 0).UTC(), time.Unix(-5, 0).UTC()}
	secs := []int64{0, -6, -5, -1, 1, base.Unix() - 1, base.Unix(), base.Unix() + 1, base.Unix() + 2, base.Unix() + 3, base.Unix() + 4}
	for _, from := range bounds {
		for _, to := range bounds {
			w := Window{From: from, To: to}
			in := w.InUnix()
			for _, s := range secs {
				if got, want := in(s), w.Contains(Times{s}.At(0)); got != want {
					t.Errorf("%v: InUnix(%d) = %v, Contains = %v", w, s, got, want)
				}
			}
		}
	}
}

func TestOnlyLoadedNeed(t *testing.T) {
	api := &WebAPI{}
	api.Append(cryptolens.WebAPILogRow{ID: 1, Time: 100, Key: "K", State: 2010, ProductID: 3},
		cryptolens.WebAPILogRow{ID: 2, Time: 101, Key: "L", State: 2011, ProductID: 3})
	cut := api.Only(Columns{"Key"})
	for _, c := range []struct {
		name string
		want bool
	}{{"ID", true}, {"Time", true}, {"Key", true}, {"State", false}, {"ProductID", false}, {"Nope", false}} {
		if got := cut.Loaded(c.name); got != c.want {
			t.Errorf("Loaded(%s) = %v, want %v", c.name, got, c.want)
		}
	}
	if r := cut.Row(1); r.Key != "L" || r.State != 0 || r.ID != 2 {
		t.Errorf("Row(1) of the cut table = %+v, want its key and zero for what it lacks", r)
	}
	if got := cut.Take([]int{1}); got.Len() != 1 || got.Key.At(0) != "L" || got.State != nil {
		t.Errorf("Take on a cut table = %+v", got)
	}
	frame := cut.Frame()
	if names := strings.Join(frame.Names(), ","); names != "ID,Time (UTC),Key" {
		t.Errorf("frame of the cut table has columns %s", names)
	}
	var csv strings.Builder
	if err := cut.WriteCSV(&csv); err != nil || !strings.HasPrefix(csv.String(), "id,time,key\n") {
		t.Errorf("CSV of the cut table: %v\n%s", err, csv.String())
	}
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		cut.Need(WebAPIKey, WebAPIState)
		return ""
	}()
	if !strings.Contains(msg, "State") || !strings.Contains(msg, "Web API Log") {
		t.Errorf("Need panicked with %q, want it to name the table and the State column", msg)
	}
	if err := api.ColumnNames().Check("Web API Log", Columns{"Key", "Stat"}); err == nil || !strings.Contains(err.Error(), `"Stat"`) {
		t.Errorf("Check of a misspelt column: %v", err)
	}
}

// A table of random rows survives Append, Row, Take and Window with every
// column intact, times and strings included.
func TestTableRoundTripsRows(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var rows []cryptolens.WebAPILogRow
	for i := range 500 {
		rows = append(rows, cryptolens.WebAPILogRow{ID: int64(i + 1), Time: 1767225600 + r.Int64N(86400*3), ProductID: r.IntN(3),
			Key: fmt.Sprint("K", r.IntN(20)), IP: fmt.Sprint("10.0.0.", r.IntN(9)), State: cryptolens.State(2010 + r.IntN(3)),
			MachineCode: fmt.Sprint("m", r.IntN(50)), FloatingExpires: r.Int64N(2) * 1767229200})
	}
	api := &WebAPI{}
	api.Append(rows[:200]...)
	api.Append(rows[200:]...)
	for i, want := range rows {
		if got := api.Row(i); got != want {
			t.Fatalf("row %d = %+v, want %+v", i, got, want)
		}
	}
	w := Window{From: time.Unix(1767225600+86400, 0), To: time.Unix(1767225600+2*86400, 0)}
	win := api.Window(w)
	n := 0
	for _, want := range rows {
		if w.Contains(time.Unix(want.Time, 0)) {
			if got := win.Row(n); got != want {
				t.Fatalf("window row %d = %+v, want %+v", n, got, want)
			}
			n++
		}
	}
	if n != win.Len() || n == 0 {
		t.Errorf("window has %d rows, want %d", win.Len(), n)
	}
}

// TestColumnConstants: each table's column constants name its columns, in
// ColumnNames' order, so Need(WebAPIKey) asks for the column "Key".
func TestColumnConstants(t *testing.T) {
	tables := []struct {
		name   string
		cols   Columns
		consts func(i int) string
	}{
		{"WebAPI", (*WebAPI).ColumnNames(nil), func(i int) string { return WebAPIColumn(i).String() }},
		{"Events", (*Events).ColumnNames(nil), func(i int) string { return EventsColumn(i).String() }},
		{"Objects", (*Objects).ColumnNames(nil), func(i int) string { return ObjectsColumn(i).String() }},
		{"UsageSummaries", (*UsageSummaries).ColumnNames(nil), func(i int) string { return UsageSummariesColumn(i).String() }},
	}
	for _, tt := range tables {
		t.Run(tt.name, func(t *testing.T) {
			for i, name := range tt.cols {
				if got := tt.consts(i); got != name {
					t.Errorf("column %d: constant names %q, want %q", i, got, name)
				}
			}
		})
	}
	if WebAPIKey.String() != "Key" || EventsFeatureName.String() != "FeatureName" {
		t.Errorf("WebAPIKey = %q, EventsFeatureName = %q", WebAPIKey, EventsFeatureName)
	}
}
