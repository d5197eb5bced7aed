package analysis

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestGoldenCSV(t *testing.T) {
	api := table(t, req("A", 2010, time.Hour), req("A", 2020, 25*time.Hour), req("B", 2034, 49*time.Hour), req("B", 2010, 49*time.Hour))
	tests := []struct {
		name string
		r    CSVWriter
	}{
		{"requests_per_day.csv", RequestsPerDay(api)},
		{"success_by_product.csv", SuccessByProduct(api)},
		{"success_ratio.csv", SuccessRatio(api)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.r.WriteCSV(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, buf.Bytes())
		})
	}
}

func TestFrameMatchesCSV(t *testing.T) {
	api := table(t, req("A", 2010, time.Hour), req("A", 2020, 25*time.Hour))
	r := RequestsPerDay(api)
	f := r.Frame()
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	recs := readCSV(t, r)
	got := f.Records()
	if len(got) != len(recs) {
		t.Fatalf("frame has %d records, csv %d", len(got), len(recs))
	}
	for i := range recs {
		for j := range recs[i] {
			a, errA := strconv.ParseFloat(got[i][j], 64)
			b, errB := strconv.ParseFloat(recs[i][j], 64)
			if errA == nil && errB == nil && a == b {
				continue // gota prints floats with %f; the value is what must agree
			}
			if got[i][j] != recs[i][j] {
				t.Errorf("cell %d,%d: frame %q csv %q", i, j, got[i][j], recs[i][j])
			}
		}
	}
}

func TestSaveCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ratio.csv")
	if err := SaveCSV(path, SuccessRatio(table(t, req("A", 2010, 0)))); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "Outcome,Requests,Share\nSuccess,1,1\nFailure,0,0\n" {
		t.Errorf("file = %q, %v", b, err)
	}
	err = SaveCSV(filepath.Join(t.TempDir(), "missing", "x.csv"), SuccessRatio(nil))
	if err == nil {
		t.Error("saving into a missing folder succeeded")
	}
}
