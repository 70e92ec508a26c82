-- Agencies with any event dated in year $2 (from $4 to $5, year_bounds.sql),
-- or figures reported for that year; only agency $1 unless NULL. One of the
-- queries of a run for every agency, in its snapshot ($3, the time zone, is
-- the run's and not used here).
-- An agency's months with events (disclosed.event_month, migration 0016)
-- say whether it has events in the year as stored. Corrections may withdraw
-- an event or move it to another time, and apply to their own agency's
-- events only: an agency with a correction is confirmed from the effective
-- events (the first one in the year ends the search), and one whose
-- correction moves an event into the year is a candidate too.
WITH b AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
stored AS (
    SELECT DISTINCT m.agency FROM disclosed.event_month m, b
     WHERE m.tbl NOT IN ('opening_stated', 'event_correction')
       AND m.last_at >= b.y0 AND m.first_at < b.y1
       AND ($1::text IS NULL OR m.agency = $1)
),
corrected AS (
    SELECT DISTINCT c.agency FROM disclosed.event_correction c
     WHERE $1::text IS NULL OR c.agency = $1
),
moved_in AS (
    SELECT c.agency FROM disclosed.event_correction c, b
     WHERE ($1::text IS NULL OR c.agency = $1) AND c.fact_time >= b.y0 AND c.fact_time < b.y1
)
SELECT agency FROM stored WHERE agency NOT IN (SELECT agency FROM corrected)
UNION
SELECT a.agency FROM (SELECT agency FROM stored UNION SELECT agency FROM moved_in) a, b
 WHERE a.agency IN (SELECT agency FROM corrected)
   AND EXISTS (SELECT 1 FROM disclosed.effective_event e
                WHERE e.agency = a.agency AND e.event_time >= b.y0 AND e.event_time < b.y1)
UNION
SELECT s.agency FROM disclosed.effective_stats_reported s
 WHERE s.year = $2::int AND ($1::text IS NULL OR s.agency = $1)
ORDER BY agency;
