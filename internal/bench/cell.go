package bench

import (
	"context"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
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

// cellWay is one way of building the cell: the GOFLAGS its go build runs
// under.
type cellWay struct {
	name    string
	goflags string
}

// cellResult is what the cell build step measured for one way.
type cellResult struct {
	way   cellWay
	times []float64 // warm rebuilds after a one-line edit, seconds
	size  int64     // the binary's size
}

// cellDep is what one module (or the standard library) adds to the cell
// program: the size of its symbols.
type cellDep struct {
	module string
	bytes  int64
}

// measureCell builds the typical cell program the way GoNB does (`go build
// -o BINARY` in a module of its own whose go.work uses the repository at
// root, the notebooks' setup idiom), once per way to warm the build cache,
// then reps times per way, taking turns, each after a one-line edit: the
// warm rebuild a user waits for. It also reports, for the first way's
// binary (which must keep its symbols), what each module costs.
func measureCell(ctx context.Context, root string, ways []cellWay, reps int, log func(string, ...any)) ([]cellResult, []cellDep, error) {
	dir, err := os.MkdirTemp("", "lenslog-cell-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gonb_cell\n\ngo 1.26\n"), 0o644); err != nil {
		return nil, nil, err
	}
	if err := goCmd(ctx, dir, "", "work", "init", ".", root); err != nil {
		return nil, nil, err
	}
	results := make([]cellResult, len(ways))
	edit := 0
	build := func(i int) (float64, error) {
		edit++
		src := strings.Replace(cellProgram, "EDIT", strconv.Itoa(edit), 1)
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
			return 0, err
		}
		start := time.Now()
		err := goCmd(ctx, dir, ways[i].goflags, "build", "-o", binName(i))
		return time.Since(start).Seconds(), err
	}
	for i, w := range ways {
		log("building the cell program (%s), to warm the cache", w.name)
		if _, err := build(i); err != nil {
			return nil, nil, err
		}
		results[i].way = w
	}
	for r := range reps {
		for i := range ways {
			log("rebuilding the cell program after an edit (%s, %d of %d)", ways[i].name, r+1, reps)
			t, err := build(i)
			if err != nil {
				return nil, nil, err
			}
			results[i].times = append(results[i].times, t)
		}
	}
	for i := range results {
		if fi, err := os.Stat(filepath.Join(dir, binName(i))); err == nil {
			results[i].size = fi.Size()
		}
	}
	deps, err := depCosts(filepath.Join(dir, binName(0)))
	return results, deps, err
}

func binName(i int) string { return fmt.Sprintf("cell-%d", i) }

// goCmd runs the go command in dir with GOFLAGS set to goflags.
func goCmd(ctx context.Context, dir, goflags string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS="+goflags, "GOWORK=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
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
		deps = append(deps, cellDep{m, n})
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
