-- Inconsistencies in the data of agency $1 (every agency when NULL) that
-- would make year $2's report wrong if counted silently, as (agency, check,
-- count, example subject); only checks that found something. Time zone $3; the
-- year runs from $4 to $5 (year_bounds.sql).
-- application_outcome_3_6_in_template_2021 is found in every year; the
-- report uses it for template 2021 only, and names up to five subjects.
-- The correction_* issues (disclosed.correction_status) name up to three
-- corrections each; one belongs to the year of the fact it corrects (its
-- target's time, or data.year of a stats.reported), else of its fact_time;
-- with neither (a withdrawal of an event never stored) to the year it was
-- made and the year before (whose report it was most likely made for); and
-- to the reports of its own agency and of its target's.
-- The checks on events (all but the 3.6 and correction ones) name each
-- inconsistency in the years of the events that show it: an answer, a
-- decision or a handling without its case, the year it is dated in; an
-- answer before its application, the year of the application; several
-- answers to one application, each year one of them is dated in. So each
-- reads the year's rows (or the spans of the year's cases, disclosed.case_span)
-- and looks their cases up in the (agency, subject, event_time) indexes or
-- their spans (README "Report cost"), and a year already published
-- does not fail every later year's report with it (docs/report.md).
-- The look-ups of earlier rows (NOT EXISTS) repeat the agency filter on
-- their own side: the planner does not carry it over from the outer side
-- into an effective view, and would otherwise read every agency's history.
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1,
                                   make_timestamptz($2::int + 2, 1, 1, 0, 0, 0, $3::text) AS y2)
-- The year's answers to an application never received: its span
-- (disclosed.case_span) has a closing and no receipt.
SELECT c.agency, 'application_closed_without_application', count(*), min(c.subject)
  FROM disclosed.case_span s
  JOIN disclosed.effective_application_closed c ON c.agency = s.agency AND c.subject = s.subject
  CROSS JOIN b
 WHERE s.kind = 'application' AND s.opened_at IS NULL
   AND ($1::text IS NULL OR s.agency = $1) AND ($1::text IS NULL OR c.agency = $1)
   AND c.event_time >= b.y0 AND c.event_time < b.y1
   -- an application stated open at go-live (opening_section3.sql)
   AND NOT EXISTS (SELECT 1 FROM disclosed.opening_current o
                    WHERE o.agency = c.agency AND o.balance = 'open_applications'
                      AND o.item = c.subject)
 GROUP BY c.agency
UNION ALL
-- As disclosed.application_state: its first closing before its first
-- receipt, first received in the year.
SELECT s.agency, 'application_closed_before_received', count(*), min(s.subject)
  FROM disclosed.case_span s, b
 WHERE s.kind = 'application' AND ($1::text IS NULL OR s.agency = $1)
   AND s.opened_at >= b.y0 AND s.opened_at < b.y1 AND s.closed_at < s.opened_at
 GROUP BY s.agency
UNION ALL
-- Answered in the year and more than once in all, received by the year
-- end. A case answered in the year was first answered in it (its span,
-- closed in the year: a range of the (kind, closed_at) index) or before it
-- (then flagged, received by the year end: one probe of its span, for
-- these few cases only). One first answered in the year is flagged when
-- answered twice in it or again after it (a subquery the planner may hash:
-- the rows after the year). No span of another year is read.
SELECT c.agency, 'application_closed_more_than_once', count(*), min(c.subject)
  FROM (SELECT c.agency, c.subject, count(*) AS n
          FROM disclosed.effective_application_closed c, b
         WHERE ($1::text IS NULL OR c.agency = $1)
           AND c.event_time >= b.y0 AND c.event_time < b.y1
         GROUP BY c.agency, c.subject) c
  CROSS JOIN b
  LEFT JOIN (SELECT s.agency, s.subject, s.opened_at FROM disclosed.case_span s, b
              WHERE s.kind = 'application' AND ($1::text IS NULL OR s.agency = $1)
                AND s.closed_at >= b.y0 AND s.closed_at < b.y1) f
    ON f.agency = c.agency AND f.subject = c.subject
 WHERE CASE WHEN f.subject IS NOT NULL
            THEN f.opened_at < b.y1
                 AND (c.n > 1
                      OR EXISTS (SELECT 1 FROM disclosed.effective_application_closed e
                                  WHERE e.agency = c.agency AND e.subject = c.subject
                                    AND ($1::text IS NULL OR e.agency = $1)
                                    AND e.event_time >= b.y1))
            ELSE (SELECT s.opened_at < b.y1 FROM disclosed.case_span s
                   WHERE s.kind = 'application' AND s.agency = c.agency
                     AND s.subject = c.subject) END
 GROUP BY c.agency
UNION ALL
SELECT d.agency, 'review_decided_without_filing', count(*), min(d.subject)
  FROM disclosed.effective_review_decided d, b
 WHERE ($1::text IS NULL OR d.agency = $1) AND d.event_time >= b.y0 AND d.event_time < b.y1
   -- never filed: its span (migration 0018) was never opened, one probe
   AND NOT EXISTS (SELECT 1 FROM disclosed.case_span s
                    WHERE s.kind = 'review' AND s.agency = d.agency AND s.subject = d.subject
                      AND s.opened_at IS NOT NULL)
   -- a case stated open at go-live (opening_section4.sql)
   AND NOT EXISTS (SELECT 1 FROM disclosed.opening_current o
                    WHERE o.agency = d.agency AND o.balance = 'open_reviews'
                      AND o.item = d.subject)
 GROUP BY d.agency
UNION ALL
-- A complaint's transfers, decisions and closings in the year when it has
-- none of receipt: its span (migration 0015) was never opened. Those spans
-- are few, and their events are found by index.
SELECT s.agency, 'complaint_handled_without_receipt', count(*), min(s.subject)
  FROM disclosed.case_span s CROSS JOIN b
 CROSS JOIN LATERAL (
       SELECT 1 FROM disclosed.effective_complaint_transferred t
        WHERE t.agency = s.agency AND t.subject = s.subject
          AND t.event_time >= b.y0 AND t.event_time < b.y1
       UNION ALL
       SELECT 1 FROM disclosed.effective_complaint_decided d
        WHERE d.agency = s.agency AND d.subject = s.subject
          AND d.event_time >= b.y0 AND d.event_time < b.y1
       UNION ALL
       SELECT 1 FROM disclosed.effective_complaint_closed c
        WHERE c.agency = s.agency AND c.subject = s.subject
          AND c.event_time >= b.y0 AND c.event_time < b.y1) x
 WHERE s.kind = 'complaint' AND s.opened_at IS NULL AND ($1::text IS NULL OR s.agency = $1)
 GROUP BY s.agency
UNION ALL
-- First closed in the year with a plain 3.6, received by the year end.
SELECT c.agency, 'application_outcome_3_6_in_template_2021', count(*),
       array_to_string((array_agg(c.subject ORDER BY c.subject))[1:5], ', ')
  FROM disclosed.effective_application_closed c, b
 WHERE ($1::text IS NULL OR c.agency = $1) AND c.outcome = '3.6'
   AND c.event_time >= b.y0 AND c.event_time < b.y1
   AND (SELECT NOT EXISTS (
            SELECT 1 FROM disclosed.effective_application_closed e
             WHERE e.agency = c.agency AND e.subject = c.subject
               AND e.event_time <= c.event_time
               AND (e.event_time, e.source, e.event_id) < (c.event_time, c.source, c.event_id)))
   AND (SELECT min(r.event_time) FROM disclosed.effective_application_received r
         WHERE r.agency = c.agency AND r.subject = c.subject) < b.y1
 GROUP BY c.agency
UNION ALL
SELECT x.agency, x.issue, count(*),
       array_to_string((array_agg(x.named ORDER BY x.named))[1:3], '; ')
  FROM (SELECT a.agency, i.issue, i.named
          FROM disclosed.correction_status s CROSS JOIN b
         CROSS JOIN LATERAL (VALUES
                ('correction_unknown_target', s.unknown_target,
                 format('%s %s: no stored event %s %s', s.source, s.event_id,
                        s.target_source, s.target_id)),
                ('correction_type_changed', s.type_changed,
                 format('%s %s: %s %s is a %s, not a %s', s.source, s.event_id,
                        s.target_source, s.target_id, s.found_type, s.target_type)),
                ('correction_agency_changed', s.agency_changed,
                 format('%s %s: %s %s is agency %s''s, the correction agency %s''s',
                        s.source, s.event_id, s.target_source, s.target_id,
                        s.found_agency, s.agency)),
                ('correction_second_withdrawal', s.second_withdrawal,
                 format('%s %s: %s %s was withdrawn already', s.source, s.event_id,
                        s.target_source, s.target_id))) i(issue, found, named)
         CROSS JOIN LATERAL (SELECT DISTINCT g FROM unnest(ARRAY[s.agency, s.found_agency]) g
                              WHERE g IS NOT NULL) a(agency)
         WHERE i.found
           AND CASE WHEN s.target_type = 'disclosure.stats.reported'
                         AND coalesce(s.found_year, (s.data ->> 'year')::int) IS NOT NULL
                    THEN coalesce(s.found_year, (s.data ->> 'year')::int) = $2::int
                    WHEN coalesce(s.found_time, s.fact_time) IS NULL
                    THEN s.event_time >= b.y0 AND s.event_time < b.y2
                    ELSE coalesce(s.found_time, s.fact_time) >= b.y0
                     AND coalesce(s.found_time, s.fact_time) < b.y1 END) x
 WHERE $1::text IS NULL OR x.agency = $1
 GROUP BY x.agency, x.issue;
