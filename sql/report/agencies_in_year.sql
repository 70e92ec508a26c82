-- Agencies with any event dated in year $1 in time zone $2, or figures
-- reported for that year, in one pass over the tables; only agency $3
-- unless NULL.
SELECT agency FROM disclosed.effective_event
 WHERE event_time >= make_timestamptz($1::int, 1, 1, 0, 0, 0, $2)
   AND event_time < make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, $2)
   AND ($3::text IS NULL OR agency = $3)
UNION SELECT agency FROM disclosed.effective_stats_reported WHERE year = $1::int
   AND ($3::text IS NULL OR agency = $3)
 ORDER BY 1;
