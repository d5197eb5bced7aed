package preflight

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// The doctor describes a store written by an older lenslog without
// upgrading it (it changes nothing), and says the next sync will.
func TestStoreStateOfAnOlderStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	if err := os.CopyFS(dir, os.DirFS("../logstore/testdata/format4-store")); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, "_lenslog.json"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := Store(lenslog.Config{Token: "test-token", StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := st.String(); !strings.Contains(got, "the next sync (or load) upgrades it once, from format 4 to 5: 7 segments") ||
		!strings.Contains(got, "every segment matches its checksum") {
		t.Errorf("state:\n%s\nwant the upgrade due named and a sound store", got)
	}
	after, err := os.ReadFile(filepath.Join(dir, "_lenslog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("the doctor changed the store file:\n%s", after)
	}
}

// The doctor's lines count in the house style: thousands separators, one
// thing in the singular, times and durations through pkg/format.
func TestDoctorLines(t *testing.T) {
	synced := time.Date(2026, 11, 5, 14, 3, 7, 0, time.UTC)
	st := &StoreState{Dir: "/s", Exists: true, Logs: []LogState{
		{LogInfo: logstore.LogInfo{Log: logstore.WebAPI, Rows: 1234567, LastID: 1234567}, Synced: synced},
		{LogInfo: logstore.LogInfo{Log: logstore.Events, Rows: 1, LastID: 7, Gaps: make([]logstore.Gap, 1)}},
		{LogInfo: logstore.LogInfo{Log: logstore.Objects, Rows: 2, LastID: 9, Gaps: make([]logstore.Gap, 1200)}},
	}}
	for _, want := range []string{
		"  webapi             1,234,567 rows, ids up to 1234567, last sync 2026-11-05 14:03:07 UTC",
		"  events                      1 row, ids up to 7, never synced, 1 gap a repair could not fill",
		"  objects                    2 rows, ids up to 9, never synced, 1,200 gaps a repair could not fill",
	} {
		if !strings.Contains(st.String()+"\n", want+"\n") {
			t.Errorf("the store's lines:\n%s\nwant the line\n%s", st, want)
		}
	}
	var b strings.Builder
	Result{URL: "http://x/api", Probes: []Probe{{Method: Methods[0], Took: 1500 * time.Millisecond}}}.Write(&b)
	if want := fmt.Sprintf("  ok   %-20s %s (2 s)\n", Methods[0].Name, Methods[0].Reads); !strings.Contains(b.String(), want) {
		t.Errorf("the check's lines:\n%s\nwant the line\n%s", &b, want)
	}
}
