-- disclosed schema, migration 0017: two indexes hold the columns their
-- report queries read, so those queries read the index alone (an index-only
-- scan: no visit to the table for rows the visibility map knows all-visible,
-- which autovacuum keeps so for rows that no longer change).
-- * case_span (kind, opened_at): the spans opened before a date, with their
--   agency, class and closing. Section 二's items in force at the year end
--   and section 三's applications open at its start and end are stocks of
--   every earlier year; the overview's and section 三's new cases of the
--   year are a range of the same index.
-- * newmedia_snapshot (agency, subject, event_time): each account's latest
--   snapshot before the year, with its views and followers: one probe an
--   account.
-- * case_span (kind, closed_at) holds only the spans closed: every query of
--   it asks for a range of closings, and a span is stored (a receipt, a
--   publication, a first snapshot) long before it closes, if ever, so each
--   new span no longer writes an entry there.
-- README "Report cost" gives the figures. Same names, so that plans and
-- docs keep naming them as before.
DROP INDEX disclosed.case_span_kind_opened_at_idx;
CREATE INDEX case_span_kind_opened_at_idx ON disclosed.case_span (kind, opened_at)
    INCLUDE (agency, opened_as, closed_at);
DROP INDEX disclosed.newmedia_snapshot_agency_subject_event_time_idx;
CREATE INDEX newmedia_snapshot_agency_subject_event_time_idx
    ON disclosed.newmedia_snapshot (agency, subject, event_time) INCLUDE (views_total, followers);
DROP INDEX disclosed.case_span_kind_closed_at_idx;
CREATE INDEX case_span_kind_closed_at_idx ON disclosed.case_span (kind, closed_at)
    WHERE closed_at IS NOT NULL;
