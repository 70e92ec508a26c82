-- Section 四 cells that only the opening balance can give, for agency $1
-- (every agency when NULL), year $2, time zone $3: the same shape as
-- section4.sql, and added to it. A case stated open at go-live counts as
-- filed before as_of; a named one (item = its case id, no detailed filing)
-- takes its latest decision before the year end from review.decided like
-- any case; an unnamed line counts what detailed filings before as_of do
-- not already show pending on that route, and stays pending.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
oc AS (
    SELECT * FROM disclosed.opening_current
     WHERE balance = 'open_reviews' AND ($1::text IS NULL OR agency = $1)
),
named AS (
    SELECT o.agency, o.route, d.outcome, d.event_time AS decided_at, 1::bigint AS n
      FROM oc o CROSS JOIN b
      LEFT JOIN LATERAL (SELECT event_time, outcome FROM disclosed.effective_review_decided x
                          WHERE x.agency = o.agency AND x.subject = o.item
                            AND x.event_time < b.y1
                          ORDER BY event_time DESC, source DESC, event_id DESC LIMIT 1) d
             ON true
     WHERE o.item IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM disclosed.effective_review_filed f
                        WHERE f.agency = o.agency AND f.subject = o.item)
),
unnamed AS (
    SELECT o.agency, o.route, NULL::text AS outcome, NULL::timestamptz AS decided_at,
           greatest(o.count - (SELECT count(*) FROM disclosed.review_state s
                                WHERE s.agency = o.agency AND s.route = o.route
                                  AND s.filed_at < o.as_of
                                  AND NOT EXISTS (SELECT 1 FROM disclosed.effective_review_decided d
                                                   WHERE d.agency = s.agency
                                                     AND d.subject = s.case_id
                                                     AND d.event_time < o.as_of)
                                  AND NOT EXISTS (SELECT 1 FROM oc n
                                                   WHERE n.agency = s.agency
                                                     AND n.item = s.case_id)),
                    0) AS n
      FROM oc o WHERE o.item IS NULL
),
cas AS (SELECT * FROM named UNION ALL SELECT * FROM unnamed)
SELECT agency, route, coalesce(result, 'total'), sum(n)
  FROM (SELECT agency, route, outcome AS result, n FROM cas, b WHERE decided_at >= b.y0
        UNION ALL
        SELECT agency, route, 'pending', n FROM cas WHERE decided_at IS NULL) c
 GROUP BY GROUPING SETS ((agency, route, result), (agency, route));
