package jupyter

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Default output limits of one cell. A notebook report is read by people:
// a few MB of text is more than anyone reads, while a chart-heavy cell
// may hold dozens of images of a few hundred KB each.
const (
	DefaultTextLimit    = 4 << 20  // bytes of stream text (stdout and stderr)
	DefaultDataLimit    = 32 << 20 // bytes of display data (images, HTML, results, errors)
	DefaultOutputsLimit = 500      // display outputs (display_data, execute_result, error)
)

// OutputLimits bound what one cell's outputs keep, as Jupyter front ends
// bound what they show: past a limit the rest of the cell's output is
// dropped, counted and replaced by one line saying how much was cut, while
// the kernel keeps running normally. The zero value means the defaults;
// a negative field means no limit.
type OutputLimits struct {
	// Text is the most stream text (stdout and stderr together) a cell
	// keeps, in bytes (default DefaultTextLimit).
	Text int
	// Data is the most display data a cell keeps, in bytes of the
	// messages' JSON content (default DefaultDataLimit).
	Data int
	// Outputs is the most display outputs a cell keeps (default
	// DefaultOutputsLimit).
	Outputs int
}

// withDefaults fills in zero fields.
func (l OutputLimits) withDefaults() OutputLimits {
	if l.Text == 0 {
		l.Text = DefaultTextLimit
	}
	if l.Data == 0 {
		l.Data = DefaultDataLimit
	}
	if l.Outputs == 0 {
		l.Outputs = DefaultOutputsLimit
	}
	return l
}

// String formats l as ParseOutputLimits reads it, defaults filled in.
func (l OutputLimits) String() string {
	l = l.withDefaults()
	size := func(n int) string {
		if n < 0 {
			return "none"
		}
		return formatSize(n)
	}
	count := strconv.Itoa(l.Outputs)
	if l.Outputs < 0 {
		count = "none"
	}
	return fmt.Sprintf("text=%s,data=%s,outputs=%s", size(l.Text), size(l.Data), count)
}

// ParseOutputLimits reads limits written as a comma-separated list of
// text=SIZE, data=SIZE and outputs=N, where SIZE is a number of bytes with
// an optional unit (KB, MB, GB as powers of 1000; KiB, MiB, GiB as powers
// of 1024) and "none" lifts a limit. A bare SIZE sets the text limit.
// Fields not given keep their defaults.
func ParseOutputLimits(s string) (OutputLimits, error) {
	var l OutputLimits
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		key, val, ok := strings.Cut(part, "=")
		if !ok {
			key, val = "text", part
		}
		var err error
		switch strings.TrimSpace(key) {
		case "text":
			l.Text, err = parseLimit(val, parseSize)
		case "data":
			l.Data, err = parseLimit(val, parseSize)
		case "outputs":
			l.Outputs, err = parseLimit(val, strconv.Atoi)
		default:
			return l, fmt.Errorf("output limit %q: unknown field %q (want text, data or outputs)", s, key)
		}
		if err != nil {
			return l, fmt.Errorf("output limit %q: %s: %w", s, key, err)
		}
	}
	return l, nil
}

// parseLimit reads "none" as -1, else a positive value by parse.
func parseLimit(s string, parse func(string) (int, error)) (int, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "none") {
		return -1, nil
	}
	n, err := parse(s)
	if err != nil {
		return 0, err
	}
	if n <= 0 {
		return 0, fmt.Errorf("%q is not positive (use none for no limit)", s)
	}
	return n, nil
}

// sizeUnits are the units parseSize knows, by lower-case suffix.
var sizeUnits = map[string]int{
	"": 1, "b": 1,
	"k": 1000, "kb": 1000, "m": 1000 * 1000, "mb": 1000 * 1000, "g": 1000 * 1000 * 1000, "gb": 1000 * 1000 * 1000,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
}

// parseSize reads a byte count such as 4MB, 512KiB or 1000000.
func parseSize(s string) (int, error) {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' })
	if i < 0 {
		i = len(s)
	}
	mult, ok := sizeUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if !ok {
		return 0, fmt.Errorf("%q: unknown unit (want B, KB, MB, GB, KiB, MiB or GiB)", s)
	}
	f, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || f > float64(1<<50)/float64(mult) {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return int(f * float64(mult)), nil
}

// formatSize writes n bytes with the largest binary unit that divides it,
// or as a decimal MB figure.
func formatSize(n int) string {
	for _, u := range []struct {
		name string
		size int
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.Itoa(n/u.size) + u.name
		}
	}
	if n >= 1000*1000 {
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + "MB"
	}
	return strconv.Itoa(n) + "B"
}

// Set reads limits as ParseOutputLimits does, so that an *OutputLimits is
// a flag.Value.
func (l *OutputLimits) Set(s string) error {
	v, err := ParseOutputLimits(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// DefaultMemory is the default bound on the memory of each process of a
// kernel's tree (see Options.Memory): more than a report's cells need,
// less than a cell running away takes the machine with it.
const DefaultMemory = 4 << 30

// MemoryLimit is a flag.Value for Options.Memory: a size such as 4GiB,
// or none. The zero value means DefaultMemory.
type MemoryLimit int64

// Set reads a size or "none".
func (m *MemoryLimit) Set(s string) error {
	n, err := parseLimit(s, parseSize)
	if err != nil {
		return err
	}
	*m = MemoryLimit(n)
	return nil
}

// String formats the limit as Set reads it.
func (m MemoryLimit) String() string {
	switch {
	case m < 0:
		return "none"
	case m == 0:
		return formatSize(DefaultMemory)
	}
	return formatSize(int(m))
}

// Bytes returns the limit as Options.Memory takes it: 0 for none.
func (m MemoryLimit) Bytes() int64 {
	switch {
	case m < 0:
		return 0
	case m == 0:
		return DefaultMemory
	}
	return int64(m)
}
