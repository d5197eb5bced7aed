// Package lenslog is the front door for notebooks: it finds the account to
// read (a live Cryptolens account when a token is set, else the built-in
// sample account), keeps its logs in the local store, and hands out typed
// tables for a time span.
//
// A notebook cell reads:
//
//	acct := lenslog.MustOpen()
//	api := lenslog.Must(acct.WebAPI(lenslog.Last(30 * lenslog.Day)))
//	nb.Show(analysis.SuccessRatio(api))
//
// Every setting is resolved once, by ConfigFromEnv (the one place that
// reads the environment), into a Config value that OpenConfig opens; Open
// opens it as it is, and commands (and programs) change its fields with
// their flags before opening it: one settings value. The
// token comes from $CRYPTOLENS_TOKEN, else the file
// $LENSLOG_TOKEN_FILE names, else (outside a notebook only) apitokens.json
// in the working directory: a notebook never reads one lying beside it, so
// a stray file cannot switch a report to live data, and the note it prints
// says which source it reads and why. The base URL comes from
// $CRYPTOLENS_API_URL, else the Cryptolens API. With
// no token the sample account is used, ending today (or on the day in
// $LENSLOG_SAMPLE_END, e.g. 2026-11-01, for reports that must not change).
// A live account's clock is Config.Clock (time.Now unless given).
// $LENSLOG_REDACT=1 replaces every identifier with a stable pseudonym as the
// data is loaded, so nothing made from it shows a real key, machine, name,
// IP, e-mail address or user id, in a column or inside event metadata and
// Object Log data (see logs.Redactor). Pseudonyms are keyed by
// $LENSLOG_REDACT_KEY (hex, 16 bytes or more) when set, else by a random
// key per run: per GoNB kernel session in a notebook, per process
// elsewhere. Before redacting free text, an Account learns the identifiers
// of all three logs over the same window (loading them if need be), so what
// is redacted does not depend on which log a cell loaded first.
//
// Every table loads through one path (table.go for the logs, usage.go for
// the usage tables): the span resolved against the account's now, the
// rows fetched from the source, capped by a replay's pins, recorded,
// narrowed, redacted, and the window kept in the table's Period, which
// analyses and Lookback or WholeDays read instead of a span converted by
// hand.
//
// Spans are written in code (Last(30 * Day)) or as text (ParseSpan:
// last-30d, 2026-10, 2026-10-01..2026-10-31, previous-month, yesterday),
// which is how a report's parameters give them. Product(id) narrows a
// load to one product; a product or key the account has no rows for is a
// *NoDataError, which Must shows in a notebook as a message, ending the
// cell there by panicking with a *Stopped that the runner shows as that
// message, never ending the process itself. So is a
// period with no Web API request (after the account's now, before its
// history, or quiet) and an Events or Object Log period outside what the
// log holds; the message says what the log does hold. FloatingLicense
// picks a seat audit's license and its seat limit: given, else from the
// account's license list (a live account's licenses too), else inferred
// from the log and labelled so.
//
// The five Usage Analytics tables (Cryptolens' own aggregates of the Web
// API Log: DailyAggregates, DailyCountryAggregates, KeyUsageSummaries,
// KeyDevices, LicenseActivityBuckets) load the same way, as columnar
// tables (logs.UsageDaily and the others), for a span and a product, and
// are redacted like the logs; a
// token without the "Usage Analytics" permission gets a *PermissionError,
// which Must also shows in a notebook as a message. ReconcileOptions and
// FloatingPeriods give the analyses of those tables what they need from
// the account and the log (see usage.go).
//
// The inventory (what was sold: Products, LicenseKeys, Machines,
// Customers) loads as of the account's now rather than for a span: one
// snapshot, the sample account's, the store's newest (one per sync; a
// load takes one when it is over SnapshotMaxAge old) or the API's,
// recorded with the snapshot's time as its highest id, so a replay reads
// the same one, and redacted like the logs. InventoryChanges compares
// consecutive snapshots and matches each change with the Object Log entry
// that made it. Each method needs its own permission; without it a load
// gets a *PermissionError naming it (see inventory.go).
//
// For the report runner, every load appends what it resolved (account,
// window in UTC, rows, highest id: a Read) to the file $LENSLOG_PROVENANCE
// names, and a replay pins the account's clock ($LENSLOG_NOW) and the
// highest id read per log ($LENSLOG_MAX_IDS), reading the store without
// syncing.
package lenslog
