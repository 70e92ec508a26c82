-- Section 三 (disclosure applications) of agency $1 (every agency when NULL)
-- for year $2 in time zone $3, as (agency, row code, applicant class or
-- 'total', count). Result rows carry the
-- outcome code as stored; 3.7 (all closed in the year) and the 'total'
-- column are counted here independently, so that the report's identities
-- check the mapping of outcomes to its template's rows and columns.
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
app AS (
    SELECT s.*, b.y0, b.y1 FROM disclosed.application_state s, b
     WHERE $1::text IS NULL OR s.agency = $1
),
cell AS (
    SELECT agency, '1' AS code, applicant_class FROM app
     WHERE received_at >= y0 AND received_at < y1
    UNION ALL
    SELECT agency, '2', applicant_class FROM app
     WHERE received_at < y0 AND (closed_at IS NULL OR closed_at >= y0)
    UNION ALL
    SELECT agency, outcome, applicant_class FROM app
     WHERE closed_at >= y0 AND closed_at < y1 AND received_at < y1
    UNION ALL
    SELECT agency, '3.7', applicant_class FROM app
     WHERE closed_at >= y0 AND closed_at < y1 AND received_at < y1
    UNION ALL
    SELECT agency, '4', applicant_class FROM app
     WHERE received_at < y1 AND (closed_at IS NULL OR closed_at >= y1)
)
SELECT agency, code, coalesce(applicant_class, 'total'), count(*)
  FROM cell GROUP BY GROUPING SETS ((agency, code, applicant_class), (agency, code));
