package bench

import (
	"archive/tar"
	"bytes"
	"cmp"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cellProgram is a typical notebook cell as GoNB compiles it: the
// notebook's memorized declarations (its parameters and the two loading
// lines) and the cell's code in main, here 02-success-ratio's chart cell.
// The last line is what the bench edits between builds.
const cellProgram = `package main

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/charts"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/nb"
)

var window = 30 * lenslog.Day

var (
	acct = lenslog.MustOpen()
	api  = lenslog.Must(acct.WebAPI(lenslog.Last(window)))
)

func main() {
	ratio := analysis.SuccessRatio(api)
	fmt.Printf("Success share: %.1f%%\n", 100*ratio.Share(cryptolens.OutcomeSuccess))
	nb.Show(ratio)
	nb.Plot(charts.Bar(ratio, "Successful vs. unsuccessful API requests"))
	fmt.Println("edit EDIT")
}
`

// cellBaseline is the code issue 15's cell target is measured against:
// main on the morning of 29 November 2026, when the issue was filed (its
// typical cell program was 35.7 MB, built with a plain go build).
const cellBaseline = "868e237e69a1b5e2e2aa66932981c7cad480c538"

// cellWay is one way of building the cell: the code it builds against (a
// revision of the repository, "" for the repository as it is) and the
// GOFLAGS its go build runs under.
type cellWay struct {
	name    string
	rev     string
	goflags string
}

// cellResult is what the cell build step measured for one way.
type cellResult struct {
	way   cellWay
	times []float64 // warm rebuilds after a one-line edit, seconds
	size  int64     // the binary's size
}

// cellDep is what one module (or the standard library) costs the cell
// program: the size of its symbols in the binary, and the packages and
// compiled objects the linker loads for it on every link, which is what
// a warm rebuild's time follows, dead code included.
type cellDep struct {
	module  string
	bytes   int64 // its symbols' size in the binary
	pkgs    int   // packages of it in the program
	objects int64 // their compiled archives, as the build cache holds them
}

// measureCell builds the typical cell program the way GoNB does (`go build
// -o BINARY` in a module of its own whose go.work uses the repository at
// root, the notebooks' setup idiom) once per way, to warm the build cache,
// then reps times per way, taking turns, each after a one-line edit: the
// warm rebuild a user waits for. A way with a revision builds against that
// revision of root, taken out with git archive; one whose revision cannot
// be had is left out, and why is returned. It also reports what each
// module costs the program, on the binary of the first way that builds
// this code with plain flags (it must keep its symbols), and the linker's
// input under the last way's flags.
func measureCell(ctx context.Context, root string, ways []cellWay, reps int, log func(string, ...any)) ([]cellResult, []cellDep, string, error) {
	tmp, err := os.MkdirTemp("", "lenslog-cell-")
	if err != nil {
		return nil, nil, "", err
	}
	defer os.RemoveAll(tmp)
	var (
		results []cellResult
		dirs    []string
		skipped []string
	)
	for i, w := range ways {
		dir, err := cellDir(ctx, tmp, root, i, w)
		if err != nil {
			if w.rev == "" {
				return nil, nil, "", err
			}
			skipped = append(skipped, fmt.Sprintf("%s left out: %v", w.name, err))
			continue
		}
		results = append(results, cellResult{way: w})
		dirs = append(dirs, dir)
	}
	edit := 0
	build := func(i int) (float64, error) {
		edit++
		src := strings.Replace(cellProgram, "EDIT", strconv.Itoa(edit), 1)
		if err := os.WriteFile(filepath.Join(dirs[i], "main.go"), []byte(src), 0o644); err != nil {
			return 0, err
		}
		start := time.Now()
		err := goCmd(ctx, dirs[i], results[i].way.goflags, "build", "-o", "cell")
		return time.Since(start).Seconds(), err
	}
	for i, r := range results {
		log("building the cell program (%s), to warm the cache", r.way.name)
		if _, err := build(i); err != nil {
			return nil, nil, "", err
		}
	}
	for rep := range reps {
		for i := range results {
			log("rebuilding the cell program after an edit (%s, %d of %d)", results[i].way.name, rep+1, reps)
			t, err := build(i)
			if err != nil {
				return nil, nil, "", err
			}
			results[i].times = append(results[i].times, t)
		}
	}
	for i := range results {
		if fi, err := os.Stat(filepath.Join(dirs[i], "cell")); err == nil {
			results[i].size = fi.Size()
		}
	}
	plain := slices.IndexFunc(results, func(r cellResult) bool { return r.way.rev == "" && r.way.goflags == "" })
	if plain < 0 {
		return results, nil, strings.Join(skipped, "; "), nil
	}
	deps, err := depCosts(filepath.Join(dirs[plain], "cell"))
	if err != nil {
		return nil, nil, "", err
	}
	last := len(results) - 1
	deps, err = linkerInput(ctx, dirs[last], results[last].way.goflags, deps)
	return results, deps, strings.Join(skipped, "; "), err
}

// cellDir makes way i's folder under tmp: a module with a go.work that
// uses root, or the way's revision of it taken out into the folder.
func cellDir(ctx context.Context, tmp, root string, i int, w cellWay) (string, error) {
	dir := filepath.Join(tmp, fmt.Sprintf("way-%d", i))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if w.rev != "" {
		src := filepath.Join(tmp, fmt.Sprintf("src-%d", i))
		if err := gitArchive(ctx, root, w.rev, src); err != nil {
			return "", err
		}
		root = src
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gonb_cell\n\ngo 1.26\n"), 0o644); err != nil {
		return "", err
	}
	return dir, goCmd(ctx, dir, "", "work", "init", ".", root)
}

// gitArchive writes the tree of revision rev of the repository at root
// into dst.
func gitArchive(ctx context.Context, root, rev, dst string) error {
	cmd := exec.CommandContext(ctx, "git", "-C", root, "archive", "--format=tar", rev)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive %s: %w", rev, err)
	}
	xerr := untar(out, dst)
	io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %w: %s", rev, err, strings.TrimSpace(stderr.String()))
	}
	if xerr != nil {
		return fmt.Errorf("git archive %s: %w", rev, xerr)
	}
	return nil
}

// untar writes the regular files and folders of a tar stream under dst;
// a name that would land outside dst is an error.
func untar(r io.Reader, dst string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !filepath.IsLocal(h.Name) {
			return fmt.Errorf("tar entry %q is outside the tree", h.Name)
		}
		path := filepath.Join(dst, h.Name)
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(path, 0o755)
		case tar.TypeReg:
			err = writeFileFrom(path, tr, h.FileInfo().Mode().Perm())
		}
		if err != nil {
			return err
		}
	}
}

// writeFileFrom writes r to a new file at path, making its folder.
func writeFileFrom(path string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// goCmd runs the go command in dir with GOFLAGS set to goflags.
func goCmd(ctx context.Context, dir, goflags string, args ...string) error {
	_, err := goOutput(ctx, dir, goflags, args...)
	return err
}

// goOutput runs the go command in dir with GOFLAGS set to goflags and
// returns its standard output.
func goOutput(ctx context.Context, dir, goflags string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GOFLAGS="+goflags, "GOWORK=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s%s", strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return out, nil
}

// linkerInput adds to deps the packages of each module that the cell
// program in dir links under goflags, and the size of their compiled
// archives (go list -export names them in the build cache, already built).
// A module the binary's symbols did not name gets a row of its own.
func linkerInput(ctx context.Context, dir, goflags string, deps []cellDep) ([]cellDep, error) {
	out, err := goOutput(ctx, dir, goflags, "list", "-deps", "-export", "-f", "{{with .Module}}{{.Path}}{{end}}\t{{.Export}}", ".")
	if err != nil {
		return nil, fmt.Errorf("the cell program's packages: %w", err)
	}
	at := map[string]int{}
	for i, d := range deps {
		at[d.module] = i
	}
	for line := range strings.Lines(string(out)) {
		mod, export, _ := strings.Cut(strings.TrimRight(line, "\r\n"), "\t")
		if export == "" {
			continue
		}
		if mod == "" {
			mod = "std"
		}
		fi, err := os.Stat(export)
		if err != nil {
			return nil, fmt.Errorf("the cell program's packages: %w", err)
		}
		i, ok := at[mod]
		if !ok {
			i = len(deps)
			at[mod] = i
			deps = append(deps, cellDep{module: mod})
		}
		deps[i].pkgs++
		deps[i].objects += fi.Size()
	}
	return deps, nil
}

// depCosts sums the sizes of a binary's symbols that take room in the
// file (an ELF binary's symbol table; the bss holds none) per module its
// build info lists; the standard library and the runtime's own tables
// count as "std".
func depCosts(bin string) ([]cellDep, error) {
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return nil, fmt.Errorf("the cell program's build info: %w", err)
	}
	mods := []string{info.Main.Path}
	for _, d := range info.Deps {
		mods = append(mods, d.Path)
	}
	// The longest module path first, so a nested module wins.
	slices.SortFunc(mods, func(a, b string) int { return len(b) - len(a) })
	f, err := elf.Open(bin)
	if err != nil {
		return nil, fmt.Errorf("module sizes are measured on ELF binaries: %w", err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("the cell program's symbols: %w", err)
	}
	sums := map[string]int64{}
	for _, sym := range syms {
		i := int(sym.Section)
		if i <= 0 || i >= len(f.Sections) || f.Sections[i].Type == elf.SHT_NOBITS {
			continue
		}
		sums[moduleOf(sym.Name, mods)] += int64(sym.Size)
	}
	var deps []cellDep
	for m, n := range sums {
		deps = append(deps, cellDep{module: m, bytes: n})
	}
	slices.SortFunc(deps, func(a, b cellDep) int { return int(b.bytes - a.bytes) })
	return deps, nil
}

// moduleOf returns the module a symbol belongs to, or "std".
func moduleOf(sym string, mods []string) string {
	sym = strings.TrimPrefix(sym, "type:")
	sym = strings.TrimPrefix(sym, "go:itab.")
	sym = strings.TrimLeft(sym, "*")
	for _, m := range mods {
		if strings.HasPrefix(sym, m) && len(sym) > len(m) && strings.ContainsRune("/.", rune(sym[len(m)])) {
			return m
		}
	}
	return "std"
}

// writeDeps writes what each module costs the cell program, the largest
// linker input first.
func writeDeps(w io.Writer, deps []cellDep) {
	if len(deps) == 0 {
		return
	}
	deps = slices.Clone(deps)
	slices.SortFunc(deps, func(a, b cellDep) int {
		return cmp.Or(cmp.Compare(b.objects, a.objects), cmp.Compare(b.bytes, a.bytes))
	})
	fmt.Fprintf(w, "\nWhat each module costs the cell program: its symbols in the plain build's binary (`go tool nm -size`; std includes "+
		"the runtime's tables), and the packages and compiled objects the linker loads for it on every link, dead code "+
		"included, under the new way's flags. A warm rebuild's time follows the second more than the first. Largest input first:\n\n")
	fmt.Fprintln(w, "| module | in the binary | packages | objects the linker loads |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: |")
	var size, objects int64
	var pkgs int
	for i, d := range deps {
		size, objects, pkgs = size+d.bytes, objects+d.objects, pkgs+d.pkgs
		if i < 16 {
			fmt.Fprintf(w, "| %s | %s | %d | %s |\n", d.module, fmtMB(d.bytes), d.pkgs, fmtMB(d.objects))
		}
	}
	fmt.Fprintf(w, "| all modules | %s | %d | %s |\n", fmtMB(size), pkgs, fmtMB(objects))
}
