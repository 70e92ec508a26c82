-- Section 一 (overview) figures for calendar year $2 in time zone $3, one row
-- per agency: agency $1, or every agency when $1 is NULL. docs/events.md
-- explains each figure. Each figure reads the year's rows and, for their
-- history, probes the (agency, subject, event_time) indexes: its cost
-- follows the year, not the archive (README "Report cost").
WITH b AS NOT MATERIALIZED (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
-- A publication counts once, in the year it was first published: its rows
-- of the year with no earlier row (in the order of disclosed.complaint_state:
-- event time, source, id), each one probe of the index.
pub AS (
    SELECT p.agency, p.category
      FROM disclosed.publication_published p, b
     WHERE ($1::text IS NULL OR p.agency = $1)
       AND p.event_time >= b.y0 AND p.event_time < b.y1
       AND (SELECT NOT EXISTS (
                SELECT 1 FROM disclosed.publication_published e
                 WHERE e.agency = p.agency AND e.subject = p.subject
                   AND e.event_time <= p.event_time
                   AND (e.event_time, e.source, e.event_id) < (p.event_time, p.source, p.event_id)))
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
      FROM pub GROUP BY agency
),
-- Complaints first received in the year (as pub), by their first channel;
-- transferred by the year end; the latest decision ever (as
-- disclosed.complaint_state) accepting it before the year end.
rcv AS (
    SELECT r.agency, r.subject
      FROM disclosed.complaint_received r, b
     WHERE ($1::text IS NULL OR r.agency = $1)
       AND r.event_time >= b.y0 AND r.event_time < b.y1 AND r.channel = 'online'
       AND (SELECT NOT EXISTS (
                SELECT 1 FROM disclosed.complaint_received e
                 WHERE e.agency = r.agency AND e.subject = r.subject
                   AND e.event_time <= r.event_time
                   AND (e.event_time, e.source, e.event_id) < (r.event_time, r.source, r.event_id)))
),
cmp AS (
    SELECT r.agency,
           count(*) AS online_complaints,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM disclosed.complaint_transferred t
                WHERE t.agency = r.agency AND t.subject = r.subject
                  AND t.event_time < b.y1))                         AS transferred,
           count(*) FILTER (WHERE d.accepted AND d.event_time < b.y1) AS accepted
      FROM rcv r CROSS JOIN b
      LEFT JOIN LATERAL (
           SELECT d.accepted, d.event_time FROM disclosed.complaint_decided d
            WHERE d.agency = r.agency AND d.subject = r.subject
            ORDER BY d.event_time DESC, d.source DESC, d.event_id DESC LIMIT 1) d ON true
     GROUP BY r.agency
),
-- Audience: growth of each account's cumulative views over the year, and
-- its followers at the last snapshot of the year: two probes per account
-- with a snapshot before the year end.
acct AS (
    SELECT DISTINCT s.agency, s.subject
      FROM disclosed.newmedia_snapshot s, b
     WHERE ($1::text IS NULL OR s.agency = $1) AND s.event_time < b.y1
),
snap AS (
    SELECT a.agency, s1.views_total AS v1, s0.views_total AS v0, s1.followers AS f1
      FROM acct a CROSS JOIN b
      LEFT JOIN LATERAL (
           SELECT s.views_total, s.followers FROM disclosed.newmedia_snapshot s
            WHERE s.agency = a.agency AND s.subject = a.subject AND s.event_time < b.y1
            ORDER BY s.event_time DESC LIMIT 1) s1 ON true
      LEFT JOIN LATERAL (
           SELECT s.views_total FROM disclosed.newmedia_snapshot s
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
