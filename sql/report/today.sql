-- The date of the report when --date is not given: today in the configured
-- time zone ($1), as year, month, day.
SELECT extract(year FROM d)::int, extract(month FROM d)::int, extract(day FROM d)::int
FROM (SELECT (now() AT TIME ZONE $1)::date AS d) t
