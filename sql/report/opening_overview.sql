-- Section 一's 关注度 for agency $1 (every agency when NULL), year $2, time
-- zone $3, as (agency, views to add to overview.sql's): an account's views
-- stated at go-live (balance newmedia_views) act as a snapshot just before
-- as_of. Without it the first snapshot after go-live would count the
-- account's whole history as one year's views. In a year that contains
-- as_of and has no earlier snapshot, views count from go-live. Years that
-- end before as_of are left as the snapshots give them.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
oc AS (
    SELECT o.* FROM disclosed.opening_current o, b
     WHERE o.balance = 'newmedia_views' AND ($1::text IS NULL OR o.agency = $1)
       AND o.as_of < b.y1
),
acct AS (
    SELECT o.agency, o.account, o.count AS base, o.as_of - interval '1 microsecond' AS base_at,
           (SELECT views_total FROM disclosed.effective_newmedia_snapshot s
             WHERE s.agency = o.agency AND s.subject = o.account AND s.event_time < b.y0
             ORDER BY event_time DESC LIMIT 1) AS v0,
           (SELECT event_time FROM disclosed.effective_newmedia_snapshot s
             WHERE s.agency = o.agency AND s.subject = o.account AND s.event_time < b.y0
             ORDER BY event_time DESC LIMIT 1) AS v0_at,
           (SELECT views_total FROM disclosed.effective_newmedia_snapshot s
             WHERE s.agency = o.agency AND s.subject = o.account AND s.event_time < b.y1
             ORDER BY event_time DESC LIMIT 1) AS v1,
           (SELECT event_time FROM disclosed.effective_newmedia_snapshot s
             WHERE s.agency = o.agency AND s.subject = o.account AND s.event_time < b.y1
             ORDER BY event_time DESC LIMIT 1) AS v1_at,
           b.y0
      FROM oc o, b
),
-- With the stated views as one more snapshot: the start and end values.
w AS (
    SELECT agency, coalesce(v0, 0) AS old0, coalesce(v1, 0) AS old1,
           CASE WHEN base_at < y0 AND (v0_at IS NULL OR base_at > v0_at) THEN base
                WHEN v0_at IS NOT NULL THEN v0
                ELSE base END AS new0,
           CASE WHEN v1_at IS NULL OR base_at > v1_at THEN base ELSE v1 END AS new1
      FROM acct
)
SELECT agency, sum((new1 - new0) - (old1 - old0)) FROM w GROUP BY agency;
