package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/lenslog/lenslog/internal/toolchain"
)

func init() {
	register(command{
		name:    "install",
		summary: "build GoNB and register the Jupyter kernel \"lenslog\"",
		run:     runInstall,
	})
}

func runInstall(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("install", stderr)
	toolsDir := fs.String("tools", "", "`DIR` for the built gonb and goimports (default <repo>/.tools/bin)")
	prefix := fs.String("prefix", "", "register the kernel under `PREFIX`/share/jupyter/kernels instead of the user's Jupyter data folder")
	user := fs.Bool("user", false, "register the kernel in the user's Jupyter data folder (the default)")
	gopls := fs.Bool("gopls", false, "also build gopls "+toolchain.GoplsVersion+", for code completion in Jupyter (slow)")
	redact := fs.Bool("redact", false, "also register the kernel \""+toolchain.RedactedKernelName+"\", whose notebooks load every log redacted")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel install [-tools DIR] [-prefix DIR | -user] [-gopls] [-redact]")
		fmt.Fprintln(stderr, "\nBuilds GoNB and goimports at the versions in go.mod and registers the Jupyter kernel \""+toolchain.KernelName+"\".")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if *user && *prefix != "" {
		return fmt.Errorf("%w: -user and -prefix exclude each other", errUsage)
	}
	t, err := toolchain.Ensure(ctx, *toolsDir, stderr)
	if err != nil {
		return err
	}
	tell(stdout, t.Built, "built gonb and goimports in %s", "gonb and goimports in %s already up to date", t.Bin)
	if *gopls {
		built, err := toolchain.EnsureGopls(ctx, t, stderr)
		if err != nil {
			return err
		}
		tell(stdout, built, "built gopls in %s", "gopls in %s already up to date", t.GoplsDir())
	}
	dir, err := toolchain.KernelspecDir(*prefix, os.Getenv)
	if err != nil {
		return err
	}
	changed, err := toolchain.WriteKernelSpec(dir, t, *gopls, os.Getenv)
	if err != nil {
		return err
	}
	tell(stdout, changed, "registered Jupyter kernel %q in %s", "Jupyter kernel %q in %s already up to date", toolchain.KernelName, dir)
	if *redact {
		rdir := filepath.Join(filepath.Dir(dir), toolchain.RedactedKernelName)
		changed, err := toolchain.WriteRedactedKernelSpec(rdir, t, *gopls, os.Getenv)
		if err != nil {
			return err
		}
		tell(stdout, changed, "registered Jupyter kernel %q in %s", "Jupyter kernel %q in %s already up to date", toolchain.RedactedKernelName, rdir)
	}
	printNextSteps(stdout)
	return nil
}

// parseFlags parses args, turning a bad flag into a usage error (the
// FlagSet has printed the usage already); -h stays flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%w: %v", errUsage, err)
}

// tell prints the done message if did, else the up-to-date one.
func tell(w io.Writer, did bool, done, same string, args ...any) {
	if did {
		fmt.Fprintf(w, done+"\n", args...)
		return
	}
	fmt.Fprintf(w, same+"\n", args...)
}

// printNextSteps tells how to use the kernel.
func printNextSteps(w io.Writer) {
	if _, err := exec.LookPath("jupyter"); err != nil {
		fmt.Fprintln(w, "\nnote: jupyter is not on PATH; the kernel is registered for when it is (Debian 12: apt-get install jupyter-notebook),\nand `go run ./kernel run` / `report` work without it.")
	}
	fmt.Fprintf(w, `
Next:
  jupyter notebook                      # then pick the kernel %q
  jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=%s X.ipynb
  go run ./kernel run X.ipynb           # headless, no Jupyter needed
  go run ./kernel report                # all notebooks/*.ipynb to reports/
`, toolchain.KernelDisplayName, toolchain.KernelName)
}
