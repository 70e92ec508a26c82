-- disclosed schema, migration 0004: least privilege. Three group roles (no
-- login; grant them to the login roles you create):
--   disclosed_owner   runs `disclosed migrate` (owns the schema's objects)
--   disclosed_writer  the daemon: inserts events, quarantine, offsets
--   disclosed_reader  disclosed-report: reads everything, stores snapshots
-- Roles are cluster-wide: they are created here only if missing, which
-- needs CREATEROLE once (or create them beforehand).
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['disclosed_owner', 'disclosed_writer', 'disclosed_reader'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;

GRANT USAGE ON SCHEMA disclosed TO disclosed_writer, disclosed_reader;
GRANT ALL ON SCHEMA disclosed TO disclosed_owner;

-- The daemon: rows in, never out of, the event tables; the quarantine and
-- the offsets it keeps; nothing else (no DDL, no DELETE, no TRUNCATE).
GRANT SELECT ON disclosed.schema_migration TO disclosed_writer;
GRANT SELECT, INSERT ON disclosed.complaint_received, disclosed.complaint_transferred,
    disclosed.complaint_decided, disclosed.complaint_closed, disclosed.reception_held,
    disclosed.publication_published, disclosed.publication_repealed,
    disclosed.newmedia_snapshot, disclosed.application_received,
    disclosed.application_closed, disclosed.review_filed, disclosed.review_decided,
    disclosed.stats_reported TO disclosed_writer;
GRANT SELECT, INSERT, UPDATE ON disclosed.quarantine, disclosed.consumer_offset
    TO disclosed_writer;
GRANT USAGE ON SEQUENCE disclosed.quarantine_id_seq TO disclosed_writer;

-- The report: read everything; write only its snapshots.
GRANT SELECT ON ALL TABLES IN SCHEMA disclosed TO disclosed_reader;
GRANT INSERT, UPDATE ON disclosed.report_snapshot TO disclosed_reader;
GRANT USAGE ON SEQUENCE disclosed.report_snapshot_id_seq TO disclosed_reader;

-- What later migrations create is readable by the reader too.
ALTER DEFAULT PRIVILEGES IN SCHEMA disclosed GRANT SELECT ON TABLES TO disclosed_reader;
