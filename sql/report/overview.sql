-- Section 一 (overview) figures for calendar year $2 in time zone $3 ($4 to $5), one row
-- per agency: agency $1, or every agency when $1 is NULL. docs/events.md
-- explains each figure. Each figure reads the year's rows, or the spans of
-- the cases opened in the year, and looks up their history in the (agency,
-- subject, event_time) indexes (README "Report cost").
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
-- A publication counts once, in the year it was first published, in the
-- category of its first publication: its span (disclosed.case_span) opened
-- in the year.
pubs AS (
    SELECT s.agency,
           count(*) FILTER (WHERE s.opened_as = 'work_news')        AS work_news,
           count(*) FILTER (WHERE s.opened_as = 'reception_notice') AS reception_notices,
           count(*) FILTER (WHERE s.opened_as = 'notice')           AS notices,
           count(*) FILTER (WHERE s.opened_as = 'new_media_post')   AS new_media_posts,
           -- Only the four lines of 主动公开信息 (docs/events.md §4.2):
           -- regulation, normative_document and other are section 二's.
           count(*) FILTER (WHERE s.opened_as IN ('work_news', 'reception_notice', 'notice',
                                                  'new_media_post')) AS publications
      FROM disclosed.case_span s, b
     WHERE s.kind = 'publication' AND ($1::text IS NULL OR s.agency = $1)
       AND s.opened_at >= b.y0 AND s.opened_at < b.y1
     GROUP BY s.agency
),
-- Complaints first received in the year through the online channel (that
-- of their first receipt), as disclosed.complaint_state folds them:
-- transferred by the year end (the span's first transfer); the latest
-- decision ever accepting it, made before the year end (the span's latest
-- decision). The spans opened in the year alone, no join.
cmp AS (
    SELECT s.agency, count(*) AS online_complaints,
           count(*) FILTER (WHERE s.transferred_at < b.y1)                       AS transferred,
           count(*) FILTER (WHERE s.decided_at < b.y1 AND s.decided_as = 'true') AS accepted
      FROM disclosed.case_span s, b
     WHERE s.kind = 'complaint' AND ($1::text IS NULL OR s.agency = $1)
       AND s.opened_at >= b.y0 AND s.opened_at < b.y1 AND s.opened_as = 'online'
     GROUP BY s.agency
),
-- Audience: growth of each account's cumulative views over the year, and
-- its followers at the last snapshot of the year. The latest snapshot of
-- the year comes from the year's rows as a set; the latest before the
-- year is one probe per account with a snapshot before the year end (its
-- span, kind account, opened by then: migration 0018), and is also its
-- latest of the year when it has none in it.
yl AS (
    SELECT DISTINCT ON (s.agency, s.subject) s.agency, s.subject, s.views_total, s.followers
      FROM disclosed.effective_newmedia_snapshot s, b
     WHERE ($1::text IS NULL OR s.agency = $1) AND s.event_time >= b.y0 AND s.event_time < b.y1
     ORDER BY s.agency, s.subject, s.event_time DESC
),
acct AS (
    SELECT s.agency, s.subject
      FROM disclosed.case_span s, b
     WHERE s.kind = 'account' AND ($1::text IS NULL OR s.agency = $1) AND s.opened_at < b.y1
),
snap AS (
    SELECT a.agency,
           CASE WHEN y.subject IS NOT NULL THEN y.views_total ELSE s0.views_total END AS v1,
           s0.views_total AS v0,
           CASE WHEN y.subject IS NOT NULL THEN y.followers ELSE s0.followers END AS f1
      FROM acct a CROSS JOIN b
      LEFT JOIN yl y ON y.agency = a.agency AND y.subject = a.subject
      LEFT JOIN LATERAL (
           SELECT s.views_total, s.followers FROM disclosed.effective_newmedia_snapshot s
            WHERE s.agency = a.agency AND s.subject = a.subject AND s.event_time < b.y0
            ORDER BY s.event_time DESC LIMIT 1) s0 ON true
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
