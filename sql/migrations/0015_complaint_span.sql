-- disclosed schema, migration 0015: a complaint's span holds what
-- disclosed.complaint_state folds: its first receipt (opened), first
-- transfer, latest decision and first closing (closed). So the overview
-- counts the year's online complaints, transferred and accepted, from the
-- spans opened in the year alone instead of joining them with every
-- transfer and decision of the year, and the check for a complaint handled
-- without a receipt starts from the spans never opened, not from every
-- complaint's (README "Report cost").
-- Each side of a span is now either the first of its rows by (time, source,
-- id) or, for a decision, the latest: a rule says which (latest).
ALTER TABLE disclosed.case_span
    ADD COLUMN transferred_at timestamptz, ADD COLUMN transferred_source text,
    ADD COLUMN transferred_id text, ADD COLUMN transferred_as text,
    ADD COLUMN decided_at timestamptz, ADD COLUMN decided_source text,
    ADD COLUMN decided_id text, ADD COLUMN decided_as text,
    DROP CONSTRAINT case_span_check,
    ADD CONSTRAINT case_span_check
        CHECK (num_nonnulls(opened_at, closed_at, transferred_at, decided_at) > 0);

DROP FUNCTION disclosed.case_span_merge_sql(disclosed.case_span_source, text, text);
CREATE OR REPLACE VIEW disclosed.case_span_source (event_type, tbl, kind, side, class, filter,
                                                   latest) AS
VALUES ('disclosure.publication.published', 'publication_published', 'publication', 'opened',
        'n.category', 'true', false),
       ('disclosure.publication.published', 'publication_published', 'regulation', 'opened',
        'n.category', 'n.category IN (''regulation'', ''normative_document'')', false),
       ('disclosure.publication.repealed', 'publication_repealed', 'regulation', 'closed',
        'NULL::text', 'true', false),
       ('disclosure.complaint.received', 'complaint_received', 'complaint', 'opened',
        'n.channel', 'true', false),
       ('disclosure.complaint.transferred', 'complaint_transferred', 'complaint', 'transferred',
        'NULL::text', 'true', false),
       ('disclosure.complaint.decided', 'complaint_decided', 'complaint', 'decided',
        'n.accepted::text', 'true', true),
       ('disclosure.complaint.closed', 'complaint_closed', 'complaint', 'closed',
        'n.result', 'true', false),
       ('disclosure.application.received', 'application_received', 'application', 'opened',
        'n.applicant_class', 'true', false),
       ('disclosure.application.closed', 'application_closed', 'application', 'closed',
        'n.outcome', 'true', false);

-- As in 0014, with the direction of the rule: its first row moves the side
-- to an earlier event, or (latest) its last row to a later one.
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
     ORDER BY n.agency, n.subject, n.event_time %7$s, n.source %7$s, n.event_id %7$s
    ON CONFLICT (kind, agency, subject) DO UPDATE
       SET %1$s_at = excluded.%1$s_at, %1$s_source = excluded.%1$s_source,
           %1$s_id = excluded.%1$s_id, %1$s_as = excluded.%1$s_as
     WHERE s.%1$s_at IS NULL
        OR (excluded.%1$s_at, excluded.%1$s_source, excluded.%1$s_id)
           %8$s (s.%1$s_at, s.%1$s_source, s.%1$s_id)$q$,
    k.side, k.kind, k.class, p_rel, k.filter, p_where,
    CASE WHEN k.latest THEN 'DESC' ELSE '' END, CASE WHEN k.latest THEN '>' ELSE '<' END)
$$;

-- Case (p_kind, p_agency, p_subject) from the effective views: each side
-- is its rule's merge over the case's rows, after the span is cleared.
-- Rare (corrections, deletes), so one generic statement per rule.
CREATE OR REPLACE FUNCTION disclosed.case_span_refresh(p_kind text, p_agency text,
                                                       p_subject text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE k disclosed.case_span_source;
BEGIN
    DELETE FROM disclosed.case_span
     WHERE kind = p_kind AND agency = p_agency AND subject = p_subject;
    FOR k IN SELECT * FROM disclosed.case_span_source WHERE kind = p_kind LOOP
        EXECUTE disclosed.case_span_merge_sql(k, format('disclosed.%I', 'effective_' || k.tbl),
                                              'n.agency = $1 AND n.subject = $2')
          USING p_agency, p_subject;
    END LOOP;
END $$;

REVOKE ALL ON FUNCTION disclosed.case_span_refresh(text, text, text) FROM PUBLIC;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['complaint_transferred', 'complaint_decided', 'complaint_closed'] LOOP
        EXECUTE format('CREATE TRIGGER case_span AFTER INSERT ON disclosed.%I
                            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
                            EXECUTE FUNCTION disclosed.case_span_on_insert()', t);
        EXECUTE format('CREATE TRIGGER case_span_delete AFTER DELETE ON disclosed.%I
                            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
                            EXECUTE FUNCTION disclosed.case_span_on_delete()', t);
        EXECUTE format('CREATE TRIGGER case_span_truncate AFTER TRUNCATE ON disclosed.%I
                            FOR EACH STATEMENT EXECUTE FUNCTION disclosed.case_span_on_truncate()', t);
    END LOOP;
END $$;

-- The complaints' new sides from the events already stored.
DO $$
DECLARE k disclosed.case_span_source;
BEGIN
    FOR k IN SELECT * FROM disclosed.case_span_source
              WHERE tbl IN ('complaint_transferred', 'complaint_decided', 'complaint_closed') LOOP
        EXECUTE disclosed.case_span_merge_sql(k, format('disclosed.%I', 'effective_' || k.tbl),
                                              'true');
    END LOOP;
END $$;
