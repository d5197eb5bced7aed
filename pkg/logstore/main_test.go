package logstore

import (
	"os"
	"testing"
)

// TestMain turns fsync off: no test here simulates power loss, and a killed
// process loses nothing the kernel has been given. TestDurableWrites and
// the SIGKILL child keep it on.
func TestMain(m *testing.M) {
	durable = os.Getenv(envKillChild) == "1"
	os.Exit(m.Run())
}
