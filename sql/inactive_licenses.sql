-- inactive_licenses.sql: the license keys silent for more than a number
-- of days as of an instant, longest silent first.
--
-- Equals analysis.InactiveLicenses(api, $as_of, $days): per key, its
-- requests at or before $as_of (rows with no time, 1970-01-01 00:00:00
-- UTC, and rows after $as_of are ignored), its latest such request and the
-- product of that request (of several at the same instant, the one with
-- the lowest id), and how long it has been silent: $as_of minus the
-- latest request, in whole seconds and whole days (rounded down). A key is
-- listed when that is more than $days days. Ordered by the latest request,
-- then by key (byte order). Keys that never made a request are not in
-- the Web API Log and so not here.
--
-- Reads: a table or view `webapi` over the store's webapi/ folder (see
-- success_by_day.sql).
-- Parameters: $as_of TIMESTAMPTZ, the instant to measure silence from
-- (the Go analysis takes the zero time to mean now); $days INTEGER, at
-- least 1 (the Go analysis takes 0 to mean 30).
-- Columns: key VARCHAR, product_id INTEGER, last_seen TIMESTAMPTZ,
-- silent_seconds BIGINT, days_silent BIGINT, requests BIGINT.
--
-- Portability: epoch() and the $ parameters are DuckDB's (Trino:
-- to_unixtime; Spark: unix_timestamp); the rest is standard.
WITH seen AS (
    SELECT key, product_id, time, id,
           row_number() OVER (PARTITION BY key ORDER BY time DESC, id) AS latest,
           count(*) OVER (PARTITION BY key) AS requests
    FROM webapi
    WHERE time <> TIMESTAMPTZ '1970-01-01 00:00:00+00' AND time <= $as_of
),
silence AS (
    SELECT key, product_id, time AS last_seen,
           CAST(epoch($as_of) - epoch(time) AS BIGINT) AS silent_seconds, requests
    FROM seen
    WHERE latest = 1
)
SELECT key, product_id, last_seen, silent_seconds, silent_seconds // 86400 AS days_silent, requests
FROM silence
WHERE silent_seconds > $days * 86400
ORDER BY last_seen, key;
