package ipynb

// notRunKey is the key, in the cell metadata's "lenslog" object, of why
// a code cell was not run.
const notRunKey = "not_run"

// SetNotRun records in c why a run did not reach it, e.g. "the kernel
// died in cell 5"; reports show it on the cell.
func (c *Cell) SetNotRun(why string) {
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	m, _ := c.Metadata["lenslog"].(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	m[notRunKey] = why
	c.Metadata["lenslog"] = m
}

// NotRun returns why a run did not reach c, or "" when it did (or when
// the runner did not say).
func (c *Cell) NotRun() string {
	m, _ := c.Metadata["lenslog"].(map[string]any)
	why, _ := m[notRunKey].(string)
	return why
}
