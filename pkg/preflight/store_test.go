package preflight

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/lenslog"
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
