package jupyter

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// iopubMsg builds an iopub message of type typ with JSON content.
func iopubMsg(typ, content string) *Message {
	return &Message{Header: Header{MsgType: typ}, Content: json.RawMessage(content)}
}

func TestCollector(t *testing.T) {
	html := func(s string) map[string]any { return map[string]any{"text/html": s} }
	tests := []struct {
		name    string
		msgs    []*Message
		want    []ipynb.Output
		updates int
	}{
		{"streams merge per name", []*Message{
			iopubMsg("stream", `{"name":"stdout","text":"a"}`),
			iopubMsg("stream", `{"name":"stdout","text":"b\n"}`),
			iopubMsg("stream", `{"name":"stderr","text":"e"}`),
			iopubMsg("stream", `{"name":"stdout","text":"c"}`),
		}, []ipynb.Output{
			{Type: ipynb.Stream, Name: "stdout", Text: "ab\n"},
			{Type: ipynb.Stream, Name: "stderr", Text: "e"},
			{Type: ipynb.Stream, Name: "stdout", Text: "c"},
		}, 0},
		{"update replaces display with same id", []*Message{
			iopubMsg("display_data", `{"data":{"text/html":"1"},"transient":{"display_id":"p"}}`),
			iopubMsg("display_data", `{"data":{"text/html":"other"}}`),
			iopubMsg("update_display_data", `{"data":{"text/html":"2"},"transient":{"display_id":"p"}}`),
		}, []ipynb.Output{
			{Type: ipynb.DisplayData, Data: html("2"), DisplayID: "p"},
			{Type: ipynb.DisplayData, Data: html("other")},
		}, 0},
		{"update for an earlier cell is kept aside", []*Message{
			iopubMsg("update_display_data", `{"data":{"text/html":"2"},"transient":{"display_id":"old"}}`),
		}, nil, 1},
		{"clear now", []*Message{
			iopubMsg("stream", `{"name":"stdout","text":"a"}`),
			iopubMsg("clear_output", `{"wait":false}`),
			iopubMsg("stream", `{"name":"stdout","text":"b"}`),
		}, []ipynb.Output{{Type: ipynb.Stream, Name: "stdout", Text: "b"}}, 0},
		{"clear waits for next output", []*Message{
			iopubMsg("stream", `{"name":"stdout","text":"a"}`),
			iopubMsg("clear_output", `{"wait":true}`),
			iopubMsg("stream", `{"name":"stdout","text":"b"}`),
		}, []ipynb.Output{{Type: ipynb.Stream, Name: "stdout", Text: "b"}}, 0},
		{"result and error", []*Message{
			iopubMsg("execute_result", `{"execution_count":3,"data":{"text/plain":"2"},"metadata":{}}`),
			iopubMsg("error", `{"ename":"E","evalue":"v","traceback":["t"]}`),
		}, []ipynb.Output{
			{Type: ipynb.ExecuteResult, Data: map[string]any{"text/plain": "2"}, Metadata: map[string]any{}, ExecutionCount: ptr(3)},
			{Type: ipynb.Error, EName: "E", EValue: "v", Traceback: []string{"t"}},
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCollector("", OutputLimits{})
			for _, m := range tt.msgs {
				if err := c.iopub(m); err != nil {
					t.Fatal(err)
				}
			}
			c.result()
			if !reflect.DeepEqual(c.res.Outputs, tt.want) {
				t.Errorf("outputs = %+v\nwant %+v", c.res.Outputs, tt.want)
			}
			if len(c.res.Updates) != tt.updates {
				t.Errorf("%d updates kept aside, want %d", len(c.res.Updates), tt.updates)
			}
		})
	}
}

func ptr(n int) *int { return &n }

func TestCollectorDone(t *testing.T) {
	c := newCollector("", OutputLimits{})
	steps := []struct {
		m    *Message
		done bool
	}{
		{iopubMsg("status", `{"execution_state":"busy"}`), false},
		{iopubMsg("execute_input", `{"execution_count":7}`), false},
		{iopubMsg("status", `{"execution_state":"idle"}`), false},
	}
	for _, s := range steps {
		if err := c.iopub(s.m); err != nil {
			t.Fatal(err)
		}
		if c.done() != s.done {
			t.Fatalf("after %s: done = %v", s.m.Type(), c.done())
		}
	}
	if err := c.reply(iopubMsg("execute_reply", `{"status":"error","execution_count":7,"ename":"E","evalue":"v"}`)); err != nil {
		t.Fatal(err)
	}
	if !c.done() || c.res.Status != "error" || *c.res.ExecutionCount != 7 || c.res.EName != "E" {
		t.Errorf("after reply: done=%v result=%+v", c.done(), c.res)
	}
}

func TestApplyUpdatesAcrossCells(t *testing.T) {
	cells := []*ipynb.Cell{
		{Type: ipynb.Code, Outputs: []ipynb.Output{{Type: ipynb.DisplayData, DisplayID: "x", Data: map[string]any{"text/plain": "old"}}}},
		{Type: ipynb.Code, Outputs: []ipynb.Output{{Type: ipynb.DisplayData, DisplayID: "y", Data: map[string]any{"text/plain": "keep"}}}},
	}
	applyUpdates(cells, []ipynb.Output{{DisplayID: "x", Data: map[string]any{"text/plain": "new"}}, {DisplayID: ""}})
	if got := cells[0].Outputs[0].Data["text/plain"]; got != "new" {
		t.Errorf("cell 1 display = %v, want new", got)
	}
	if got := cells[1].Outputs[0].Data["text/plain"]; got != "keep" {
		t.Errorf("cell 2 display = %v, want keep", got)
	}
}

func TestCellErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  CellError
		want string
	}{
		{"traceback preferred", CellError{Cell: 2, EName: "ERROR", EValue: "short", Traceback: []string{"\x1b[31mlong\x1b[0m", "trace"}}, "long\ntrace"},
		{"name and value without traceback", CellError{EName: "E", EValue: "v"}, "E: v"},
		{"stderr holds the panic", CellError{EName: "ERROR", EValue: "exit status 2", Traceback: []string{"exit status 2"},
			Stderr: "panic: boom\nexit status 2"}, "panic: boom\nexit status 2"},
		{"stderr and error differ", CellError{Traceback: []string{"bad"}, Stderr: "warn"}, "warn\nbad"},
		{"client cause appended", CellError{Err: errors.New("timed out after 1s, interrupted"), Traceback: []string{"signal: interrupt"}},
			"signal: interrupt\ntimed out after 1s, interrupted"},
		{"nothing known", CellError{}, "failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Message(); got != tt.want {
				t.Errorf("Message() = %q, want %q", got, tt.want)
			}
			if !strings.HasPrefix(tt.err.Error(), "cell ") {
				t.Errorf("Error() = %q, want it to start with the cell", tt.err.Error())
			}
		})
	}
}

func TestCellDuration(t *testing.T) {
	c := &ipynb.Cell{Type: ipynb.Code}
	if _, ok := CellDuration(c); ok {
		t.Fatal("a cell never run has a duration")
	}
	start := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	recordTiming(c, start, start.Add(1500*time.Millisecond))
	if d, ok := CellDuration(c); !ok || d != 1500*time.Millisecond {
		t.Errorf("CellDuration = %v, %v; want 1.5s", d, ok)
	}
	nb := &ipynb.Notebook{Cells: []*ipynb.Cell{c}}
	nb.ClearOutputs()
	if _, ok := CellDuration(c); ok {
		t.Error("ClearOutputs kept the old timing")
	}
}
