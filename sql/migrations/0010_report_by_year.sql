-- disclosed schema, migration 0010: indexes that let a report read the year
-- it is about, not the whole archive (README "Report cost").
--   (event_time): the rows of one year, for every agency.
--   (agency, subject, event_time) instead of (agency, subject): whether a
--     case or item has an earlier (or a later) event than a given one, and
--     its first or latest event before a date, each one index probe; one
--     agency's rows of a year, reading that agency's entries only.
--   publication_published (made_at): the items made in a year, published
--     whenever.
--   regulations and normative documents: the items in force at a year end
--     are counted from the index alone (it holds the first publication's
--     order and category).
CREATE INDEX ON disclosed.complaint_received (event_time);
CREATE INDEX ON disclosed.complaint_transferred (event_time);
CREATE INDEX ON disclosed.complaint_decided (event_time);
CREATE INDEX ON disclosed.complaint_closed (event_time);
CREATE INDEX ON disclosed.reception_held (event_time);
CREATE INDEX ON disclosed.publication_published (event_time);
CREATE INDEX ON disclosed.publication_repealed (event_time);
CREATE INDEX ON disclosed.newmedia_snapshot (event_time);
CREATE INDEX ON disclosed.application_received (event_time);
CREATE INDEX ON disclosed.application_closed (event_time);
CREATE INDEX ON disclosed.review_filed (event_time);
CREATE INDEX ON disclosed.review_decided (event_time);
CREATE INDEX ON disclosed.stats_reported (event_time);

DROP INDEX disclosed.complaint_received_agency_subject_idx;
DROP INDEX disclosed.complaint_transferred_agency_subject_idx;
DROP INDEX disclosed.complaint_decided_agency_subject_idx;
DROP INDEX disclosed.complaint_closed_agency_subject_idx;
DROP INDEX disclosed.publication_published_agency_subject_idx;
DROP INDEX disclosed.publication_repealed_agency_subject_idx;
DROP INDEX disclosed.application_received_agency_subject_idx;
DROP INDEX disclosed.application_closed_agency_subject_idx;
DROP INDEX disclosed.review_filed_agency_subject_idx;
DROP INDEX disclosed.review_decided_agency_subject_idx;
CREATE INDEX ON disclosed.complaint_received (agency, subject, event_time);
CREATE INDEX ON disclosed.complaint_transferred (agency, subject, event_time);
CREATE INDEX ON disclosed.complaint_decided (agency, subject, event_time);
CREATE INDEX ON disclosed.complaint_closed (agency, subject, event_time);
CREATE INDEX ON disclosed.publication_published (agency, subject, event_time);
CREATE INDEX ON disclosed.publication_repealed (agency, subject, event_time);
CREATE INDEX ON disclosed.application_received (agency, subject, event_time);
CREATE INDEX ON disclosed.application_closed (agency, subject, event_time);
CREATE INDEX ON disclosed.review_filed (agency, subject, event_time);
CREATE INDEX ON disclosed.review_decided (agency, subject, event_time);

CREATE INDEX ON disclosed.publication_published (made_at) WHERE made_at IS NOT NULL;
CREATE INDEX publication_published_item_idx ON disclosed.publication_published
    (agency, subject, event_time, source, event_id) INCLUDE (category)
    WHERE category IN ('regulation', 'normative_document');
