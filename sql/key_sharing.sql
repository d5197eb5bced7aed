-- key_sharing.sql: per license key, the distinct machines and IPs it was
-- used from and the seats it was refused, ranked by how shared it looks.
--
-- Equals analysis.KeySharing: per key, its product (that of its first row
-- in id order), its requests, its distinct non-empty machine codes, its
-- distinct non-empty IPs, its 2015 rows (floating seats taken over the
-- limit) and its 2024 rows (activations refused, no free seat), and
--   score = 2·log2(1+ips) + log2(1+machines) + ½·log2(1+overdrafts+no_free_seat)
-- ordered by score, highest first, then by key (byte order). The Go
-- analysis also puts the counts in words (Reason); that is left out here.
--
-- Reads: a table or view `webapi` over the store's webapi/ folder (see
-- success_by_day.sql). Parameters: none.
-- Columns: key VARCHAR, product_id INTEGER, requests, machines, ips,
-- overdrafts, no_free_seat BIGINT, score DOUBLE.
--
-- Portability: log2 is DuckDB's and Spark's (Trino: log2 too; elsewhere
-- ln(x)/ln(2)); count(DISTINCT CASE ...) and row_number() are standard.
-- The score may differ from Go's in the last bit (log2 implementations
-- differ), so keys whose scores are equal in exact arithmetic may order
-- differently; the counts are exact.
WITH first_rows AS (
    SELECT key, product_id, row_number() OVER (PARTITION BY key ORDER BY id) AS n
    FROM webapi
),
per_key AS (
    SELECT key,
           count(*) AS requests,
           count(DISTINCT CASE WHEN machine_code <> '' THEN machine_code END) AS machines,
           count(DISTINCT CASE WHEN ip <> '' THEN ip END) AS ips,
           sum(CASE WHEN state = 2015 THEN 1 ELSE 0 END) AS overdrafts,
           sum(CASE WHEN state = 2024 THEN 1 ELSE 0 END) AS no_free_seat
    FROM webapi
    GROUP BY key
)
SELECT per_key.key, first_rows.product_id, requests, machines, ips, overdrafts, no_free_seat,
       2 * log2(1 + ips) + log2(1 + machines) + log2(1 + overdrafts + no_free_seat) / 2 AS score
FROM per_key JOIN first_rows ON first_rows.key = per_key.key AND first_rows.n = 1
ORDER BY score DESC, per_key.key;
