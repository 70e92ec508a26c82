-- Section 四 (reconsideration and litigation) of agency $1 (every agency when
-- NULL) for year $2 in time zone $3, as (agency, route, result or 'total',
-- count): cases decided in the
-- year by the latest decision made before the year ended, and cases filed by
-- the end of the year with no decision by then (pending). 'total' is
-- counted independently of the four results.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
-- Each case: its first filing, and the latest decision before the year end.
fil AS (
    SELECT DISTINCT ON (agency, subject) agency, subject, route, event_time
      FROM disclosed.effective_review_filed
     WHERE $1::text IS NULL OR agency = $1
     ORDER BY agency, subject, event_time, source, event_id
),
dec AS (
    SELECT DISTINCT ON (d.agency, d.subject) d.agency, d.subject, d.outcome,
           d.event_time AS decided_at
      FROM disclosed.effective_review_decided d, b
     WHERE ($1::text IS NULL OR d.agency = $1) AND d.event_time < b.y1
     ORDER BY d.agency, d.subject, d.event_time DESC, d.source DESC, d.event_id DESC
),
cas AS (
    SELECT f.agency, f.subject, f.route, dec.outcome, dec.decided_at
      FROM fil f CROSS JOIN b
      LEFT JOIN dec ON dec.agency = f.agency AND dec.subject = f.subject
     WHERE f.event_time < b.y1
)
SELECT agency, route, coalesce(result, 'total'), count(*)
  FROM (SELECT agency, route, outcome AS result FROM cas, b WHERE decided_at >= b.y0
        UNION ALL
        SELECT agency, route, 'pending' FROM cas WHERE decided_at IS NULL) c
 GROUP BY GROUPING SETS ((agency, route, result), (agency, route));
