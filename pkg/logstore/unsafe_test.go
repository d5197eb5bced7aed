package logstore

import "unsafe"

// unsafeData returns the address of a string's bytes, to test interning.
func unsafeData(s string) *byte { return unsafe.StringData(s) }
