-- Agencies with any event dated in year $1 in time zone $2, or figures
-- reported for that year, in one pass over the tables; only agency $3
-- unless NULL. The year's bounds are subqueries, so each is computed once
-- (an init plan) and compared as a constant, by the event_time indexes; a
-- bare make_timestamptz() was evaluated twice on every row of every table.
SELECT agency FROM disclosed.effective_event
 WHERE event_time >= (SELECT make_timestamptz($1::int, 1, 1, 0, 0, 0, $2))
   AND event_time < (SELECT make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, $2))
   AND ($3::text IS NULL OR agency = $3)
UNION SELECT agency FROM disclosed.effective_stats_reported WHERE year = $1::int
   AND ($3::text IS NULL OR agency = $3)
 ORDER BY 1;
