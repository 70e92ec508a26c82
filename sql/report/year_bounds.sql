-- The start and end of calendar year $1 in time zone $2: computed once per
-- run and given to every query of the year as $4 and $5, so that each
-- compares event times with constants (an index bound, and what the planner
-- estimates with), not with an expression evaluated again on every row.
SELECT make_timestamptz($1::int, 1, 1, 0, 0, 0, $2::text),
       make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, $2::text);
