-- Section 三 (disclosure applications) of agency $1 (every agency when NULL)
-- for year $2 in time zone $3 ($4 to $5), as (agency, row code, applicant class or
-- 'total', count). Result rows carry the
-- outcome code as stored; 3.7 (all closed in the year) and the 'total'
-- column are counted here independently, so that the report's identities
-- check the mapping of outcomes to its template's rows and columns.
-- An application is as disclosed.application_state folds it (its first
-- receipt, its first closing), found from the rows that can change a figure
-- of the year: receipts and closings of the year, each checked for an
-- earlier one by an index probe, and the applications still open at the
-- year's start or end (README "Report cost").
-- The look-ups of earlier rows (NOT EXISTS) repeat the agency filter on
-- their own side: the planner does not carry it over from the outer side
-- into an effective view, and would otherwise read every agency's history.
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
-- Row 1: first received in the year (its first row of the year, none
-- before), by the class of that first receipt.
rcv AS (
    SELECT f.agency, f.subject, f.applicant_class
      FROM (SELECT DISTINCT ON (r.agency, r.subject) r.agency, r.subject, r.applicant_class
              FROM disclosed.effective_application_received r, b
             WHERE ($1::text IS NULL OR r.agency = $1)
               AND r.event_time >= b.y0 AND r.event_time < b.y1
             ORDER BY r.agency, r.subject, r.event_time, r.source, r.event_id) f, b
     WHERE NOT EXISTS (SELECT 1 FROM disclosed.effective_application_received e
                        WHERE e.agency = f.agency AND e.subject = f.subject
                          AND ($1::text IS NULL OR e.agency = $1)
                          AND e.event_time < b.y0)
),
-- Results: first closed in the year (its outcome), received by the year end,
-- by the class of its first receipt: one of the year's (rcv), else looked
-- up before the year.
cls AS (
    SELECT c.agency, c.outcome,
           coalesce(rcv.applicant_class,
                    (SELECT r.applicant_class FROM disclosed.effective_application_received r
                      WHERE r.agency = c.agency AND r.subject = c.subject
                        AND r.event_time < b.y0
                      ORDER BY r.event_time, r.source, r.event_id LIMIT 1)) AS applicant_class
      FROM (SELECT DISTINCT ON (c.agency, c.subject) c.agency, c.subject, c.outcome
              FROM disclosed.effective_application_closed c, b
             WHERE ($1::text IS NULL OR c.agency = $1)
               AND c.event_time >= b.y0 AND c.event_time < b.y1
             ORDER BY c.agency, c.subject, c.event_time, c.source, c.event_id) c
      CROSS JOIN b
      LEFT JOIN rcv ON rcv.agency = c.agency AND rcv.subject = c.subject
     WHERE NOT EXISTS (SELECT 1 FROM disclosed.effective_application_closed e
                        WHERE e.agency = c.agency AND e.subject = c.subject
                          AND ($1::text IS NULL OR e.agency = $1)
                          AND e.event_time < b.y0)
),
-- Rows 2 and 4: received before the year's start (end) and not closed
-- before it. Candidates: a receipt before the start with no closing before
-- the start, or one of the year with no closing before the end (an
-- anti-join of the two indexes); then the first receipt and first closing.
open AS (
    SELECT o.agency, f.applicant_class, f.event_time AS received_at,
           (SELECT min(c.event_time) FROM disclosed.effective_application_closed c
             WHERE c.agency = o.agency AND c.subject = o.subject) AS closed_at
      FROM (SELECT DISTINCT r.agency, r.subject
              FROM disclosed.effective_application_received r, b
             WHERE ($1::text IS NULL OR r.agency = $1) AND r.event_time < b.y1
               AND NOT EXISTS (SELECT 1 FROM disclosed.effective_application_closed c
                                WHERE c.agency = r.agency AND c.subject = r.subject
                                  AND ($1::text IS NULL OR c.agency = $1)
                                  AND c.event_time < CASE WHEN r.event_time < b.y0
                                                          THEN b.y0 ELSE b.y1 END)) o
      CROSS JOIN LATERAL (
           SELECT r.applicant_class, r.event_time FROM disclosed.effective_application_received r
            WHERE r.agency = o.agency AND r.subject = o.subject
            ORDER BY r.event_time, r.source, r.event_id LIMIT 1) f
),
cell AS (
    SELECT agency, '1' AS code, applicant_class FROM rcv
    UNION ALL
    SELECT agency, '2', applicant_class FROM open, b
     WHERE received_at < b.y0 AND (closed_at IS NULL OR closed_at >= b.y0)
    UNION ALL
    SELECT agency, outcome, applicant_class FROM cls WHERE applicant_class IS NOT NULL
    UNION ALL
    SELECT agency, '3.7', applicant_class FROM cls WHERE applicant_class IS NOT NULL
    UNION ALL
    SELECT agency, '4', applicant_class FROM open, b
     WHERE received_at < b.y1 AND (closed_at IS NULL OR closed_at >= b.y1)
)
SELECT agency, code, coalesce(applicant_class, 'total'), count(*)
  FROM cell GROUP BY GROUPING SETS ((agency, code, applicant_class), (agency, code));
