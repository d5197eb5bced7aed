// Package logstore keeps a local copy of an account's Cryptolens logs, so a
// notebook loads them in well under a second, fetches only what is new, and
// keeps history longer than Cryptolens does (the Events and Object logs are
// kept there about 30 days). That history exists nowhere else, so the store
// never deletes a row it holds: lenslog removes only temporary files that
// were never committed and copies whose every row is stored elsewhere in
// the store; anything else it cannot account for is moved aside, not
// deleted.
//
// # Layout
//
// A store is a folder, by default one per account and API base URL under
// the user's cache folder (see DefaultDir; the folder is named by a hash,
// and the token is never written anywhere):
//
//	<store>/_lenslog.json          format version, and the account the store holds
//	<store>/_lock                  held (flock) while a sync runs
//	<store>/_synced.json           when a sync of each log last finished (LastSync)
//	<store>/_dropped.json          rows syncs kept out of history, per log (Dropped)
//	<store>/webapi/_manifest.json  the segments of the Web API Log
//	<store>/webapi/webapi-<first id>-<last id>-<random>.parquet
//	<store>/webapi/_slices/...     a parallel first sync in progress (plan.json and its segments)
//	<store>/events/...             the Events Log, likewise
//	<store>/objects/...            the Object Log, likewise
//	<store>/_quarantine/<UTC time>/<log>/...  files moved aside, never read
//	<store>/usage/...              the Usage Analytics tables (see usage.go and SCHEMA.md)
//	<store>/inventory/...          inventory snapshots, one per sync, and _snapshots.json (see snapshot.go and SCHEMA.md)
//
// Each log is a set of immutable Parquet segments, each sorted by id, with
// disjoint id ranges, plus a manifest listing them with their id range,
// time range, row count, size and CRC-32C. Every segment of a log has
// every column of the log and a month column, each row's UTC month
// ("2026-10"; Open rewrites, once, the segments of an older store that
// lack one), and a segment's row groups are its UTC months, so an outside
// engine reads a log folder as one table and, given WHERE month =
// '2026-10', skips the other months by the row groups' statistics
// (SCHEMA.md). The manifest also records how
// far back the log is known complete. Segments are written to a temporary
// file (whose name ends in .tmp, never .parquet), synced and renamed; the
// manifest is replaced the same way, last. A reader therefore always sees a
// complete state, and a process killed at any moment leaves at worst
// temporary files (removed by the next Open or Sync: they were never
// committed) and unlisted segments (handled as below).
//
// # Mending
//
// Every segment's footer (Parquet key-value metadata) records its log, row
// count, id range and time range, and its file name its log and id range,
// so the manifest can be rebuilt from the files alone. Before a sync or
// repair writes to a log folder it mends it:
//
//   - A missing or unreadable manifest (deleted by a user or a sync tool,
//     damaged by a disk) is rebuilt from the segment files, each read whole
//     and checked against its name and footer (segments from format 1,
//     whose footer has no bounds, are described by their rows). Where two
//     overlap the widest is kept, of equal ranges the oldest file. How far
//     back the log was complete lived only in the manifest: the rebuilt one
//     claims no more than the stored id range, and the next sync asks the
//     source about older rows again (a request or two). Gaps a repair had
//     recorded are forgotten, and a segment file lost together with the
//     manifest leaves a hole in the id range that the rebuild cannot see.
//   - A file the manifest does not list is removed only if it is a
//     temporary file, or a readable segment of this log every row of which
//     the listed segments hold identically (what a compaction cut short
//     leaves). Any other (an unknown name, an unreadable or foreign
//     segment, one whose ids overlap a kept one, a segment a killed sync
//     wrote but never listed, a broken manifest) is moved to
//     <store>/_quarantine/<UTC time>/<log>/ and named in the SyncResult or
//     RepairReport, which the sync command prints. Nothing there is read
//     again; delete it when you have looked.
//
// Open only removes temporary files and migrates an older store format;
// it mends nothing, so it never changes what a log holds. A load of a log
// whose manifest is lost fails with a *CorruptError until a sync rebuilds it.
//
// # Accounts
//
// _lenslog.json records whose logs the store holds: the API base URL (as
// cryptolens.AccountOf spells it: never with user info) and an HMAC-SHA256 of the access token keyed with a random salt kept beside
// it (never the token). A sync or repair with another token or URL stops
// with an *AccountError before it writes anything; loads through a store
// opened with OpenFor check the same. When the same account has a new
// token, SyncOptions.Rebind (`sync -rebind`) or Store.Rebind records it,
// once a few of the newest stored rows of each log come back the same
// through it (else ErrNotSameAccount, naming the row and field). A
// store made before accounts were recorded adopts the account of its first
// sync that fetches anything.
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
// Row times are not trusted to fall as ids fall (they are written by the
// customers' devices and servers). Backward paging stops only at a page
// that lies wholly before Since; rows whose time is zero, negative or more
// than a day ahead of the clock decide nothing (cryptolens.PageBefore is
// the one definition). So one row out of order cannot end a sync or mark a
// log complete. Pages are stored whole, so a window sync may store rows
// somewhat older than Since; the page that decides the stop is not stored.
//
// A first sync of a log with a backward cursor (Web API, Events) fetches
// its history in slices on SyncOptions.Workers goroutines (DefaultWorkers,
// 4): id ranges cut at instants found with the Time filter, each fetched
// forward by id, all pausing together on a 429, each one's progress in
// the log's _slices folder so a killed sync resumes them, committed in id
// order once all are done. The rows are those a sequential sync fetches;
// see parallel.go.
//
// A source that never ends (full pages of new ids, forever) is bounded:
// one sync adds at most SyncOptions.MaxRows rows per log (DefaultMaxRows,
// 50 million, about ten times the largest log lenslog is measured with),
// then stops with ErrTooManyRows, keeping what it fetched; a log that
// really is larger completes over several syncs.
//
// # Loading
//
// WebAPI, Events and Objects load a time window into the typed tables of
// package logs, reading only the segments whose time range overlaps it,
// column by column, with repeated strings (keys, IPs, machine codes)
// shared. Every segment's checksum is checked as it is read: a damaged or
// missing segment fails the load with a *CorruptError naming the file,
// never with wrong rows. A sync that finds a listed segment missing or of
// the wrong size still fetches new rows, then fails with a *CorruptError
// naming it. Verify checks a whole store; Repair moves damaged segments to
// quarantine, re-fetches their rows and reports what the source no longer
// has (RepairReport.Lost; `sync -repair` then exits 1).
package logstore
