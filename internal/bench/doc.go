// Package bench is the benchmark harness behind `go run ./kernel bench`:
// it measures lenslog against what its users would otherwise use, Python's
// json + pandas, on the same sample account, each step in a process of its
// own, and writes the Markdown tables RESULTS.md keeps.
//
// Run prepares the data and drives the steps; StepMain is the child side,
// which the kernel program runs under a hidden command; pandas_bench.py is
// the peer's side, embedded and written beside the data. The numbers and
// what the profiles showed are in RESULTS.md in this folder.
//
// Speed targets of single functions live in the packages' own benchmarks
// (go test -bench); this harness measures whole steps as a user runs them,
// in fresh processes, peak memory included.
package bench
