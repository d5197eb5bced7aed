package logschema

import (
	"strings"
	"testing"
)

func TestDescriptionIsConsistent(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if got := StoreFormat(); got < BaseFormat {
		t.Errorf("StoreFormat() = %d, below BaseFormat %d", got, BaseFormat)
	}
}

// Check catches the mistakes that would generate wrong code.
func TestCheckRejects(t *testing.T) {
	id := Column{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "ID"}
	tm := Column{Wire: "time", Field: "Time", Kind: Time, Parquet: "time", Frame: "Time"}
	tests := []struct {
		name    string
		cols    []Column
		rowTime string
		want    string
		load    *Load
	}{
		{"no id first", []Column{tm, id}, "", "first column must be the int64 id", nil},
		{"no time", []Column{id}, "", "0 Time columns", nil},
		{"two times", []Column{id, tm, {Wire: "t2", Field: "T2", Kind: Time, Parquet: "t2", Frame: "T2"}}, "", "2 Time columns", nil},
		{"repeated parquet name", []Column{id, tm, {Wire: "x", Field: "X", Kind: Int, Parquet: "time", Frame: "X"}}, "", "parquet time appears twice", nil},
		{"enum without type", []Column{id, tm, {Wire: "s", Field: "S", Kind: Enum, Parquet: "s", Frame: "S"}}, "", "Enum field", nil},
		{"named int", []Column{id, tm, {Wire: "s", Field: "S", Kind: Int, Named: true, Parquet: "s", Frame: "S"}}, "", "only an Enum", nil},
		{"personal number", []Column{id, tm, {Wire: "k", Field: "K", Kind: Int64, Personal: Key, Parquet: "k", Frame: "K"}}, "", "holds text", nil},
		{"added at an old format", []Column{id, tm, {Wire: "n", Field: "N", Kind: Int64, Since: 2, Parquet: "n", Frame: "N"}}, "", "needs Since after format 2", nil},
		{"no frame header", []Column{id, tm, {Wire: "n", Field: "N", Kind: Int64, Parquet: "n"}}, "", "needs Wire, Field, Parquet and Frame", nil},
		{"plain identifier", []Column{id, tm, {Wire: "k", Field: "K", Kind: String, Plain: true, Personal: Key, Parquet: "k", Frame: "K"}}, "", "is a String, not Plain", nil},
		{"row time not a time", []Column{id, {Wire: "d", Field: "D", Kind: Int64, Parquet: "d", Frame: "D"}}, "d", "names no Time or UsageTime", nil},
		{"delta text", []Column{id, tm, {Wire: "k", Field: "K", Kind: String, Delta: true, Parquet: "k", Frame: "K"}}, "", "only an Int64 column can be Delta", nil},
		{"load without pager", []Column{id, tm}, "", "needs Method, Doc, API, Pager", &Load{Method: "X", Doc: "returns X.", API: "ai/GetX", Rows: "X", Store: "X"}},
		{"load from a number", []Column{id, tm}, "", `its From, "id", names no Time`,
			&Load{Method: "X", Doc: "returns X.", API: "ai/GetX", Pager: "XForward", Rows: "X", Store: "X", From: "id"}},
		{"inventory load without permission", []Column{id, tm}, "", "needs Method, Doc, API, Permission",
			&Load{Method: "X", Doc: "returns X.", API: "product/GetX", Rows: "X", Store: "InventoryX"}},
		{"inventory product not a number", []Column{id, tm}, "", `its Product, "time", names no Int`,
			&Load{Method: "X", Doc: "returns X.", API: "product/GetX", Permission: "GetX", Rows: "X", Store: "InventoryX", Product: "time"}},
	}
	saved := Logs
	t.Cleanup(func() { Logs = saved })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inventory := tt.load != nil && strings.HasPrefix(tt.load.API, "product/")
			Logs = []Log{{Name: "x", Row: "XRow", Table: "X", Kind: "x", Columns: tt.cols, RowTime: tt.rowTime, Load: tt.load, Inventory: inventory}}
			err := Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// A nested member spelled like a column would be decoded twice over.
func TestCheckRejectsANestedColumn(t *testing.T) {
	saved := Logs
	t.Cleanup(func() { Logs = saved })
	Logs = []Log{{Name: "x", Row: "XRow", Table: "X", Kind: "x", Nested: []string{"time"}, Columns: []Column{
		{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "ID"},
		{Wire: "time", Field: "Time", Kind: Time, Parquet: "time", Frame: "Time"},
	}}}
	if err := Check(); err == nil || !strings.Contains(err.Error(), "nested member time appears twice") {
		t.Errorf("Check() = %v, want the nested member named", err)
	}
}
