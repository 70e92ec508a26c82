-- disclosed schema, migration 0014: each case's span, so that a report reads
-- the year it is about, not the archive (README "Report cost").
-- One row per case or item and kind: its first opening event and its first
-- closing event, each as the effective views have it (corrections applied),
-- with the event's identity, which orders events of the same instant as
-- every report query does (event_time, source, event_id), and its class:
--   publication  opened: first publication of any category (class: category)
--   regulation   opened: first publication as a regulation or normative
--                document (class: category); closed: first repeal
--   complaint    opened: first receipt (class: channel)
--   application  opened: first receipt (class: applicant class);
--                closed: first closing (class: outcome)
-- A year's new cases are then a range of (kind, opened_at), and the cases
-- open at a date those not closed before it, whatever the size of the
-- earlier years.
-- Kept by triggers in the transaction that stores the events, so a report's
-- snapshot always sees spans and events alike, whatever wrote them (the
-- daemon's COPY, its staged path, psql). Per statement, not per row: a
-- batch's new rows move a span only to an earlier event. An event that a
-- stored correction applies to, a correction, and a deleted event each
-- recompute the cases they touch from the effective views (rare).
CREATE TABLE disclosed.case_span (
    kind text NOT NULL CHECK (kind IN ('publication', 'regulation', 'complaint', 'application')),
    agency text NOT NULL, subject text NOT NULL,
    opened_at timestamptz, opened_source text, opened_id text, opened_as text,
    closed_at timestamptz, closed_source text, closed_id text, closed_as text,
    PRIMARY KEY (kind, agency, subject),
    CHECK (opened_at IS NOT NULL OR closed_at IS NOT NULL));
CREATE INDEX ON disclosed.case_span (kind, opened_at);
CREATE INDEX ON disclosed.case_span (kind, closed_at);
GRANT SELECT ON disclosed.case_span TO disclosed_reader;

-- What each event type (stored in table tbl) does to the spans: the kind
-- it opens or closes (side), the event's class as an expression over its
-- row n, and which of its rows count for that kind. The triggers, the
-- rebuild and the lookups of corrected events all read this list.
CREATE VIEW disclosed.case_span_source (event_type, tbl, kind, side, class, filter) AS
VALUES ('disclosure.publication.published', 'publication_published', 'publication', 'opened',
        'n.category', 'true'),
       ('disclosure.publication.published', 'publication_published', 'regulation', 'opened',
        'n.category', 'n.category IN (''regulation'', ''normative_document'')'),
       ('disclosure.publication.repealed', 'publication_repealed', 'regulation', 'closed',
        'NULL::text', 'true'),
       ('disclosure.complaint.received', 'complaint_received', 'complaint', 'opened',
        'n.channel', 'true'),
       ('disclosure.application.received', 'application_received', 'application', 'opened',
        'n.applicant_class', 'true'),
       ('disclosure.application.closed', 'application_closed', 'application', 'closed',
        'n.outcome', 'true');

-- The statement that merges the rows n of relation p_rel (those meeting
-- p_where as well) into the spans of rule k: each case's first row, by
-- (time, source, id), moves its span's side to it when it is earlier.
-- Built as text because the trigger must run it itself: a transition
-- table is visible only to the trigger function's own statements.
CREATE FUNCTION disclosed.case_span_merge_sql(k disclosed.case_span_source, p_rel text,
                                              p_where text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT format($q$
    INSERT INTO disclosed.case_span AS s
           (kind, agency, subject, %1$s_at, %1$s_source, %1$s_id, %1$s_as)
    SELECT DISTINCT ON (n.agency, n.subject)
           %2$L, n.agency, n.subject, n.event_time, n.source, n.event_id, %3$s
      FROM %4$s n
     WHERE (%5$s) AND (%6$s)
     ORDER BY n.agency, n.subject, n.event_time, n.source, n.event_id
    ON CONFLICT (kind, agency, subject) DO UPDATE
       SET %1$s_at = excluded.%1$s_at, %1$s_source = excluded.%1$s_source,
           %1$s_id = excluded.%1$s_id, %1$s_as = excluded.%1$s_as
     WHERE s.%1$s_at IS NULL
        OR (excluded.%1$s_at, excluded.%1$s_source, excluded.%1$s_id)
           < (s.%1$s_at, s.%1$s_source, s.%1$s_id)$q$,
    k.side, k.kind, k.class, p_rel, k.filter, p_where)
$$;

-- Case (p_kind, p_agency, p_subject) from the effective views.
CREATE FUNCTION disclosed.case_span_refresh(p_kind text, p_agency text, p_subject text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o_at timestamptz; o_src text; o_id text; o_as text;
    c_at timestamptz; c_src text; c_id text; c_as text;
BEGIN
    IF p_kind IN ('publication', 'regulation') THEN
        SELECT e.event_time, e.source, e.event_id, e.category INTO o_at, o_src, o_id, o_as
          FROM disclosed.effective_publication_published e
         WHERE e.agency = p_agency AND e.subject = p_subject
           AND (p_kind = 'publication' OR e.category IN ('regulation', 'normative_document'))
         ORDER BY e.event_time, e.source, e.event_id LIMIT 1;
    ELSIF p_kind = 'complaint' THEN
        SELECT e.event_time, e.source, e.event_id, e.channel INTO o_at, o_src, o_id, o_as
          FROM disclosed.effective_complaint_received e
         WHERE e.agency = p_agency AND e.subject = p_subject
         ORDER BY e.event_time, e.source, e.event_id LIMIT 1;
    ELSIF p_kind = 'application' THEN
        SELECT e.event_time, e.source, e.event_id, e.applicant_class INTO o_at, o_src, o_id, o_as
          FROM disclosed.effective_application_received e
         WHERE e.agency = p_agency AND e.subject = p_subject
         ORDER BY e.event_time, e.source, e.event_id LIMIT 1;
        SELECT e.event_time, e.source, e.event_id, e.outcome INTO c_at, c_src, c_id, c_as
          FROM disclosed.effective_application_closed e
         WHERE e.agency = p_agency AND e.subject = p_subject
         ORDER BY e.event_time, e.source, e.event_id LIMIT 1;
    END IF;
    IF p_kind = 'regulation' THEN
        SELECT e.event_time, e.source, e.event_id INTO c_at, c_src, c_id
          FROM disclosed.effective_publication_repealed e
         WHERE e.agency = p_agency AND e.subject = p_subject
         ORDER BY e.event_time, e.source, e.event_id LIMIT 1;
    END IF;
    IF o_at IS NULL AND c_at IS NULL THEN
        DELETE FROM disclosed.case_span
         WHERE kind = p_kind AND agency = p_agency AND subject = p_subject;
        RETURN;
    END IF;
    INSERT INTO disclosed.case_span AS s VALUES
        (p_kind, p_agency, p_subject, o_at, o_src, o_id, o_as, c_at, c_src, c_id, c_as)
    ON CONFLICT (kind, agency, subject) DO UPDATE
       SET opened_at = excluded.opened_at, opened_source = excluded.opened_source,
           opened_id = excluded.opened_id, opened_as = excluded.opened_as,
           closed_at = excluded.closed_at, closed_source = excluded.closed_source,
           closed_id = excluded.closed_id, closed_as = excluded.closed_as;
END $$;

-- The cases an event (p_type, p_agency, p_source, p_id) of case p_subject
-- bears on: its own, and those its corrections move it to.
CREATE FUNCTION disclosed.case_span_refresh_event(p_type text, p_agency text, p_subject text,
                                                  p_source text, p_id text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM disclosed.case_span_refresh(k.kind, p_agency, s.subject)
       FROM disclosed.case_span_source k,
            (SELECT p_subject AS subject
             UNION
             SELECT c.subject FROM disclosed.event_correction c
              WHERE c.target_source = p_source AND c.target_id = p_id
                AND c.target_type = p_type AND c.agency = p_agency) s
      WHERE k.event_type = p_type;
END $$;

-- Every span from the effective views: this migration's starting point,
-- and after a TRUNCATE.
CREATE FUNCTION disclosed.case_span_rebuild()
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE k disclosed.case_span_source;
BEGIN
    DELETE FROM disclosed.case_span;
    FOR k IN SELECT * FROM disclosed.case_span_source LOOP
        EXECUTE disclosed.case_span_merge_sql(k, format('disclosed.%I', 'effective_' || k.tbl),
                                              'true');
    END LOOP;
END $$;

-- The cases a correction of stored event (p_type, p_source, p_id) of agency
-- p_agency bears on, for the types a span reads (none when the event is not
-- stored). The event is one primary key probe of its type's table, so that
-- a batch of corrections never joins the whole of raw_event.
CREATE FUNCTION disclosed.case_span_refresh_target(p_type text, p_agency text, p_source text,
                                                   p_id text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE tbl text := (SELECT k.tbl FROM disclosed.case_span_source k
                      WHERE k.event_type = p_type LIMIT 1);
        subj text;
BEGIN
    IF tbl IS NULL THEN
        RETURN;
    END IF;
    EXECUTE format('SELECT t.subject FROM disclosed.%I t
                     WHERE t.source = $1 AND t.event_id = $2 AND t.agency = $3', tbl)
       INTO subj USING p_source, p_id, p_agency;
    IF subj IS NOT NULL THEN
        PERFORM disclosed.case_span_refresh_event(p_type, p_agency, subj, p_source, p_id);
    END IF;
END $$;

-- After an INSERT (or COPY) into an event table: its rules' merges of
-- the statement's new rows. A row a stored correction already applies to
-- (it arrived after its correction) is left to a recomputation instead.
CREATE FUNCTION disclosed.case_span_on_insert()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ev_type text := (SELECT k.event_type FROM disclosed.case_span_source k
                      WHERE k.tbl = TG_TABLE_NAME LIMIT 1);
    corrected boolean := EXISTS (SELECT 1 FROM disclosed.event_correction c
                                  WHERE c.target_type = ev_type);
    k disclosed.case_span_source;
BEGIN
    FOR k IN SELECT * FROM disclosed.case_span_source WHERE tbl = TG_TABLE_NAME LOOP
        EXECUTE disclosed.case_span_merge_sql(k, 'new_rows', CASE WHEN corrected THEN format(
            'NOT EXISTS (SELECT 1 FROM disclosed.event_correction c
                          WHERE c.target_source = n.source AND c.target_id = n.event_id
                            AND c.target_type = %L AND c.agency = n.agency)', ev_type)
            ELSE 'true' END);
    END LOOP;
    IF corrected THEN
        PERFORM disclosed.case_span_refresh_event(ev_type, n.agency, n.subject, n.source, n.event_id)
           FROM new_rows n
          WHERE EXISTS (SELECT 1 FROM disclosed.event_correction c
                         WHERE c.target_source = n.source AND c.target_id = n.event_id
                           AND c.target_type = ev_type AND c.agency = n.agency);
    END IF;
    RETURN NULL;
END $$;

-- After a DELETE from an event table or from the corrections (never by
-- the daemon, whose role may not): the cases of the rows taken away.
CREATE FUNCTION disclosed.case_span_on_delete()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'event_correction' THEN
        PERFORM disclosed.case_span_refresh_target(o.target_type, o.agency, o.target_source,
                                                   o.target_id)
           FROM (SELECT DISTINCT target_type, agency, target_source, target_id FROM old_rows) o;
        PERFORM disclosed.case_span_refresh(k.kind, o.agency, o.subject)
           FROM (SELECT DISTINCT target_type, agency, subject FROM old_rows) o
           JOIN disclosed.case_span_source k ON k.event_type = o.target_type;
    ELSE
        PERFORM disclosed.case_span_refresh_event(k.event_type, o.agency, o.subject, o.source,
                                                  o.event_id)
           FROM old_rows o,
                (SELECT DISTINCT event_type FROM disclosed.case_span_source
                  WHERE tbl = TG_TABLE_NAME) k;
    END IF;
    RETURN NULL;
END $$;

-- After a correction is stored: the cases of its target, before and after.
CREATE FUNCTION disclosed.case_span_on_correction()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM disclosed.case_span_refresh_target(n.target_type, n.agency, n.target_source,
                                               n.target_id)
       FROM (SELECT DISTINCT target_type, agency, target_source, target_id FROM new_rows) n;
    RETURN NULL;
END $$;

CREATE FUNCTION disclosed.case_span_on_truncate()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM disclosed.case_span_rebuild();
    RETURN NULL;
END $$;

REVOKE ALL ON FUNCTION disclosed.case_span_refresh(text, text, text),
    disclosed.case_span_refresh_target(text, text, text, text),
    disclosed.case_span_refresh_event(text, text, text, text, text),
    disclosed.case_span_rebuild(), disclosed.case_span_on_insert(),
    disclosed.case_span_on_delete(), disclosed.case_span_on_correction(),
    disclosed.case_span_on_truncate() FROM PUBLIC;

CREATE TRIGGER case_span_correction AFTER INSERT ON disclosed.event_correction
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION disclosed.case_span_on_correction();

-- Per statement, on each table of the rules and, for DELETE and TRUNCATE,
-- on the corrections' too.
DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT DISTINCT tbl FROM disclosed.case_span_source LOOP
        EXECUTE format('CREATE TRIGGER case_span AFTER INSERT ON disclosed.%I
                            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
                            EXECUTE FUNCTION disclosed.case_span_on_insert()', t);
    END LOOP;
    FOR t IN SELECT DISTINCT tbl FROM disclosed.case_span_source
             UNION SELECT 'event_correction' LOOP
        EXECUTE format('CREATE TRIGGER case_span_delete AFTER DELETE ON disclosed.%I
                            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
                            EXECUTE FUNCTION disclosed.case_span_on_delete()', t);
        EXECUTE format('CREATE TRIGGER case_span_truncate AFTER TRUNCATE ON disclosed.%I
                            FOR EACH STATEMENT EXECUTE FUNCTION disclosed.case_span_on_truncate()', t);
    END LOOP;
END $$;

SELECT disclosed.case_span_rebuild();
