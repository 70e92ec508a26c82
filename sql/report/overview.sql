-- Section 一 (overview) figures of one agency for one calendar year in the
-- agency's time zone. psql variables: agency, year, tz (e.g. Asia/Shanghai).
-- One row; docs/events.md explains each figure.
WITH b AS (
    SELECT make_timestamptz(:year, 1, 1, 0, 0, 0, :'tz') AS y0,
           make_timestamptz(:year + 1, 1, 1, 0, 0, 0, :'tz') AS y1
),
-- A publication counts once, in the year it was first published.
pub AS (
    SELECT DISTINCT ON (subject) subject, category, event_time
      FROM disclosed.publication_published
     WHERE agency = :'agency'
     ORDER BY subject, event_time, source, event_id
),
pubs AS (
    SELECT count(*) FILTER (WHERE category = 'work_news')        AS work_news,
           count(*) FILTER (WHERE category = 'reception_notice') AS reception_notices,
           count(*) FILTER (WHERE category = 'notice')           AS notices,
           count(*) FILTER (WHERE category = 'new_media_post')   AS new_media_posts,
           count(*)                                              AS publications
      FROM pub, b WHERE event_time >= b.y0 AND event_time < b.y1
),
cmp AS (
    SELECT count(*)                                     AS online_complaints,
           count(*) FILTER (WHERE transferred_at < b.y1) AS transferred,
           count(*) FILTER (WHERE accepted AND decided_at < b.y1) AS accepted
      FROM disclosed.complaint_state, b
     WHERE agency = :'agency' AND channel = 'online'
       AND received_at >= b.y0 AND received_at < b.y1
),
-- Audience: growth of each account's cumulative views over the year, and
-- its followers at the last snapshot of the year.
acct AS (
    SELECT s.subject,
           (SELECT views_total FROM disclosed.newmedia_snapshot x
             WHERE x.agency = :'agency' AND x.subject = s.subject AND x.event_time < b.y1
             ORDER BY x.event_time DESC LIMIT 1)
         - coalesce((SELECT views_total FROM disclosed.newmedia_snapshot x
             WHERE x.agency = :'agency' AND x.subject = s.subject AND x.event_time < b.y0
             ORDER BY x.event_time DESC LIMIT 1), 0) AS views,
           (SELECT followers FROM disclosed.newmedia_snapshot x
             WHERE x.agency = :'agency' AND x.subject = s.subject AND x.event_time < b.y1
             ORDER BY x.event_time DESC LIMIT 1) AS followers
      FROM (SELECT DISTINCT subject FROM disclosed.newmedia_snapshot
             WHERE agency = :'agency') s, b
)
SELECT pubs.publications + cmp.online_complaints AS proactive_total,
       pubs.work_news, pubs.reception_notices, pubs.notices,
       cmp.online_complaints, cmp.transferred, cmp.accepted,
       CASE WHEN cmp.online_complaints = 0 THEN NULL
            ELSE round(100.0 * cmp.accepted / cmp.online_complaints) END AS acceptance_rate_pct,
       pubs.new_media_posts,
       coalesce((SELECT sum(views) FROM acct), 0) AS new_media_views,
       coalesce((SELECT sum(followers) FROM acct), 0) AS new_media_followers
  FROM pubs, cmp;
