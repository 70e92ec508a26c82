-- The report of year $2 as last stored in disclosed.report_snapshot, for
-- agency $1 (every agency, and the roll-up "all", when NULL), as (agency,
-- report, when it was last stored): the published.unchanged check compares
-- every cell of this run with it. $3 is unused.
SELECT DISTINCT ON (agency) agency, report::text, last_run_at
  FROM disclosed.report_snapshot
 WHERE year = $2::int AND ($1::text IS NULL OR agency = $1)
 ORDER BY agency, last_run_at DESC, id DESC;
