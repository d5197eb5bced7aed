// Package logstore keeps a local copy of an account's Cryptolens logs, so a
// notebook loads them in well under a second, fetches only what is new, and
// keeps history longer than Cryptolens does (the Events and Object logs are
// kept there about 30 days).
//
// # Layout
//
// A store is a folder, by default one per account and API base URL under
// the user's cache folder (see DefaultDir; the folder is named by a hash,
// and the token is never written anywhere):
//
//	<store>/_lenslog.json          format version of the store
//	<store>/_lock                  held (flock) while a sync runs
//	<store>/webapi/_manifest.json  the segments of the Web API Log
//	<store>/webapi/_synced.json    when a sync of it last finished (LastSync)
//	<store>/webapi/webapi-<first id>-<last id>-<random>.parquet
//	<store>/events/...             the Events Log, likewise
//	<store>/objects/...            the Object Log, likewise
//
// Each log is a set of immutable Parquet segments, each sorted by id, with
// disjoint id ranges, plus a manifest listing them with their id range,
// time range, row count, size and CRC-32C. The manifest also records how
// far back the log is known complete. Segments are written to a temporary
// file (whose name ends in .tmp, never .parquet), synced and renamed; the
// manifest is replaced the same way, last. A reader therefore always sees a
// complete state, and a process killed at any moment leaves at worst
// unlisted files, which the next Open or Sync removes.
//
// The column schema, and how to query a store with DuckDB, Spark or
// BigQuery, is in SCHEMA.md beside this file.
//
// # Syncing
//
// Sync fetches forward from the newest stored id, then backward from the
// oldest until SyncOptions.Since (or the start of history), committing a
// segment every few pages. A sync with nothing new costs one request per
// log; with k new rows, ceil(k / page size) + 1. Asking again for a window
// already covered makes no backward request. Small segments are merged
// into larger ones as they accumulate. Two processes syncing one store take
// turns (the second waits, until its context is done); loads never wait.
//
// # Loading
//
// WebAPI, Events and Objects load a time window into the typed tables of
// package logs, reading only the segments whose time range overlaps it,
// column by column, with repeated strings (keys, IPs, machine codes)
// shared. Every segment's checksum is checked as it is read: a damaged or
// missing segment fails the load with a *CorruptError naming the file,
// never with wrong rows. Verify checks a whole store; Repair re-fetches
// damaged segments and reports what the source no longer has.
package logstore
