-- Ingest watermark: per group/topic/partition the last committed offset and
-- the latest event time seen, for snapshots and the completeness warning.
SELECT group_id, topic, kafka_partition, next_offset - 1 AS last_offset,
       max_event_time, updated_at
  FROM disclosed.consumer_offset
 ORDER BY group_id, topic, kafka_partition;
