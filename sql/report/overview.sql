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
-- of their first receipt), as disclosed.complaint_state folds
-- them: transferred by the year end; the latest decision ever accepting it,
-- made before the year end. Transfers in the year are joined as a set; an
-- earlier one is looked up (one index probe, a scalar subquery so that the
-- planner cannot hash every earlier year's transfers) only for a complaint
-- with none in the year. Decisions from the year's start on are joined as a
-- set; an earlier one is looked up only for a complaint with none since.
fst AS (
    SELECT s.agency, s.subject FROM disclosed.case_span s, b
     WHERE s.kind = 'complaint' AND ($1::text IS NULL OR s.agency = $1)
       AND s.opened_at >= b.y0 AND s.opened_at < b.y1 AND s.opened_as = 'online'
),
-- The decisions from the year's start on, per complaint, hashed rather
-- than sorted: whether one is after the year (the latest is then), and
-- whether they all, or any, accept it. Only a complaint with several in
-- the year that do not agree, or with none since the year's start, has its
-- latest looked up.
dl AS (
    SELECT d.agency, d.subject, bool_or(d.event_time >= b.y1) AS later,
           bool_and(d.accepted) AS all_accept, bool_or(d.accepted) AS any_accept
      FROM disclosed.effective_complaint_decided d, b
     WHERE ($1::text IS NULL OR d.agency = $1) AND d.event_time >= b.y0
     GROUP BY d.agency, d.subject
),
tr AS (
    SELECT DISTINCT t.agency, t.subject
      FROM disclosed.effective_complaint_transferred t, b
     WHERE ($1::text IS NULL OR t.agency = $1) AND t.event_time >= b.y0 AND t.event_time < b.y1
),
cmp AS (
    SELECT r.agency,
           count(*) AS online_complaints,
           count(*) FILTER (WHERE tr.subject IS NOT NULL OR coalesce((
               SELECT true FROM disclosed.effective_complaint_transferred t
                WHERE t.agency = r.agency AND t.subject = r.subject
                  AND t.event_time < b.y0 LIMIT 1), false))        AS transferred,
           -- The latest decision is after the year, or all the year's agree;
           -- else (several that disagree, or none since the year's start:
           -- dl's columns NULL) it is looked up.
           count(*) FILTER (WHERE CASE WHEN dl.later THEN false
                                       WHEN dl.all_accept OR NOT dl.any_accept THEN dl.all_accept
                                       ELSE (SELECT d.accepted FROM disclosed.effective_complaint_decided d
                                              WHERE d.agency = r.agency AND d.subject = r.subject
                                              ORDER BY d.event_time DESC, d.source DESC,
                                                       d.event_id DESC LIMIT 1) END) AS accepted
      FROM fst r CROSS JOIN b
      LEFT JOIN dl ON dl.agency = r.agency AND dl.subject = r.subject
      LEFT JOIN tr ON tr.agency = r.agency AND tr.subject = r.subject
     GROUP BY r.agency
),
-- Audience: growth of each account's cumulative views over the year, and
-- its followers at the last snapshot of the year: two probes per account
-- with a snapshot before the year end.
acct AS (
    SELECT DISTINCT s.agency, s.subject
      FROM disclosed.effective_newmedia_snapshot s, b
     WHERE ($1::text IS NULL OR s.agency = $1) AND s.event_time < b.y1
),
snap AS (
    SELECT a.agency, s1.views_total AS v1, s0.views_total AS v0, s1.followers AS f1
      FROM acct a CROSS JOIN b
      LEFT JOIN LATERAL (
           SELECT s.views_total, s.followers FROM disclosed.effective_newmedia_snapshot s
            WHERE s.agency = a.agency AND s.subject = a.subject AND s.event_time < b.y1
            ORDER BY s.event_time DESC LIMIT 1) s1 ON true
      LEFT JOIN LATERAL (
           SELECT s.views_total FROM disclosed.effective_newmedia_snapshot s
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
