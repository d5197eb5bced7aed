//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package logstore

import "os"

// isTerminal reports whether f looks like a terminal (a character device);
// without termios this is a best guess.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
