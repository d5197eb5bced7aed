-- heaviest_keys.sql: the license keys whose share of all requests is over
-- a threshold, heaviest first.
--
-- Equals analysis.HeaviestKeys(api, $min_share): a key is listed when its
-- requests divided by all requests is greater than $min_share; ties in
-- requests are ordered by key (byte order). The empty key is shown as
-- "(none)", as the Go ranking labels it.
--
-- Reads: a table or view `webapi` over the store's webapi/ folder (see
-- success_by_day.sql).
-- Parameters: $min_share DOUBLE in [0, 1), e.g. 0.01 for 1% (the Go
-- analysis takes 0 to mean 0.01; here pass the share itself).
-- Columns: key VARCHAR, requests BIGINT, share DOUBLE.
--
-- Portability: standard SQL but for the parameter: $min_share is a DuckDB
-- prepared-statement parameter (in the DuckDB CLI: SET VARIABLE min_share
-- = 0.01 and write getvariable('min_share'); in Trino or Spark a literal
-- or their own parameter syntax).
WITH per_key AS (
    SELECT CASE WHEN key = '' THEN '(none)' ELSE key END AS key, count(*) AS requests
    FROM webapi
    GROUP BY 1
),
ranked AS (
    SELECT key, requests, CAST(requests AS DOUBLE) / sum(requests) OVER () AS share
    FROM per_key
)
SELECT key, requests, share
FROM ranked
WHERE share > $min_share
ORDER BY requests DESC, key;
