-- disclosed schema, migration 0009: opening balances. An agency that starts
-- using disclosed with history behind it states its position at go-live
-- (`as_of`) line by line (disclosure.opening.stated, consumers/opening.c):
-- open applications and reviews, documents in force, new-media views. The
-- report uses them only where detailed events cannot give a figure
-- (docs/events.md §4.7).
CREATE TABLE disclosed.opening_stated (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    as_of timestamptz NOT NULL, balance text NOT NULL, applicant_class text, route text,
    category text, account text, item text, count bigint,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    content_digest bytea,
    PRIMARY KEY (source, event_id));
CREATE INDEX ON disclosed.opening_stated (agency, balance);

GRANT SELECT, INSERT ON disclosed.opening_stated TO disclosed_writer;

-- The lines in force. Per line (a named item, else its qualifier) the
-- latest statement by time replaces earlier ones, like stats.reported. An
-- agency goes live once: its go-live is the as_of of its latest statement
-- (by time), and only lines whose latest statement has that as_of count.
-- A line left with another as_of (not restated after a change of go-live)
-- is not used, and the report's check data.opening_as_of_differs names it.
CREATE VIEW disclosed.opening_line AS
SELECT DISTINCT ON (agency, balance, item IS NULL,
                    coalesce(item, applicant_class, route, category, account))
       agency, as_of, balance, applicant_class, route, category, account, item,
       coalesce(count, 1) AS count, subject, event_time AS stated_at
  FROM disclosed.opening_stated
 ORDER BY agency, balance, item IS NULL, coalesce(item, applicant_class, route, category, account),
          event_time DESC, source DESC, event_id DESC;

CREATE VIEW disclosed.opening_go_live AS
SELECT DISTINCT ON (agency) agency, as_of
  FROM disclosed.opening_stated
 ORDER BY agency, event_time DESC, source DESC, event_id DESC;

-- A named line restated with count 0 is taken back.
CREATE VIEW disclosed.opening_current AS
SELECT l.* FROM disclosed.opening_line l
  JOIN disclosed.opening_go_live g ON g.agency = l.agency AND g.as_of = l.as_of
 WHERE l.item IS NULL OR l.count > 0;

-- Every stored event in one place (0001's view, with this table added).
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
       binary_mode, ingested_at FROM disclosed.opening_stated;
