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

-- The rules become the rows of a table, so that a rule is added by an
-- INSERT instead of restating every rule in a new view. The view keeps its
-- name and columns: the trigger functions read it and use its row type.
CREATE TABLE disclosed.case_span_rule AS SELECT * FROM disclosed.case_span_source;
ALTER TABLE disclosed.case_span_rule ADD PRIMARY KEY (tbl, kind, side);
CREATE OR REPLACE VIEW disclosed.case_span_source (event_type, tbl, kind, side, class, filter,
                                                   latest) AS
SELECT event_type, tbl, kind, side, class, filter, latest FROM disclosed.case_span_rule;

INSERT INTO disclosed.case_span_rule (event_type, tbl, kind, side, class, filter, latest)
VALUES ('disclosure.review.filed', 'review_filed', 'review', 'opened', 'n.route', 'true', false),
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
