-- Section 一 (overview) figures of agency $1 for calendar year $2 in time
-- zone $3. One row; docs/events.md explains each figure.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
-- A publication counts once, in the year it was first published.
pub AS (
    SELECT DISTINCT ON (subject) subject, category, event_time
      FROM disclosed.publication_published
     WHERE agency = $1
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
    SELECT count(*)                                              AS online_complaints,
           count(*) FILTER (WHERE transferred_at < b.y1)         AS transferred,
           count(*) FILTER (WHERE accepted AND decided_at < b.y1) AS accepted
      FROM disclosed.complaint_state, b
     WHERE agency = $1 AND channel = 'online'
       AND received_at >= b.y0 AND received_at < b.y1
),
-- Audience: growth of each account's cumulative views over the year, and
-- its followers at the last snapshot of the year.
snap AS (
    SELECT subject,
           (array_agg(views_total ORDER BY event_time DESC) FILTER (WHERE event_time < b.y1))[1] AS v1,
           (array_agg(views_total ORDER BY event_time DESC) FILTER (WHERE event_time < b.y0))[1] AS v0,
           (array_agg(followers ORDER BY event_time DESC) FILTER (WHERE event_time < b.y1))[1] AS f1
      FROM disclosed.newmedia_snapshot, b
     WHERE agency = $1
     GROUP BY subject
)
SELECT pubs.publications + cmp.online_complaints AS proactive_total,
       pubs.work_news, pubs.reception_notices, pubs.notices,
       cmp.online_complaints, cmp.transferred, cmp.accepted,
       pubs.new_media_posts,
       coalesce((SELECT sum(coalesce(v1, 0) - coalesce(v0, 0)) FROM snap), 0) AS new_media_views,
       coalesce((SELECT sum(coalesce(f1, 0)) FROM snap), 0) AS new_media_followers
  FROM pubs, cmp;
