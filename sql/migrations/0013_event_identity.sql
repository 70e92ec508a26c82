-- disclosed schema, migration 0013: one identity across all types
-- (docs/events.md, "Identity, duplicates, corrections"). Each event table
-- keys its own rows by (source, event_id), which lets an identity be
-- stored once per type. This table holds every stored identity once: the
-- daemon COPYs each batch's identities into it beside the events, and a
-- unique violation here sends the batch to the staged path, which sets
-- aside an identity reused under another type as conflicting_duplicate.
-- The key is the identity as text, not a hash of it, so that equal keys
-- always mean equal identities and nothing needs to be checked twice.
CREATE TABLE disclosed.event_identity (
    source text NOT NULL, event_id text NOT NULL,
    PRIMARY KEY (source, event_id));

-- Every identity stored so far, whatever its table. An identity already
-- stored under two types (possible before this migration) is kept once;
-- both rows stay as they are.
INSERT INTO disclosed.event_identity (source, event_id)
SELECT source, event_id FROM disclosed.complaint_received
UNION SELECT source, event_id FROM disclosed.complaint_transferred
UNION SELECT source, event_id FROM disclosed.complaint_decided
UNION SELECT source, event_id FROM disclosed.complaint_closed
UNION SELECT source, event_id FROM disclosed.reception_held
UNION SELECT source, event_id FROM disclosed.publication_published
UNION SELECT source, event_id FROM disclosed.publication_repealed
UNION SELECT source, event_id FROM disclosed.newmedia_snapshot
UNION SELECT source, event_id FROM disclosed.application_received
UNION SELECT source, event_id FROM disclosed.application_closed
UNION SELECT source, event_id FROM disclosed.review_filed
UNION SELECT source, event_id FROM disclosed.review_decided
UNION SELECT source, event_id FROM disclosed.stats_reported
UNION SELECT source, event_id FROM disclosed.opening_stated
UNION SELECT source, event_id FROM disclosed.event_correction;

GRANT SELECT, INSERT ON disclosed.event_identity TO disclosed_writer;
