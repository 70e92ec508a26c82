-- Section 四 (reconsideration and litigation) of agency $1 (every agency when
-- NULL) for year $2 in time zone $3 ($4 to $5), as (agency, route, result or 'total',
-- count): cases decided in the
-- year by the latest decision made before the year ended, and cases filed by
-- the end of the year with no decision by then (pending). 'total' is
-- counted independently of the four results. A case is found from the
-- year's decisions, or among the cases with no decision by the year end;
-- its first filing by index probe (README "Report cost").
-- The look-ups of earlier rows (NOT EXISTS) repeat the agency filter on
-- their own side: the planner does not carry it over from the outer side
-- into an effective view, and would otherwise read every agency's history.
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
-- The latest decision before the year end, when it is of the year: the
-- year's decisions with no later one in the year.
dec AS (
    SELECT d.agency, d.subject, d.outcome
      FROM disclosed.effective_review_decided d, b
     WHERE ($1::text IS NULL OR d.agency = $1)
       AND d.event_time >= b.y0 AND d.event_time < b.y1
       AND (SELECT NOT EXISTS (
                SELECT 1 FROM disclosed.effective_review_decided e
                 WHERE e.agency = d.agency AND e.subject = d.subject
                   AND e.event_time >= d.event_time AND e.event_time < b.y1
                   AND (e.event_time, e.source, e.event_id) > (d.event_time, d.source, d.event_id)))
),
-- Each such case by the route of its first filing, when filed by the year
-- end.
cas AS (
    SELECT dec.agency, f.route, dec.outcome
      FROM dec CROSS JOIN b
      JOIN LATERAL (
           SELECT f.route, f.event_time FROM disclosed.effective_review_filed f
            WHERE f.agency = dec.agency AND f.subject = dec.subject
            ORDER BY f.event_time, f.source, f.event_id LIMIT 1) f ON f.event_time < b.y1
),
-- Pending: filed by the year end, no decision by then; the first filing.
pend AS (
    SELECT DISTINCT ON (f.agency, f.subject) f.agency, f.route
      FROM disclosed.effective_review_filed f, b
     WHERE ($1::text IS NULL OR f.agency = $1) AND f.event_time < b.y1
       AND NOT EXISTS (SELECT 1 FROM disclosed.effective_review_decided d
                        WHERE d.agency = f.agency AND d.subject = f.subject
                          AND ($1::text IS NULL OR d.agency = $1)
                          AND d.event_time < b.y1)
     ORDER BY f.agency, f.subject, f.event_time, f.source, f.event_id
)
SELECT agency, route, coalesce(result, 'total'), count(*)
  FROM (SELECT agency, route, outcome AS result FROM cas
        UNION ALL
        SELECT agency, route, 'pending' FROM pend) c
 GROUP BY GROUPING SETS ((agency, route, result), (agency, route));
