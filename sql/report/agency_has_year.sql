-- Whether agency $3 has an event dated in year $1 in time zone $2, or
-- figures reported for that year: the first such row ends the search. The
-- year's bounds are subqueries, so each is computed once (an init plan) and
-- compared as a constant, by the event_time indexes.
SELECT EXISTS (SELECT 1 FROM disclosed.effective_event
                WHERE agency = $3
                  AND event_time >= (SELECT make_timestamptz($1::int, 1, 1, 0, 0, 0, $2))
                  AND event_time < (SELECT make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, $2)))
    OR EXISTS (SELECT 1 FROM disclosed.effective_stats_reported
                WHERE year = $1::int AND agency = $3);
