-- Agencies with any event dated in year $2 (from $4 to $5, year_bounds.sql),
-- or figures reported for that year, in one pass over the tables; only
-- agency $1 unless NULL. One of the queries of a run for every agency, in
-- its snapshot ($3, the time zone, is the run's and not used here). Grouped
-- rather than a UNION: the planner cannot estimate how few agencies the
-- views yield, and would sort every row of the year to find them.
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1)
SELECT agency FROM (
    SELECT e.agency FROM disclosed.effective_event e, b
     WHERE e.event_time >= b.y0 AND e.event_time < b.y1
       AND ($1::text IS NULL OR e.agency = $1)
    UNION ALL
    SELECT s.agency FROM disclosed.effective_stats_reported s
     WHERE s.year = $2::int AND ($1::text IS NULL OR s.agency = $1)) a
 GROUP BY agency ORDER BY agency;
