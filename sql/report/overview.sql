-- Section 一 (overview) figures for calendar year $2 in time zone $3, one row
-- per agency: agency $1, or every agency when $1 is NULL. docs/events.md
-- explains each figure.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
-- A publication counts once, in the year it was first published.
pub AS (
    SELECT DISTINCT ON (agency, subject) agency, subject, category, event_time
      FROM disclosed.effective_publication_published
     WHERE $1::text IS NULL OR agency = $1
     ORDER BY agency, subject, event_time, source, event_id
),
pubs AS (
    SELECT agency,
           count(*) FILTER (WHERE category = 'work_news')        AS work_news,
           count(*) FILTER (WHERE category = 'reception_notice') AS reception_notices,
           count(*) FILTER (WHERE category = 'notice')           AS notices,
           count(*) FILTER (WHERE category = 'new_media_post')   AS new_media_posts,
           -- Only the four lines of 主动公开信息 (docs/events.md §4.2):
           -- regulation, normative_document and other are section 二's.
           count(*) FILTER (WHERE category IN ('work_news', 'reception_notice', 'notice',
                                               'new_media_post')) AS publications
      FROM pub, b WHERE event_time >= b.y0 AND event_time < b.y1
     GROUP BY agency
),
cmp AS (
    SELECT agency,
           count(*)                                              AS online_complaints,
           count(*) FILTER (WHERE transferred_at < b.y1)         AS transferred,
           count(*) FILTER (WHERE accepted AND decided_at < b.y1) AS accepted
      FROM disclosed.complaint_state, b
     WHERE ($1::text IS NULL OR agency = $1) AND channel = 'online'
       AND received_at >= b.y0 AND received_at < b.y1
     GROUP BY agency
),
-- Audience: growth of each account's cumulative views over the year, and
-- its followers at the last snapshot of the year.
snap AS (
    SELECT agency, subject,
           (array_agg(views_total ORDER BY event_time DESC) FILTER (WHERE event_time < b.y1))[1] AS v1,
           (array_agg(views_total ORDER BY event_time DESC) FILTER (WHERE event_time < b.y0))[1] AS v0,
           (array_agg(followers ORDER BY event_time DESC) FILTER (WHERE event_time < b.y1))[1] AS f1
      FROM disclosed.effective_newmedia_snapshot, b
     WHERE $1::text IS NULL OR agency = $1
     GROUP BY agency, subject
),
nm AS (
    SELECT agency, sum(coalesce(v1, 0) - coalesce(v0, 0)) AS views,
           sum(coalesce(f1, 0)) AS followers
      FROM snap GROUP BY agency
),
ag AS (SELECT agency FROM pubs UNION SELECT agency FROM cmp UNION SELECT agency FROM nm)
SELECT ag.agency,
       coalesce(pubs.publications, 0) + coalesce(cmp.online_complaints, 0) AS proactive_total,
       coalesce(pubs.work_news, 0), coalesce(pubs.reception_notices, 0), coalesce(pubs.notices, 0),
       coalesce(cmp.online_complaints, 0), coalesce(cmp.transferred, 0), coalesce(cmp.accepted, 0),
       coalesce(pubs.new_media_posts, 0), coalesce(nm.views, 0), coalesce(nm.followers, 0)
  FROM ag LEFT JOIN pubs USING (agency) LEFT JOIN cmp USING (agency) LEFT JOIN nm USING (agency);
