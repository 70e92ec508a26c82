-- Section 四 (reconsideration and litigation) of agency $1 (every agency when
-- NULL) for year $2 in time zone $3 ($4 to $5), as (agency, route, result or 'total',
-- count): cases decided in the
-- year by the latest decision made before the year ended, and cases filed by
-- the end of the year with no decision by then (pending). 'total' is
-- counted independently of the four results. A case is found from the
-- year's decisions, or among the spans of the cases with no decision by the
-- year end; its first filing from its span (migration 0018, README "Report
-- cost").
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
-- end: its span (disclosed.case_span, kind review), one primary-key probe.
cas AS (
    SELECT dec.agency, s.opened_as AS route, dec.outcome
      FROM dec CROSS JOIN b
      JOIN disclosed.case_span s ON s.kind = 'review' AND s.agency = dec.agency
                                AND s.subject = dec.subject
     WHERE s.opened_at < b.y1
),
-- Pending: filed by the year end, no decision by then, by the route of the
-- first filing: the review spans opened before the year end and not closed
-- (first decided) before it, from their running counts per month
-- (disclosed.span_stock, migration 0019).
pend AS (
    SELECT p.agency, p.class AS route, p.n
      FROM disclosed.span_stock('review', $5::timestamptz, $1::text) p
)
SELECT agency, route, coalesce(result, 'total'), sum(n)::bigint
  FROM (SELECT agency, route, outcome AS result, 1::bigint AS n FROM cas
        UNION ALL
        SELECT agency, route, 'pending', n FROM pend) c
 GROUP BY GROUPING SETS ((agency, route, result), (agency, route));
