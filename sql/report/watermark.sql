-- Ingest watermark: per group/topic/partition the last committed offset,
-- the latest event time seen, and whether that has passed the end of year
-- $2 in time zone $3 (the completeness warning); the year end is repeated
-- on every row.
SELECT group_id, topic, kafka_partition, next_offset - 1 AS last_offset,
       max_event_time, coalesce(max_event_time >= e.y1, false) AS passed, e.y1::text
  FROM disclosed.consumer_offset,
       (SELECT make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, $3::text) AS y1) e
 ORDER BY group_id, topic, kafka_partition;
