-- disclosed schema, migration 0001: the core ingest tables.
-- Applied by `disclosed migrate` in one transaction; never edit an applied
-- migration (its SHA-256 is recorded): add a new numbered file instead.

-- Every accepted event, exactly as it arrived, for audit and re-derivation
-- (Kafka keeps days; the report needs years). (source, event_id) is the
-- CloudEvents identity: a second copy of an event is ignored.
CREATE TABLE disclosed.raw_event (
    source          text        NOT NULL,
    event_id        text        NOT NULL,
    type            text        NOT NULL,
    agency          text        NOT NULL,
    subject         text        NOT NULL,
    event_time      timestamptz NOT NULL,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    kafka_key       bytea,
    headers         jsonb,
    payload         text        NOT NULL,
    binary_mode     boolean     NOT NULL,
    ingested_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);

-- Normalized rows, one table per event type, one row per distinct event.
-- Columns: identity, agency, subject (business key), event time, the
-- type's data fields (consumers/*.c), lineage (topic, partition, offset).
CREATE TABLE disclosed.complaint_received (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    channel text NOT NULL, category text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.complaint_transferred (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    unit text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.complaint_decided (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    accepted boolean NOT NULL, reason text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.complaint_closed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    result text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.reception_held (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    leader text NOT NULL, visitors integer NOT NULL, location text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.publication_published (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    category text NOT NULL, channel text NOT NULL, title text, account text,
    made_at timestamptz, session text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.publication_repealed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    reason text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.newmedia_snapshot (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    views_total bigint NOT NULL, followers bigint NOT NULL, name text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.application_received (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    applicant_class text NOT NULL, channel text,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.application_closed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    outcome text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.review_filed (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    route text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.review_decided (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    outcome text NOT NULL,
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

CREATE TABLE disclosed.stats_reported (
    source text NOT NULL, event_id text NOT NULL, agency text NOT NULL,
    subject text NOT NULL, event_time timestamptz NOT NULL,
    year integer NOT NULL, item text NOT NULL, projects integer,
    decisions integer, amount numeric(18,4),
    topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL);

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
