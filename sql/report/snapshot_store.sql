-- Store a computed report ($4, canonical JSON, sha256 $5) of agency $1,
-- year $2, template $3; a rerun on unchanged data finds it and counts the
-- run.
INSERT INTO disclosed.report_snapshot (agency, year, template, report, sha256)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (agency, year, template, sha256)
DO UPDATE SET last_run_at = now(), runs = report_snapshot.runs + 1;
