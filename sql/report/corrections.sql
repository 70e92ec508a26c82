-- The corrections applied to year $2's facts of agency $1 (every agency
-- when NULL), in time zone $3: each target's current correction whose
-- target was found with its type and agency, when the fact it withdrew or
-- replaced, or the replacement, is in the year (for stats.reported: the
-- report year, data.year). One row per correction, oldest first:
-- (agency, source, id, time, action, target type, source, id, the
-- target's subject and time as stored, the replacement's subject, time and
-- data).
WITH b AS (
    SELECT make_timestamptz($2::int, 1, 1, 0, 0, 0, $3::text) AS y0,
           make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1
),
c AS (
    SELECT s.*, CASE WHEN s.action = 'replace' THEN coalesce(s.fact_time, s.found_time) END
                AS new_time
      FROM disclosed.correction_status s
     WHERE ($1::text IS NULL OR s.agency = $1) AND s.is_current
       AND s.found_type = s.target_type AND s.found_agency = s.agency
)
SELECT c.agency, c.source, c.event_id, c.event_time, c.action, c.target_type,
       c.target_source, c.target_id, c.found_subject, c.found_time,
       CASE WHEN c.action = 'replace' THEN c.subject END, c.new_time, c.data::text
  FROM c, b
 WHERE CASE WHEN c.target_type = 'disclosure.stats.reported'
            THEN c.found_year = $2::int OR (c.data ->> 'year')::int = $2::int
            ELSE (c.found_time >= b.y0 AND c.found_time < b.y1)
                 OR (c.new_time >= b.y0 AND c.new_time < b.y1) END
 ORDER BY c.agency, c.event_time, c.source, c.event_id;
