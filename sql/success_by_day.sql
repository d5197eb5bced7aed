-- success_by_day.sql: requests per UTC day split by outcome, and each
-- day's success share.
--
-- Equals analysis.SuccessByDay (and analysis.RequestsPerDay, its counts):
-- one row per UTC day from the first to the last day with a dated request,
-- days without requests listed with zeros. A request's outcome is read
-- from its state code: the third digit 1 is a success, 2 a failure,
-- anything else (or a code that is not four digits) unknown. Rows whose
-- time is 1970-01-01 00:00:00 UTC (the API's "no time") are left out, as
-- SuccessByDay counts them in Undated. If the days span 100,000 or more
-- (a stray time centuries away), only days with requests are listed.
--
-- Reads: a table or view `webapi` with the columns of the store's
-- webapi/ folder, e.g. in DuckDB
--   CREATE VIEW webapi AS SELECT * FROM read_parquet('<store>/webapi/*.parquet');
-- Parameters: none.
-- Columns: day DATE, success, failure, unknown BIGINT, success_share DOUBLE
-- (0 on a day without requests).
--
-- Portability: `time AT TIME ZONE 'UTC'` makes the day a UTC day whatever
-- the session's time zone (DuckDB and Trino; Spark: to_date(time) with
-- spark.sql.session.timeZone=UTC). range(...) over dates is DuckDB's
-- (Trino and Spark: sequence(...) unnested).
WITH dated AS (
    SELECT CAST(time AT TIME ZONE 'UTC' AS DATE) AS day,
           CASE WHEN state BETWEEN 1000 AND 9999 AND state % 100 BETWEEN 10 AND 19 THEN 1 ELSE 0 END AS success,
           CASE WHEN state BETWEEN 1000 AND 9999 AND state % 100 BETWEEN 20 AND 29 THEN 1 ELSE 0 END AS failure
    FROM webapi
    WHERE time <> TIMESTAMPTZ '1970-01-01 00:00:00+00'
),
per_day AS (
    SELECT day, sum(success) AS success, sum(failure) AS failure, count(*) - sum(success) - sum(failure) AS unknown
    FROM dated
    GROUP BY day
),
span AS (
    SELECT min(day) AS first_day, max(day) AS last_day FROM per_day
),
days AS (
    SELECT CAST(d.range AS DATE) AS day
    FROM span, range(span.first_day, span.last_day + INTERVAL 1 DAY, INTERVAL 1 DAY) AS d
    WHERE span.last_day - span.first_day < 100000
    UNION
    SELECT day FROM per_day
)
SELECT days.day,
       coalesce(per_day.success, 0) AS success,
       coalesce(per_day.failure, 0) AS failure,
       coalesce(per_day.unknown, 0) AS unknown,
       CASE WHEN per_day.day IS NULL THEN 0.0
            ELSE CAST(per_day.success AS DOUBLE) / (per_day.success + per_day.failure + per_day.unknown) END AS success_share
FROM days LEFT JOIN per_day ON per_day.day = days.day
ORDER BY days.day;
