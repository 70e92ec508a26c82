-- Section 三 rows that only the opening balance (disclosure.opening.stated,
-- view opening_current) can give, for agency $1 (every agency when NULL),
-- year $2, time zone $3: the same shape as section3.sql, and added to it.
-- An application stated open at go-live counts as received at an unknown
-- time before as_of (so never in row 1): in row 2 and row 4 until it is
-- closed, and in its result row in the year it is closed. A named one
-- (item = its application id) is closed by the first application.closed of
-- that subject; if the application also has a detailed receipt,
-- section3.sql counts it already and it is left out here. An unnamed line
-- counts what detailed events before as_of do not already show open in that
-- class (docs/events.md §4.7); those stay open, as nothing can close them.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
oc AS (
    SELECT * FROM disclosed.opening_current
     WHERE balance = 'open_applications' AND ($1::text IS NULL OR agency = $1)
),
named AS (
    SELECT o.agency, o.applicant_class, c.event_time AS closed_at, c.outcome, 1::bigint AS n
      FROM oc o
      LEFT JOIN LATERAL (SELECT event_time, outcome FROM disclosed.effective_application_closed x
                          WHERE x.agency = o.agency AND x.subject = o.item
                          ORDER BY event_time, source, event_id LIMIT 1) c ON true
     WHERE o.item IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM disclosed.effective_application_received r
                        WHERE r.agency = o.agency AND r.subject = o.item)
),
unnamed AS (
    SELECT o.agency, o.applicant_class, NULL::timestamptz AS closed_at, NULL::text AS outcome,
           greatest(o.count - (SELECT count(*) FROM disclosed.application_state s
                                WHERE s.agency = o.agency
                                  AND s.applicant_class = o.applicant_class
                                  AND s.received_at < o.as_of
                                  AND (s.closed_at IS NULL OR s.closed_at >= o.as_of)
                                  AND NOT EXISTS (SELECT 1 FROM oc n
                                                   WHERE n.agency = s.agency
                                                     AND n.item = s.application_id)),
                    0) AS n
      FROM oc o WHERE o.item IS NULL
),
app AS (SELECT * FROM named UNION ALL SELECT * FROM unnamed),
cell AS (
    SELECT agency, '2' AS code, applicant_class, n FROM app, b
     WHERE closed_at IS NULL OR closed_at >= b.y0
    UNION ALL
    SELECT agency, outcome, applicant_class, n FROM app, b
     WHERE closed_at >= b.y0 AND closed_at < b.y1
    UNION ALL
    SELECT agency, '3.7', applicant_class, n FROM app, b
     WHERE closed_at >= b.y0 AND closed_at < b.y1
    UNION ALL
    SELECT agency, '4', applicant_class, n FROM app, b
     WHERE closed_at IS NULL OR closed_at >= b.y1
)
SELECT agency, code, coalesce(applicant_class, 'total'), sum(n)
  FROM cell GROUP BY GROUPING SETS ((agency, code, applicant_class), (agency, code));
