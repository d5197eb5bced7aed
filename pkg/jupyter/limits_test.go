package jupyter

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

func TestParseOutputLimits(t *testing.T) {
	tests := []struct {
		in   string
		want OutputLimits
		err  string
	}{
		{"4MB", OutputLimits{Text: 4_000_000}, ""},
		{"512KiB", OutputLimits{Text: 512 << 10}, ""},
		{"1000", OutputLimits{Text: 1000}, ""},
		{"text=1MiB,data=10MB,outputs=20", OutputLimits{Text: 1 << 20, Data: 10_000_000, Outputs: 20}, ""},
		{"data=none, outputs=none", OutputLimits{Data: -1, Outputs: -1}, ""},
		{"1.5GB", OutputLimits{Text: 1_500_000_000}, ""},
		{"4XB", OutputLimits{}, "unknown unit"},
		{"text=0", OutputLimits{}, "not positive"},
		{"pictures=3", OutputLimits{}, "unknown field"},
		{"outputs=many", OutputLimits{}, "invalid syntax"},
		{"", OutputLimits{}, "not a size"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOutputLimits(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want %q in it", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("= %+v, %v; want %+v", got, err, tt.want)
			}
			if back, err := ParseOutputLimits(got.String()); err != nil || back.withDefaults() != got.withDefaults() {
				t.Errorf("String() %q reads back as %+v, %v", got.String(), back, err)
			}
		})
	}
}

// streamMsg builds a stream message with text.
func streamMsg(name, text string) *Message {
	content, _ := json.Marshal(map[string]string{"name": name, "text": text})
	return &Message{Header: Header{MsgType: "stream"}, Content: content}
}

// displayMsg builds a display_data message holding a PNG of n base64 bytes.
func displayMsg(n int) *Message { return displayIDMsg("display_data", "", n) }

// displayIDMsg builds a message of type typ (display_data or
// update_display_data) for display id holding a PNG of n base64 bytes.
func displayIDMsg(typ, id string, n int) *Message {
	content, _ := json.Marshal(map[string]any{"data": map[string]string{"image/png": strings.Repeat("A", n)},
		"transient": map[string]string{"display_id": id}})
	return &Message{Header: Header{MsgType: typ}, Content: content}
}

// collect feeds msgs to a collector with limits and returns its result.
func collectAll(t *testing.T, limits OutputLimits, msgs ...*Message) *Result {
	t.Helper()
	c := newCollector("", limits)
	for _, m := range msgs {
		if err := c.iopub(m); err != nil {
			t.Fatal(err)
		}
	}
	return c.result()
}

func TestCollectorLimits(t *testing.T) {
	repeat := func(n int, m *Message) []*Message {
		out := make([]*Message, n)
		for i := range out {
			out[i] = m
		}
		return out
	}
	tests := []struct {
		name    string
		limits  OutputLimits
		msgs    []*Message
		text    string // stream text kept, note excluded
		outputs int    // outputs kept, note excluded
		note    string // substring of the note; "" for no note
		updates int    // updates kept for earlier cells
	}{
		{"under the limits", OutputLimits{Text: 10}, repeat(2, streamMsg("stdout", "abcde")), "abcdeabcde", 1, "", 0},
		{"text cut at the limit", OutputLimits{Text: 8}, repeat(3, streamMsg("stdout", "abcde")), "abcdeabc", 1,
			"dropped 7 bytes of text in 2 messages (limit 8B)", 0},
		{"stderr counts too", OutputLimits{Text: 6}, []*Message{streamMsg("stdout", "abcd"), streamMsg("stderr", "efgh")},
			"abcdef", 2, "dropped 2 bytes of text in 1 messages", 0},
		{"a rune is never split", OutputLimits{Text: 5}, []*Message{streamMsg("stdout", "abcdé€")}, "abcd", 1,
			"dropped 5 bytes", 0},
		{"no text limit", OutputLimits{Text: -1}, repeat(3, streamMsg("stdout", "abcde")), strings.Repeat("abcde", 3), 1, "", 0},
		{"display count", OutputLimits{Outputs: 2}, repeat(5, displayMsg(10)), "", 2, "dropped 3 display outputs", 0},
		{"display bytes", OutputLimits{Data: 2500}, repeat(4, displayMsg(1000)), "", 2, "dropped 2 display outputs of", 0},
		{"clear frees the budget", OutputLimits{Text: 6}, []*Message{
			streamMsg("stdout", "abcdef"), streamMsg("stdout", "gh"),
			iopubMsg("clear_output", `{"wait":false}`), streamMsg("stdout", "ijk"),
		}, "ijk", 1, "", 0},
		{"a delayed clear frees the budget", OutputLimits{Text: 6}, []*Message{
			streamMsg("stdout", "abcdef"), iopubMsg("clear_output", `{"wait":true}`), streamMsg("stdout", "ghijkl"),
		}, "ghijkl", 1, "", 0},
		{"an update may not pass the data limit", OutputLimits{Data: 2500}, []*Message{
			displayIDMsg("display_data", "p", 1000), displayIDMsg("update_display_data", "p", 3000),
			displayIDMsg("update_display_data", "p", 1200),
		}, "", 1, "dropped 1 display updates of", 0},
		{"updates of ever new displays", OutputLimits{Outputs: 3}, func() []*Message {
			var msgs []*Message
			for i := range 10 {
				msgs = append(msgs, displayIDMsg("update_display_data", fmt.Sprint("old", i), 10))
			}
			return msgs
		}(), "", 0, "dropped 7 display updates", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := collectAll(t, tt.limits, tt.msgs...)
			outs := res.Outputs
			var note string
			if n := len(outs); n > 0 && strings.Contains(outs[n-1].Text, "output limit reached") {
				note, outs = outs[n-1].Text, outs[:n-1]
			}
			if got := texts(outs); got != tt.text {
				t.Errorf("text = %q, want %q", got, tt.text)
			}
			if len(outs) != tt.outputs {
				t.Errorf("%d outputs, want %d", len(outs), tt.outputs)
			}
			if tt.note == "" && note != "" || !strings.Contains(note, tt.note) {
				t.Errorf("note = %q, want %q in it", note, tt.note)
			}
			if len(res.Updates) != tt.updates {
				t.Errorf("%d updates kept for earlier cells, want %d", len(res.Updates), tt.updates)
			}
		})
	}
}

func TestCollectorKeepsLatestUpdatePerDisplay(t *testing.T) {
	var msgs []*Message
	for i := range 1000 {
		msgs = append(msgs, iopubMsg("update_display_data",
			fmt.Sprintf(`{"data":{"text/plain":"%d"},"transient":{"display_id":"id%d"}}`, i, i%2)))
	}
	res := collectAll(t, OutputLimits{}, msgs...)
	if len(res.Updates) != 2 || res.Updates[0].Data["text/plain"] != "998" || res.Updates[1].Data["text/plain"] != "999" {
		t.Errorf("updates = %+v, want the last one of each of the 2 displays", res.Updates)
	}
}

// floodCollector feeds a collector total bytes of stdout in chunks of
// GoNB's size (it copies a cell's output with io.Copy, 32 KiB at a time)
// and returns the bytes allocated meanwhile and the result.
func floodCollector(t testing.TB, total int) (allocated uint64, res *Result) {
	const chunk = 32 << 10
	m := streamMsg("stdout", strings.Repeat(strings.Repeat("x", 99)+"\n", chunk/100))
	n := total / chunk
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := newCollector("", OutputLimits{})
	for range n {
		if err := c.iopub(m); err != nil {
			t.Fatal(err)
		}
	}
	res = c.result()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, res
}

// TestCollectorFloodIsLinear checks that a cell printing 200 MB (20 MB
// with -short) costs the collector memory in proportion to the input,
// a few times over (each message is decoded once: its JSON, then its text), and keeps only the
// limit. Appending by copying the whole text allocated the square.
func TestCollectorFloodIsLinear(t *testing.T) {
	total := 200 << 20
	if testing.Short() {
		total = 20 << 20
	}
	allocated, res := floodCollector(t, total)
	t.Logf("%d MiB of output: %d MiB allocated", total>>20, allocated>>20)
	if limit := uint64(4*total + 4*DefaultTextLimit); allocated > limit {
		t.Errorf("allocated %d MiB for %d MiB of output, want at most %d MiB", allocated>>20, total>>20, limit>>20)
	}
	kept := 0
	for _, o := range res.Outputs {
		kept += len(o.Text)
	}
	if kept > DefaultTextLimit+200 {
		t.Errorf("kept %d bytes, want about the %d limit", kept, DefaultTextLimit)
	}
	if n := len(res.Outputs); n != 2 || !strings.Contains(res.Outputs[1].Text, "output limit reached") {
		t.Errorf("outputs %d, last %q: want the text and a note", n, ipynb.FirstLines(res.Outputs[n-1].Text, 2))
	}
}

// BenchmarkCollectorFlood measures the collector on 64 MiB of output.
func BenchmarkCollectorFlood(b *testing.B) {
	for b.Loop() {
		floodCollector(b, 64<<20)
	}
	b.SetBytes(64 << 20)
}

func TestMemoryLimit(t *testing.T) {
	tests := []struct {
		in    string
		bytes int64
		str   string
		bad   bool
	}{
		{"", DefaultMemory, "4GiB", false},
		{"512MiB", 512 << 20, "512MiB", false},
		{"8GB", 8e9, "7812500KiB", false},
		{"none", 0, "none", false},
		{"0", 0, "", true},
		{"lots", 0, "", true},
	}
	for _, tt := range tests {
		var m MemoryLimit
		if tt.in != "" {
			if err := m.Set(tt.in); (err != nil) != tt.bad {
				t.Errorf("Set(%q): %v", tt.in, err)
				continue
			}
		}
		if !tt.bad && (m.Bytes() != tt.bytes || m.String() != tt.str) {
			t.Errorf("%q: Bytes() = %d, String() = %q; want %d, %q", tt.in, m.Bytes(), m.String(), tt.bytes, tt.str)
		}
	}
}
