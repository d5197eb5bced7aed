package logstore

import (
	"crypto/rand"
	"encoding/hex"
)

// randomTag returns 8 random hex digits for unique file names.
func randomTag() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
