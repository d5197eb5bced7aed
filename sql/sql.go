// Package sql holds lenslog's core analyses as SQL, for engines that read
// the store's Parquet files directly (DuckDB, Spark, Trino): one file per
// analysis, each with a header saying what it computes, the Go analysis in
// package analysis it equals, its parameters, its columns and what in it
// is DuckDB's dialect. Each reads a table or view named after a log folder
// of the store, e.g. in DuckDB
//
//	CREATE VIEW webapi AS SELECT * FROM read_parquet('<store>/webapi/*.parquet');
//
// The files are plain text in this folder; Files embeds them for Go
// programs that run them. internal/sqlcheck runs each in DuckDB over a
// synced sample store and compares its rows with the Go analysis.
package sql

import "embed"

// Files holds the *.sql files of this folder, by file name.
//
//go:embed *.sql
var Files embed.FS
