package logstore

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// describeFile prints what an outside engine sees of a segment: the
// schema, the key-value metadata, and per column its physical type,
// encodings and codec.
func describeFile(t *testing.T, data []byte) string {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(f.Schema().String())
	b.WriteString("\n")
	md := f.Metadata()
	for _, kv := range md.KeyValueMetadata {
		if strings.HasPrefix(kv.Key, "lenslog.") {
			fmt.Fprintf(&b, "metadata %s = %s\n", kv.Key, kv.Value)
		}
	}
	for _, rg := range md.RowGroups[:1] {
		for _, sc := range rg.SortingColumns {
			fmt.Fprintf(&b, "sorted by column %d descending=%v\n", sc.ColumnIdx, sc.Descending)
		}
		for _, c := range rg.Columns {
			encs := make([]string, len(c.MetaData.Encoding))
			for i, e := range c.MetaData.Encoding {
				encs[i] = e.String()
			}
			slices.Sort(encs)
			fmt.Fprintf(&b, "column %-22s %-10s %-7s %s\n", strings.Join(c.MetaData.PathInSchema, "."),
				c.MetaData.Type, c.MetaData.Codec, strings.Join(encs, ","))
		}
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s changed (SCHEMA.md documents it; run go test -update if intended):\n%s", path, got)
	}
}

// TestSegmentSchema pins the columns outside engines see: a change here is
// a change to the documented schema (SCHEMA.md) and to FormatVersion.
func TestSegmentSchema(t *testing.T) {
	cases := []struct {
		name   string
		encode func(*bytes.Buffer) error
	}{
		{"webapi", func(w *bytes.Buffer) error {
			return webAPIKind.encode(w, []cryptolens.WebAPILogRow{fakeWebAPIRow(0), fakeWebAPIRow(1)})
		}},
		{"events", func(w *bytes.Buffer) error {
			return eventsKind.encode(w, []cryptolens.Event{fakeEvent(0), fakeEvent(1)})
		}},
		{"objects", func(w *bytes.Buffer) error {
			return objectsKind.encode(w, []cryptolens.ObjectLogEntry{fakeObject(0), fakeObject(1)})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.encode(&buf); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "schema_"+c.name+".txt", describeFile(t, buf.Bytes()))
		})
	}
}

// TestTimestampsAreUTCMicros checks the logical type outside engines use to
// read times: TIMESTAMP(MICROS) adjusted to UTC, with null for "not
// floating".
func TestTimestampsAreUTCMicros(t *testing.T) {
	var buf bytes.Buffer
	rows := []cryptolens.WebAPILogRow{fakeWebAPIRow(0), fakeWebAPIRow(1)} // row 0 floating, row 1 not
	if err := webAPIKind.encode(&buf, rows); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"time", "floating_expires"} {
		leaf, ok := f.Schema().Lookup(name)
		if !ok {
			t.Fatalf("no column %s", name)
		}
		lt := leaf.Node.Type().LogicalType()
		ts, ok := lt.Value.(*format.TimestampType)
		if !ok || !ts.IsAdjustedToUTC || ts.Unit.String() != "MICROS" {
			t.Errorf("%s: logical type %v, want TIMESTAMP(MICROS, UTC)", name, lt)
		}
	}
	got := make([]parquet.Row, 2)
	r := parquet.NewReader(f)
	if n, _ := r.ReadRows(got); n != 2 {
		t.Fatalf("read %d rows", n)
	}
	leaf, _ := f.Schema().Lookup("floating_expires")
	var fe []parquet.Value
	for _, row := range got {
		row.Range(func(col int, vals []parquet.Value) bool {
			if col == leaf.ColumnIndex {
				fe = append(fe, vals...)
			}
			return true
		})
	}
	if fe[0].IsNull() || fe[0].Int64() != rows[0].FloatingExpires*1_000_000 || !fe[1].IsNull() {
		t.Errorf("floating_expires = %v, want %d µs then null", fe, rows[0].FloatingExpires*1_000_000)
	}
}
