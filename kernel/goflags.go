package main

import "strings"

// cellLinkFlags is what every cell's `go build` gets through GOFLAGS, in
// the installed kernel and in the runner: -s leaves the symbol table and,
// since Go 1.22, the DWARF debug data out of the cell program. GoNB links
// every cell into a fresh program, and the link is most of a warm cell's
// build: without them the typical cell program is 36 MB and links about a
// third slower (`go run ./kernel bench` measures it, old flags against
// new). Panics still print file:line (that is the pclntab, which stays);
// only a debugger or `go tool nm` needs what goes.
const cellLinkFlags = "-ldflags=-s"

// cellGoflags returns the GOFLAGS for a kernel's builds: the user's own
// (goflags) with cellLinkFlags added, unless they already set -ldflags,
// which then wins. Commands that take no -ldflags (go work, go mod)
// ignore it.
func cellGoflags(goflags string) string {
	for _, f := range strings.Fields(goflags) {
		if strings.HasPrefix(f, "-ldflags=") || strings.HasPrefix(f, "--ldflags=") {
			return goflags
		}
	}
	return strings.TrimSpace(goflags + " " + cellLinkFlags)
}
