-- disclosed schema, migration 0001: the core ingest tables.
-- Applied by `disclosed migrate` in one transaction; never edit an applied
-- migration (its SHA-256 is recorded): add a new numbered file instead.

-- One table per event type, one row per distinct event: the identity
-- ((source, event_id): a second copy of an event is ignored), agency,
-- subject (business key), event time, the type's data fields
-- (consumers/*.c), lineage (topic, partition, offset), and the event exactly
-- as it arrived -- key, headers, payload -- for audit and re-derivation
-- (Kafka keeps days; the report needs years).
CREATE TABLE disclosed.complaint_received (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    channel text NOT NULL, category text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.complaint_transferred (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    unit text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.complaint_decided (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    accepted boolean NOT NULL, reason text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.complaint_closed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    result text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.reception_held (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    leader text NOT NULL, visitors integer NOT NULL, location text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.publication_published (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    category text NOT NULL, channel text NOT NULL, title text, account text, made_at timestamptz, session text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.publication_repealed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    reason text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.newmedia_snapshot (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    views_total bigint NOT NULL, followers bigint NOT NULL, name text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.application_received (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    applicant_class text NOT NULL, channel text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.application_closed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    outcome text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.review_filed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    route text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.review_decided (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    outcome text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

CREATE TABLE disclosed.stats_reported (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    year integer NOT NULL, item text NOT NULL, projects integer, decisions integer, amount numeric(18,4),
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
    kafka_key bytea, headers jsonb, payload text NOT NULL, binary_mode boolean NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id));

-- Lifecycle lookups are by (agency, subject); reports by (agency, time).
CREATE INDEX ON disclosed.complaint_received (agency, subject);
CREATE INDEX ON disclosed.complaint_transferred (agency, subject);
CREATE INDEX ON disclosed.complaint_decided (agency, subject);
CREATE INDEX ON disclosed.complaint_closed (agency, subject);
CREATE INDEX ON disclosed.reception_held (agency, event_time);
CREATE INDEX ON disclosed.publication_published (agency, subject);
CREATE INDEX ON disclosed.publication_repealed (agency, subject);
CREATE INDEX ON disclosed.newmedia_snapshot (agency, subject, event_time);
CREATE INDEX ON disclosed.application_received (agency, subject);
CREATE INDEX ON disclosed.application_closed (agency, subject);
CREATE INDEX ON disclosed.review_filed (agency, subject);
CREATE INDEX ON disclosed.review_decided (agency, subject);
CREATE INDEX ON disclosed.stats_reported (agency, year, item);

-- Events set aside, with everything needed to understand and replay them.
CREATE TABLE disclosed.quarantine (
    id              bigserial   PRIMARY KEY,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    kafka_key       bytea,
    headers         jsonb,
    payload         bytea,
    reason_code     text        NOT NULL,
    field           text,
    reason          text        NOT NULL,
    sqlstate        text,
    event_type      text,
    source          text,
    event_id        text,
    quarantined_at  timestamptz NOT NULL DEFAULT now(),
    replayed_at     timestamptz,
    UNIQUE (topic, kafka_partition, kafka_offset)
);

-- The truth about progress: the next offset to read per (group, topic,
-- partition), committed in the same transaction as the batch's rows.
-- prev_offset is the value a writer expected to replace (fencing);
-- max_event_time is the ingest watermark the report checks.
CREATE TABLE disclosed.consumer_offset (
    group_id        text        NOT NULL,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    next_offset     bigint      NOT NULL,
    prev_offset     bigint      NOT NULL,
    max_event_time  timestamptz,
    member_id       text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, topic, kafka_partition)
);

-- Every stored event in one place, for audit and for re-deriving the
-- normalized columns from what actually arrived.
CREATE VIEW disclosed.raw_event AS
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
       binary_mode, ingested_at FROM disclosed.stats_reported;
