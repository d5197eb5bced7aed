package toolchain

import "strings"

// cellBuildFlags are what every cell's `go build` gets through GOFLAGS, in
// the installed kernel and in the runner. GoNB links every cell into a
// fresh program, and the link is most of a warm cell's build (`go run
// ./kernel bench` measures it against the code of 29 November):
//
//   - -ldflags=-s leaves the symbol table and, since Go 1.22, the DWARF
//     debug data out of the cell program: without it the typical cell
//     program is 37 MB instead of 27 MB and links about a third slower.
//     Panics still print file:line (that is the pclntab, which stays);
//     only a debugger or `go tool nm` needs what goes.
//   - -tags=netgo,osusergo builds net and os/user in Go alone. They are
//     the only packages a cell program links that use cgo, and with cgo
//     in the program every go build runs cgo and gcc to identify the C
//     toolchain for its cache keys and links runtime/cgo's C objects into
//     a dynamic program; without it the program is static and the warm
//     rebuild takes about 10% less CPU. The Go resolver reads /etc/hosts and
//     /etc/resolv.conf, which is how the kernel reaches the Cryptolens
//     API; a cell that imports cgo packages of its own still builds.
var cellBuildFlags = []string{"-ldflags=-s", "-tags=netgo,osusergo"}

// CellGoflags returns the GOFLAGS for a kernel's builds: the user's own
// (goflags) with each of cellBuildFlags added unless they already set that
// flag, in which case theirs wins (GOFLAGS="-tags=" turns the pure-Go
// net and os/user off again). Commands that take no -ldflags or -tags (go
// work, go mod) ignore them.
func CellGoflags(goflags string) string {
	out := strings.TrimSpace(goflags)
	for _, f := range cellBuildFlags {
		name, _, _ := strings.Cut(f, "=")
		if !hasFlag(goflags, name) {
			out = strings.TrimSpace(out + " " + f)
		}
	}
	return out
}

// hasFlag reports whether goflags sets the flag name ("-ldflags"), with
// one dash or two.
func hasFlag(goflags, name string) bool {
	name = strings.TrimLeft(name, "-")
	for _, f := range strings.Fields(goflags) {
		f = strings.TrimLeft(f, "-")
		if f == name || strings.HasPrefix(f, name+"=") {
			return true
		}
	}
	return false
}
