package jupyter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// RunOptions configures RunNotebook.
type RunOptions struct {
	// CellTimeout bounds each cell's run; 0 means no limit.
	CellTimeout time.Duration
	// KeepGoing runs the remaining cells after a cell fails (not after the
	// kernel died).
	KeepGoing bool
	// Progress, if set, is called before each code cell with the cell's
	// number among all cells (from 1), the code cell's rank (from 1) and
	// the number of code cells.
	Progress func(cell, rank, total int)
}

// CellError reports a cell that failed: an error in the code, a timeout or
// a dead kernel.
type CellError struct {
	// Cell is the cell's number, from 1, counting all cells.
	Cell int
	// Source is the cell's code.
	Source string
	// EName, EValue and Traceback are the error the kernel reported, if any.
	EName, EValue string
	Traceback     []string
	// Stderr is the end of what the cell wrote to stderr (a panic's
	// message and stack, for example).
	Stderr string
	// Err is the client-side cause (a timeout, ErrKernelDied), or nil for
	// an error reported by the kernel.
	Err error
	// NotRun lists the code cells (numbered as Cell) the run did not
	// reach because this cell stopped it.
	NotRun []int
	// Memory, when the cell ran out of memory under Options.Memory, says
	// so and names the bound.
	Memory string
}

// Error returns "cell N: what went wrong".
func (e *CellError) Error() string { return fmt.Sprintf("cell %d: %s", e.Cell, e.Message()) }

// Unwrap returns the client-side cause.
func (e *CellError) Unwrap() error { return e.Err }

// Message describes the failure without the cell number: the kernel's
// error (its traceback, else name and value), preceded by the end of the
// cell's stderr unless that already holds it, then the client-side cause.
// Terminal escape codes are removed.
func (e *CellError) Message() string {
	main := strings.TrimSpace(ipynb.StripANSI(strings.Join(e.Traceback, "\n")))
	if main == "" {
		main = strings.TrimPrefix(strings.TrimSpace(e.EName+": "+e.EValue), ":")
	}
	if se := strings.TrimSpace(ipynb.StripANSI(e.Stderr)); se != "" && !strings.Contains(main, se) {
		if strings.Contains(se, main) {
			main = se
		} else {
			main = strings.TrimSpace(se + "\n" + main)
		}
	}
	if e.Err != nil {
		main = strings.TrimSpace(main + "\n" + e.Err.Error())
	}
	if main == "" {
		main = "failed"
	}
	var head []string // what happened, before the (long) detail
	if errors.Is(e.Err, ErrKernelDied) {
		head = append(head, fmt.Sprintf("the kernel died in cell %d", e.Cell))
	}
	if e.Memory != "" {
		head = append(head, e.Memory)
	}
	if len(e.NotRun) > 0 {
		head = append(head, notRunNote(e.NotRun))
	}
	return strings.Join(append(head, main), "\n")
}

// notRunNote says which cells were not run: "cells 6–9 were not run".
func notRunNote(cells []int) string {
	switch {
	case len(cells) == 1:
		return fmt.Sprintf("cell %d was not run", cells[0])
	case cells[len(cells)-1]-cells[0] == len(cells)-1:
		return fmt.Sprintf("cells %d–%d were not run", cells[0], cells[len(cells)-1])
	}
	s := make([]string, len(cells))
	for i, c := range cells {
		s[i] = strconv.Itoa(c)
	}
	return "cells " + strings.Join(s, ", ") + " were not run"
}

// markNotRun records in every code cell after index stop why it was not
// run, and returns their numbers.
func markNotRun(nb *ipynb.Notebook, stop int, why string) []int {
	var cells []int
	for i := stop + 1; i < len(nb.Cells); i++ {
		c := nb.Cells[i]
		if c.Type != ipynb.Code {
			continue
		}
		c.SetNotRun(why)
		cells = append(cells, i+1)
	}
	return cells
}

// stderrTail returns the last n lines the outputs wrote to stderr (all
// of them for n < 0).
func stderrTail(outs []ipynb.Output, n int) string {
	var b strings.Builder
	for _, o := range outs {
		if o.Type == ipynb.Stream && o.Name == "stderr" {
			b.WriteString(o.Text)
		}
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if n >= 0 && len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// RunNotebook clears nb's outputs, then runs its code cells in order on k,
// storing each cell's outputs and execution count in nb as they arrive and
// recording the kernel's language_info in nb's metadata. It stops at the
// first failing cell unless KeepGoing, and always once the kernel died.
// It returns nil, the first *CellError, or with KeepGoing all cell errors
// joined.
func RunNotebook(ctx context.Context, k *Kernel, nb *ipynb.Notebook, opts RunOptions) error {
	nb.ClearOutputs()
	setLanguageInfo(nb, k.Info())
	var errs []error
	total, rank := nb.CodeCells(), 0
	for i, c := range nb.Cells {
		if c.Type != ipynb.Code {
			continue
		}
		rank++
		if opts.Progress != nil {
			opts.Progress(i+1, rank, total)
		}
		cerr := runCell(ctx, k, nb, i, opts.CellTimeout)
		if cerr == nil {
			continue
		}
		errs = append(errs, cerr)
		if !opts.KeepGoing || errors.Is(cerr, ErrKernelDied) || ctx.Err() != nil {
			why := fmt.Sprintf("cell %d failed", i+1)
			switch {
			case errors.Is(cerr, ErrKernelDied):
				why = fmt.Sprintf("the kernel died in cell %d", i+1)
			case ctx.Err() != nil:
				why = fmt.Sprintf("the run was interrupted in cell %d", i+1)
			}
			cerr.NotRun = markNotRun(nb, i, why)
			break
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// runCell runs cell i of nb and stores its outputs; a failure is returned
// as a *CellError.
func runCell(ctx context.Context, k *Kernel, nb *ipynb.Notebook, i int, timeout time.Duration) *CellError {
	c := nb.Cells[i]
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	start := time.Now()
	res, err := k.Execute(cctx, c.Source)
	recordTiming(c, start, time.Now())
	c.Outputs, c.ExecutionCount = res.Outputs, res.ExecutionCount
	applyUpdates(nb.Cells[:i], res.Updates)
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		err = fmt.Errorf("timed out after %v, %w", timeout, err)
	case errors.Is(err, context.Canceled):
		err = fmt.Errorf("canceled, %w", err)
	}
	if err == nil && res.Status == "ok" {
		return nil
	}
	if err == nil && stopped(c) {
		return nil
	}
	if err == nil && res.Status != "error" {
		err = fmt.Errorf("execute_reply status %q", res.Status)
	}
	ce := &CellError{Cell: i + 1, Source: c.Source, EName: res.EName, EValue: res.EValue,
		Traceback: res.Traceback, Stderr: stderrTail(res.Outputs, 15), Err: err}
	if o, ok := lastError(res.Outputs); ok {
		ce.EName, ce.EValue, ce.Traceback = o.EName, o.EValue, o.Traceback // what the reader sees
	} else if err != nil { // the reader of the notebook sees why the cell has no result
		c.Outputs = append(c.Outputs, ipynb.Output{Type: ipynb.Error, EName: "LensLogRunner", EValue: err.Error()})
	}
	if m := k.opts.Memory; m > 0 && !errors.Is(err, ErrKernelDied) && outOfMemory(ce, stderrTail(res.Outputs, -1)) { // a dead kernel's error says so already
		ce.Memory = fmt.Sprintf("the cell ran out of memory: each of its processes may use %s (set with -mem)", formatSize(int(m)))
	}
	return ce
}

// stopped reports whether a cell that ended in an error ended on a stop
// (an output marked with ipynb.StopKey: the message of a cell that cannot
// go on, shown before its program ended on purpose). Then the stop is the
// cell's end: the kernel's error and whatever went to stderr after the
// message are dropped, and the cell does not count as failed.
func stopped(c *ipynb.Cell) bool {
	at := slices.IndexFunc(c.Outputs, ipynb.Output.IsStop)
	if at < 0 {
		return false
	}
	kept := c.Outputs[:at+1]
	for _, o := range c.Outputs[at+1:] {
		if o.Type != ipynb.Error && (o.Type != ipynb.Stream || o.Name != "stderr") {
			kept = append(kept, o)
		}
	}
	c.Outputs = kept
	return true
}

// outOfMemory reports whether a cell's error, or all it wrote to stderr,
// says a process ran out of memory.
func outOfMemory(ce *CellError, stderr string) bool {
	text := stderr + ce.EValue + strings.Join(ce.Traceback, "\n")
	if ce.Err != nil {
		text += ce.Err.Error()
	}
	for _, s := range []string{"out of memory", "cannot allocate memory", "Cannot allocate memory"} {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// recordTiming stores when the cell ran in its metadata, under the keys
// Jupyter's own executor uses ("execution": {"iopub.status.busy",
// "shell.execute_reply"}), so reports and other tools can find slow cells.
func recordTiming(c *ipynb.Cell, start, end time.Time) {
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	c.Metadata["execution"] = map[string]any{
		"iopub.status.busy":   start.UTC().Format(time.RFC3339Nano),
		"shell.execute_reply": end.UTC().Format(time.RFC3339Nano),
	}
}

// CellDuration returns how long cell c took, from the timing RunNotebook
// recorded, and false when the cell has none.
func CellDuration(c *ipynb.Cell) (time.Duration, bool) {
	ex, _ := c.Metadata["execution"].(map[string]any)
	busy, _ := ex["iopub.status.busy"].(string)
	reply, _ := ex["shell.execute_reply"].(string)
	start, err1 := time.Parse(time.RFC3339Nano, busy)
	end, err2 := time.Parse(time.RFC3339Nano, reply)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return end.Sub(start), true
}

// lastError returns the last error output, if any.
func lastError(outs []ipynb.Output) (ipynb.Output, bool) {
	for i := len(outs) - 1; i >= 0; i-- {
		if outs[i].Type == ipynb.Error {
			return outs[i], true
		}
	}
	return ipynb.Output{}, false
}

// applyUpdates applies display updates to the outputs of earlier cells.
func applyUpdates(cells []*ipynb.Cell, updates []ipynb.Output) {
	for _, u := range updates {
		for _, c := range cells {
			ApplyUpdate(c.Outputs, u)
		}
	}
}

// setLanguageInfo records the kernel's language in the notebook metadata.
func setLanguageInfo(nb *ipynb.Notebook, info KernelInfo) {
	li := info.LanguageInfo
	if li.Name == "" {
		return
	}
	nb.Metadata.LanguageInfo = &ipynb.LanguageInfo{
		Name: li.Name, Version: li.Version, MIMEType: li.MIMEType, FileExtension: li.FileExtension,
	}
}
