-- disclosed schema, migration 0011: every stored event in one place again.
-- 0008 added the corrections' table and 0009 redefined raw_event with the
-- opening balances' table; this puts both in the view, so that audit and
-- the report's agency list and watermark see corrections too.
CREATE OR REPLACE VIEW disclosed.raw_event AS
SELECT 'disclosure.complaint.received'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.complaint_received
UNION ALL
SELECT 'disclosure.complaint.transferred'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.complaint_transferred
UNION ALL
SELECT 'disclosure.complaint.decided'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.complaint_decided
UNION ALL
SELECT 'disclosure.complaint.closed'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.complaint_closed
UNION ALL
SELECT 'disclosure.reception.held'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.reception_held
UNION ALL
SELECT 'disclosure.publication.published'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.publication_published
UNION ALL
SELECT 'disclosure.publication.repealed'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.publication_repealed
UNION ALL
SELECT 'disclosure.newmedia.snapshot'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.newmedia_snapshot
UNION ALL
SELECT 'disclosure.application.received'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.application_received
UNION ALL
SELECT 'disclosure.application.closed'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.application_closed
UNION ALL
SELECT 'disclosure.review.filed'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.review_filed
UNION ALL
SELECT 'disclosure.review.decided'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.review_decided
UNION ALL
SELECT 'disclosure.stats.reported'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.stats_reported
UNION ALL
SELECT 'disclosure.opening.stated'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.opening_stated
UNION ALL
SELECT 'disclosure.event.corrected'::text AS type, source, event_id, agency, subject,
       event_time, topic, kafka_partition, kafka_offset, kafka_key, headers, payload,
       binary_mode, ingested_at FROM disclosed.event_correction;
