-- Completeness per agency (docs/report.md): for agency $1 (every agency when
-- NULL), its latest stored event time and whether that has passed the end of
-- year $2 in time zone $3; then every partition of the topics that carry its
-- events (an unread message of such a topic may be its, whichever partition
-- it is in), with the offset stored up to (next_offset: every message below
-- it is stored; the highest over consumer groups) and the latest event time
-- stored from it. One row per (agency, topic, partition); the partition
-- columns are NULL when no offset of the topic is stored.
WITH e AS (SELECT make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1),
t AS (
    SELECT agency, topic, max(event_time) AS latest FROM disclosed.raw_event
     WHERE $1::text IS NULL OR agency = $1
     GROUP BY agency, topic
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
