package jupyter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// Result is what one execute_request produced.
type Result struct {
	// ExecutionCount is the kernel's counter for this execution (from
	// execute_input or the reply); nil if the kernel never said.
	ExecutionCount *int
	// Status is the reply's status: "ok", "error" or "aborted"; "" if no
	// reply arrived (timeout, dead kernel).
	Status string
	// EName, EValue and Traceback describe the error of a reply with
	// status "error".
	EName, EValue string
	Traceback     []string
	// Outputs are the cell's outputs in order, with streams merged and
	// display updates and clear_output applied.
	Outputs []ipynb.Output
	// Updates are update_display_data messages for display ids this cell
	// did not create (earlier cells' outputs), in order.
	Updates []ipynb.Output
}

// Execute runs code in the kernel and collects the outputs until both the
// execute_reply and the idle status have arrived.
//
// Outputs past the kernel's output limits are dropped and counted in a
// note. Once the cell ended, processes it left running (on Linux, those
// the supervisor inherited) are killed and named in a note.
//
// If ctx ends first (a timeout or a cancel), the cell is interrupted:
// interrupt_request on the control channel and SIGINT to the process
// group. If it has not stopped after InterruptGrace, the whole process
// group is killed. The returned error then wraps ctx.Err(), and also
// ErrKernelDied if the kernel had to be killed. If the kernel process dies
// during the cell the error wraps ErrKernelDied. The Result holds whatever
// output arrived in every case.
func (k *Kernel) Execute(ctx context.Context, code string) (*Result, error) {
	if k.hasExited() {
		return &Result{}, k.diedError("before the cell")
	}
	req, err := k.send(k.shell, "execute_request", map[string]any{
		"code": code, "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true,
	})
	if err != nil {
		return &Result{}, fmt.Errorf("jupyter: execute: %w", err)
	}
	c := newCollector(req.Header.MsgID, k.opts.Limits)
	err = k.collect(ctx.Done(), c)
	if err != nil && errors.Is(err, errStopped) {
		err = k.interrupt(c, ctx.Err())
	}
	res := c.result()
	if left := k.endCell(); len(left) > 0 {
		res.Outputs = append(res.Outputs, ipynb.Output{Type: ipynb.Stream, Name: "stderr", Text: leftNote(left)})
	}
	return res, err
}

// leftNote says which processes a cell left running were stopped.
func leftNote(names []string) string {
	more := ""
	if len(names) > 10 {
		names, more = names[:10], fmt.Sprintf(" and %d more", len(names)-10)
	}
	return "\n[stopped processes the cell left running: " + strings.Join(names, ", ") + more + "]\n"
}

// errStopped is returned by collect when its stop channel fired.
var errStopped = errors.New("stopped")

// collect feeds messages for the request to c until it is complete, the
// kernel dies or stop fires.
func (k *Kernel) collect(stop <-chan struct{}, c *collector) error {
	for !c.done() {
		select {
		case m := <-k.in["iopub"]:
			if m.ParentID() == c.id {
				if err := c.iopub(m); err != nil {
					return err
				}
			}
		case m := <-k.in["shell"]:
			if m.ParentID() == c.id && m.Type() == "execute_reply" {
				if err := c.reply(m); err != nil {
					return err
				}
			}
		case <-k.exited:
			k.drain(c)
			return k.diedError("during the cell")
		case <-stop:
			return errStopped
		}
	}
	return nil
}

// drain applies the messages already received, after the kernel died.
func (k *Kernel) drain(c *collector) {
	for {
		select {
		case m := <-k.in["iopub"]:
			if m.ParentID() == c.id {
				_ = c.iopub(m)
			}
		default:
			return
		}
	}
}

// interrupt stops a running cell: interrupt_request and SIGINT, then the
// grace period, then SIGKILL for the group.
func (k *Kernel) interrupt(c *collector, cause error) error {
	_, _ = k.send(k.ctrl, "interrupt_request", struct{}{})
	k.signalGroup(sigInterrupt)
	grace, cancel := context.WithTimeout(context.Background(), k.opts.InterruptGrace)
	defer cancel()
	err := k.collect(grace.Done(), c)
	switch {
	case err == nil:
		return &stopError{"interrupted", []error{cause}}
	case errors.Is(err, errStopped):
		k.Kill(fmt.Sprintf("cell did not stop within %v of an interrupt", k.opts.InterruptGrace))
		<-k.exited
		msg := fmt.Sprintf("did not stop within %v of an interrupt; kernel killed", k.opts.InterruptGrace)
		return &stopError{msg, []error{cause, ErrKernelDied}}
	default:
		return &stopError{err.Error(), []error{err, cause}}
	}
}

// stopError reports how a cell was stopped; errors.Is matches its causes
// (the context's error, ErrKernelDied) without their text in the message.
type stopError struct {
	msg    string
	causes []error
}

// Error returns the message.
func (e *stopError) Error() string { return e.msg }

// Unwrap returns the causes.
func (e *stopError) Unwrap() []error { return e.causes }

// collector assembles one execution's result from its messages, within
// the output limits: stream text goes into builders (appends are linear),
// and what passes a limit is counted, not kept.
type collector struct {
	id         string
	res        *Result
	limits     OutputLimits // with defaults filled in
	gotReply   bool
	gotIdle    bool
	clearDelay bool // clear_output(wait=True) pending

	texts     map[int]*strings.Builder // stream text of res.Outputs[i]
	sizes     map[int]int              // display data size of res.Outputs[i]
	textBytes int                      // stream text kept
	dataBytes int                      // display data kept in res.Outputs
	displays  int                      // display outputs kept
	cut       cutCount

	updates     map[string]int // index in res.Updates by display id
	updateSizes []int          // display data size of res.Updates[i]
	updateBytes int            // their sum
}

// cutCount counts the output a collector dropped.
type cutCount struct {
	textBytes, textMsgs  int
	outputs, outputBytes int
	updates, updateBytes int
}

// newCollector returns a collector for the request with id.
func newCollector(id string, limits OutputLimits) *collector {
	return &collector{id: id, res: &Result{}, limits: limits.withDefaults()}
}

// done reports whether both the reply and the idle status arrived.
func (c *collector) done() bool { return c.gotReply && c.gotIdle }

// reply records the execute_reply.
func (c *collector) reply(m *Message) error {
	var r struct {
		Status         string   `json:"status"`
		ExecutionCount *int     `json:"execution_count"`
		EName          string   `json:"ename"`
		EValue         string   `json:"evalue"`
		Traceback      []string `json:"traceback"`
	}
	if err := m.DecodeContent(&r); err != nil {
		return err
	}
	c.gotReply = true
	c.res.Status, c.res.EName, c.res.EValue, c.res.Traceback = r.Status, r.EName, r.EValue, r.Traceback
	if c.res.ExecutionCount == nil {
		c.res.ExecutionCount = r.ExecutionCount
	}
	return nil
}

// iopubContent is the union of the iopub message contents used here.
type iopubContent struct {
	ExecutionState string         `json:"execution_state"`
	ExecutionCount *int           `json:"execution_count"`
	Name           string         `json:"name"`
	Text           string         `json:"text"`
	Data           map[string]any `json:"data"`
	Metadata       map[string]any `json:"metadata"`
	Transient      struct {
		DisplayID string `json:"display_id"`
	} `json:"transient"`
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
	Wait      bool     `json:"wait"`
}

// iopub applies one iopub message of the execution.
func (c *collector) iopub(m *Message) error {
	var ct iopubContent
	if err := m.DecodeContent(&ct); err != nil {
		return err
	}
	size := len(m.Content)
	switch m.Type() {
	case "status":
		c.gotIdle = c.gotIdle || ct.ExecutionState == "idle"
	case "execute_input":
		c.res.ExecutionCount = ct.ExecutionCount
	case "clear_output":
		c.clear(ct.Wait)
	case "stream":
		c.stream(ct.Name, ct.Text)
	case "display_data":
		c.display(size, ipynb.Output{Type: ipynb.DisplayData, Data: ct.Data, Metadata: ct.Metadata, DisplayID: ct.Transient.DisplayID})
	case "update_display_data":
		c.update(size, ipynb.Output{Type: ipynb.DisplayData, Data: ct.Data, Metadata: ct.Metadata, DisplayID: ct.Transient.DisplayID})
	case "execute_result":
		c.display(size, ipynb.Output{Type: ipynb.ExecuteResult, Data: ct.Data, Metadata: ct.Metadata,
			ExecutionCount: ct.ExecutionCount, DisplayID: ct.Transient.DisplayID})
	case "error":
		c.display(size, ipynb.Output{Type: ipynb.Error, EName: ct.EName, EValue: ct.EValue, Traceback: ct.Traceback})
	}
	return nil
}

// clear empties the outputs now, or before the next output if wait. What
// was cleared no longer counts against the limits.
func (c *collector) clear(wait bool) {
	if wait {
		c.clearDelay = true
		return
	}
	c.res.Outputs, c.texts, c.sizes = nil, nil, nil
	c.textBytes, c.dataBytes, c.displays = 0, 0, 0
	c.cut.textBytes, c.cut.textMsgs, c.cut.outputs, c.cut.outputBytes = 0, 0, 0, 0
}

// clearDelayed does a clear_output(wait=True) when the next output comes.
func (c *collector) clearDelayed() {
	if c.clearDelay {
		c.clear(false)
		c.clearDelay = false
	}
}

// display adds a display output of size bytes, unless that would pass the
// limit on outputs or on display data.
func (c *collector) display(size int, o ipynb.Output) {
	c.clearDelayed()
	if over(c.displays+1, c.limits.Outputs) || over(c.dataBytes+c.updateBytes+size, c.limits.Data) {
		c.cut.outputs++
		c.cut.outputBytes += size
		return
	}
	c.displays++
	c.dataBytes += size
	c.res.Outputs = append(c.res.Outputs, o)
	if c.sizes == nil {
		c.sizes = map[int]int{}
	}
	c.sizes[len(c.res.Outputs)-1] = size
}

// over reports whether n passes limit; a negative limit is none.
func over(n, limit int) bool { return limit >= 0 && n > limit }

// stream appends text, merging it into the previous output when that is
// the same stream. Text past the limit is counted and dropped.
func (c *collector) stream(name, text string) {
	c.clearDelayed()
	if keep := c.textRoom(len(text)); keep < len(text) {
		kept := validUTF8Prefix(text[:keep])
		c.cut.textBytes += len(text) - len(kept)
		c.cut.textMsgs++
		text = kept
		if text == "" {
			return
		}
	}
	c.textBytes += len(text)
	outs := c.res.Outputs
	if n := len(outs); n > 0 && outs[n-1].Type == ipynb.Stream && outs[n-1].Name == name {
		c.texts[n-1].WriteString(text)
		return
	}
	c.res.Outputs = append(c.res.Outputs, ipynb.Output{Type: ipynb.Stream, Name: name})
	b := &strings.Builder{}
	b.WriteString(text)
	if c.texts == nil {
		c.texts = map[int]*strings.Builder{}
	}
	c.texts[len(c.res.Outputs)-1] = b
}

// textRoom returns how many bytes of a text of length n fit under the
// text limit.
func (c *collector) textRoom(n int) int {
	if !over(c.textBytes+n, c.limits.Text) {
		return n
	}
	return max(c.limits.Text-c.textBytes, 0)
}

// update applies an update_display_data of size bytes: to this cell's
// outputs with its display id, else recorded for earlier cells' (only the
// latest update of each display id is kept). An update that would take
// the display data past its limit, or add a display id past the limit on
// outputs, is dropped.
func (c *collector) update(size int, o ipynb.Output) {
	if o.DisplayID == "" {
		return // updates nothing
	}
	if !c.updateMine(size, o) {
		c.updateEarlier(size, o)
	}
}

// updateMine applies o to this cell's outputs with its display id and
// reports whether there were any.
func (c *collector) updateMine(size int, o ipynb.Output) bool {
	var mine []int
	delta := 0
	for i := range c.res.Outputs {
		if c.res.Outputs[i].DisplayID == o.DisplayID {
			mine = append(mine, i)
			delta += size - c.sizes[i]
		}
	}
	switch {
	case len(mine) == 0:
		return false
	case over(c.dataBytes+c.updateBytes+delta, c.limits.Data):
		c.cut.updates++
		c.cut.updateBytes += size
	default:
		ApplyUpdate(c.res.Outputs, o)
		for _, i := range mine {
			c.sizes[i] = size
		}
		c.dataBytes += delta
	}
	return true
}

// updateEarlier records o for the outputs of earlier cells.
func (c *collector) updateEarlier(size int, o ipynb.Output) {
	i, seen := c.updates[o.DisplayID]
	delta := size
	if seen {
		delta -= c.updateSizes[i]
	}
	if over(c.dataBytes+c.updateBytes+delta, c.limits.Data) || !seen && over(len(c.res.Updates)+1, c.limits.Outputs) {
		c.cut.updates++
		c.cut.updateBytes += size
		return
	}
	c.updateBytes += delta
	if seen {
		c.res.Updates[i], c.updateSizes[i] = o, size
		return
	}
	if c.updates == nil {
		c.updates = map[string]int{}
	}
	c.updates[o.DisplayID] = len(c.res.Updates)
	c.res.Updates = append(c.res.Updates, o)
	c.updateSizes = append(c.updateSizes, size)
}

// result finishes the stream outputs' text, adds a note of what the
// limits cut, and returns the result. The collector is used up.
func (c *collector) result() *Result {
	for i, b := range c.texts {
		c.res.Outputs[i].Text = b.String()
	}
	c.texts = nil
	if note := c.cut.note(c.limits); note != "" {
		c.res.Outputs = append(c.res.Outputs, ipynb.Output{Type: ipynb.Stream, Name: "stderr", Text: note})
	}
	return c.res
}

// validUTF8Prefix drops a rune that a cut split at the end of s.
func validUTF8Prefix(s string) string {
	for i := 0; i < utf8.UTFMax && len(s) > 0; i++ {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// note says what was cut and why, or "" if nothing was.
func (n cutCount) note(l OutputLimits) string {
	var parts []string
	if n.textMsgs > 0 {
		parts = append(parts, fmt.Sprintf("%d bytes of text in %d messages (limit %s)", n.textBytes, n.textMsgs, formatSize(l.Text)))
	}
	if n.outputs > 0 {
		parts = append(parts, fmt.Sprintf("%d display outputs of %d bytes (limits %d outputs, %s of display data)",
			n.outputs, n.outputBytes, l.Outputs, formatSize(l.Data)))
	}
	if n.updates > 0 {
		parts = append(parts, fmt.Sprintf("%d display updates of %d bytes (limits %d displays, %s of display data)",
			n.updates, n.updateBytes, l.Outputs, formatSize(l.Data)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "\n[output limit reached: dropped " + strings.Join(parts, " and ") + "; raise the limits with -max-output]\n"
}

// ApplyUpdate replaces Data and Metadata of every output in outs whose
// DisplayID matches upd's, and reports whether there was one.
func ApplyUpdate(outs []ipynb.Output, upd ipynb.Output) bool {
	found := false
	for i := range outs {
		if upd.DisplayID != "" && outs[i].DisplayID == upd.DisplayID {
			outs[i].Data, outs[i].Metadata = upd.Data, upd.Metadata
			found = true
		}
	}
	return found
}
