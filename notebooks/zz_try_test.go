package notebooks

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/lenslog"
)

func TestTryLicenseFigures(t *testing.T) {
	ref := loadReference(t)
	f := licenseFigures(t, ref, ref.listed, func(d time.Duration) string { return lenslog.Last(d).Window(ref.now).String() })
	for name, lines := range f {
		nb, err := ipynb.ReadFile(filepath.Join("/tmp/licnb/out2", name+".ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		text := stdoutText(nb)
		for _, m := range missingLines(text, lines) {
			t.Errorf("%s: missing %q", name, m)
		}
		t.Logf("%s: %q", name, lines)
	}
}
