-- disclosed schema, migration 0018: two more kinds of span.
-- * review: a reconsideration or litigation case, its first filing (opened,
--   class: the route) and its first decision (closed, class: the outcome).
--   Section 四's cases pending at the year end (filed by then, no decision
--   by then, by the route of the first filing) are the spans opened before
--   the year end and not closed before it, one index range, instead of
--   every filing ever stored against every decision.
-- * account: a new-media account, its first snapshot (opened). The
--   overview's accounts of a year are the spans opened before its end,
--   instead of every snapshot ever stored.
-- README "Report cost".
ALTER TABLE disclosed.case_span
    DROP CONSTRAINT case_span_kind_check,
    ADD CONSTRAINT case_span_kind_check
        CHECK (kind IN ('publication', 'regulation', 'complaint', 'application', 'review',
                        'account'));

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
        'n.outcome', 'true', false),
       ('disclosure.review.filed', 'review_filed', 'review', 'opened', 'n.route', 'true', false),
       ('disclosure.review.decided', 'review_decided', 'review', 'closed', 'n.outcome', 'true',
        false),
       ('disclosure.newmedia.snapshot', 'newmedia_snapshot', 'account', 'opened', 'NULL::text',
        'true', false);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['review_filed', 'review_decided', 'newmedia_snapshot'] LOOP
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

-- The reviews' and accounts' spans from the events already stored.
DO $$
DECLARE k disclosed.case_span_source;
BEGIN
    FOR k IN SELECT * FROM disclosed.case_span_source WHERE kind IN ('review', 'account') LOOP
        EXECUTE disclosed.case_span_merge_sql(k, format('disclosed.%I', 'effective_' || k.tbl),
                                              'true');
    END LOOP;
END $$;
