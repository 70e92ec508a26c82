-- Row 4 (结转下年度继续办理) of the report of year $2 - 1 as last stored in
-- disclosed.report_snapshot, for agency $1 (every agency when NULL), as
-- (agency, applicant class or 'total', count). Row 2 of year $2 must equal
-- it: comparing with what was published, not with the events again (which
-- would hold by construction), shows events that arrived late for a year
-- already reported.
SELECT s.agency, c.key, c.value::bigint
  FROM (SELECT DISTINCT ON (agency) agency, report
          FROM disclosed.report_snapshot
         WHERE year = $2::int - 1 AND ($1::text IS NULL OR agency = $1)
         ORDER BY agency, last_run_at DESC, id DESC) s,
       jsonb_each_text(s.report -> 'section3' -> '4') c;
