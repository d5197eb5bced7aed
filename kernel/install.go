package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
)

func init() {
	register(command{
		name:    "install",
		summary: "build GoNB and register the Jupyter kernel \"lenslog\"",
		run:     runInstall,
	})
}

const (
	// modulePath identifies this repository's go.mod.
	modulePath = "github.com/lenslog/lenslog"
	// kernelName and kernelDisplayName are what Jupyter shows.
	kernelName        = "lenslog"
	kernelDisplayName = "Go (lenslog)"
	// The kernel -redact registers beside the plain one: notebooks opened
	// with it load every log redacted (LENSLOG_REDACT=1).
	redactedKernelName        = "lenslog-redacted"
	redactedKernelDisplayName = "Go (lenslog, redacted)"
	// goplsVersion is the newest gopls that builds with Go 1.26.
	goplsVersion = "v0.23.0"
)

// toolPackages are built from the versions pinned in go.mod, by binary name.
var toolPackages = []struct{ name, pkg string }{
	{"gonb", "github.com/janpfeifer/gonb"},
	{"goimports", "golang.org/x/tools/cmd/goimports"},
}

// tools is the result of ensureTools: where things are.
type tools struct {
	root  string // repository root (holds go.mod)
	bin   string // folder with gonb and goimports
	goBin string // folder with the go command
	built bool   // whether this call (re)built anything
}

// gonb returns the path of the GoNB binary.
func (t *tools) gonb() string { return filepath.Join(t.bin, "gonb") }

// kernelArgv is how a GoNB kernel is started, by Jupyter (the installed
// kernel.json) or by the runner: with plain-text errors, and with a
// go.work that uses this repository, so that a notebook's cells import
// lenslog's packages at the versions its go.mod pins, and need no setup
// cell of their own.
func (t *tools) kernelArgv(connectionFile string) []string {
	return []string{t.gonb(), "--kernel", connectionFile, "--raw_error", "--go_work=" + t.root}
}

// goplsDir is where -gopls puts gopls: apart from gonb and goimports, so
// that headless runs, whose PATH has only t.bin, never start it (GoNB
// starts gopls in a process group of its own, which a runner cannot reap).
func (t *tools) goplsDir() string { return filepath.Join(filepath.Dir(t.bin), "gopls") }

func runInstall(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("install", stderr)
	toolsDir := fs.String("tools", "", "`DIR` for the built gonb and goimports (default <repo>/.tools/bin)")
	prefix := fs.String("prefix", "", "register the kernel under `PREFIX`/share/jupyter/kernels instead of the user's Jupyter data folder")
	user := fs.Bool("user", false, "register the kernel in the user's Jupyter data folder (the default)")
	gopls := fs.Bool("gopls", false, "also build gopls "+goplsVersion+", for code completion in Jupyter (slow)")
	redact := fs.Bool("redact", false, "also register the kernel \""+redactedKernelName+"\", whose notebooks load every log redacted")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel install [-tools DIR] [-prefix DIR | -user] [-gopls] [-redact]")
		fmt.Fprintln(stderr, "\nBuilds GoNB and goimports at the versions in go.mod and registers the Jupyter kernel \""+kernelName+"\".")
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
	t, err := ensureTools(ctx, *toolsDir, stderr)
	if err != nil {
		return err
	}
	tell(stdout, t.built, "built gonb and goimports in %s", "gonb and goimports in %s already up to date", t.bin)
	if *gopls {
		built, err := ensureGopls(ctx, t, stderr)
		if err != nil {
			return err
		}
		tell(stdout, built, "built gopls in %s", "gopls in %s already up to date", t.goplsDir())
	}
	dir, err := kernelspecDir(*prefix)
	if err != nil {
		return err
	}
	changed, err := writeKernelSpec(dir, t, *gopls)
	if err != nil {
		return err
	}
	tell(stdout, changed, "registered Jupyter kernel %q in %s", "Jupyter kernel %q in %s already up to date", kernelName, dir)
	if *redact {
		rdir := filepath.Join(filepath.Dir(dir), redactedKernelName)
		changed, err := writeRedactedKernelSpec(rdir, t, *gopls)
		if err != nil {
			return err
		}
		tell(stdout, changed, "registered Jupyter kernel %q in %s", "Jupyter kernel %q in %s already up to date", redactedKernelName, rdir)
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
`, kernelDisplayName, kernelName)
}

// ensureTools builds gonb and goimports into dir (default <repo>/.tools/bin)
// unless the binaries there were already built by the current Go from the
// module versions pinned in go.mod. Build output goes to log.
func ensureTools(ctx context.Context, dir string, log io.Writer) (*tools, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("the go command is not on PATH: install Go 1.26 or later and add its bin folder to PATH")
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	t := &tools{root: root, bin: dir, goBin: filepath.Dir(goCmd)}
	if t.bin == "" {
		t.bin = filepath.Join(root, ".tools", "bin")
	}
	if t.bin, err = filepath.Abs(t.bin); err != nil {
		return nil, err
	}
	goVersion, err := goEnv(ctx, root, "GOVERSION")
	if err != nil {
		return nil, err
	}
	reqs, err := requiredVersions(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	var pkgs []string
	stale := false
	for _, p := range toolPackages {
		pkgs = append(pkgs, p.pkg)
		stale = stale || !upToDate(filepath.Join(t.bin, p.name), p.pkg, goVersion, reqs)
	}
	if !stale {
		return t, nil
	}
	fmt.Fprintf(log, "building gonb and goimports into %s (the first time takes a minute or two)...\n", t.bin)
	args := append([]string{"build", "-o", t.bin + string(filepath.Separator)}, pkgs...)
	if err := goRun(ctx, root, nil, log, args...); err != nil {
		return nil, fmt.Errorf("build tools: %w", err)
	}
	t.built = true
	return t, nil
}

// ensureGopls installs gopls into t.goplsDir() unless it is there already,
// built by the current Go at goplsVersion.
func ensureGopls(ctx context.Context, t *tools, log io.Writer) (bool, error) {
	goVersion, err := goEnv(ctx, t.root, "GOVERSION")
	if err != nil {
		return false, err
	}
	bin := filepath.Join(t.goplsDir(), "gopls")
	if bi, err := buildinfo.ReadFile(bin); err == nil && bi.GoVersion == goVersion && bi.Main.Version == goplsVersion {
		return false, nil
	}
	fmt.Fprintf(log, "building gopls %s into %s (takes a few minutes)...\n", goplsVersion, t.goplsDir())
	env := []string{"GOBIN=" + t.goplsDir(), "GOFLAGS=-mod=mod"}
	if err := goRun(ctx, t.root, env, log, "install", "golang.org/x/tools/gopls@"+goplsVersion); err != nil {
		return false, fmt.Errorf("build gopls %s (only needed for completion; install without -gopls to skip it): %w", goplsVersion, err)
	}
	return true, nil
}

// repoRoot finds the folder of this repository's go.mod, from the current
// folder upwards.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modfile.ModulePath(data) == modulePath {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("not inside the lenslog repository: no go.mod for %s in %s or above; run this from the repository", modulePath, wd)
		}
	}
}

// requiredVersions reads the module versions go.mod requires.
func requiredVersions(gomod string) (map[string]string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return nil, err
	}
	f, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return nil, err
	}
	reqs := map[string]string{}
	for _, r := range f.Require {
		reqs[r.Mod.Path] = r.Mod.Version
	}
	return reqs, nil
}

// upToDate reports whether bin exists and was built from pkg by goVersion
// with every dependency at the version go.mod requires.
func upToDate(bin, pkg, goVersion string, reqs map[string]string) bool {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil || bi.GoVersion != goVersion || bi.Path != pkg {
		return false
	}
	for _, d := range bi.Deps {
		if d.Replace != nil {
			return false
		}
		if want, ok := reqs[d.Path]; ok && want != d.Version {
			return false
		}
	}
	return true
}

// goEnv returns one variable of `go env`.
func goEnv(ctx context.Context, dir, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// goRun runs the go command in dir with extra environment, its output to log.
func goRun(ctx context.Context, dir string, env []string, log io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// kernelspecDir returns where the kernelspec goes: under prefix if given,
// else in the user's Jupyter data folder (JUPYTER_DATA_DIR, else the
// platform's default, as Jupyter itself computes it).
func kernelspecDir(prefix string) (string, error) {
	if prefix != "" {
		abs, err := filepath.Abs(prefix)
		return filepath.Join(abs, "share", "jupyter", "kernels", kernelName), err
	}
	data, err := jupyterDataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(data, "kernels", kernelName), nil
}

// jupyterDataDir returns the user's Jupyter data folder.
func jupyterDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Jupyter data folder: %w (set JUPYTER_DATA_DIR)", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		return filepath.Join(os.Getenv("APPDATA"), "jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// kernelSpec is the kernel.json Jupyter reads.
type kernelSpec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Env           map[string]string `json:"env"`
	InterruptMode string            `json:"interrupt_mode"`
	Language      string            `json:"language"`
}

// writeKernelSpec writes dir/kernel.json for GoNB from t, and reports
// whether its content changed.
func writeKernelSpec(dir string, t *tools, withGopls bool) (bool, error) {
	return saveKernelSpec(dir, newKernelSpec(t, withGopls, kernelDisplayName))
}

// writeRedactedKernelSpec registers the redacting kernel in dir. Its
// pseudonym key is made once and kept, so pseudonyms stay the same across
// sessions and a second install changes nothing.
func writeRedactedKernelSpec(dir string, t *tools, withGopls bool) (bool, error) {
	spec := newKernelSpec(t, withGopls, redactedKernelDisplayName)
	key := ""
	if old, err := os.ReadFile(filepath.Join(dir, "kernel.json")); err == nil {
		var prev kernelSpec
		if json.Unmarshal(old, &prev) == nil {
			key = prev.Env["LENSLOG_REDACT_KEY"]
		}
	}
	if key == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return false, fmt.Errorf("make a redaction key: %w", err)
		}
		key = hex.EncodeToString(b)
	}
	spec.Env["LENSLOG_REDACT"] = "1"
	spec.Env["LENSLOG_REDACT_KEY"] = key
	changed, err := saveKernelSpec(dir, spec)
	if err != nil {
		return changed, err
	}
	// The key reverses every pseudonym by trial: only its owner reads it.
	return changed, os.Chmod(filepath.Join(dir, "kernel.json"), 0o600)
}

// newKernelSpec describes a GoNB kernel with the PATH it needs.
func newKernelSpec(t *tools, withGopls bool, display string) kernelSpec {
	path := []string{t.bin}
	if withGopls {
		path = append(path, t.goplsDir())
	}
	path = append(path, t.goBin, os.Getenv("PATH"))
	return kernelSpec{
		Argv:          append(t.kernelArgv("{connection_file}"), "--logtostderr"),
		DisplayName:   display,
		Env:           map[string]string{"PATH": joinPath(path...), "GOFLAGS": cellGoflags(os.Getenv("GOFLAGS"))},
		InterruptMode: "message",
		Language:      "go",
	}
}

// saveKernelSpec writes spec as dir/kernel.json unless it is there already,
// and reports whether it wrote.
func saveKernelSpec(dir string, spec kernelSpec) (bool, error) {
	data, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		return false, err
	}
	data = append(data, '\n')
	file := filepath.Join(dir, "kernel.json")
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("register kernel: %w", err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return false, fmt.Errorf("register kernel: %w", err)
	}
	return true, nil
}

// joinPath joins PATH lists, dropping empty and repeated entries.
func joinPath(lists ...string) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, d := range filepath.SplitList(l) {
			if d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, string(os.PathListSeparator))
}
