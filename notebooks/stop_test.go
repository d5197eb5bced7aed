package notebooks

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/internal/toolchain"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/jupyter"
)

// TestStopInAnInteractiveKernel runs cells on the GoNB kernel as Jupyter
// starts it (no runner between them and the reader): a cell whose
// parameters name a product without rows shows the message, marked as a
// stop, then only the note GoNB adds ("exit status 2", in its stderr line
// and its error), never a panic report or a goroutine dump, and stops
// before its next line; the
// next cell needing the same data says briefly that it is skipped.
func TestStopInAnInteractiveKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cells through GoNB: slow")
	}
	setSampleEnv(t)
	ctx := context.Background()
	tools, err := toolchain.Ensure(ctx, "", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TMPDIR="+t.TempDir(), "GOFLAGS="+toolchain.CellGoflags(""),
		"PATH="+toolchain.JoinPath(tools.Bin, tools.GoBin, "/usr/bin:/bin"))
	k, err := jupyter.Start(ctx, jupyter.Options{Argv: tools.KernelArgv(jupyter.ConnectionFileArg), Dir: wd, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	const cell = `%%
acct := lenslog.MustOpen()
api := lenslog.Must(acct.WebAPI(lenslog.Last(30*lenslog.Day), lenslog.Product(424242)))
fmt.Println("not reached", api.Len())`
	for i, want := range []string{"No data for these parameters", "Skipped:"} {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		res, err := k.Execute(cctx, cell)
		cancel()
		if err != nil {
			t.Fatalf("cell %d: %v", i+1, err)
		}
		var stop string
		var notes []string
		for _, o := range res.Outputs {
			switch {
			case o.IsStop():
				stop, _ = o.DataText("text/markdown")
			case o.Type == ipynb.Error:
				notes = append(notes, strings.Join(append([]string{o.EValue}, o.Traceback...), "\n"))
			case o.Type == ipynb.Stream && o.Name == "stderr":
				notes = append(notes, o.Text)
			case strings.Contains(o.Text, "not reached"):
				t.Errorf("cell %d went on after the stop: %q", i+1, o.Text)
			}
		}
		if !strings.Contains(stop, want) {
			t.Errorf("cell %d: the stop's message is %q, want it to contain %q (outputs %+v)", i+1, stop, want, res.Outputs)
		}
		for _, n := range notes { // GoNB says it in its stderr line and in its error: the one note
			for _, line := range strings.Split(strings.TrimSpace(n), "\n") {
				if line != "exit status 2" {
					t.Errorf("cell %d: the reader sees %q under the message, want only GoNB's \"exit status 2\" (notes %q)", i+1, line, notes)
				}
			}
		}
	}
}
