-- seat_peaks.sql: the most floating seats in use at once per time bucket
-- (e.g. per hour), per license and per product.
--
-- Equals analysis.PeakSeats(api, nil, $seconds seconds), its Licenses
-- then its Products, with no seat limits (join your own limits to the
-- license rows to flag those over them). The replay is SeatAudit's
-- (pkg/analysis/replay.go): per key, its floating-seat rows (2014, 2015,
-- 6011, 2024) that have a time, in id order. Before each row, every seat
-- whose floating_expires is at or before the row's time frees itself at
-- its expiry instant. Then a 2014/2015 row takes a seat for a machine
-- holding none (+1 at the row's time) or refreshes the one it holds (its
-- expiry becomes the row's floating_expires; none means held until
-- released); a 6011 row frees the machine's seat if it holds one (-1); a
-- 2024 row changes nothing. After the last row the seats with an expiry
-- free themselves. A license's changes are ordered by instant, then in the
-- order the replay made them; a product's, which sum its licenses', by
-- instant, frees before takes. A bucket's peak is the most seats in use at
-- any instant of it: the level it starts with and the level after each
-- change in it. Buckets are aligned to 1970-01-01 00:00 UTC (hours start
-- at the full hour, days at midnight UTC); only buckets with a seat in use
-- are listed, those a seat is held right through included. A license's
-- product is that of its first floating-seat row.
--
-- Reads: a table or view `webapi` over the store's webapi/ folder (see
-- success_by_day.sql).
-- Parameters: $seconds BIGINT, the bucket size in seconds (3600 for per
-- hour, 86400 for per day).
-- Columns: scope VARCHAR ('license' or 'product'), key VARCHAR (empty on
-- product rows), product_id INTEGER, bucket TIMESTAMPTZ (its first
-- instant), peak BIGINT. Ordered by scope, key, product, bucket.
--
-- Portability: the replay is plain window functions and joins, but
-- epoch(), to_timestamp(), range() as a list with unnest(), max_by/min_by
-- and the $ parameter are DuckDB's (Trino and Spark have min_by/max_by and
-- sequence(); their epoch functions are to_unixtime and unix_timestamp).
WITH seat_rows AS (
    -- the replay's rows: n numbers them per key in id order
    SELECT key, machine_code AS machine, state,
           CAST(epoch(time) AS BIGINT) AS sec,
           CASE WHEN floating_expires IS NULL OR epoch(floating_expires) = 0 THEN 9223372036854775807
                ELSE CAST(epoch(floating_expires) AS BIGINT) END AS expires,
           row_number() OVER (PARTITION BY key ORDER BY id) AS n
    FROM webapi
    WHERE state IN (2014, 2015, 6011, 2024) AND time <> TIMESTAMPTZ '1970-01-01 00:00:00+00'
),
keys AS (
    SELECT key, max(n) AS last_n FROM seat_rows GROUP BY key
),
key_products AS (
    SELECT key, min_by(product_id, id) AS product_id
    FROM webapi WHERE state IN (2014, 2015, 6011, 2024) GROUP BY key
),
own AS (
    -- each machine's takes and releases, with its own row before and after
    SELECT key, machine, n, sec, state, expires,
           lag(n) OVER w AS prev_n, lead(n) OVER w AS next_n
    FROM seat_rows
    WHERE state IN (2014, 2015, 6011)
    WINDOW w AS (PARTITION BY key, machine ORDER BY n)
),
seats AS (
    -- a seat held after a 2014/2015 row, until the machine's next such row
    SELECT own.key, machine, n, expires, coalesce(next_n, keys.last_n) AS until_n, next_n IS NULL AS last_own, keys.last_n
    FROM own JOIN keys ON keys.key = own.key
    WHERE state IN (2014, 2015)
),
expiries AS (
    -- the row before which the seat frees itself: the first row of the key
    -- after it, up to the machine's next row, at or after its expiry; past
    -- the last row (last_n + 1) if none and it expires
    SELECT seats.key, seats.machine, seats.n, seats.expires,
           coalesce(min(r.n), CASE WHEN seats.last_own AND seats.expires < 9223372036854775807 THEN seats.last_n + 1 END) AS at_n
    FROM seats LEFT JOIN seat_rows r
      ON r.key = seats.key AND r.n > seats.n AND r.n <= seats.until_n AND r.sec >= seats.expires
    GROUP BY seats.key, seats.machine, seats.n, seats.expires, seats.last_own, seats.last_n
),
changes AS (
    -- takes (+1) and releases (-1) by rows: held is whether the machine
    -- held a seat just before the row
    SELECT own.key, own.sec, own.n AS at_n, 1 AS sub, 0 AS expires, own.machine,
           CASE WHEN own.state = 6011 THEN -1 ELSE 1 END AS delta
    FROM own LEFT JOIN expiries e ON e.key = own.key AND e.machine = own.machine AND e.n = own.prev_n
    WHERE (own.state IN (2014, 2015) AND NOT (e.n IS NOT NULL AND e.at_n IS NULL))
       OR (own.state = 6011 AND e.n IS NOT NULL AND e.at_n IS NULL)
    UNION ALL
    -- expiries, at their instant, made before the row that noticed them
    SELECT key, expires AS sec, at_n, 0 AS sub, expires, machine, -1 AS delta
    FROM expiries WHERE at_n IS NOT NULL
),
steps AS (
    SELECT 'license' AS scope, c.key, p.product_id, c.sec, c.delta,
           row_number() OVER (PARTITION BY c.key ORDER BY c.sec, c.at_n, c.sub, c.expires, c.machine) AS ord
    FROM changes c JOIN key_products p ON p.key = c.key
    UNION ALL
    SELECT 'product' AS scope, '' AS key, p.product_id, c.sec, c.delta,
           row_number() OVER (PARTITION BY p.product_id ORDER BY c.sec, c.delta) AS ord
    FROM changes c JOIN key_products p ON p.key = c.key
),
levels AS (
    SELECT scope, key, product_id, ord, delta,
           CAST(floor(sec / $seconds) AS BIGINT) AS b,
           sum(delta) OVER (PARTITION BY scope, key, product_id ORDER BY ord ROWS UNBOUNDED PRECEDING) AS level
    FROM steps
),
buckets AS (
    SELECT scope, key, product_id, b,
           max(greatest(level - delta, level)) AS peak,
           max_by(level, ord) AS level_end
    FROM levels
    GROUP BY scope, key, product_id, b
),
held_through AS (
    -- buckets without a change that a seat is held right through
    SELECT scope, key, product_id, unnest(range(b + 1, next_b)) AS b, level_end AS peak
    FROM (SELECT *, lead(b) OVER (PARTITION BY scope, key, product_id ORDER BY b) AS next_b FROM buckets)
    WHERE level_end > 0 AND next_b > b + 1
)
SELECT scope, key, product_id, to_timestamp(b * $seconds) AS bucket, peak
FROM (SELECT scope, key, product_id, b, peak FROM buckets WHERE peak > 0
      UNION ALL
      SELECT scope, key, product_id, b, peak FROM held_through)
ORDER BY scope, key, product_id, bucket;
