-- success_by_product.sql: requests per product split by outcome, and each
-- product's success share.
--
-- Equals analysis.SuccessByProduct: one row per product id, in id order.
-- The outcome is read from the state code as in success_by_day.sql (the
-- third digit 1 success, 2 failure, anything else unknown). Every row
-- counts, whatever its time. To restrict it to a period, filter webapi
-- first (as a notebook cuts its table to a window).
--
-- Reads: a table or view `webapi` over the store's webapi/ folder (see
-- success_by_day.sql). Parameters: none.
-- Columns: product_id INTEGER, success, failure, unknown BIGINT,
-- success_share DOUBLE.
--
-- Portability: standard SQL; runs as is in DuckDB, Trino and Spark.
SELECT product_id,
       sum(CASE WHEN state BETWEEN 1000 AND 9999 AND state % 100 BETWEEN 10 AND 19 THEN 1 ELSE 0 END) AS success,
       sum(CASE WHEN state BETWEEN 1000 AND 9999 AND state % 100 BETWEEN 20 AND 29 THEN 1 ELSE 0 END) AS failure,
       sum(CASE WHEN state BETWEEN 1000 AND 9999 AND state % 100 BETWEEN 10 AND 29 THEN 0 ELSE 1 END) AS unknown,
       CAST(sum(CASE WHEN state BETWEEN 1000 AND 9999 AND state % 100 BETWEEN 10 AND 19 THEN 1 ELSE 0 END) AS DOUBLE) / count(*) AS success_share
FROM webapi
GROUP BY product_id
ORDER BY product_id;
