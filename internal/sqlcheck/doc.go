// Package sqlcheck checks the SQL files shipped in the repository's sql/
// folder against the Go analyses they restate: its tests sync the sample
// account into a store, run each file in DuckDB over the store's Parquet
// files, and compare the result with package analysis's, row by row. It
// also checks that DuckDB reads every table of a store, one upgraded from
// an older format included, with a plain read_parquet.
//
// It is a module of its own (go.mod here, with a replace pointing at the
// repository) because DuckDB is a large cgo library: neither the lenslog
// library nor notebook cells link it, and the root module's `go test
// ./...` does not enter this folder. .ci/run runs its tests, vet and
// staticcheck:
//
//	cd internal/sqlcheck && go test ./...
package sqlcheck
