package notebooks

import (
	"os"
	"testing"

	"github.com/lenslog/lenslog/pkg/jupyter"
)

// TestMain lets this test binary be the supervisor of the kernels the
// tests start in-process (jupyter.Start re-runs it as one).
func TestMain(m *testing.M) {
	if code, ok := jupyter.Supervise(os.LookupEnv, os.Environ(), os.Args[1:]); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}
