-- Section 三 (disclosure applications) of agency $1 (every agency when NULL)
-- for year $2 in time zone $3 ($4 to $5), as (agency, row code, applicant class or
-- 'total', count). Result rows carry the
-- outcome code as stored; 3.7 (all closed in the year) and the 'total'
-- column are counted here independently, so that the report's identities
-- check the mapping of outcomes to its template's rows and columns.
-- An application is as disclosed.application_state folds it (its first
-- receipt, its first closing): its span (disclosed.case_span), read for
-- the applications received or first closed in the year and those open at
-- its start or end (README "Report cost").
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
span AS NOT MATERIALIZED (
    SELECT s.agency, s.opened_at, s.opened_as, s.closed_at, s.closed_as
      FROM disclosed.case_span s
     WHERE s.kind = 'application' AND ($1::text IS NULL OR s.agency = $1)
),
-- Row 1: first received in the year, by the class of that first receipt.
rcv AS (
    SELECT s.agency, s.opened_as AS applicant_class FROM span s, b
     WHERE s.opened_at >= b.y0 AND s.opened_at < b.y1
),
-- Results: first closed in the year (its outcome), received by the year end,
-- by the class of its first receipt.
cls AS (
    SELECT s.agency, s.closed_as AS outcome,
           CASE WHEN s.opened_at < b.y1 THEN s.opened_as END AS applicant_class
      FROM span s, b
     WHERE s.closed_at >= b.y0 AND s.closed_at < b.y1
),
-- Rows 2 and 4: received before the year's start (end) and not closed
-- before it: the application spans open at that date, from their running
-- counts per month (disclosed.span_stock, migration 0019).
cell AS (
    SELECT agency, '1' AS code, applicant_class, 1::bigint AS n FROM rcv
    UNION ALL
    SELECT o.agency, '2', o.class, o.n
      FROM disclosed.span_stock('application', $4::timestamptz, $1::text) o
    UNION ALL
    SELECT agency, outcome, applicant_class, 1 FROM cls WHERE applicant_class IS NOT NULL
    UNION ALL
    SELECT agency, '3.7', applicant_class, 1 FROM cls WHERE applicant_class IS NOT NULL
    UNION ALL
    SELECT o.agency, '4', o.class, o.n
      FROM disclosed.span_stock('application', $5::timestamptz, $1::text) o
)
SELECT agency, code, coalesce(applicant_class, 'total'), sum(n)::bigint
  FROM cell GROUP BY GROUPING SETS ((agency, code, applicant_class), (agency, code));
