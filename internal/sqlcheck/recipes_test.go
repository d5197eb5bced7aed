package sqlcheck

import (
	"database/sql"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The DuckDB recipes of SCHEMA.md run as written on a synced store, with
// <store> replaced by its folder: every statement of every sql block that
// reads with read_parquet, but the inventory's (TestReadInventorySnapshots
// reads a store with snapshots the same way).
func TestSchemaRecipes(t *testing.T) {
	f := sampleFixture(t)
	doc, err := os.ReadFile("../../pkg/logstore/SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, block := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		text := block[1]
		if !strings.Contains(text, "read_parquet") || strings.Contains(text, "inventory/") {
			continue
		}
		db, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1) // one session: a view a block creates is there for its next statement
		for _, stmt := range strings.Split(strings.ReplaceAll(text, "<store>", f.dir), ";") {
			if isComment(stmt) {
				continue
			}
			rows, err := db.Query(stmt)
			if err != nil {
				t.Errorf("SCHEMA.md: %v\n%s", err, strings.TrimSpace(stmt))
				continue
			}
			n := 0
			for rows.Next() {
				n++
			}
			if err := rows.Err(); err != nil {
				t.Errorf("SCHEMA.md: %v\n%s", err, strings.TrimSpace(stmt))
			}
			rows.Close()
			if n == 0 && !strings.Contains(stmt, "CREATE") && !strings.Contains(stmt, "now()") {
				t.Errorf("SCHEMA.md: no rows from\n%s", strings.TrimSpace(stmt))
			}
			ran++
		}
		db.Close()
	}
	if ran < 8 {
		t.Errorf("ran %d statements of SCHEMA.md; the recipes were not found", ran)
	}
}

// isComment reports whether a statement is only SQL comments and space.
func isComment(stmt string) bool {
	for line := range strings.Lines(stmt) {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}
