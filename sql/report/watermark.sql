-- Completeness per agency (docs/report.md): for agency $1 (every agency when
-- NULL), its latest stored event time and whether that has passed the end of
-- year $2 in time zone $3 ($4 to $5); then every partition of the topics that carry its
-- events dated from the start of the year on (an unread message of such a
-- topic may be its, whichever partition it is in), with the offset stored up
-- to (next_offset: every message below it is stored; the highest over
-- consumer groups) and the latest event time stored from it. One row per
-- (agency, topic, partition); the partition columns are NULL when no offset
-- of the topic is stored. The events are read as their months
-- (disclosed.event_month, migration 0016: per agency, table, topic and month
-- the first and latest event time), those from the year's start on (their
-- latest is the agency's latest), except for an agency with none: then all of
-- its own (README "Report cost").
WITH e AS NOT MATERIALIZED (SELECT $4::timestamptz AS y0, $5::timestamptz AS y1),
since AS (
    SELECT m.agency, m.topic, max(m.last_at) AS latest FROM disclosed.event_month m, e
     WHERE ($1::text IS NULL OR m.agency = $1) AND m.last_at >= e.y0
     GROUP BY m.agency, m.topic
),
-- Agencies asked for without an event since the year's start: $1, or those
-- reporting figures for the year.
quiet AS (
    SELECT a.agency
      FROM (SELECT $1::text AS agency WHERE $1::text IS NOT NULL
            UNION SELECT s.agency FROM disclosed.stats_reported s
             WHERE $1::text IS NULL AND s.year = $2::int) a
     WHERE NOT EXISTS (SELECT 1 FROM since WHERE since.agency = a.agency)
),
-- A quiet agency's months are read by its own key (a lateral probe), not
-- by hashing every agency's months first.
t AS (
    SELECT agency, topic, latest FROM since
    UNION ALL
    SELECT q.agency, m.topic, m.latest FROM quiet q,
           LATERAL (SELECT m.topic, max(m.last_at) AS latest FROM disclosed.event_month m
                     WHERE m.agency = q.agency GROUP BY m.topic) m
),
ag AS (SELECT agency, max(latest) AS latest FROM t GROUP BY agency),
o AS (
    SELECT topic, kafka_partition, max(next_offset) AS next_offset,
           max(max_event_time) AS max_event_time
      FROM disclosed.consumer_offset GROUP BY topic, kafka_partition
)
SELECT t.agency, ag.latest, ag.latest >= e.y1, e.y1, o.topic, o.kafka_partition,
       o.next_offset, o.max_event_time
  FROM t JOIN ag USING (agency) CROSS JOIN e
  LEFT JOIN o ON o.topic = t.topic
 ORDER BY t.agency, o.topic, o.kafka_partition;
