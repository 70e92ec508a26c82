-- Section 四 (reconsideration and litigation) of agency $1 for year $2 in
-- time zone $3, as (route, result or 'total', count): cases decided in the
-- year by the latest decision made before the year ended, and cases filed by
-- the end of the year with no decision by then (pending). 'total' is
-- counted independently of the four results.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
cas AS (
    SELECT f.subject, f.route,
           (SELECT d.outcome FROM disclosed.review_decided d, b
             WHERE d.agency = $1 AND d.subject = f.subject AND d.event_time < b.y1
             ORDER BY d.event_time DESC, d.source DESC, d.event_id DESC LIMIT 1) AS outcome,
           (SELECT max(d.event_time) FROM disclosed.review_decided d, b
             WHERE d.agency = $1 AND d.subject = f.subject AND d.event_time < b.y1) AS decided_at
      FROM (SELECT DISTINCT ON (subject) subject, route, event_time
              FROM disclosed.review_filed WHERE agency = $1
             ORDER BY subject, event_time, source, event_id) f, b
     WHERE f.event_time < b.y1
)
SELECT route, coalesce(result, 'total'), count(*)
  FROM (SELECT route, outcome AS result FROM cas, b WHERE decided_at >= b.y0
        UNION ALL
        SELECT route, 'pending' FROM cas WHERE decided_at IS NULL) c
 GROUP BY GROUPING SETS ((route, result), (route));
