-- Every partition the daemon stores offsets for, once (several groups may
-- have consumed it): the partitions whose end offset the report asks the
-- broker for.
SELECT DISTINCT topic, kafka_partition FROM disclosed.consumer_offset ORDER BY 1, 2;
