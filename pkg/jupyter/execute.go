package jupyter

import (
	"context"
	"errors"
	"fmt"

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
	c := &collector{id: req.Header.MsgID, res: &Result{}}
	err = k.collect(ctx.Done(), c)
	if err == nil || !errors.Is(err, errStopped) {
		return c.res, err
	}
	return c.res, k.interrupt(c, ctx.Err())
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

// collector assembles one execution's result from its messages.
type collector struct {
	id         string
	res        *Result
	gotReply   bool
	gotIdle    bool
	clearDelay bool // clear_output(wait=True) pending
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
		c.add(ipynb.Output{Type: ipynb.DisplayData, Data: ct.Data, Metadata: ct.Metadata, DisplayID: ct.Transient.DisplayID})
	case "update_display_data":
		c.update(ipynb.Output{Type: ipynb.DisplayData, Data: ct.Data, Metadata: ct.Metadata, DisplayID: ct.Transient.DisplayID})
	case "execute_result":
		c.add(ipynb.Output{Type: ipynb.ExecuteResult, Data: ct.Data, Metadata: ct.Metadata,
			ExecutionCount: ct.ExecutionCount, DisplayID: ct.Transient.DisplayID})
	case "error":
		c.add(ipynb.Output{Type: ipynb.Error, EName: ct.EName, EValue: ct.EValue, Traceback: ct.Traceback})
	}
	return nil
}

// clear empties the outputs now, or before the next output if wait.
func (c *collector) clear(wait bool) {
	if wait {
		c.clearDelay = true
		return
	}
	c.res.Outputs = nil
}

// add appends an output, first doing a delayed clear.
func (c *collector) add(o ipynb.Output) {
	if c.clearDelay {
		c.res.Outputs, c.clearDelay = nil, false
	}
	c.res.Outputs = append(c.res.Outputs, o)
}

// stream appends text, merging it into the previous output when that is
// the same stream.
func (c *collector) stream(name, text string) {
	outs := c.res.Outputs
	if n := len(outs); n > 0 && !c.clearDelay && outs[n-1].Type == ipynb.Stream && outs[n-1].Name == name {
		outs[n-1].Text += text
		return
	}
	c.add(ipynb.Output{Type: ipynb.Stream, Name: name, Text: text})
}

// update replaces the data of this cell's outputs with the same display
// id, or records the update for earlier cells.
func (c *collector) update(o ipynb.Output) {
	if ApplyUpdate(c.res.Outputs, o) {
		return
	}
	c.res.Updates = append(c.res.Updates, o)
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
