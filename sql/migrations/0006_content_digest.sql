-- disclosed schema, migration 0006: the content digest of every stored
-- event. An event's identity is (source, event_id), whatever its agency; a
-- second copy with the same identity is skipped when its content is the
-- same, and set aside (quarantine reason conflicting_duplicate) when it is
-- not. "The same content" is the SHA-256 of the canonical form described in
-- docs/events.md ("Duplicates"), computed by the decoder. Rows stored before
-- this migration have no digest (NULL): a copy of one of them is treated as
-- the same content, as before.
ALTER TABLE disclosed.complaint_received ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.complaint_transferred ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.complaint_decided ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.complaint_closed ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.reception_held ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.publication_published ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.publication_repealed ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.newmedia_snapshot ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.application_received ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.application_closed ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.review_filed ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.review_decided ADD COLUMN content_digest bytea;
ALTER TABLE disclosed.stats_reported ADD COLUMN content_digest bytea;
