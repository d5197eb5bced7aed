package ipynb

// StopKey is the display metadata key that marks a stop: the message a
// notebook cell shows when it cannot go on for a reason its reader can
// fix (no data for the parameters, a token without a permission), just
// before its program ends without a result. Runners that see it treat the
// cell's end as that message, not as a failure.
const StopKey = "lenslog_stop"

// IsStop reports whether the output is a stop's message.
func (o Output) IsStop() bool {
	v, _ := o.Metadata[StopKey].(bool)
	return v
}
